package http

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// clientIP is the address the login throttle counts. Behind a reverse proxy on the same host or
// network (the peer is a loopback or private address) it is the last X-Forwarded-For entry: the
// address the nearest proxy saw, which the client cannot forge, as nginx's
// $proxy_add_x_forwarded_for appends it. Otherwise, and with no such header, it is the peer
// itself: a client on the internet cannot pick the address it is counted under.
func clientIP(c *fiber.Ctx) string {
	peer := c.Context().RemoteIP().String()
	addr, err := netip.ParseAddr(peer)
	if err != nil || !addr.IsLoopback() && !addr.IsPrivate() {
		return peer
	}
	forwarded := c.Get(fiber.HeaderXForwardedFor)
	if forwarded == "" {
		return peer
	}
	last := strings.TrimSpace(forwarded[strings.LastIndexByte(forwarded, ',')+1:])
	if _, err := netip.ParseAddr(last); err != nil {
		return peer
	}
	return strings.Clone(last)
}
