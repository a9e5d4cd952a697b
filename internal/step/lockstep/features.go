package lockstep

// Features are the parts beyond a family's contract that a check covers.
type Features struct {
	NilFuncs bool // nil callbacks answer ErrNilFunc (shown only by behaviour: an option)
	Batch    bool // PushBatch (an UnorderedBuffer's addition, shown by its methods)
	TwoPhase bool // Reserve, Commit, Abort, Peek, Release (an UnorderedBuffer's, shown by its methods)
}

// Option turns on a feature that no method shows.
type Option func(*Features)

// WithNilFuncs checks that nil callbacks answer ErrNilFunc, as netbuf's do.
func WithNilFuncs() Option { return func(f *Features) { f.NilFuncs = true } }

// Covers reports whether f has every feature that need has.
func (f Features) Covers(need Features) bool {
	return (f.NilFuncs || !need.NilFuncs) && (f.Batch || !need.Batch) && (f.TwoPhase || !need.TwoPhase)
}

// Union is every feature of f or g.
func (f Features) Union(g Features) Features {
	return Features{NilFuncs: f.NilFuncs || g.NilFuncs, Batch: f.Batch || g.Batch, TwoPhase: f.TwoPhase || g.TwoPhase}
}

// Apply returns f with opts turned on.
func (f Features) Apply(opts ...Option) Features {
	for _, o := range opts {
		o(&f)
	}
	return f
}
