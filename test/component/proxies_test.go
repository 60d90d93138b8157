package component_test

import (
	"net/http"
	"net/netip"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/orderalert/orderalert/bootstrap"
)

// spoofedLogin is a failed login of a fresh username that claims, in X-Forwarded-For, to come
// from 203.0.113.n.
func (s *service) spoofedLogin(t *testing.T, n int) reply {
	t.Helper()
	return s.call(t, http.MethodPost, "/admin/employee/login",
		http.Header{"X-Forwarded-For": {"203.0.113." + strconv.Itoa(n)}},
		map[string]string{"username": "guess-" + strconv.Itoa(n), "password": "a guess"})
}

// upgradeFrom opens /ws from a browser page at origin, through a proxy that says it was asked
// for https://shop.example; without a ticket, an upgrade that passes the origin check is 401.
func (s *service) upgradeFrom(t *testing.T, origin string) int {
	t.Helper()
	conn, resp, err := s.dial("proxied", "", http.Header{
		"Origin": {origin}, "X-Forwarded-Proto": {"https"}, "X-Forwarded-Host": {"shop.example"},
	})
	if err == nil {
		_ = conn.Close()
		return http.StatusSwitchingProtocols
	}
	if resp == nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// TestForwardedHeadersAreBelievedOnlyFromTrustedProxies: with ORDERALERT_TRUSTED_PROXIES naming
// a network the test's loopback peer is not in, X-Forwarded-For is ignored — failed logins that
// claim three addresses are counted under the peer's own, whose budget the fourth meets — and so
// are X-Forwarded-Proto and -Host: a page that is not the server's own origin cannot pass for it.
// By default loopback is trusted, as the nginx site on the same host needs: the same requests
// are counted under the addresses they name, and the proxy's origin is the page's.
func TestForwardedHeadersAreBelievedOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	budget := func(c *bootstrap.Config) { c.LoginRate = bootstrap.Rate{N: 3, Per: time.Hour} }
	untrusted := start(t, filepath.Join(t.TempDir(), "orderalert.db"), func(c *bootstrap.Config) {
		budget(c)
		c.TrustedProxies = bootstrap.CIDRs{netip.MustParsePrefix("10.255.255.0/24")}
	})
	for n := range 3 {
		expect(t, untrusted.spoofedLogin(t, n), http.StatusUnauthorized, 0)
	}
	expect(t, untrusted.spoofedLogin(t, 3), http.StatusTooManyRequests, 0)
	if status := untrusted.upgradeFrom(t, "https://shop.example"); status != http.StatusForbidden {
		t.Errorf("an untrusted peer's X-Forwarded-Host made https://shop.example the server's origin: %d, want 403", status)
	}

	trusted := start(t, filepath.Join(t.TempDir(), "orderalert.db"), budget)
	for n := range 4 {
		expect(t, trusted.spoofedLogin(t, n), http.StatusUnauthorized, 0)
	}
	if status := trusted.upgradeFrom(t, "https://shop.example"); status != http.StatusUnauthorized {
		t.Errorf("through the local proxy, the page at its forwarded origin: %d, want 401 (past the origin check, no ticket)", status)
	}
	if status := trusted.upgradeFrom(t, "https://evil.example"); status != http.StatusForbidden {
		t.Errorf("through the local proxy, a foreign page: %d, want 403", status)
	}
}
