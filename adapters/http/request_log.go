package http

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
)

// localLog is the Locals key of the request's logger. Locals, not the user context, because a
// dashboard socket's handler sees only the Locals of its upgrade request.
const localLog = "log"

// maxRequestIDLength bounds an incoming X-Request-ID.
const maxRequestIDLength = 64

// requestID returns the caller's X-Request-ID when it is sane — 1 to 64 characters that a proxy
// or a tracer would use: letters, digits and . _ - : + = / — so that a client cannot write
// arbitrary text or megabytes into the log; otherwise a new random UUID.
func requestID(incoming string) string {
	if len(incoming) == 0 || len(incoming) > maxRequestIDLength {
		return utils.UUIDv4()
	}
	for i := range len(incoming) {
		if !requestIDByte(incoming[i]) {
			return utils.UUIDv4()
		}
	}
	return string([]byte(incoming)) // a copy: Fiber's string points into a reused buffer
}

func requestIDByte(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	switch b {
	case '.', '_', '-', ':', '+', '=', '/':
		return true
	}
	return false
}

// requestLog is the logger of the request being handled, which carries its request_id, or
// fallback outside a request.
func requestLog(c *fiber.Ctx, fallback *slog.Logger) *slog.Logger {
	return loggerIn(c.Locals(localLog), fallback)
}

// loggerIn is the logger stored in a Locals value (a *fiber.Ctx's or a *websocket.Conn's).
func loggerIn(local any, fallback *slog.Logger) *slog.Logger {
	if l, ok := local.(*slog.Logger); ok {
		return l
	}
	return fallback
}
