package http

import (
	"net"
	"sync/atomic"
	"time"
)

// edgeConn is one connection accepted by edgeListener. Until its first request has been read,
// no read deadline set on it reaches past headBy, its accept time plus the read timeout:
// fasthttp sets its read timeout again from the first byte, which would let a client that waits
// before that byte hold the connection for twice the timeout. Once the request is read (or
// refused as unreadable) deadlines pass through as set — the idle timeout between requests,
// none at all for an upgraded socket, whose pings govern it.
type edgeConn struct {
	net.Conn
	listener *edgeListener
	headBy   time.Time
	headRead atomic.Bool
	left     atomic.Bool
}

// SetReadDeadline implements net.Conn, bounded by headBy until the first request is read.
func (c *edgeConn) SetReadDeadline(t time.Time) error { return c.Conn.SetReadDeadline(c.bound(t)) }

// SetDeadline implements net.Conn, its read half bounded as SetReadDeadline's.
func (c *edgeConn) SetDeadline(t time.Time) error {
	if err := c.SetWriteDeadline(t); err != nil {
		return err
	}
	return c.Conn.SetReadDeadline(c.bound(t))
}

func (c *edgeConn) bound(t time.Time) time.Time {
	if !c.headRead.Load() && (t.IsZero() || t.After(c.headBy)) {
		return c.headBy
	}
	return t
}

// SetWriteBuffer sets the TCP send buffer, as *net.TCPConn's does: a dashboard socket keeps it
// small, so that a client that stops reading blocks the server's writes (ws_socket.go).
func (c *edgeConn) SetWriteBuffer(bytes int) error {
	if tcp, ok := c.Conn.(interface{ SetWriteBuffer(bytes int) error }); ok {
		return tcp.SetWriteBuffer(bytes)
	}
	return nil
}

// CloseWrite ends the server's half of the stream, as *net.TCPConn's does, for a drain after a
// refusal (drain.go): without it a dashboard socket closed for its client's frames kept the
// client waiting for the drain's deadline.
func (c *edgeConn) CloseWrite() error {
	if tcp, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return tcp.CloseWrite()
	}
	return nil
}

// Close implements net.Conn and gives the connection's slot back.
func (c *edgeConn) Close() error {
	c.leave()
	return c.Conn.Close()
}

// readHead records that the first request has been read; nil-safe, for requests that did not
// come through edgeListener (Fiber's app.Test).
func (c *edgeConn) readHead() {
	if c != nil {
		c.headRead.Store(true)
	}
}

// leave gives the connection's slot back, once: when it closes, or when it is upgraded to a
// dashboard socket, which ORDERALERT_WS_MAX_CONNECTIONS counts instead. Nil-safe.
func (c *edgeConn) leave() {
	if c != nil && c.left.CompareAndSwap(false, true) {
		c.listener.open.Add(-1)
	}
}
