package ordered

import (
	"fmt"
	"strings"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/model"
)

// Config is an OrderedBuffer's configuration, as netbuf's.
type Config struct {
	Capacity, MaxPackets, Window, SeqBits int
	First                                 uint32
	Resync                                bool
}

// Size is what the buffer allocates, and whether the constructor takes it
// as far as those two go.
func (c Config) Size() (capacity, slots int, valid bool) {
	return c.Capacity, c.MaxPackets, c.Capacity >= 1 && c.MaxPackets >= 1 && c.Capacity <= model.MaxCapacity && c.MaxPackets <= model.MaxCapacity
}

func (c Config) String() string {
	s := fmt.Sprintf("ordered %d %d window=%d bits=%d first=%d", c.Capacity, c.MaxPackets, c.Window, c.SeqBits, c.First)
	if c.Resync {
		s += " resync"
	}
	return s
}

// ParseConfig reads String's form (words after "ordered").
func ParseConfig(words []string) (Config, error) {
	var c Config
	if len(words) < 2 {
		return c, fmt.Errorf("want `ordered <capacity> <maxPackets> window=W bits=B [first=F] [resync]`")
	}
	var err error
	if c.Capacity, err = lockstep.ParseInt(words[0]); err != nil {
		return c, err
	}
	if c.MaxPackets, err = lockstep.ParseInt(words[1]); err != nil {
		return c, err
	}
	seen := map[string]bool{}
	for _, w := range words[2:] {
		k, v, _ := strings.Cut(w, "=")
		if seen[k] {
			return c, fmt.Errorf("%s given twice", k)
		}
		seen[k] = true
		switch k {
		case "window":
			c.Window, err = lockstep.ParseInt(v)
		case "bits":
			c.SeqBits, err = lockstep.ParseInt(v)
		case "first":
			c.First, err = lockstep.ParseUint32(v)
		case "resync":
			c.Resync = v == ""
			if v != "" {
				err = fmt.Errorf("resync takes no value")
			}
		default:
			err = fmt.Errorf("ordered does not take %q", w)
		}
		if err != nil {
			return c, err
		}
	}
	if !seen["window"] || !seen["bits"] {
		return c, fmt.Errorf("ordered needs window= and bits=")
	}
	return c, nil
}

// Sizes are the sizes running o allocates, which a replay caps.
func (o Op) Sizes() []int { return []int{o.MaxSize, o.DstLen, o.Spare, o.ReSize} }

// Needs are the features o uses: nil callbacks, if it has one.
func (o Op) Needs() lockstep.Features {
	return lockstep.Features{NilFuncs: o.Fill == lockstep.CallNil || o.Consume == lockstep.CallNil}
}
