package lockstep

import (
	"context"
	"errors"
	"io"
	"slices"

	"github.com/netbuf-go/netbuf/model"
	"github.com/netbuf-go/netbuf/netbuf"
)

// ErrCallback is the error a CallErr fill or consume returns. It must come
// back from the buffer unchanged (or wrapped).
var ErrCallback = errors.New("lockstep: callback failed on purpose")

// errorNames is the one table of the errors an operation may answer, by
// the name results, scenarios and reports use: netbuf's sentinel and the
// model's mirror of it compare equal through their name.
var errorNames = []errorName{
	{"ErrWouldBlock", []error{netbuf.ErrWouldBlock, model.ErrWouldBlock}},
	{"ErrEmpty", []error{netbuf.ErrEmpty, model.ErrEmpty}},
	{"ErrTooLarge", []error{netbuf.ErrTooLarge, model.ErrTooLarge}},
	{"ErrInvalidSize", []error{netbuf.ErrInvalidSize, model.ErrInvalidSize}},
	{"ErrInvalidLength", []error{netbuf.ErrInvalidLength, model.ErrInvalidLength}},
	{"ErrBusy", []error{netbuf.ErrBusy, model.ErrBusy}},
	{"ErrNilFunc", []error{netbuf.ErrNilFunc, model.ErrNilFunc}},
	{"ErrInvalidState", []error{netbuf.ErrInvalidState, model.ErrInvalidState}},
	{"ErrClosed", []error{netbuf.ErrClosed, model.ErrClosed}},
	{"ErrLate", []error{netbuf.ErrLate, model.ErrLate}},
	{"ErrDuplicate", []error{netbuf.ErrDuplicate, model.ErrDuplicate}},
	{"ErrAhead", []error{netbuf.ErrAhead, model.ErrAhead}},
	{"ErrGap", []error{netbuf.ErrGap, model.ErrGap}},
	{"ErrInvalidSeq", []error{netbuf.ErrInvalidSeq, model.ErrInvalidSeq}},
	{"io.ErrShortBuffer", []error{io.ErrShortBuffer}},
	{"ErrCallback", []error{ErrCallback}},
	{"context.Canceled", []error{context.Canceled}},
	{"context.DeadlineExceeded", []error{context.DeadlineExceeded}},
}

type errorName struct {
	name string
	errs []error
}

// ErrName names err by the sentinel it is (or wraps): "" for nil, else a
// name of the table, else "unexpected error: " and its text.
func ErrName(err error) string {
	if err == nil {
		return ""
	}
	for _, e := range errorNames {
		for _, s := range e.errs {
			if errors.Is(err, s) {
				return e.name
			}
		}
	}
	return "unexpected error: " + err.Error()
}

// IsErrName reports whether name is one of the table's names.
func IsErrName(name string) bool {
	return slices.ContainsFunc(errorNames, func(e errorName) bool { return e.name == name })
}
