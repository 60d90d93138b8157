package http

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// TestAHalfCloseReachesTheClientThroughTheEdge: the drain after a refusal (a 1008, a 503)
// first ends the server's half of the stream, so that the client reads EOF at once instead of
// waiting for the drain to time out. A dashboard socket's connection is the edge listener's
// edgeConn, not a *net.TCPConn, and its half-close must still reach the wire.
func TestAHalfCloseReachesTheClientThroughTheEdge(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	accepted, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	server := &edgeConn{Conn: accepted, listener: &edgeListener{}, headBy: time.Now().Add(time.Minute)}
	t.Cleanup(func() { _ = server.Close() })

	closeWrite(server)

	_ = client.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := client.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Fatalf("the client read %v after the server's half-close, want EOF", err)
	}
	// Only the server's half is closed: it still reads what the client sends.
	if _, err := client.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	_ = server.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := server.Read(make([]byte, 1)); n != 1 || err != nil {
		t.Fatalf("the server read %d, %v after its half-close, want the client's byte", n, err)
	}
}
