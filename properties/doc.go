// Package properties checks a packet buffer against netbuf's contract:
// yours, not only netbuf's. Each Check drives buffers from a factory you
// give it side by side with a naive reference model (package model),
// compares every answer, byte and counter after every call, and reports
// the first difference once, shrunk to a short scenario:
//
//	func TestMyBuffer(t *testing.T) {
//		properties.CheckUnordered(t, func(capacityBytes, maxPackets int) (properties.Buffer, error) {
//			return mybuf.New(capacityBytes, maxPackets)
//		})
//	}
//
// # Which check
//
//   - CheckUnordered: an UnorderedBuffer as docs/SPEC.md states it (a
//     byte ring of datagrams), its storage geometry included: where each
//     packet goes and exactly when a push is refused.
//   - CheckFIFO: any first-in first-out datagram buffer, whatever its
//     layout (a length before each packet, growth, a list of slices): order,
//     bytes, exactly once, atomic failures, and what its declared limits
//     and policies promise. Start here with a buffer not built on netbuf's
//     layout.
//   - CheckOrdered: a buffer that releases sequenced datagrams in order.
//   - CheckSPSC: the two halves of a single-producer single-consumer
//     buffer, on one goroutine and then on two (linearizability).
//   - CheckRing: a bounded FIFO of values, such as netbuf.Ring[uint64].
//   - CheckReorder: a jitter or reorder buffer of 16-bit sequence numbers.
//
// A buffer is seen through the interface its check names (Buffer, FIFO,
// OrderedBuffer, Producer and Consumer, Ring, Reorderer); write an adapter
// that maps your methods onto it one for one. Methods beyond the
// interface are checked when the buffer has them (PushBatch, the two-phase
// Reserve/Commit/Abort/Peek/Release, Check() error, Peek, Reset, Len, ...).
//
// # Declaring what the contract leaves to you
//
// By default a check holds a buffer to the contract and nothing more.
// Options declare the rest: its limits (MaxPacket, MaxCapacity, MaxSlots;
// a buffer with a 16-bit length field declares MaxPacket(65535)), its own
// errors (ErrorMeans), documented policies (ShortPopDrops,
// PopBlocksWhenEmpty, DetectsReentry, KeepsSlice, CapacityRoundsUp,
// ReorderFirstInOrder, ReorderNoCycle) and netbuf's own additions
// (WithNilFuncs). A failure that a policy would explain says which option
// declares it. Errors are
// compared by errors.Is against netbuf's sentinels (package netbuf).
//
// # Failures
//
// A check stops at its first failure and reports it once through
// t.Error, or, with OnFailure, hands it over as a *Failure instead, so
// that a test can assert that a check fails, and how. A Failure's Scenario
// is the shortest sequence of calls found that shows the difference, in
// the format of netbuf's regression corpus, with the model's answers.
// Save it in a file under your package's testdata/ and replay it on every
// run with Corpus(os.DirFS("testdata")). A check writes no file.
//
// # The regression corpus
//
// Before its engines, each check replays netbuf's regression corpus: the
// *.scn files of testdata/ at the root of netbuf's module, read from the
// module's source directory, which the module cache holds for any module
// that requires netbuf, so a port needs no setup. CheckUnordered,
// CheckOrdered, CheckSPSC and CheckRing replay the scenarios of their kind
// of buffer; CheckFIFO replays the calls of the UnorderedBuffer scenarios
// under its own rules (their answers follow netbuf's geometry);
// CheckReorder has none. Scenarios that use a
// method or option the buffer does not have are skipped, and counted in
// the log. Corpus adds your own saved scenarios (not for CheckReorder,
// whose failures are not scenarios); a Corpus with no *.scn file fails,
// so that a wrong directory is not a silent pass.
//
// # Fuzzing
//
// FuzzUnordered, FuzzFIFO, FuzzOrdered and FuzzSPSC make a fuzz target of
// a check, for `go test -fuzz`:
//
//	func FuzzMine(f *testing.F) { properties.FuzzFIFO(f, newMine, opts...) }
//
// Each is seeded with the regression corpus, encoded in its byte format;
// every input decodes to a configuration and a sequence of calls, which
// run as the check runs them, and a failure is reported as the check
// reports it, shrunk. Calls that need a method or an option the buffer
// does not have are dropped from the input.
//
// # Time and repetition
//
// A check takes seconds: each engine runs a fixed number of cases, times
// NETBUF_PROPERTY_SCALE if set (netbuf's `make verify` uses 10), and a
// failure is shrunk within a few seconds more. The rapid engine's failure
// names its -rapid.seed; the gopter engine's names NETBUF_GOPTER_SEED.
// Checks in parallel tests take turns on rapid, whose settings are
// process-wide. Run your tests under -race: a buffer is owned by one
// goroutine at a time, except the two halves of an SPSC buffer.
package properties
