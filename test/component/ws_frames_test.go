package component_test

import (
	"net"
	"net/http"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"
)

// The first byte of a frame (RFC 6455 §5.2): FIN and the opcode.
const (
	fin          = 0x80
	opCont  byte = 0x0
	opText  byte = 0x1
	opBin   byte = 0x2
	opClose byte = 0x8
	opPing  byte = 0x9
	opPong  byte = 0xa
)

// clientFrame is one frame as a client puts it on the wire: first (FIN, RSV, opcode), the
// length, a mask key and the masked payload.
func clientFrame(first byte, payload []byte) []byte {
	b := []byte{first}
	switch n := len(payload); {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n <= 0xffff:
		b = append(b, 0x80|126, byte(n>>8), byte(n))
	default:
		b = append(b, 0x80|127, 0, 0, 0, 0, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	key := [4]byte{0x1f, 0x2e, 0x3d, 0x4c}
	b = append(b, key[:]...)
	for i, c := range payload {
		b = append(b, c^key[i%4])
	}
	return b
}

// rawSocket is a dashboard socket whose frames the test writes byte for byte; the library reads
// what the server sends, answers its pings and hands the pongs to the test.
type rawSocket struct {
	*dashboard
	raw   net.Conn
	pongs chan string
}

// openRaw opens a live-only dashboard socket with an admin's token header.
func (s *service) openRaw(t *testing.T, admin http.Header, sid string) *rawSocket {
	t.Helper()
	conn, resp, err := s.dial(sid, "", admin)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	r := &rawSocket{raw: conn.UnderlyingConn(), pongs: make(chan string, 10_000)}
	conn.SetPongHandler(func(data string) error { r.pongs <- data; return nil })
	r.dashboard = listen(t, conn)
	return r
}

// write puts frames on the wire in one write (one net.Conn write is never interleaved with the
// library's pongs); it reports whether the connection took them.
func (r *rawSocket) write(frames ...[]byte) error {
	var b []byte
	for _, f := range frames {
		b = append(b, f...)
	}
	_ = r.raw.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, err := r.raw.Write(b)
	return err
}

// alive fails unless the server answers a ping sent now: it has read every earlier frame and
// kept the socket open.
func (r *rawSocket) alive(t *testing.T, what string) {
	t.Helper()
	if err := r.write(clientFrame(fin|opPing, []byte(what))); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case got := <-r.pongs:
			if got == what {
				return
			}
		case <-r.done:
			t.Fatalf("%s: the socket ended: %v", what, r.readErr())
		case <-deadline:
			t.Fatalf("%s: no pong within 5 s", what)
		}
	}
}

// TestClientFramesBreakingRFC6455AreRefused: the server closes a socket whose client breaks
// RFC 6455 with the code the RFC gives — 1007 for a text message that is not UTF-8 (or a close
// reason that is not), 1002 for the rest, among them a close frame with a 1-byte payload — and
// reads what the RFC allows, fragments split inside a character included.
func TestClientFramesBreakingRFC6455AreRefused(t *testing.T) {
	t.Parallel()
	s := start(t, t.TempDir()+"/orderalert.db", nil)
	admin := s.adminHeader(t)
	order := []byte("订单") // 6 bytes, two characters
	for _, c := range []struct {
		name   string
		frames [][]byte
		code   int // 0: the socket stays open
	}{
		{"invalid UTF-8 in a text frame", [][]byte{clientFrame(fin|opText, []byte("{\xff}"))}, 1007},
		{"invalid UTF-8 across fragments", [][]byte{clientFrame(opText, order[:2]), clientFrame(fin|opCont, []byte("("))}, 1007},
		{"a text message cut inside a character", [][]byte{clientFrame(fin|opText, order[:4])}, 1007},
		{"a close reason that is not UTF-8", [][]byte{clientFrame(fin|opClose, []byte("\x03\xe8\xff"))}, 1007},
		{"a close frame with a 1-byte payload", [][]byte{clientFrame(fin|opClose, []byte{0x03})}, 1002},
		{"close code 1005, which is never sent", [][]byte{clientFrame(fin|opClose, []byte{0x03, 0xed})}, 1002},
		{"close code 999", [][]byte{clientFrame(fin|opClose, []byte{0x03, 0xe7})}, 1002},
		{"close code 5000", [][]byte{clientFrame(fin|opClose, []byte{0x13, 0x88})}, 1002},
		{"an unmasked frame", [][]byte{{fin | opText, 1, 'x'}}, 1002},
		{"RSV1 without an extension", [][]byte{clientFrame(fin|0x40|opText, []byte("x"))}, 1002},
		{"opcode 3", [][]byte{clientFrame(fin|0x3, nil)}, 1002},
		{"a continuation of nothing", [][]byte{clientFrame(fin|opCont, []byte("x"))}, 1002},
		{"a new message inside a fragmented one", [][]byte{clientFrame(opText, []byte("a")), clientFrame(fin|opText, []byte("b"))}, 1002},
		{"a fragmented ping", [][]byte{clientFrame(opPing, nil)}, 1002},
		{"a ping of 126 bytes", [][]byte{clientFrame(fin|opPing, make([]byte, 126))}, 1002},
		{"a 64-bit length with its top bit set", [][]byte{{fin | opBin, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4}}, 1002},
		{"fragments split inside a character", [][]byte{clientFrame(opText, order[:2]), clientFrame(opCont, order[2:4]), clientFrame(fin|opCont, order[4:])}, 0},
		{"a control frame between fragments", [][]byte{clientFrame(opText, order[:1]), clientFrame(fin|opPong, nil), clientFrame(fin|opCont, order[1:])}, 0},
		{"binary that is not UTF-8", [][]byte{clientFrame(fin|opBin, []byte{0xff, 0xfe})}, 0},
		{"an empty text message", [][]byte{clientFrame(fin|opText, nil)}, 0},
		{"a ping of 125 bytes", [][]byte{clientFrame(fin|opPing, make([]byte, 125))}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := s.openRaw(t, admin, "rfc")
			if err := r.write(c.frames...); err != nil {
				t.Fatal(err)
			}
			if c.code == 0 {
				r.alive(t, "after "+c.name)
				return
			}
			if code := r.closedWith(t, 5*time.Second); code != c.code {
				t.Fatalf("close %d, want %d", code, c.code)
			}
		})
	}
	// A close frame the RFC allows is answered with normal closure.
	r := s.openRaw(t, admin, "leaving")
	if err := r.write(clientFrame(fin|opClose, []byte("\x03\xe8再见"))); err != nil {
		t.Fatal(err)
	}
	if code := r.closedWith(t, 5*time.Second); code != fws.CloseNormalClosure {
		t.Fatalf("a client's close 1000: answered %d, want 1000", code)
	}
}
