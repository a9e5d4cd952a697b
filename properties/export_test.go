package properties

// EnginesOnly skips the corpus replay, so that the suite's own tests show
// what the engines catch by themselves.
func EnginesOnly() Option { return func(c *config) { c.noCorpus = true } }
