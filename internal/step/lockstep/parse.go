package lockstep

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The helpers below read the words of one statement, as every family's
// Parse does. None of them panics.

// ErrNoNested refuses a nested call given to a callback that makes none.
var ErrNoNested = errors.New("reenter= and rsize= need a callback that makes a nested call")

// ParseHead reads a statement's kind, named among the n values of its
// enumeration (what says whose, in the error), and its positional number
// if sized says the kind takes one; args are the words left.
func ParseHead[K ~uint8](words []string, str func(K) string, n K, what string, sized func(K) bool) (k K, num int, args []string, err error) {
	if len(words) == 0 {
		return 0, 0, nil, fmt.Errorf("empty statement")
	}
	k, ok := Lookup(words[0], str, n)
	if !ok {
		return 0, 0, nil, fmt.Errorf("unknown statement %q%s", words[0], what)
	}
	args = words[1:]
	if !sized(k) {
		return k, 0, args, nil
	}
	if len(args) == 0 || strings.Contains(args[0], "=") {
		return k, 0, nil, fmt.Errorf("%s needs a size", words[0])
	}
	num, err = ParseInt(args[0])
	return k, num, args[1:], err
}

// ParseKeys reads key=value words, each one of allowed and given at most
// once, through set, and returns the keys seen.
func ParseKeys(kind fmt.Stringer, args, allowed []string, set func(key, v string) error) (map[string]bool, error) {
	seen := map[string]bool{}
	for _, a := range args {
		key, v, ok := strings.Cut(a, "=")
		if !ok || !slices.Contains(allowed, key) {
			return seen, fmt.Errorf("%s does not take %q", kind, a)
		}
		if seen[key] {
			return seen, fmt.Errorf("%s given twice", key)
		}
		seen[key] = true
		if err := set(key, v); err != nil {
			return seen, err
		}
	}
	return seen, nil
}

// ParseCallback reads a callback's name; batch says whether the
// batch-only ones are allowed.
func ParseCallback(key, v string, batch bool) (Callback, error) {
	cb, err := ParseEnum(key, v, Callback.String, NumCallbacks)
	if err == nil && !batch && (cb == CallInvalidM || cb == CallForeign) {
		err = fmt.Errorf("unknown %s %q", key, v)
	}
	return cb, err
}

// ParseEnum reads the name of a small enumeration's value.
func ParseEnum[T ~uint8](key, v string, str func(T) string, n T) (T, error) {
	e, ok := Lookup(v, str, n)
	if !ok {
		return 0, fmt.Errorf("unknown %s %q", key, v)
	}
	return e, nil
}

// Lookup finds the value of a small enumeration whose String is name.
func Lookup[T ~uint8](name string, str func(T) string, n T) (T, bool) {
	for v := range n {
		if str(v) == name {
			return v, true
		}
	}
	return 0, false
}

// ParseSeed reads a payload seed, 0 to 255.
func ParseSeed(v string) (byte, error) {
	s, err := strconv.ParseUint(v, 10, 8)
	if err != nil {
		return 0, fmt.Errorf("seed %q: want 0 to 255", v)
	}
	return byte(s), nil
}

// ParseUint32 reads a sequence number.
func ParseUint32(v string) (uint32, error) {
	s, err := strconv.ParseUint(v, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%q: want 0 to 4294967295", v)
	}
	return uint32(s), nil
}

// ParseInt reads a decimal int.
func ParseInt(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return n, nil
}
