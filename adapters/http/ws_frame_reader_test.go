package http

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// masked is a client frame: first byte, length, the mask key 1 2 3 4, the masked payload.
func masked(first byte, payload string) []byte {
	b := []byte{first}
	switch n := len(payload); {
	case n < 126:
		b = append(b, 0x80|byte(n))
	default:
		b = append(b, 0x80|126, byte(n>>8), byte(n))
	}
	key := []byte{1, 2, 3, 4}
	b = append(b, key...)
	for i := range len(payload) {
		b = append(b, payload[i]^key[i%4])
	}
	return b
}

// got is what next returned, in a form a table can hold.
type got struct {
	op      byte
	payload string
}

// readAll feeds stream to a reader with a budget of budget frames and returns what it gave
// until the first error, and the close code of that error (0 for the end of the stream).
func readAll(stream []byte, budget int) ([]got, int) {
	r := &frameReader{conn: bytes.NewReader(stream), allow: func() bool { budget--; return budget >= 0 }}
	var out []got
	for {
		op, payload, err := r.next()
		var v *violation
		switch {
		case errors.As(err, &v):
			return out, v.reason.Code
		case err != nil:
			return out, 0
		}
		out = append(out, got{op, string(payload)})
	}
}

func TestFrameReader(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", maxClientFrame)
	cases := []struct {
		name   string
		stream [][]byte
		budget int
		want   []got
		code   int
	}{
		{"a ping, a pong, a text", [][]byte{masked(0x89, "hi"), masked(0x8a, ""), masked(0x81, "订单")}, 10,
			[]got{{opPing, "hi"}, {opPong, ""}, {opText, "订单"}}, 0},
		{"fragments with a ping between", [][]byte{masked(0x01, "订"[:1]), masked(0x89, "p"), masked(0x80, "订"[1:])}, 10,
			[]got{{opPing, "p"}, {opText, "订"}}, 0},
		{"binary is dropped unread", [][]byte{masked(0x82, "\xff\xfe")}, 10, []got{{opBinary, ""}}, 0},
		{"a 4 KiB message in two fragments", [][]byte{masked(0x01, big[:100]), masked(0x80, big[100:])}, 10, []got{{opText, big}}, 0},
		{"one byte more", [][]byte{masked(0x01, big[:100]), masked(0x80, big[99:])}, 10, nil, 1009},
		{"a second message after a full one", [][]byte{masked(0x81, big), masked(0x81, big)}, 10, []got{{opText, big}, {opText, big}}, 0},
		{"a valid close", [][]byte{masked(0x88, "\x03\xe8bye")}, 10, []got{{opClose, "\x03\xe8bye"}}, 0},
		{"an empty close", [][]byte{masked(0x88, "")}, 10, []got{{opClose, ""}}, 0},
		{"a 1-byte close", [][]byte{masked(0x88, "\x03")}, 10, nil, 1002},
		{"close code 1015", [][]byte{masked(0x88, "\x03\xf7")}, 10, nil, 1002},
		{"close code 4999", [][]byte{masked(0x88, "\x13\x87")}, 10, []got{{opClose, "\x13\x87"}}, 0},
		{"invalid UTF-8", [][]byte{masked(0x81, "ok"), masked(0x81, "\xc3\x28")}, 10, []got{{opText, "ok"}}, 1007},
		{"the budget's last frame is read", [][]byte{masked(0x89, "a"), masked(0x89, "b")}, 2, []got{{opPing, "a"}, {opPing, "b"}}, 0},
		{"the frame past it is not", [][]byte{masked(0x89, "a"), masked(0x89, "b"), masked(0x89, "c")}, 2, []got{{opPing, "a"}, {opPing, "b"}}, 1008},
		{"every fragment counts", [][]byte{masked(0x01, "a"), masked(0x00, ""), masked(0x80, "b")}, 2, nil, 1008},
		{"a stream cut in a header", [][]byte{masked(0x81, "abc")[:3]}, 10, nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			out, code := readAll(bytes.Join(c.stream, nil), c.budget)
			if code != c.code || len(out) != len(c.want) {
				t.Fatalf("got %q and close %d, want %q and close %d", out, code, c.want, c.code)
			}
			for i := range out {
				if out[i] != c.want[i] {
					t.Fatalf("got %q, want %q", out, c.want)
				}
			}
		})
	}
}

// FuzzFrameReader: whatever a client sends, the reader never panics, hands over only what the
// protocol allows — control payloads of at most 125 bytes, text that is UTF-8, messages of at
// most 4 KiB — and refuses with one of the codes of a client at fault.
func FuzzFrameReader(f *testing.F) {
	f.Add(bytes.Join([][]byte{masked(0x01, "订"[:2]), masked(0x89, "p"), masked(0x80, "订"[2:])}, nil))
	f.Add(masked(0x88, "\x03"))
	f.Add(append(masked(0x81, "\xff"), masked(0x8a, "")...))
	f.Add([]byte{0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, stream []byte) {
		r := &frameReader{conn: bytes.NewReader(stream), allow: func() bool { return true }}
		for {
			op, payload, err := r.next()
			var v *violation
			if errors.As(err, &v) {
				switch v.reason.Code {
				case 1002, 1007, 1008, 1009:
					return
				}
				t.Fatalf("refused with %d", v.reason.Code)
			}
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Fatalf("error %v", err)
				}
				return
			}
			switch op {
			case opPing, opPong, opClose:
				if len(payload) > maxControlPayload {
					t.Fatalf("a control payload of %d bytes", len(payload))
				}
			case opText:
				if !utf8.Valid(payload) || len(payload) > maxClientFrame {
					t.Fatalf("text %q", payload)
				}
			case opBinary:
			default:
				t.Fatalf("opcode %d", op)
			}
		}
	})
}
