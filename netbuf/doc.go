// Package netbuf is a receive buffer for datagrams of unknown length (UDP
// packets, frames): [UnorderedBuffer] stores them back to back in one byte
// array, indexed by a fixed [Ring] of metadata entries, and hands them out
// in arrival order. Push and pop are O(1) and allocate nothing.
//
// A producer reserves room for the largest datagram it may get and lets a
// reader write into it; only what was read is committed:
//
//	buf, _ := netbuf.NewUnorderedBuffer(64*1500, 256)
//	n, err := buf.PushWith(1500, conn.Read) // conn is a *net.UDPConn
//	...
//	err = buf.PopWith(func(p []byte) error { return handle(p) })
//
// The same operations also come in two halves, with no callback and no
// deferred call: [UnorderedBuffer.Reserve] returns the room and Commit (or
// Abort) ends the push; [UnorderedBuffer.Peek] returns the oldest packet and
// Release removes it. Between the halves the buffer is busy.
//
//	p, err := buf.Reserve(1500)
//	n, err := conn.Read(p) // then buf.Commit(n), or buf.Abort() on error
//
// Every failure is atomic: an error or a panic from the fill or consume
// function, or bad input, leaves the buffer exactly as it was, and the
// callback's own error comes back unchanged (errors.Is(err,
// os.ErrDeadlineExceeded) works). Errors of the package are sentinels
// tested with errors.Is. A method called on a busy buffer (from inside one of
// its callbacks, or between two halves) returns [ErrBusy].
//
// The exact placement rules (where each packet goes, when a push gets
// [ErrWouldBlock]) are in the project's docs/SPEC.md and on [UnorderedBuffer].
package netbuf
