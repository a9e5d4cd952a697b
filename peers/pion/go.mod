module github.com/netbuf-go/netbuf/peers/pion

go 1.26.0

replace github.com/netbuf-go/netbuf => ../..

require (
	github.com/netbuf-go/netbuf v0.0.0-00010101000000-000000000000
	github.com/pion/interceptor v0.1.51
	github.com/pion/rtp v1.10.6
)

require (
	github.com/anishathalye/porcupine v1.3.1 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/leanovate/gopter v0.2.11 // indirect
	github.com/pion/logging v0.2.4 // indirect
	github.com/pion/randutil v0.1.0 // indirect
	github.com/pion/rtcp v1.2.20 // indirect
	pgregory.net/rapid v1.3.0 // indirect
)
