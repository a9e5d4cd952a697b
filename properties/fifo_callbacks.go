package properties

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// errFill is what a failing fill or consume returns: it must come back
// from the buffer (errors.Is).
var errFill = errors.New("properties: callback failed on purpose")

// fillPanic is the value a panicking fill or consume panics with: it must
// come out of the buffer.
type fillPanic struct{ seed byte }

// callback runs what op's callback kind says after the callback's own
// work: a nested call (which must answer ErrBusy), an error, or a panic.
func (p *fifoPair) callback(cb lockstep.Callback, seed byte) error {
	switch cb {
	case lockstep.CallErr:
		return errFill
	case lockstep.CallPanic:
		panic(fillPanic{seed})
	case lockstep.CallReenter:
		err := p.b.Push(nil)
		if _, err2 := p.b.Pop(make([]byte, p.cap)); p.name(err2) != "ErrBusy" {
			err = err2
		}
		p.nested = p.name(err)
	}
	return nil
}

// outcome runs call, recovering the callback's own panic (any other
// panic is the buffer's, and is reported).
func outcome(seed byte, call func() error) (err error, panicked bool, bad error) {
	defer func() {
		if v := recover(); v != nil {
			if v == (fillPanic{seed}) {
				panicked = true
				return
			}
			bad = fmt.Errorf("the buffer panicked: %v", v)
		}
	}()
	return call(), false, nil
}

// answer renders a callback call's outcome.
func (p *fifoPair) answer(err error, panicked bool, n int) string {
	switch {
	case panicked:
		return "panic"
	case err == nil:
		return fmt.Sprintf("%d bytes", n)
	case errors.Is(err, errFill):
		return "ErrCallback"
	}
	return p.name(err)
}

func (p *fifoPair) pushWithOp(op unordered.Op) (string, error) {
	data := payloadOf(op.N, op.Seed)
	called, window := false, -1
	p.nested = "ErrBusy"
	n, err, panicked, bad := func() (n int, err error, panicked bool, bad error) {
		err, panicked, bad = outcome(op.Seed, func() error {
			var e error
			n, e = p.b.pushWith(op.MaxSize, func(q []byte) (int, error) {
				called, window = true, len(q)
				copy(q, data)
				return op.N, p.callback(op.Fill, op.Seed)
			})
			return e
		})
		return
	}()
	answer := p.answer(err, panicked, n)
	switch {
	case bad != nil:
		return answer, bad
	case called && window != op.MaxSize:
		return answer, fmt.Errorf("fill got %d bytes, want maxSize %d", window, op.MaxSize)
	case p.nested != "ErrBusy":
		return answer, fmt.Errorf("a call from inside fill answered %s, want ErrBusy", p.nested)
	case op.Fill == lockstep.CallPanic && called && !panicked:
		return answer, errors.New("fill's panic did not come out of PushWith")
	case op.Fill == lockstep.CallErr && called && !errors.Is(err, errFill):
		return answer, errors.New("fill's error did not come back from PushWith")
	}
	valid := op.N >= 0 && op.N <= op.MaxSize
	switch {
	case err == nil && !panicked:
		if !called || !valid || op.Fill == lockstep.CallErr || op.Fill == lockstep.CallPanic {
			return answer, errors.New("committed a packet whose fill failed, panicked, reported an invalid n, or was not called")
		}
		if n != op.N {
			return answer, fmt.Errorf("PushWith returned n %d, fill reported %d", n, op.N)
		}
		if e := p.accepted(); e != nil {
			return answer, e
		}
		p.m.Push(data)
	case p.name(err) == "ErrWouldBlock":
		if valid && op.Fill != lockstep.CallErr && op.Fill != lockstep.CallPanic {
			return answer, p.refused(op.MaxSize)
		}
	}
	return answer, nil
}

func (p *fifoPair) popWithOp(op unordered.Op) (string, error) {
	want := p.m.Oldest()
	var got []byte
	called := false
	p.nested = "ErrBusy"
	err, panicked, bad := outcome(op.Seed, func() error {
		return p.b.popWith(func(q []byte) error {
			called, got = true, bytes.Clone(q)
			return p.callback(op.Consume, op.Seed)
		})
	})
	answer := p.answer(err, panicked, len(got))
	switch {
	case bad != nil:
		return answer, bad
	case p.m.Len() == 0:
		if p.name(err) != "ErrEmpty" || called {
			return answer, errors.New("want ErrEmpty, consume not called: the buffer holds nothing")
		}
		return answer, nil
	case !called:
		return answer, errors.New("consume was not called with the oldest packet")
	case !bytes.Equal(got, want):
		return answer, fmt.Errorf("consume got %x, want the oldest packet %x", got, want)
	case p.nested != "ErrBusy":
		return answer, fmt.Errorf("a call from inside consume answered %s, want ErrBusy", p.nested)
	case op.Consume == lockstep.CallPanic && !panicked:
		return answer, errors.New("consume's panic did not come out of PopWith")
	case op.Consume == lockstep.CallErr && !errors.Is(err, errFill):
		return answer, errors.New("consume's error did not come back from PopWith")
	case (op.Consume == lockstep.CallOK || op.Consume == lockstep.CallReenter) && err != nil:
		return answer, errors.New("want nil: consume returned nil")
	}
	if err == nil && !panicked {
		p.m.Pop()
	}
	return answer, nil
}
