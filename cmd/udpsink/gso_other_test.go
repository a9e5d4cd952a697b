//go:build !linux

package main

import (
	"errors"
	"net"
)

func gsoSend(*net.UDPConn, []byte, int) error { return errors.ErrUnsupported }
