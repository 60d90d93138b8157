package http

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/contrib/websocket"

	"github.com/orderalert/orderalert/application"
)

// socketSendBuffer bounds the kernel's send buffer of a dashboard socket. Left alone, Linux
// autotunes it up to 4 MiB; here a client that stopped reading absorbed 2.1 MB — 13,000 frames
// that neither counted against the queue limit nor were detected as a stall, per socket.
// 64 KiB still lets a reader 200 ms away take 2,000 frames a second.
const socketSendBuffer = 64 << 10

// closeFrameWait bounds the final close frame: a client that does not read cannot receive it,
// and then it sees the TCP close instead.
const closeFrameWait = time.Second

var errSocketClosing = errors.New("socket closing")

// socket is the write side of one dashboard WebSocket (application.DashboardSocket). It exists
// because a *websocket.Conn is pooled by fasthttp: once the handler returns, any write would
// reach another client's connection. Every write holds mu and checks ended, so nothing touches
// the connection after end; Close wakes a write or read that is blocked, through a deadline on
// the raw, unpooled net.Conn, without waiting for mu.
type socket struct {
	conn         *websocket.Conn
	raw          net.Conn
	writeTimeout time.Duration
	observer     Observer

	mu            sync.Mutex // one writer at a time, as the library requires
	ended         bool
	torn          bool      // a write stopped mid-frame: any later byte would be read as that frame's rest
	writeDeadline time.Time // the raw connection's write deadline is at least this; under mu
	reason        atomic.Pointer[application.CloseReason]
}

func newSocket(conn *websocket.Conn, writeTimeout time.Duration, observer Observer) *socket {
	raw := conn.NetConn()
	if u, ok := raw.(interface{ UnsafeConn() net.Conn }); ok {
		raw = u.UnsafeConn()
	}
	if tcp, ok := raw.(interface{ SetWriteBuffer(bytes int) error }); ok { // *net.TCPConn, *edgeConn
		_ = tcp.SetWriteBuffer(socketSendBuffer)
	}
	return &socket{conn: conn, raw: raw, writeTimeout: writeTimeout, observer: observer}
}

// maxWrite bounds the bytes of one system call of Send: the socket's send buffer. A replay
// page of new orders that list many items can be megabytes, more than a slow but steady
// reader takes within one write deadline; in writes of at most this much, each with its own
// deadline, it still reaches the reader, and only a reader that stops is cut off.
const maxWrite = socketSendBuffer

// Send implements application.DashboardSocket. The frames are framed here (RFC 6455 §5.2:
// unmasked, final text frames) and written with one system call on the raw connection for up
// to maxWrite bytes of whole frames (one for any ordinary batch), because the library writes
// each message with a system call of its own, which was most of the CPU a frame cost. The
// library writes nothing by itself: it never reads (frameReader does), pongs go through
// handlePing and the close frame is end's, all under the same lock.
func (s *socket) Send(frames ...[]byte) error {
	return s.write(func() error {
		buf := writeBuffers.Get().(*[]byte)
		defer putWriteBuffer(buf)
		for _, f := range frames {
			if len(*buf) > 0 && len(*buf)+maxFrameHeader+len(f) > maxWrite {
				if err := s.writeOut(*buf); err != nil {
					return err
				}
				*buf = (*buf)[:0]
			}
			*buf = appendFrameHeader(*buf, websocket.TextMessage, len(f))
			*buf = append(*buf, f...)
		}
		return s.writeOut(*buf)
	})
}

// maxFrameHeader is the longest header appendFrameHeader writes.
const maxFrameHeader = 10

// writeOut writes whole frames with one system call.
func (s *socket) writeOut(b []byte) error {
	if err := s.extendWriteDeadline(); err != nil {
		return err
	}
	// A Close that came before the deadline was set has had its own deadline (now) replaced;
	// one that comes after it still wakes the write below.
	if s.reason.Load() != nil {
		return errSocketClosing
	}
	n, err := s.raw.Write(b)
	if err != nil && n > 0 {
		// Cut by the deadline or by Close with part of a frame sent: the stream can carry
		// nothing more, not even the close frame, which the client would read as payload.
		// (A write that sent nothing leaves whole frames behind it: the stream is intact.)
		s.torn = true
	}
	return err
}

// extendWriteDeadline leaves a write at least half the write timeout, so a client that stopped
// reading is found within one timeout. Setting a deadline updates a runtime timer, 5.5% of the
// server's CPU in load case (b) when done for every write; refreshed only when half of it is
// used up, it is set about once per half timeout instead. (Control frames set their own
// deadline of a full timeout, which only lengthens the one recorded here.)
func (s *socket) extendWriteDeadline() error {
	now := time.Now()
	if s.writeDeadline.Sub(now) > s.writeTimeout/2 {
		return nil
	}
	s.writeDeadline = now.Add(s.writeTimeout)
	return s.raw.SetWriteDeadline(s.writeDeadline)
}

// writeBuffers are shared by every socket, so that an idle socket holds no write buffer: at
// 10,000 sockets, memory per socket is the budget (DESIGN §11).
var writeBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

// putWriteBuffer returns a buffer to the pool, unless a replay grew it large.
func putWriteBuffer(b *[]byte) {
	if cap(*b) > 64<<10 {
		return
	}
	*b = (*b)[:0]
	writeBuffers.Put(b)
}

// appendFrameHeader appends the header of a final, unmasked server frame.
func appendFrameHeader(b []byte, opcode, length int) []byte {
	b = append(b, 0x80|byte(opcode))
	switch {
	case length < 126:
		return append(b, byte(length))
	case length <= 0xffff:
		return append(b, 126, byte(length>>8), byte(length))
	default:
		b = append(b, 127)
		for shift := 56; shift >= 0; shift -= 8 {
			b = append(b, byte(uint64(length)>>shift))
		}
		return b
	}
}

// handlePing answers a client's ping (within its frame budget) through the same lock as every
// other write.
func (s *socket) handlePing(data []byte) error {
	err := s.write(func() error {
		return s.conn.WriteControl(websocket.PongMessage, data, time.Now().Add(s.writeTimeout))
	})
	if errors.Is(err, errSocketClosing) {
		return nil
	}
	return err
}

// Ping implements application.DashboardSocket.
func (s *socket) Ping() error {
	return s.write(func() error {
		return s.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(s.writeTimeout))
	})
}

func (s *socket) write(do func() error) error {
	if s.reason.Load() != nil {
		return errSocketClosing
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended || s.torn || s.reason.Load() != nil {
		return errSocketClosing
	}
	err := do()
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() && s.reason.Load() == nil {
		return fmt.Errorf("%w: %w", application.ErrWriteTimeout, err)
	}
	return err
}

// closing reports whether Close has been called.
func (s *socket) closing() bool { return s.reason.Load() != nil }

// Close implements application.DashboardSocket: it records the first reason and wakes whatever
// is blocked on the connection; the handler then ends the socket.
func (s *socket) Close(reason application.CloseReason) {
	if s.reason.CompareAndSwap(nil, &reason) {
		_ = s.raw.SetDeadline(time.Now())
	}
}

// end is called by the handler, last: it sends the close frame for the recorded reason (or
// normal closure) unless a write was cut mid-frame (the client then sees the TCP close), and
// from then on refuses every write.
func (s *socket) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ended = true
	reason := application.CloseNormal
	if r := s.reason.Load(); r != nil {
		reason = *r
	}
	s.observer.SocketClosed(reason.Code)
	if s.torn {
		return
	}
	msg := websocket.FormatCloseMessage(reason.Code, reason.Text)
	_ = s.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(closeFrameWait))
}
