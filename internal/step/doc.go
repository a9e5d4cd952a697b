// Package step is the vocabulary that netbuf's verification tools share:
// an operation on an UnorderedBuffer as a plain value ([Op]), its one-line
// text form and the parser of that form, what running it observed
// ([Result], [Run]), one table of error names, and [Pair], which drives a
// buffer under test and the reference model (package model) in lockstep and
// reports the first difference.
//
// The property engines (package properties), the regression corpus
// (package scenario) and the fuzz targets (package fuzz) all speak it, so
// an operation that one of them finds prints in a form the others replay.
// It depends on neither testing nor any property-testing engine.
package step
