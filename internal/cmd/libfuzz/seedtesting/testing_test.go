package testing_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	seedtesting "github.com/netbuf-go/netbuf/internal/cmd/libfuzz/seedtesting"
)

func TestRecordAndWrite(t *testing.T) {
	f := seedtesting.NewF("FuzzX")
	f.Add([]byte{0, 1, 0xFF}, "a\nb")
	f.Add([]byte("x"), "")
	f.Fuzz(func(t *seedtesting.T, data []byte, text string) {
		t.Fatal("the fuzz function must not run")
	})
	if want := []reflect.Type{reflect.TypeOf([]byte(nil)), reflect.TypeOf("")}; !reflect.DeepEqual(f.Types, want) {
		t.Errorf("Types = %v, want %v", f.Types, want)
	}
	dir := t.TempDir()
	if err := f.WriteSeeds(dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "seed-0000"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "go test fuzz v1\n[]byte(\"\\x00\\x01\\xff\")\nstring(\"a\\nb\")\n"; string(b) != want {
		t.Errorf("seed-0000 = %q, want %q", b, want)
	}
	for i, want := range f.Seeds {
		b, err := os.ReadFile(filepath.Join(dir, []string{"seed-0000", "seed-0001"}[i]))
		if err != nil {
			t.Fatal(err)
		}
		got, err := seedtesting.Unmarshal(b)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("seed %d: Unmarshal = %q, %v; want %q", i, got, err, want)
		}
	}
}

// TestUnmarshalGoFiles reads files as go test writes them, the module's
// own saved input among them.
func TestUnmarshalGoFiles(t *testing.T) {
	b, err := os.ReadFile("../../../fuzz/testdata/fuzz/FuzzRing/c78cb5df6a1a479a")
	if err != nil {
		t.Skip(err) // the input may be gone once fixed and converted
	}
	if args, err := seedtesting.Unmarshal(b); err != nil || len(args) != 1 {
		t.Errorf("Unmarshal = %q, %v", args, err)
	}
	for _, bad := range []string{"", "go test fuzz v2\n[]byte(\"x\")\n", "go test fuzz v1\nint(3)\n", "go test fuzz v1\nstring(\"x)\n"} {
		if _, err := seedtesting.Unmarshal([]byte(bad)); err == nil {
			t.Errorf("Unmarshal(%q): no error", bad)
		}
	}
	raw := "go test fuzz v1\nstring(`raw\\n`)\n"
	if args, err := seedtesting.Unmarshal([]byte(raw)); err != nil || args[0] != `raw\n` {
		t.Errorf("Unmarshal(%q) = %q, %v", raw, args, err)
	}
}
