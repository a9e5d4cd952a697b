module github.com/netbuf-go/netbuf/peers/workiva

go 1.26.0

replace github.com/netbuf-go/netbuf => ../..

require (
	github.com/Workiva/go-datastructures v1.1.7
	github.com/netbuf-go/netbuf v0.0.0-00010101000000-000000000000
)

require (
	github.com/anishathalye/porcupine v1.3.1 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/leanovate/gopter v0.2.11 // indirect
	pgregory.net/rapid v1.3.0 // indirect
)
