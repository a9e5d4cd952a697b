// Package corpus is netbuf's regression corpus: every scenario (*.scn, in
// the format of package scenario) that pins a rule of the specification or
// a bug once found, embedded so that a fork or a port replays it from the
// module cache:
//
//	scenario.CheckCorpus(t, myFactory, corpus.FS)
package corpus

import "embed"

// FS holds the corpus's *.scn files at its root.
//
//go:embed *.scn
var FS embed.FS
