package properties

import "testing"

// CheckUnordered runs every stateful property, with both engines (rapid and
// gopter), against buffers from newBuffer, comparing each step with the
// model. If a buffer also has a `Check() error` method (netbuf's internal
// invariant check), it is called after every step.
func CheckUnordered(t *testing.T, newBuffer Factory) {
	t.Helper()
	t.Run("rapid", func(t *testing.T) { checkRapid(t, newBuffer) })
	t.Run("gopter", func(t *testing.T) { checkGopter(t, newBuffer) })
}
