package http

import (
	"log/slog"
	"net"
	"sync/atomic"
	"time"
)

// edgeListener is the listener fasthttp serves: it bounds the connections being served and gives
// each one its read deadline the moment it is accepted.
//
// fasthttp with ReduceMemoryUsage waits for a connection's first byte with no deadline (its read
// timeout starts at that byte), so 1,500 connections that never sent one were still open after
// 85 s, each holding a slot. Here the deadline is set at accept, and edgeConn keeps it until the
// first request has been read.
//
// A connection past the bound is answered here, with the envelope (503, Retry-After,
// Connection: close), counted and logged at most once a minute — fasthttp's own refusal (its
// Concurrency) is plain text and silent. A dashboard socket leaves the count once upgraded
// (edgeConn.leave): ORDERALERT_WS_MAX_CONNECTIONS bounds those.
type edgeListener struct {
	net.Listener
	max         int64
	readTimeout time.Duration
	observer    Observer
	log         *slog.Logger

	open      atomic.Int64 // connections accepted and not yet closed or upgraded
	refused   atomic.Int64
	lastLog   time.Time     // of a refusal; only the accepting goroutine touches it
	lingering chan struct{} // a slot per refused connection being closed gently
}

// maxLingering bounds the refused connections closed gently at once; past it, a refused
// connection is closed right after its answer.
const maxLingering = 128

func newEdgeListener(ln net.Listener, maxConns int, readTimeout time.Duration, observer Observer, log *slog.Logger) *edgeListener {
	return &edgeListener{
		Listener: ln, max: int64(maxConns), readTimeout: readTimeout, observer: observer, log: log,
		lingering: make(chan struct{}, maxLingering),
	}
}

// Accept returns the next connection within the bound, answering those past it itself. Only
// fasthttp's accepting goroutine calls it, so the count can only fall between check and add.
func (l *edgeListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.open.Load() >= l.max {
			l.refuse(c)
			continue
		}
		l.open.Add(1)
		conn := &edgeConn{Conn: c, listener: l, headBy: time.Now().Add(l.readTimeout)}
		if err := c.SetReadDeadline(conn.headBy); err != nil {
			_ = conn.Close()
			continue
		}
		return conn, nil
	}
}

func (l *edgeListener) refuse(c net.Conn) {
	refused := l.refused.Add(1)
	l.observer.ConnectionRefused()
	if now := time.Now(); now.Sub(l.lastLog) >= time.Minute {
		l.lastLog = now
		l.log.Warn("refused a connection: this instance serves as many HTTP connections as it allows (refusals are logged at most once a minute)",
			"max_connections", l.max, "refused_total", refused)
	}
	select {
	case l.lingering <- struct{}{}:
		go func() {
			defer func() { <-l.lingering }()
			answerRefused(c, true)
		}()
	default:
		answerRefused(c, false)
	}
}

// answerRefused writes the refusal and closes c; gently, it first reads away what the client had
// sent (drain), for a client still sending its request would otherwise see "connection reset"
// instead of the 503.
func answerRefused(c net.Conn, gently bool) {
	defer func() { _ = c.Close() }()
	_ = c.SetWriteDeadline(time.Now().Add(time.Second))
	if _, err := c.Write(refusalResponse); err != nil || !gently {
		return
	}
	closeWrite(c)
	drain(c, refusedDrainLimit, refusalDrainTime, refusalDrainTime)
}

// refusalDrainTime bounds the reading away of a refused connection's request.
const refusalDrainTime = 500 * time.Millisecond
