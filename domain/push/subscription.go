// Package push is Web Push for dashboards (DESIGN §15, §20.10): a browser's subscription, kept
// for the employee and the token that registered it, to which every alert of the employee's
// shops is pushed while the tab is closed or the phone locked.
package push

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// ErrInvalid is a subscription that cannot be pushed to; its text says why.
var ErrInvalid = errors.New("invalid push subscription")

// MaxEndpointLength bounds an endpoint: the push services' are about 200 characters.
const MaxEndpointLength = 1024

// Subscription is a browser's PushSubscription as the dashboard registered it.
type Subscription struct {
	ID         int64
	EmployeeID int64
	// TokenID is the jti of the admin token that registered it: its logout ends the
	// subscription. TokenVersion is the employee's token version then: a lock or a password
	// change, which end the employee's tokens, end it too.
	TokenID      string
	TokenVersion int64
	Endpoint     string
	P256dh       string // the browser's P-256 public key, base64url
	Auth         string // its 16-byte auth secret, base64url
	CreatedAt    time.Time
}

// Check refuses a subscription whose endpoint is not an https URL of a public host (or, with
// allowPrivate, for tests, any http(s) URL), or whose keys are not what RFC 8291 needs.
func (s Subscription) Check(allowPrivate bool) error {
	if err := checkEndpoint(s.Endpoint, allowPrivate); err != nil {
		return err
	}
	if key, err := decodeKey(s.P256dh); err != nil || len(key) != 65 || key[0] != 4 {
		return fmt.Errorf("%w: keys.p256dh 不是 P-256 公钥", ErrInvalid)
	}
	if auth, err := decodeKey(s.Auth); err != nil || len(auth) != 16 {
		return fmt.Errorf("%w: keys.auth 应为 16 字节", ErrInvalid)
	}
	return nil
}

func checkEndpoint(endpoint string, allowPrivate bool) error {
	u, err := url.Parse(endpoint)
	switch {
	case len(endpoint) > MaxEndpointLength:
		return fmt.Errorf("%w: endpoint 超过 %d 个字符", ErrInvalid, MaxEndpointLength)
	case err != nil || u.Host == "" || u.User != nil:
		return fmt.Errorf("%w: endpoint 不是网址", ErrInvalid)
	case u.Scheme == "https":
	case u.Scheme == "http" && allowPrivate:
	default:
		return fmt.Errorf("%w: endpoint 必须是 https 网址", ErrInvalid)
	}
	if !allowPrivate && !PublicHost(u.Hostname()) {
		return fmt.Errorf("%w: endpoint 不能指向内网地址", ErrInvalid)
	}
	return nil
}

// PublicHost reports whether host, a name or an address, may be a push service: not localhost,
// a loopback, private, link-local or unspecified address. A name is checked again, resolved,
// when a push is sent (the sender's dialer), since it may resolve to anything.
func PublicHost(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return false
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return true // a name
	}
	return PublicAddr(addr)
}

// PublicAddr reports whether addr is a public unicast address: global unicast excludes
// loopback, link-local (the cloud metadata address among them), multicast and unspecified.
func PublicAddr(addr netip.Addr) bool {
	addr = addr.Unmap()
	return addr.IsGlobalUnicast() && !addr.IsPrivate()
}

// decodeKey reads base64url with or without padding, as browsers and libraries write it.
func decodeKey(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}
