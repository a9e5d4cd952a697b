// Package doccheck holds the test that keeps the documentation's Go true:
// every ```go block of README.md and docs/*.md is type-checked against the
// module as it is. A block of statements is checked as the body of a
// function returning error; a block of declarations with bodies as a file;
// a listing of signatures (functions without bodies, `var Name // ...`
// lines, type declarations) against the package that declares those names,
// each signature and type as identical to the real one. Names a snippet
// uses without declaring (conn, ctx, handle, ...) come from
// testdata/prelude.go; package names from the import table in the test.
// A block that is not meant to compile is fenced as text, not as go.
package doccheck
