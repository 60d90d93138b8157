package http

import (
	"bytes"
	"testing"
)

// TestFrameHeaders: RFC 6455 §5.2 — 7-bit lengths up to 125, then 126 with 16 bits, then 127
// with 64 bits, big-endian; FIN set, no mask from a server.
func TestFrameHeaders(t *testing.T) {
	t.Parallel()
	cases := map[int][]byte{
		0:       {0x81, 0},
		125:     {0x81, 125},
		126:     {0x81, 126, 0, 126},
		65535:   {0x81, 126, 0xff, 0xff},
		65536:   {0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0},
		1 << 40: {0x81, 127, 0, 0, 1, 0, 0, 0, 0, 0},
	}
	for length, want := range cases {
		if got := appendFrameHeader(nil, 1, length); !bytes.Equal(got, want) {
			t.Errorf("header of %d bytes = %v, want %v", length, got, want)
		}
	}
}
