package http

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// How much of a refused body is read away, at most, before the 413 goes out.
const (
	drainBytes = 4 << 20
	drainTime  = 2 * time.Second
	drainIdle  = 250 * time.Millisecond // the client has sent all it will
)

// drainOversized reads and discards what is left of a body refused as over the limit, before
// fasthttp answers 413 and closes the connection. Closing with unread input sends a TCP reset
// instead of FIN, and a client still writing its body then sees "connection reset by peer", not
// the 413 (Go's net/http discards unread bodies before closing for the same reason). A client
// that would send more than drainBytes, or for longer than drainTime, gets the reset.
func drainOversized(c *fiber.Ctx) {
	if conn := c.Context().Conn(); conn != nil {
		drain(conn, drainBytes, drainTime, drainIdle)
	}
}
