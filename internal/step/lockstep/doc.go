// Package lockstep is the machinery that netbuf's verification tools share
// across buffer families: the [Family] descriptor each family package
// (internal/step/unordered, ordered, spsc, ring) provides, [Check] and
// [Shrink], which run any family's operations on its buffer under test and
// its reference model side by side, the one table of error names, the
// callbacks an operation's fill or consume may act out, the answers a
// scenario statement expects ([Want]) and the [Statement] sum type of the
// scenario format (a family's Op or a [Query]).
//
// It depends on neither testing nor any property-testing engine.
package lockstep
