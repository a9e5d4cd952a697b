package properties_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"testing"
)

// exampleT stands in for a test's *testing.T in the examples, which run
// outside any test: it prints what a check reports and keeps its logs to
// itself.
type exampleT struct {
	testing.TB // never called: every method a check uses is below
	failed     bool
}

func newT() *exampleT { return &exampleT{} }

func (t *exampleT) Error(args ...any)                 { t.failed = true; fmt.Println(args...) }
func (t *exampleT) Errorf(format string, args ...any) { t.Error(fmt.Sprintf(format, args...)) }
func (t *exampleT) Fatal(args ...any)                 { t.Error(args...); runtime.Goexit() }
func (t *exampleT) Fatalf(format string, args ...any) { t.Errorf(format, args...); runtime.Goexit() }
func (t *exampleT) Fail()                             { t.failed = true }
func (t *exampleT) FailNow()                          { t.failed = true; runtime.Goexit() }
func (t *exampleT) Failed() bool                      { return t.failed }
func (t *exampleT) Helper()                           {}
func (t *exampleT) Log(...any)                        {}
func (t *exampleT) Logf(string, ...any)               {}
func (t *exampleT) Name() string                      { return "Example" }
func (t *exampleT) Skip(...any)                       { runtime.Goexit() }
func (t *exampleT) SkipNow()                          { runtime.Goexit() }
func (t *exampleT) Skipf(string, ...any)              { runtime.Goexit() }
func (t *exampleT) Skipped() bool                     { return false }
func (t *exampleT) Cleanup(func())                    {}
func (t *exampleT) Setenv(k, v string)                { _ = os.Setenv(k, v) }
func (t *exampleT) Chdir(string)                      {}
func (t *exampleT) TempDir() string                   { return os.TempDir() }
func (t *exampleT) Context() context.Context          { return context.Background() }
func (t *exampleT) Output() io.Writer                 { return io.Discard }
func (t *exampleT) Attr(string, string)               {}
func (t *exampleT) ArtifactDir() string               { return os.TempDir() }
