module github.com/netbuf-go/netbuf

go 1.26

require github.com/google/go-cmp v0.7.0
