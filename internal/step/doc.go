// Package step is the verification vocabulary's root. Each buffer family
// has its own package under it, all with the same names (Op, Kind,
// Config, Result, Parse, Run, Pair, Family):
//
//	internal/step/unordered   UnorderedBuffer
//	internal/step/ordered     OrderedBuffer
//	internal/step/spsc        the SPSC buffer's two halves
//	internal/step/ring        Ring[T]
//
// and internal/step/lockstep holds what they share: the Family descriptor,
// Check and Shrink, the error names, the callbacks, and the answers and
// statements of the scenario format. The property engines (package
// properties), the regression corpus (package scenario) and the fuzz
// targets (package fuzz) all speak it, so an operation that one of them
// finds prints in a form the others replay.
package step
