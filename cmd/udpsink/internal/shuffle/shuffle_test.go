package shuffle

import "testing"

// TestBounded: every packet comes out, once or (repeated) twice, never more
// than K+1 sequences behind the highest one out before it, and the order
// is not the input's.
func TestBounded(t *testing.T) {
	for _, k := range []int{1, 3, 8, 30} {
		s := New(uint64(k), k, 10)
		var out []int
		emit := func(p []byte) { out = append(out, int(p[0])|int(p[1])<<8) }
		const n = 5000
		for i := range n {
			s.Push([]byte{byte(i), byte(i >> 8)}, emit)
		}
		s.Flush(emit)
		if len(out) != n+s.Dups || s.Dups == 0 {
			t.Fatalf("k=%d: %d out for %d in and %d repeats", k, len(out), n, s.Dups)
		}
		seen := make([]int, n)
		moved, highest := 0, -1
		for at, i := range out {
			seen[i]++
			if highest-i > k+1 {
				t.Fatalf("k=%d: packet %d out after %d", k, i, highest)
			}
			highest = max(highest, i)
			if at != i {
				moved++
			}
		}
		for i, c := range seen {
			if c < 1 || c > 2 {
				t.Fatalf("k=%d: packet %d out %d times", k, i, c)
			}
		}
		if moved == 0 {
			t.Fatalf("k=%d: nothing moved", k)
		}
	}
}
