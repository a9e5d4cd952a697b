package properties

import (
	"os"
	"strconv"
)

// scaleEnv names the environment variable that multiplies how many cases
// each engine runs: unset or 1 for `make test`, 10 or more for
// `make verify`.
const scaleEnv = "NETBUF_PROPERTY_SCALE"

// scale returns the multiplier from scaleEnv (at least 1).
func scale() int {
	if n, err := strconv.Atoi(os.Getenv(scaleEnv)); err == nil && n > 1 {
		return n
	}
	return 1
}
