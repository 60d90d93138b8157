package http

import (
	"net"
	"time"
)

// drain reads and drops what a client still sends to a connection the server is about to
// close, so that the close is a FIN and not a reset: Linux resets a connection closed with
// unread input, and the reset can destroy the answer (a 413, a 503, a close frame) before the
// client has read it. It stops after limit bytes, after total, or once the client has been
// silent for idle; a client that sends more, or longer, gets the reset.
func drain(conn net.Conn, limit int, total, idle time.Duration) {
	var buf [16 << 10]byte
	deadline := time.Now().Add(total)
	for read := 0; read < limit; {
		next := time.Now().Add(idle)
		if next.After(deadline) {
			next = deadline
		}
		if err := conn.SetReadDeadline(next); err != nil {
			return
		}
		n, err := conn.Read(buf[:])
		read += n
		if err != nil {
			return
		}
	}
}

// closeWrite ends the server's half of the stream where the connection can (TCP, and the edge
// listener's connections over it), so that a client waiting for more reads EOF at once and
// closes its side, which ends a drain early.
func closeWrite(conn net.Conn) {
	if half, ok := conn.(interface{ CloseWrite() error }); ok {
		_ = half.CloseWrite()
	}
}
