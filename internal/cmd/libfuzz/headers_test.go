package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

func be32(n uint32) []byte { return binary.BigEndian.AppendUint32(nil, n) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// TestDecodeArgs pins go-fuzz-headers' rules (GetBytes, GetString at the
// version build.sh pins) on hand-made inputs.
func TestDecodeArgs(t *testing.T) {
	for _, c := range []struct {
		name  string
		kinds []string
		data  []byte
		want  []any
		fails bool
	}{
		{"bytes exact", []string{"[]byte"}, cat(be32(3), []byte("abc")), []any{[]byte("abc")}, false},
		{"bytes length mod left", []string{"[]byte"}, cat(be32(7), []byte("abcde")), []any{[]byte("ab")}, false},
		{"bytes length 0 means 30", []string{"[]byte"}, cat(be32(0), []byte("abcdefgh")), []any{[]byte("abcdef")}, false},
		{"bytes length multiple of left", []string{"[]byte"}, cat(be32(10), []byte("abcde")), []any{[]byte{}}, false},
		{"bytes nothing left", []string{"[]byte"}, be32(3), nil, true},
		{"bytes short header", []string{"[]byte"}, []byte{0, 0, 1}, nil, true},
		{"empty input", []string{"[]byte"}, nil, nil, true},
		{"string exact", []string{"string"}, cat(be32(2), []byte("hi")), []any{"hi"}, false},
		{"string prefix", []string{"string"}, cat(be32(2), []byte("hi there")), []any{"hi"}, false},
		{"string too long", []string{"string"}, cat(be32(9), []byte("hi")), nil, true},
		{"string overflow", []string{"string"}, cat(be32(0xFFFFFFFF), []byte("hi")), nil, true},
		{"empty string at the end", []string{"string"}, be32(0), nil, true},
		{"empty string then more", []string{"string", "[]byte"}, cat(be32(0), be32(1), []byte("x")), []any{"", []byte("x")}, false},
		{"two values", []string{"string", "[]byte"}, cat(be32(1), []byte("a"), be32(2), []byte("bc")), []any{"a", []byte("bc")}, false},
	} {
		got, err := decodeArgs(c.kinds, c.data)
		if (err != nil) != c.fails {
			t.Errorf("%s: err = %v, want failure %v", c.name, err, c.fails)
			continue
		}
		if !c.fails && !sameArgs(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestEncodeArgsRoundTrip(t *testing.T) {
	for _, c := range []struct {
		kinds []string
		args  []any
	}{
		{[]string{"[]byte"}, []any{[]byte{3, 1, 1, 4, 0}}},
		{[]string{"[]byte"}, []any{bytes.Repeat([]byte{0xFF}, 100)}},
		{[]string{"string"}, []any{"new 3 2\npush 1 -> ok\n"}},
		{[]string{"string", "[]byte", "string"}, []any{"a", []byte("bc"), "d"}},
	} {
		data, err := encodeArgs(c.kinds, c.args)
		if err != nil {
			t.Fatalf("%q: %v", c.args, err)
		}
		back, err := decodeArgs(c.kinds, data)
		if err != nil || !sameArgs(back, c.args) {
			t.Errorf("%q: decoded %q, %v", c.args, back, err)
		}
	}
	for _, c := range []struct {
		kinds []string
		args  []any
	}{
		{[]string{"[]byte"}, []any{[]byte{}}},
		{[]string{"string"}, []any{""}},
		{[]string{"[]byte", "string"}, []any{[]byte{}, "xyz"}}, // length 0 reads as 30 % 7
	} {
		if _, err := encodeArgs(c.kinds, c.args); !errors.Is(err, errNotRepresentable) {
			t.Errorf("%q: err = %v, want errNotRepresentable", c.args, err)
		}
	}
	if _, err := encodeArgs([]string{"string"}, []any{[]byte("x")}); err == nil {
		t.Error("a []byte for a string parameter: no error")
	}
}
