module github.com/netbuf-go/netbuf

go 1.26
