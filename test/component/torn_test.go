package component_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/domain/order"
)

// TestASocketClosedMidWriteGetsNoTornFrame: a dashboard that falls behind while a write to it is
// blocked half-way is closed as slow (4008). Whatever it then reads must be whole alert frames,
// never the rest of a frame spliced with the close frame: once a write is cut mid-frame the
// stream can carry nothing more, so the server drops the connection instead (the client sees
// the TCP close, as DESIGN §6 allows for a slow consumer).
func TestASocketClosedMidWriteGetsNoTornFrame(t *testing.T) {
	t.Parallel()
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), func(c *bootstrap.Config) {
		c.WSQueueLimit, c.WSPingInterval = 1024, 30*time.Second // caught by the queue, not by pings
	})
	admin := s.adminHeader(t)
	now := time.Now().UTC().Truncate(time.Microsecond)
	o, err := order.New(order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 1250}, order.NewNumber(now, 2), now)
	if err != nil {
		t.Fatal(err)
	}
	if o, err = persistence.NewOrderRepository(s.db).Add(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	conn := dialSlowReader(t, s, "behind", "ticket="+s.ticket(t, admin))
	eventuallyTrue(t, "the socket registered", func() bool { return s.hub.Len() == 1 })

	// The client reads nothing while the kernel buffers fill and its write blocks, then falls
	// further behind than the queue limit; only then does it read, so that the server can write
	// after the cut.
	ids := insertAlerts(t, s.db, o, 1000, now)
	time.Sleep(1500 * time.Millisecond) // the feed's timer (1 s) delivers them
	ids = append(ids, insertAlerts(t, s.db, o, 2000, now)...)
	eventuallyTrue(t, "4008 logged", func() bool { return strings.Contains(s.logs.String(), "closing a slow dashboard socket") })

	// Read the raw bytes: the library would stop at a short frame without showing what it held.
	raw := conn.NetConn()
	_ = raw.SetReadDeadline(time.Now().Add(30 * time.Second))
	stream, err := io.ReadAll(raw)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the server did not close the connection: %v", err)
	}
	frames, rest := splitFrames(stream)
	for i, f := range frames {
		switch {
		case f.opcode == 8 && i == len(frames)-1 && len(rest) == 0:
			t.Logf("%d whole frames, then a close frame", i)
			return
		case f.opcode != 1 || i >= len(ids) || frameID(t, f.payload) != ids[i]:
			t.Fatalf("frame %d (opcode %d) is not alert %d: %q", i, f.opcode, ids[min(i, len(ids)-1)], f.payload)
		}
	}
	if len(frames) == 0 || len(frames) >= len(ids) {
		t.Fatalf("%d frames and %d bytes more: the socket was not cut while behind", len(frames), len(rest))
	}
	// What follows the last whole frame can only be the start of the next alert's frame.
	prev := frames[len(frames)-1]
	next := bytes.Replace(prev.payload, []byte(fmt.Sprintf(`"id":%d,`, ids[len(frames)-1])), []byte(fmt.Sprintf(`"id":%d,`, ids[len(frames)])), 1)
	want := append(textFrameHeader(len(next)), next...)
	if !bytes.HasPrefix(want, rest) {
		t.Fatalf("after %d whole frames the server wrote %q, which is not the start of %q", len(frames), rest, want)
	}
	t.Logf("%d whole frames, %d bytes of the next, then the TCP close", len(frames), len(rest))
}

type wireFrame struct {
	opcode  byte
	payload []byte
}

// splitFrames cuts a server's stream (unmasked frames) into whole frames and what is left.
func splitFrames(b []byte) ([]wireFrame, []byte) {
	var frames []wireFrame
	for len(b) >= 2 {
		length, header := int(b[1]&0x7f), 2
		switch length {
		case 126:
			if len(b) < 4 {
				return frames, b
			}
			length, header = int(binary.BigEndian.Uint16(b[2:4])), 4
		case 127:
			if len(b) < 10 {
				return frames, b
			}
			length, header = int(binary.BigEndian.Uint64(b[2:10])), 10
		}
		if len(b) < header+length {
			return frames, b
		}
		frames = append(frames, wireFrame{opcode: b[0] & 0x0f, payload: b[header : header+length]})
		b = b[header+length:]
	}
	return frames, b
}

// textFrameHeader is the header of a final, unmasked text frame of n bytes (n < 65536).
func textFrameHeader(n int) []byte {
	if n < 126 {
		return []byte{0x81, byte(n)}
	}
	return []byte{0x81, 126, byte(n >> 8), byte(n)}
}

func eventuallyTrue(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
	}
}
