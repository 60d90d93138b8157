package http

import (
	"bytes"
	"net"
	"strings"
	"testing"
	"time"
)

// TestSendPacesALargeBacklogThroughASlowReader: a replay page of large frames (new orders
// with 100 items of 50 characters are 19.5 KB each) reaches a reader that keeps taking bytes,
// however long the whole page takes, because each system call carries at most 64 KiB of whole
// frames under its own write deadline. One write of the whole page would need more than the
// write timeout and close the socket as a slow consumer — and its replay would start again
// from the same page.
func TestSendPacesALargeBacklogThroughASlowReader(t *testing.T) {
	t.Parallel()
	server, client := net.Pipe()
	t.Cleanup(func() { _ = server.Close(); _ = client.Close() })
	s := &socket{raw: server, writeTimeout: time.Second}
	frame := []byte(`{"items":"` + strings.Repeat("辣", 6500) + `"}`)
	frames := make([][]byte, 160) // 3.1 MB: about 2 s at the reader's pace
	for i := range frames {
		frames[i] = frame
	}
	got := make(chan []byte, 1)
	go func() {
		var all bytes.Buffer
		chunk := make([]byte, 16<<10)
		for {
			n, err := client.Read(chunk)
			all.Write(chunk[:n])
			if err != nil || all.Len() >= len(frames)*(len(frame)+4) {
				got <- all.Bytes()
				return
			}
			time.Sleep(10 * time.Millisecond) // a reader 1.6 MB/s away
		}
	}()
	start := time.Now()
	if err := s.Send(frames...); err != nil {
		t.Fatalf("Send after %s: %v", time.Since(start).Round(time.Millisecond), err)
	}
	all := <-got
	if want := len(frames) * (len(frame) + 4); len(all) != want || s.torn {
		t.Fatalf("the reader got %d bytes, want %d (torn %v)", len(all), want, s.torn)
	}
	for i := range frames {
		f := all[i*(len(frame)+4):][:len(frame)+4]
		if !bytes.Equal(f[:4], appendFrameHeader(nil, 1, len(frame))) || !bytes.Equal(f[4:], frame) {
			t.Fatalf("frame %d arrived changed", i)
		}
	}
	t.Logf("%d frames, %d bytes in %s", len(frames), len(all), time.Since(start).Round(time.Millisecond))
}
