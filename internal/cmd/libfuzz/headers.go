package main

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The byte format in which a libFuzzer binary built by go-118-fuzz-build
// (at the version build.sh pins) hands its input to the fuzz function: its
// testing.F.Fuzz reads each parameter after *testing.T in turn with
// go-fuzz-headers' ConsumeFuzzer, and an input that runs out skips the call.
//
//	[]byte  GetBytes: a 4-byte big-endian length L (0 means 30), then L bytes,
//	        where L is taken modulo the bytes left unless it equals them
//	string  GetString: a 4-byte big-endian length L, then exactly L bytes,
//	        which must be there and must start before the end of the input
//
// So the input is not the raw argument: encodeArgs adds the headers to a
// seed, decodeArgs takes a libFuzzer input back to the values the fuzz
// function saw (what a crash file means to go test).

// maxStringPos mirrors go-fuzz-headers' MaxTotalLen: GetString fails when
// the string would start past it.
const maxStringPos = 2_000_000

// errNotRepresentable reports a value that no libFuzzer input delivers
// to the fuzz function (an empty last []byte or string).
var errNotRepresentable = errors.New("no libFuzzer input delivers this value")

// encodeArgs returns the libFuzzer input that delivers args, of the
// parameter kinds "[]byte" and "string", to the fuzz function.
func encodeArgs(kinds []string, args []any) ([]byte, error) {
	if len(args) != len(kinds) {
		return nil, fmt.Errorf("%d values for %d parameters", len(args), len(kinds))
	}
	var out []byte
	for i, a := range args {
		var v []byte
		switch x := a.(type) {
		case []byte:
			v = x
		case string:
			v = []byte(x)
		default:
			return nil, fmt.Errorf("value %d is a %T", i, a)
		}
		if want := kindOf(a); want != kinds[i] {
			return nil, fmt.Errorf("value %d is a %s, the parameter a %s", i, want, kinds[i])
		}
		out = binary.BigEndian.AppendUint32(out, uint32(len(v)))
		out = append(out, v...)
	}
	// Check by decoding: the rules above are go-fuzz-headers', not ours.
	back, err := decodeArgs(kinds, out)
	if err != nil || !sameArgs(back, args) {
		return nil, errNotRepresentable
	}
	return out, nil
}

func kindOf(a any) string {
	if _, ok := a.([]byte); ok {
		return "[]byte"
	}
	return "string"
}

// decodeArgs returns the values go-118-fuzz-build's F.Fuzz passes to the
// fuzz function for the libFuzzer input data, or an error where it would
// not call it.
func decodeArgs(kinds []string, data []byte) ([]any, error) {
	total := uint32(len(data))
	pos := uint32(0)
	u32 := func() (uint32, error) {
		if pos >= total || total-pos < 4 {
			return 0, errors.New("input too short for a length")
		}
		v := binary.BigEndian.Uint32(data[pos:])
		pos += 4
		return v, nil
	}
	var args []any
	for _, k := range kinds {
		switch k {
		case "[]byte":
			n, err := u32()
			if err != nil {
				return nil, err
			}
			if n == 0 {
				n = 30
			}
			left := total - pos
			if left == 0 {
				return nil, errors.New("no bytes left for a []byte")
			}
			if n != left {
				n %= left
			}
			args = append(args, append([]byte{}, data[pos:pos+n]...))
			pos += n
		case "string":
			if pos >= total {
				return nil, errors.New("no bytes left for a string")
			}
			n, err := u32()
			if err != nil {
				return nil, err
			}
			if pos > maxStringPos || pos >= total || uint64(pos)+uint64(n) > uint64(total) {
				return nil, errors.New("string runs past the input")
			}
			args = append(args, string(data[pos:pos+n]))
			pos += n
		default:
			return nil, fmt.Errorf("unsupported parameter type %s", k)
		}
	}
	return args, nil
}

func sameArgs(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if fmt.Sprintf("%T %q", a[i], a[i]) != fmt.Sprintf("%T %q", b[i], b[i]) {
			return false
		}
	}
	return true
}
