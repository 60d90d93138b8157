package http

import (
	"errors"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// FuzzAlertQuery: GET /admin/alerts' afterId, limit and state are refused with a 400 or read as
// the numbers they spell, within range, and open only for "open".
func FuzzAlertQuery(f *testing.F) {
	for _, seed := range [][3]string{{"", "", ""}, {"0", "1", "open"}, {"42", "1000", "all"}, {"-1", "", ""}, {"", "1001", ""}, {"", "0", ""}, {"x", "ten", ""}, {"+7", " 5", ""}, {"99999999999999999999", "", ""}, {"", "", "OPEN"}, {"", "", "open "}} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, afterID, limit, state string) {
		q, err := alertQuery(afterID, limit, state)
		var bad badRequest
		if err != nil {
			if !errors.As(err, &bad) {
				t.Fatalf("refusal %v is not a 400", err)
			}
			if len(err.Error()) > 200 {
				t.Fatalf("the refusal echoes too much: %d bytes", len(err.Error()))
			}
			return
		}
		if (q.AfterID == nil) != (afterID == "") || (q.Limit == 0) != (limit == "") || q.OpenOnly != (state == "open") {
			t.Fatalf("alertQuery(%q, %q, %q) = %+v", afterID, limit, state, q)
		}
		if q.AfterID != nil {
			if n, perr := strconv.ParseInt(afterID, 10, 64); perr != nil || n != *q.AfterID || n < 0 {
				t.Fatalf("afterId %q read as %d", afterID, *q.AfterID)
			}
		}
		if q.Limit != 0 && (q.Limit < 1 || q.Limit > 1000) {
			t.Fatalf("limit %q read as %d", limit, q.Limit)
		}
	})
}

// FuzzDashboardQuery: a socket's sid, lastAlertId, heartbeat and events are refused with a 400 or
// give options that the hub can trust: a short safe sid, a non-negative id, events only for "1",
// a heartbeat only for "1" or with events.
func FuzzDashboardQuery(f *testing.F) {
	for _, seed := range [][4]string{
		{"front-desk", "", "", ""}, {"a", "0", "1", ""}, {"a.b", "", "", ""}, {strings.Repeat("x", 65), "", "", ""}, {"a", "-1", "", ""},
		{"a", "x", "true", ""}, {"", "", "", ""}, {"a/../b", "1", "1", "1"}, {"ａ", "", "", ""}, {"a\x00", "", "", ""}, {"a\n", "", "", ""},
		{"a", "", "", "1"}, {"a", "", "0", "true"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3])
	}
	f.Fuzz(func(t *testing.T, sid, lastAlertID, heartbeat, events string) {
		opts, err := dashboardOptions(sid, lastAlertID, heartbeat, events)
		var bad badRequest
		if err != nil {
			if !errors.As(err, &bad) {
				t.Fatalf("refusal %v is not a 400", err)
			}
			return
		}
		if opts.SID != sid || len(sid) == 0 || len(sid) > 64 || strings.Trim(sid, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "" {
			t.Fatalf("accepted sid %q as %q", sid, opts.SID)
		}
		if (opts.LastAlertID == nil) != (lastAlertID == "") || opts.LastAlertID != nil && *opts.LastAlertID < 0 {
			t.Fatalf("lastAlertId %q read as %v", lastAlertID, opts.LastAlertID)
		}
		if opts.Events != (events == "1") || opts.Heartbeat != (heartbeat == "1" || events == "1") || opts.AdminID != 0 {
			t.Fatalf("options %+v from heartbeat %q, events %q", opts, heartbeat, events)
		}
	})
}

// FuzzOriginAllowed: whatever the Origin, Host, X-Forwarded-Proto and X-Forwarded-Host, and
// whether the peer is a trusted proxy, a browser origin is allowed only when it is configured or
// names the host the request was sent to — as a trusted proxy forwards it, else the Host header
// itself: a cross-site page never opens a socket, and an untrusted peer cannot name the host.
func FuzzOriginAllowed(f *testing.F) {
	for _, seed := range [][4]string{
		{"", "shop.example", "", ""}, {"http://shop.example", "shop.example", "", ""}, {"https://dash.example", "x", "", ""},
		{"https://evil.example", "shop.example", "", ""}, {"https://shop.example", "127.0.0.1:8080", "https", "shop.example"},
		{"http://shop.example", "127.0.0.1", "https", "shop.example"}, {"null", "shop.example", "", ""},
		{"https://dash.example/", "x", "", ""}, {"http://shop.example:80", "shop.example", "", ""}, {"HTTP://SHOP.EXAMPLE", "shop.example", "", ""},
		{"http://evil@shop.example", "shop.example", "", ""}, {"http://shop.example", "shop.example", "http, https", "shop.example, evil.example"},
	} {
		f.Add(seed[0], seed[1], seed[2], seed[3], true)
		f.Add(seed[0], seed[1], seed[2], seed[3], false)
	}
	w := &wsHandler{cfg: WSConfig{AllowedOrigins: []string{"https://dash.example/"}}}
	proxy := trustedProxies{netip.MustParsePrefix("10.0.0.0/8")}
	app := fiber.New(fiber.Config{EnableTrustedProxyCheck: true, TrustedProxies: proxy.fiberProxyConfig()})
	f.Fuzz(func(t *testing.T, origin, host, proto, forwardedHost string, trusted bool) {
		fctx := &fasthttp.RequestCtx{}
		peer := &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1)}
		if trusted {
			peer.IP = net.IPv4(10, 0, 0, 1)
		}
		fctx.SetRemoteAddr(peer)
		fctx.Request.Header.SetHost(host)
		fctx.Request.Header.Set(fiber.HeaderOrigin, origin)
		fctx.Request.Header.Set(fiber.HeaderXForwardedProto, proto)
		fctx.Request.Header.Set(fiber.HeaderXForwardedHost, forwardedHost)
		c := app.AcquireCtx(fctx)
		defer app.ReleaseCtx(c)
		if !w.originAllowed(c) {
			return
		}
		// What the server actually read, after fasthttp's header parsing.
		origin, host = c.Get(fiber.HeaderOrigin), string(fctx.Request.URI().Host())
		if fwd := c.Get(fiber.HeaderXForwardedHost); trusted && fwd != "" {
			host, _, _ = strings.Cut(fwd, ",")
		}
		if origin == "" || strings.EqualFold(origin, "https://dash.example") {
			return
		}
		u, err := url.Parse(origin)
		if err != nil || !strings.EqualFold(u.Host, host) {
			t.Fatalf("origin %q allowed for host %q (peer trusted: %v)", origin, host, trusted)
		}
	})
}
