package properties

import (
	"fmt"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/model"
)

// capLimit is the largest capacity a constructor is declared to take.
func (c *config) capLimit() int {
	if c.maxCapacity > 0 {
		return c.maxCapacity
	}
	return model.MaxCapacity
}

// slotLimit is the largest slot count a constructor is declared to take.
func (c *config) slotLimit() int {
	if c.maxSlots > 0 {
		return c.maxSlots
	}
	return model.MaxCapacity
}

// beyondModel is an argument beyond the model's limit that the engines
// draw for both sides to refuse: netbuf's limit plus one, unless a limit
// was declared (checkLimits checks that one) or int cannot hold it.
func (c *config) beyondModel() int {
	n := int64(model.MaxCapacity) + 1
	if c.maxCapacity > 0 || c.maxSlots > 0 || int64(int(n)) != n {
		return 0
	}
	return int(n)
}

// checkLimits requires a constructor to refuse, with ErrInvalidSize,
// arguments below 1 and beyond the declared limits; newFn builds a buffer
// of capacity c with n slots (n is ignored unless slots) and returns the
// constructor's error.
func checkLimits(r *run, slots bool, newFn func(c, n int) error) *Failure {
	cases := [][2]int{{0, 1}, {-1, 1}}
	if slots {
		cases = append(cases, [2]int{1, 0}, [2]int{1, -1})
	}
	if r.cfg.maxCapacity > 0 && r.cfg.maxCapacity < model.MaxCapacity {
		cases = append(cases, [2]int{r.cfg.maxCapacity + 1, 1})
	}
	if slots && r.cfg.maxSlots > 0 && r.cfg.maxSlots < model.MaxCapacity {
		cases = append(cases, [2]int{1, r.cfg.maxSlots + 1})
	}
	for _, c := range cases {
		if name := lockstep.ErrName(newFn(c[0], c[1])); name != "ErrInvalidSize" {
			if name == "" {
				name = "a buffer"
			}
			call := fmt.Sprintf("New(%d, %d)", c[0], c[1])
			if !slots {
				call = fmt.Sprintf("New(%d)", c[0])
			}
			return &Failure{Engine: "constructor", Err: fmt.Errorf("%s = %s, want ErrInvalidSize", call, name)}
		}
	}
	return nil
}
