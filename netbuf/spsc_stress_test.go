package netbuf_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netbuf-go/netbuf/netbuf"
)

// SPSCStressEnv names the environment variable that sets how long
// TestSPSCStress runs per configuration (a Go duration, e.g. 20s for
// `make verify`); unset, it runs 150ms each (20ms with -short), so that
// `make test` stays fast.
const SPSCStressEnv = "NETBUF_SPSC_STRESS"

func stressTime(t *testing.T) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(SPSCStressEnv)); err == nil && d > 0 {
		return d
	}
	if testing.Short() {
		return 20 * time.Millisecond
	}
	return 150 * time.Millisecond
}

// stressPacket writes packet seq of length n: an 8-byte sequence number
// (as much of it as fits) then bytes that depend on seq and position.
func stressPacket(p []byte, seq uint64) {
	var h [8]byte
	binary.LittleEndian.PutUint64(h[:], seq)
	k := copy(p, h[:])
	for i := k; i < len(p); i++ {
		p[i] = byte(seq*7) ^ byte(i*13)
	}
}

// stressLen is the length of packet seq: 0 to mtu, mostly large, from a
// hash of seq so that the consumer knows it too.
func stressLen(seq uint64, mtu int) int {
	h := seq*0x9E3779B97F4A7C15 ^ seq>>7
	switch h % 8 {
	case 0:
		return 0
	case 1, 2:
		return int(h>>8) % (mtu + 1)
	}
	return mtu - int(h>>16)%(mtu/4+1)
}

// TestSPSCStress runs a producer goroutine and a consumer goroutine flat
// out on small buffers (wraps every few packets), each switching between
// every form of its half (Reserve/Commit/Abort, PushWith, Push; Peek/
// Release, PopWith, Pop) and blocking in Wait when it must, then closes:
// the consumer checks every byte of every packet and their order (by
// sequence number), and that it got exactly what was committed before
// ErrClosed. Run it under -race (make test does): a missing
// happens-before edge between the halves is a data race.
func TestSPSCStress(t *testing.T) {
	d := stressTime(t)
	cfgs := []struct{ c, slots, mtu int }{
		{64, 4, 16}, {100, 3, 33}, {257, 16, 60}, {1500, 2, 1500}, {4096, 64, 200}, {9, 9, 1},
	}
	var total atomic.Int64
	t.Cleanup(func() { // after the parallel subtests
		t.Logf("STATS test=TestSPSCStress buffers=%d packets-checked=%d time-per-buffer=%v", len(cfgs), total.Load(), d)
	})
	for _, cfg := range cfgs {
		t.Run(fmt.Sprintf("cap=%d/slots=%d/mtu=%d", cfg.c, cfg.slots, cfg.mtu), func(t *testing.T) {
			t.Parallel()
			total.Add(int64(runStress(t, cfg.c, cfg.slots, cfg.mtu, d)))
		})
	}
}

// runStress runs one producer and one consumer for d and returns the
// packets checked.
func runStress(t *testing.T, c, slots, mtu int, d time.Duration) (checked uint64) {
	p, q, err := netbuf.NewSPSC(c, slots)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), d+30*time.Second)
	defer cancel()
	pushed := make(chan uint64, 1)
	errc := make(chan error, 2)
	go func() { // producer
		rng := rand.New(rand.NewSource(1))
		var seq uint64
		deadline := time.Now().Add(d)
		for time.Now().Before(deadline) {
			for range 64 {
				n := stressLen(seq, mtu)
				// Half the time wait first (the push then takes the fast
				// path), half the time push at once, and wait only on
				// ErrWouldBlock: the placement after a fresh read of the
				// consumer's count is then the one used.
				if rng.Intn(2) == 0 {
					if err := p.Wait(ctx, mtu); err != nil {
						errc <- fmt.Errorf("producer wait: %w", err)
						return
					}
				}
				var err error
			retry:
				switch rng.Intn(4) {
				case 0:
					var b []byte
					if b, err = p.Reserve(mtu); err == nil {
						if rng.Intn(8) == 0 {
							stressPacket(b[:n], ^seq) // written, then aborted: never seen
							if err = p.Abort(); err == nil {
								continue
							}
						}
						stressPacket(b[:n], seq)
						err = p.Commit(n)
					}
				case 1:
					_, err = p.PushWith(mtu, func(b []byte) (int, error) { stressPacket(b[:n], seq); return n, nil })
				case 2:
					_, err = p.PushWith(mtu, func(b []byte) (int, error) {
						stressPacket(b[:n], ^seq)
						return 0, errSkip // a failed fill commits nothing
					})
					if errors.Is(err, errSkip) {
						continue
					}
				default:
					b := make([]byte, n)
					stressPacket(b, seq)
					err = p.Push(b)
				}
				if errors.Is(err, netbuf.ErrWouldBlock) {
					if err = p.Wait(ctx, mtu); err == nil {
						goto retry
					}
				}
				if err != nil {
					errc <- fmt.Errorf("producer, packet %d: %w", seq, err)
					return
				}
				seq++
			}
		}
		if err := p.Close(); err != nil {
			errc <- err
			return
		}
		pushed <- seq
		errc <- nil
	}()
	go func() { // consumer
		rng := rand.New(rand.NewSource(2))
		var seq uint64
		want := make([]byte, mtu)
		dst := make([]byte, mtu)
		check := func(b []byte) error {
			n := stressLen(seq, mtu)
			stressPacket(want[:n], seq)
			if string(b) != string(want[:n]) {
				return fmt.Errorf("packet %d: got %d bytes %x, want %d bytes %x", seq, len(b), b, n, want[:n])
			}
			seq++
			return nil
		}
		for {
			err := q.Wait(ctx)
			if errors.Is(err, netbuf.ErrClosed) {
				break
			}
			if err != nil {
				errc <- fmt.Errorf("consumer wait: %w", err)
				return
			}
			switch rng.Intn(3) {
			case 0:
				var b []byte
				if b, err = q.Peek(); err == nil {
					if err = check(b); err == nil {
						err = check2(b, seq-1, mtu) // still intact after checking: nobody wrote it meanwhile
					}
					if err == nil {
						err = q.Release()
					}
				}
			case 1:
				err = q.PopWith(check)
			default:
				var n int
				if n, err = q.Pop(dst); err == nil {
					err = check(dst[:n])
				}
			}
			if err != nil {
				errc <- fmt.Errorf("consumer: %w", err)
				return
			}
		}
		if n := <-pushed; n != seq {
			errc <- fmt.Errorf("consumer got %d packets before ErrClosed, producer committed %d", seq, n)
			return
		}
		t.Logf("%d packets, every byte checked", seq)
		checked = seq
		errc <- nil
	}()
	for range 2 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	return checked
}

var errSkip = errors.New("skip")

// check2 checks a packet's bytes again.
func check2(b []byte, seq uint64, mtu int) error {
	want := make([]byte, stressLen(seq, mtu))
	stressPacket(want, seq)
	if string(b) != string(want) {
		return fmt.Errorf("packet %d changed while peeked: %x, want %x", seq, b, want)
	}
	return nil
}
