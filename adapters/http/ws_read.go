package http

import (
	"errors"
	"log/slog"
	"net"
	"time"

	"golang.org/x/time/rate"
)

// The frame budget of one dashboard socket (api/asyncapi.yaml): every frame the client sends —
// each fragment of a data message, each ping, each pong — takes one from a bucket that holds
// clientFrameBurst and refills at clientFrameRate a second; a frame that finds it empty closes
// the socket with 1008. A browser sends a pong per ping interval and, later, at most a state
// message a second (whose own, stricter rule is 10 in 10 s): a tenth of the rate. One socket's
// ping flood used to cost a core; now it costs the burst.
const (
	clientFrameRate  = rate.Limit(10)
	clientFrameBurst = 50
)

// read is the read side of one dashboard socket: it reads the client's frames, handing text
// messages to states (ws_state.go), until the client leaves, breaks RFC 6455, its budget or the
// rules of state messages, stops answering pings, or the socket is closed.
// A frame the server refuses closes the socket with its code and makes read report refused;
// the handler then ends the socket, and drains the connection.
func (w *wsHandler) read(conn net.Conn, s *socket, states *stateReader, log *slog.Logger, sid string) (refused bool) {
	budget := rate.NewLimiter(clientFrameRate, clientFrameBurst)
	r := &frameReader{conn: conn, allow: budget.Allow}
	defer r.release()
	// Any frame proves the client alive, a pong above all; a client silent for two ping
	// intervals has stopped answering.
	pongWait := 2 * w.cfg.PingInterval
	for {
		_ = conn.SetReadDeadline(time.Now().Add(pongWait))
		// After the deadline is set: a Close that came before it would have had its wake-up
		// (a deadline of now) replaced.
		if s.closing() {
			return false
		}
		op, payload, err := r.next()
		if err == nil && op == opText {
			var ignored string
			if ignored, err = states.read(payload, time.Now()); ignored != "" {
				log.Debug("ignoring a dashboard's message: "+ignored, "sid", sid)
			}
		}
		var bad *violation
		if errors.As(err, &bad) {
			log.Info("closing a dashboard socket: "+bad.detail, "sid", sid, "code", bad.reason.Code)
			s.Close(bad.reason)
			return true
		}
		if err != nil {
			return false // the client left, stopped answering, or the socket was closed
		}
		switch op {
		case opPing:
			if s.handlePing(payload) != nil {
				return false
			}
		case opClose:
			return false // end answers with the server's reason, or normal closure
		}
	}
}
