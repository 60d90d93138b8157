package http

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// unreadable is fasthttp's ErrorHandler: the answer to a request it could not read, before any
// route. Fiber's own puts the error's text in msg, and fasthttp's texts quote the raw request —
// its headers, tokens included. Here the answer is the envelope with a fixed Chinese msg per
// kind; the log line has fasthttp's text, which SecureErrorLogMessage keeps free of the request.
func unreadable(log *slog.Logger) func(*fasthttp.RequestCtx, error) {
	return func(ctx *fasthttp.RequestCtx, err error) {
		conn, _ := ctx.Conn().(*edgeConn)
		conn.readHead() // the answer and a 413's drain get their own deadlines
		status, msg := unreadableAnswer(err)
		if status == fiber.StatusRequestEntityTooLarge && ctx.Conn() != nil {
			drain(ctx.Conn(), drainBytes, drainTime, drainIdle)
		}
		writeEnvelope(&ctx.Response, status, msg)
		log.Info("refused a request that could not be read", "status", status, "err", err)
	}
}

// unreadableAnswer classifies err as Fiber's serverErrorHandler does.
func unreadableAnswer(err error) (int, string) {
	var netErr net.Error
	switch {
	case errors.As(err, new(*fasthttp.ErrSmallBuffer)):
		return fiber.StatusRequestHeaderFieldsTooLarge, "请求头过大"
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		return fiber.StatusRequestEntityTooLarge, "请求体过大"
	case errors.As(err, &netErr) && netErr.Timeout(), strings.Contains(err.Error(), "timeout"):
		return fiber.StatusRequestTimeout, "请求超时"
	}
	return fiber.StatusBadRequest, "请求格式错误"
}

// writeEnvelope makes resp a failure envelope with status and msg, for answers given outside
// Fiber (which has its own, fail).
func writeEnvelope(resp *fasthttp.Response, status int, msg string) {
	body, _ := json.Marshal(envelope{Code: 0, Msg: &msg}) //nolint:errchkjson // a string and nil cannot fail
	resp.SetStatusCode(status)
	resp.Header.SetContentType(fiber.MIMEApplicationJSON)
	resp.Header.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	resp.Header.Set(fiber.HeaderCacheControl, "no-store")
	resp.SetBody(body)
}

// refusalResponse is the whole answer to a connection past the limit, written before anything
// is read from it.
var refusalResponse = func() []byte {
	msg := "服务器连接数已满，请稍后重试"
	body, _ := json.Marshal(envelope{Code: 0, Msg: &msg}) //nolint:errchkjson // cannot fail
	return fmt.Appendf(nil, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: %s\r\nContent-Length: %d\r\n"+
		"Retry-After: %s\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n\r\n%s",
		fiber.MIMEApplicationJSON, len(body), retryAfter, body)
}()
