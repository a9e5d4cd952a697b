package properties

import (
	"os"
	"strconv"
	"testing"
)

// ScaleEnv names the environment variable that multiplies how many cases
// each engine runs: unset or 1 for `make test`, 10 or more for `make verify`.
const ScaleEnv = "NETBUF_PROPERTY_SCALE"

// scale returns the multiplier from ScaleEnv (at least 1).
func scale() int {
	if n, err := strconv.Atoi(os.Getenv(ScaleEnv)); err == nil && n > 1 {
		return n
	}
	return 1
}

// report logs what an engine exercised in one line that `make verify`
// collects: "STATS engine=<name> steps=... wraps=...".
func report(t *testing.T, engine string, s Stats) {
	t.Helper()
	t.Logf("STATS engine=%s %s", engine, s)
}
