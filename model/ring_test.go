package model

import (
	"errors"
	"testing"
)

// The ring model is a bounded FIFO: values come out in order, a full ring
// refuses Push, an empty one refuses Pop and Peek, Reset empties it.
func TestRingFIFO(t *testing.T) {
	if _, err := NewRing[int](0); !errors.Is(err, ErrInvalidSize) {
		t.Fatalf("NewRing(0) = %v, want ErrInvalidSize", err)
	}
	r, err := NewRing[int](2)
	if err != nil {
		t.Fatal(err)
	}
	mustPush := func(v int) {
		t.Helper()
		if err := r.Push(v); err != nil {
			t.Fatalf("Push(%d): %v", v, err)
		}
	}
	wantPop := func(want int) {
		t.Helper()
		if v, err := r.Pop(); v != want || err != nil {
			t.Fatalf("Pop = %d, %v; want %d, nil", v, err, want)
		}
	}
	mustPush(1)
	mustPush(2)
	if err := r.Push(3); !errors.Is(err, ErrWouldBlock) {
		t.Fatalf("Push on a full ring = %v, want ErrWouldBlock", err)
	}
	if v, err := r.Peek(); v != 1 || err != nil || r.Len() != 2 {
		t.Fatalf("Peek = %d, %v (Len %d); want 1, nil, Len 2", v, err, r.Len())
	}
	wantPop(1)
	mustPush(3)
	wantPop(2)
	wantPop(3)
	if _, err := r.Pop(); !errors.Is(err, ErrEmpty) {
		t.Fatalf("Pop on empty = %v, want ErrEmpty", err)
	}
	if _, err := r.Peek(); !errors.Is(err, ErrEmpty) {
		t.Fatalf("Peek on empty = %v, want ErrEmpty", err)
	}
	mustPush(4)
	r.Reset()
	if r.Len() != 0 || r.Cap() != 2 {
		t.Fatalf("after Reset: Len %d Cap %d, want 0 2", r.Len(), r.Cap())
	}
}
