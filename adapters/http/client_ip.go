package http

import (
	"bytes"
	"net/netip"

	"github.com/gofiber/fiber/v2"
)

// trustedProxies are the peers whose X-Forwarded-* headers are believed
// (ORDERALERT_TRUSTED_PROXIES). Fiber applies the same list to X-Forwarded-Proto and -Host
// (fiberProxyConfig), which the socket's origin check reads through c.Protocol and c.Hostname.
type trustedProxies []netip.Prefix

func (p trustedProxies) trusts(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, prefix := range p {
		if prefix.Contains(addr) {
			return true
		}
	}
	return false
}

// fiberProxyConfig is the list in Fiber's form, for fiber.Config.TrustedProxies.
func (p trustedProxies) fiberProxyConfig() []string {
	list := make([]string, len(p))
	for i, prefix := range p {
		list[i] = prefix.String()
	}
	return list
}

// clientIP is the address the login throttle counts. From a peer that is not a trusted proxy,
// it is the peer: a client cannot pick the address it is counted under. From a trusted proxy,
// X-Forwarded-For is read from the right — each proxy appends the address it saw, as nginx's
// $proxy_add_x_forwarded_for does — past every trusted proxy, to the first address that is not
// one: the nearest that a trusted proxy vouches for. An entry that is not an address ends the
// walk at the last good one.
func (p trustedProxies) clientIP(c *fiber.Ctx) string {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok || !p.trusts(peer) {
		return c.Context().RemoteIP().String()
	}
	client := peer.Unmap()
	values := c.Request().Header.PeekAll(fiber.HeaderXForwardedFor)
	for i := len(values) - 1; i >= 0; i-- {
		entries := bytes.Split(values[i], []byte(","))
		for j := len(entries) - 1; j >= 0; j-- {
			addr, err := netip.ParseAddr(string(bytes.TrimSpace(entries[j])))
			if err != nil {
				return client.String()
			}
			client = addr.Unmap()
			if !p.trusts(client) {
				return client.String()
			}
		}
	}
	return client.String()
}
