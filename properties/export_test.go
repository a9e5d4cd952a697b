package properties

// EnginesOnly skips the corpus replay, so that the suite's own tests show
// what the engines catch by themselves.
func EnginesOnly() Option { return func(c *config) { c.noCorpus = true } }

// Only runs one engine of a check alone: "constructor", "corpus",
// "rapid", "gopter", "concurrent" or "allocs".
func Only(engine string) Option { return func(c *config) { c.only = engine } }
