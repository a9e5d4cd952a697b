package lockstep_test

import (
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
)

// TestWantMatches checks what an expected answer accepts: each counter it
// gives (next too, for every family), "ok" for any success, a count only
// with the same count.
func TestWantMatches(t *testing.T) {
	got := lockstep.Want{Answer: lockstep.AnswerBytes, Bytes: 3, Used: 4, Len: 1, Next: 7}
	cases := []struct {
		want string
		ok   bool
	}{
		{"ok", true},
		{"3 bytes", true},
		{"3 bytes used=4 len=1 next=7", true},
		{"2 bytes", false},
		{"3 packets", false},
		{"ErrEmpty", false},
		{"ok used=5", false},
		{"ok len=0", false},
		{"ok next=6", false},
	}
	for _, c := range cases {
		w, err := lockstep.ParseWant(strings.Fields(c.want))
		if err != nil {
			t.Fatalf("%q: %v", c.want, err)
		}
		if w.Matches(got) != c.ok {
			t.Errorf("%q matches %q: %v, want %v", c.want, got, !c.ok, c.ok)
		}
	}
}
