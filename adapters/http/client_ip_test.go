package http

import (
	"net"
	"net/netip"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// TestClientIPBelievesOnlyTrustedProxies: the login throttle's address is the peer unless the
// peer is a trusted proxy; then X-Forwarded-For is walked from the right past trusted proxies,
// so that what a client wrote at its left is never believed.
func TestClientIPBelievesOnlyTrustedProxies(t *testing.T) {
	t.Parallel()
	proxies := trustedProxies{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("10.0.0.0/8")}
	cases := []struct {
		name, peer string
		forwarded  []string
		want       string
	}{
		{"an untrusted peer's header", "192.0.2.7", []string{"198.51.100.1"}, "192.0.2.7"},
		{"a private peer that is not listed", "192.168.1.20", []string{"198.51.100.1"}, "192.168.1.20"},
		{"a trusted peer without the header", "127.0.0.1", nil, "127.0.0.1"},
		{"the address the proxy saw", "127.0.0.1", []string{"198.51.100.1"}, "198.51.100.1"},
		{"a client's own entry at the left", "127.0.0.1", []string{"203.0.113.66, 198.51.100.1"}, "198.51.100.1"},
		{"past a second trusted proxy", "127.0.0.1", []string{"203.0.113.66, 198.51.100.1, 10.1.2.3"}, "198.51.100.1"},
		{"proxies all the way", "127.0.0.1", []string{"10.0.0.9, 127.0.0.2"}, "10.0.0.9"},
		{"a second header, read after the first", "127.0.0.1", []string{"198.51.100.1", "203.0.113.5"}, "203.0.113.5"},
		{"not an address at the right", "127.0.0.1", []string{"198.51.100.1, unknown"}, "127.0.0.1"},
		{"not an address past a trusted proxy", "127.0.0.1", []string{"garbage, 10.0.0.5"}, "10.0.0.5"},
		{"IPv6 behind IPv6 loopback", "::1", []string{"2001:db8::1"}, "2001:db8::1"},
		{"an IPv4-mapped proxy", "::ffff:10.0.0.1", []string{"198.51.100.1"}, "198.51.100.1"},
	}
	app := fiber.New()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fctx := &fasthttp.RequestCtx{}
			fctx.SetRemoteAddr(&net.TCPAddr{IP: net.ParseIP(c.peer), Port: 40000})
			for _, v := range c.forwarded {
				fctx.Request.Header.Add(fiber.HeaderXForwardedFor, v)
			}
			ctx := app.AcquireCtx(fctx)
			defer app.ReleaseCtx(ctx)
			if got := proxies.clientIP(ctx); got != c.want {
				t.Errorf("peer %s, X-Forwarded-For %q: %s, want %s", c.peer, c.forwarded, got, c.want)
			}
		})
	}
}
