package http

import (
	"bytes"
	"log/slog"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// edge is fasthttp's handler, in front of Fiber's (next). It refuses what Fiber would answer
// outside the envelope or should not answer at all, and gives every response the headers no
// route may forget:
//
//   - a method Fiber does not know, which it answers in plain text, gets 501 and the envelope;
//   - a request with both Content-Length and Transfer-Encoding gets 400 and its connection is
//     closed (RFC 9112 §6.1): fasthttp frames it by Transfer-Encoding, a proxy in front may
//     frame it by length, and what one reads as a body the other would read as a request;
//   - every response says X-Content-Type-Options: nosniff, and Cache-Control: no-store unless
//     it set its own (the dashboard's files do): API answers carry tokens, tickets and
//     customers' details, and none is worth keeping.
//
// It also ends the connection's accept deadline (its first request is read) and, once a
// dashboard socket is upgraded, gives its connection slot back.
func edge(next fasthttp.RequestHandler, methods []string, log *slog.Logger) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		conn, _ := ctx.Conn().(*edgeConn)
		conn.readHead()
		switch {
		case !known(ctx.Method(), methods):
			writeEnvelope(&ctx.Response, fiber.StatusNotImplemented, "不支持的请求方法")
			log.Info("refused a request with an unknown method", "path", string(ctx.Path()))
		case framedTwice(ctx.Request.Header.RawHeaders()):
			writeEnvelope(&ctx.Response, fiber.StatusBadRequest, "请求不能同时带有 Content-Length 和 Transfer-Encoding")
			ctx.SetConnectionClose()
			log.Info("refused a request with both Content-Length and Transfer-Encoding", "path", string(ctx.Path()))
		default:
			next(ctx)
		}
		if ctx.Hijacked() {
			conn.leave()
		}
		h := &ctx.Response.Header
		h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		if len(h.Peek(fiber.HeaderCacheControl)) == 0 {
			h.Set(fiber.HeaderCacheControl, "no-store")
		}
	}
}

func known(method []byte, methods []string) bool {
	for _, m := range methods {
		if string(method) == m {
			return true
		}
	}
	return false
}

var (
	contentLength    = []byte(fiber.HeaderContentLength)
	transferEncoding = []byte(fiber.HeaderTransferEncoding)
)

// framedTwice reports whether the raw header lines name both Content-Length and
// Transfer-Encoding, in any case. The parsed header cannot tell: fasthttp drops the length
// once it has seen chunked.
func framedTwice(raw []byte) bool {
	var length, coding bool
	for len(raw) > 0 {
		var line []byte
		line, raw, _ = bytes.Cut(raw, []byte("\n"))
		name, _, found := bytes.Cut(line, []byte(":"))
		if !found {
			continue
		}
		name = bytes.TrimSpace(name)
		length = length || bytes.EqualFold(name, contentLength)
		coding = coding || bytes.EqualFold(name, transferEncoding)
	}
	return length && coding
}
