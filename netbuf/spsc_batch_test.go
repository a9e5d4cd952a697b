package netbuf_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/netbuf-go/netbuf/netbuf"
)

// lens checks both halves' Len and the producer's Used.
func lens(t *testing.T, p *netbuf.Producer, q *netbuf.Consumer, pLen, qLen, used int) {
	t.Helper()
	if a, b, u := p.Len(), q.Len(), p.Used(); a != pLen || b != qLen || u != used {
		t.Fatalf("producer Len %d, consumer Len %d, Used %d; want %d %d %d", a, b, u, pLen, qLen, used)
	}
	mustCheck(t, p)
}

func commitDeferred(t *testing.T, p *netbuf.Producer, data string) {
	t.Helper()
	b, err := p.Reserve(len(data))
	if err != nil {
		t.Fatalf("Reserve(%d): %v", len(data), err)
	}
	if err := p.CommitDeferred(copy(b, data)); err != nil {
		t.Fatalf("CommitDeferred: %v", err)
	}
}

func peekDeferred(t *testing.T, q *netbuf.Consumer, want string) {
	t.Helper()
	b, err := q.Peek()
	if err != nil || string(b) != want {
		t.Fatalf("Peek = %q, %v; want %q", b, err, want)
	}
	if err := q.ReleaseDeferred(); err != nil {
		t.Fatalf("ReleaseDeferred: %v", err)
	}
}

// TestSPSCDeferredCommit: a deferred commit takes room and a slot at once
// but is seen by the consumer only from the call that publishes it.
func TestSPSCDeferredCommit(t *testing.T) {
	p, q := newSPSC(t, 16, 3)
	commitDeferred(t, p, "abcd")
	commitDeferred(t, p, "efg")
	lens(t, p, q, 2, 0, 7)
	if _, err := q.Peek(); !errors.Is(err, netbuf.ErrEmpty) {
		t.Fatalf("Peek before Flush = %v, want ErrEmpty", err)
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	lens(t, p, q, 2, 2, 7)
	commitDeferred(t, p, "hi")
	lens(t, p, q, 3, 2, 9)
	if _, err := p.Reserve(1); !errors.Is(err, netbuf.ErrWouldBlock) {
		t.Fatalf("Reserve with every slot taken by commits, deferred or not = %v, want ErrWouldBlock", err)
	}
	if err := p.Push([]byte{}); !errors.Is(err, netbuf.ErrWouldBlock) {
		t.Fatal(err)
	}
	// A plain commit publishes the deferred ones before it.
	b := make([]byte, 4)
	for _, want := range []string{"abcd", "efg"} {
		if n, err := q.Pop(b); err != nil || string(b[:n]) != want {
			t.Fatalf("Pop = %q, %v; want %q", b[:n], err, want)
		}
	}
	lens(t, p, q, 1, 0, 2)
	if err := p.Push([]byte("jk")); err != nil {
		t.Fatal(err)
	}
	lens(t, p, q, 2, 2, 4)
	if err := p.Flush(); err != nil {
		t.Fatalf("Flush with nothing deferred = %v, want nil", err)
	}
}

// TestSPSCDeferredRelease: a deferred release moves the consumer on at
// once but frees the room only from the call that publishes it.
func TestSPSCDeferredRelease(t *testing.T) {
	p, q := newSPSC(t, 8, 4)
	for _, s := range []string{"abc", "def"} {
		if err := p.Push([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	peekDeferred(t, q, "abc")
	lens(t, p, q, 2, 1, 6)
	peekDeferred(t, q, "def")
	lens(t, p, q, 2, 0, 6)
	if _, err := q.Peek(); !errors.Is(err, netbuf.ErrEmpty) {
		t.Fatalf("Peek after taking both = %v, want ErrEmpty", err)
	}
	if _, err := p.Reserve(3); !errors.Is(err, netbuf.ErrWouldBlock) {
		t.Fatalf("Reserve(3) while 6 of 8 bytes are held by deferred releases = %v, want ErrWouldBlock", err)
	}
	if err := q.Flush(); err != nil {
		t.Fatal(err)
	}
	lens(t, p, q, 0, 0, 0)
	if err := q.Flush(); err != nil {
		t.Fatalf("Flush with nothing deferred = %v", err)
	}
	// A plain release publishes the deferred ones before it.
	_ = p.Push([]byte("gh"))
	_ = p.Push([]byte("ij"))
	peekDeferred(t, q, "gh")
	if _, err := q.Pop(make([]byte, 2)); err != nil {
		t.Fatal(err)
	}
	lens(t, p, q, 0, 0, 0)
}

// TestSPSCDeferredBusy: Flush is refused by a busy half; the deferred
// ends answer what Commit and Release answer.
func TestSPSCDeferredBusy(t *testing.T) {
	p, q := newSPSC(t, 8, 4)
	if err := p.CommitDeferred(0); !errors.Is(err, netbuf.ErrInvalidState) {
		t.Fatalf("CommitDeferred with nothing reserved = %v", err)
	}
	if err := q.ReleaseDeferred(); !errors.Is(err, netbuf.ErrInvalidState) {
		t.Fatalf("ReleaseDeferred with nothing peeked = %v", err)
	}
	commitDeferred(t, p, "a")
	_, _ = p.Reserve(2)
	if err := p.Flush(); !errors.Is(err, netbuf.ErrBusy) {
		t.Fatalf("Flush with a reservation open = %v, want ErrBusy", err)
	}
	if err := p.CommitDeferred(3); !errors.Is(err, netbuf.ErrInvalidLength) {
		t.Fatalf("CommitDeferred(3) of 2 = %v, want ErrInvalidLength", err)
	}
	lens(t, p, q, 1, 0, 1)
	_, _ = p.PushWith(2, func(b []byte) (int, error) {
		if err := p.Flush(); !errors.Is(err, netbuf.ErrBusy) {
			t.Errorf("Flush inside fill = %v, want ErrBusy", err)
		}
		if err := p.CommitDeferred(0); !errors.Is(err, netbuf.ErrBusy) {
			t.Errorf("CommitDeferred inside fill = %v, want ErrBusy", err)
		}
		return 0, errors.New("no")
	})
	lens(t, p, q, 1, 0, 1)
	_ = p.Flush()
	_, _ = q.Peek()
	if err := q.Flush(); !errors.Is(err, netbuf.ErrBusy) {
		t.Fatalf("consumer Flush with a peek open = %v, want ErrBusy", err)
	}
	_ = q.ReleaseDeferred()
	_ = p.Push([]byte("b"))
	_ = q.PopWith(func([]byte) error {
		if err := q.Flush(); !errors.Is(err, netbuf.ErrBusy) {
			t.Errorf("Flush inside consume = %v, want ErrBusy", err)
		}
		if err := q.ReleaseDeferred(); !errors.Is(err, netbuf.ErrBusy) {
			t.Errorf("ReleaseDeferred inside consume = %v, want ErrBusy", err)
		}
		return nil
	})
	lens(t, p, q, 0, 0, 0)
}

// TestSPSCDeferredClose: Close publishes the deferred commits; the
// consumer pops them, then gets ErrClosed; Flush after Close is ErrClosed.
func TestSPSCDeferredClose(t *testing.T) {
	p, q := newSPSC(t, 8, 4)
	commitDeferred(t, p, "ab")
	commitDeferred(t, p, "c")
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	lens(t, p, q, 2, 2, 3)
	if err := p.Flush(); !errors.Is(err, netbuf.ErrClosed) {
		t.Fatalf("Flush after Close = %v, want ErrClosed", err)
	}
	peekDeferred(t, q, "ab")
	peekDeferred(t, q, "c")
	if _, err := q.Peek(); !errors.Is(err, netbuf.ErrClosed) {
		t.Fatalf("Peek, drained with releases deferred = %v, want ErrClosed", err)
	}
	if err := q.Flush(); err != nil {
		t.Fatal(err)
	}
	lens(t, p, q, 0, 0, 0)
}

// TestSPSCDeferredWaits: each half's Wait publishes its deferred calls
// before it looks, so that the other half, waiting for them, wakes; and a
// deferred call alone wakes nobody.
func TestSPSCDeferredWaits(t *testing.T) {
	p, q := newSPSC(t, 8, 2)
	guard, stop := context.WithTimeout(context.Background(), 10*time.Second) // a missed wake-up fails instead of hanging
	defer stop()
	done := make(chan error)
	go func() { done <- q.Wait(guard) }()
	commitDeferred(t, p, "abcdef")
	select {
	case err := <-done:
		t.Fatalf("consumer's Wait returned %v on a deferred commit", err)
	case <-time.After(5 * time.Millisecond):
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := p.Wait(ctx, 4); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("producer's Wait for 4 of 2 free bytes = %v, want DeadlineExceeded", err)
	}
	if err := <-done; err != nil { // woken by the producer's Wait
		t.Fatalf("consumer's Wait = %v", err)
	}
	lens(t, p, q, 1, 1, 6)
	go func() { done <- p.Wait(guard, 4) }()
	peekDeferred(t, q, "abcdef")
	select {
	case err := <-done:
		t.Fatalf("producer's Wait returned %v on a deferred release", err)
	case <-time.After(5 * time.Millisecond):
	}
	if err := q.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("consumer's Wait on an empty buffer = %v", err)
	}
	if err := <-done; err != nil { // woken by the consumer's Wait
		t.Fatalf("producer's Wait = %v", err)
	}
	lens(t, p, q, 0, 0, 0)
}

func TestSPSCDeferredZeroAllocs(t *testing.T) {
	p, q := newSPSC(t, 4096, 64)
	msg := make([]byte, 100)
	dst := make([]byte, 1500)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		for range 2 {
			b, _ := p.Reserve(1500)
			_ = p.CommitDeferred(copy(b, msg))
		}
		_ = p.Flush()
		_ = p.Wait(ctx, 1500)
		b, _ := q.Peek()
		copy(dst, b)
		_ = q.ReleaseDeferred()
		_ = q.Flush()
		b, _ = q.Peek()
		copy(dst, b)
		_ = q.ReleaseDeferred()
		_ = q.Flush()
		_ = p.Push(msg)
		_ = q.Wait(ctx)
		_ = q.PopWith(func([]byte) error { return nil })
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per round, want 0", allocs)
	}
}

// TestSPSCFlushWakes: each half's Flush wakes the other half sleeping in
// Wait (the 10 s context only keeps a broken wake-up from hanging the
// test).
func TestSPSCFlushWakes(t *testing.T) {
	p, q := newSPSC(t, 8, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error)
	go func() { done <- q.Wait(ctx) }()
	time.Sleep(5 * time.Millisecond)
	commitDeferred(t, p, "abcdef")
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("consumer's Wait across the producer's Flush = %v, want nil", err)
	}
	peekDeferred(t, q, "abcdef")
	go func() { done <- p.Wait(ctx, 4) }()
	time.Sleep(5 * time.Millisecond)
	if err := q.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("producer's Wait across the consumer's Flush = %v, want nil", err)
	}
}
