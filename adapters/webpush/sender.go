package webpush

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/SherClockHolmes/webpush-go"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/push"
)

var _ application.PushSender = (*Sender)(nil)

// DefaultTimeout bounds one push: a push service answers in well under a second.
const DefaultTimeout = 10 * time.Second

// Keys are the service's VAPID keys, as webpush-go writes them (raw base64url), and the
// contact push services may use (ORDERALERT_VAPID_SUBJECT: an e-mail address or an https URL).
type Keys struct {
	Public, Private string
	Subject         string
}

// GenerateKeys makes a new VAPID key pair.
func GenerateKeys() (public, private string, err error) {
	private, public, err = webpush.GenerateVAPIDKeys()
	return public, private, err
}

// Sender makes one push attempt. It is safe for concurrent use.
type Sender struct {
	keys   Keys
	client *http.Client
}

// NewSender returns a Sender with keys; allowPrivate lets it reach private addresses and plain
// http (ORDERALERT_PUSH_ALLOW_PRIVATE, for tests' stand-ins).
func NewSender(keys Keys, allowPrivate bool) *Sender {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if !allowPrivate {
		dialer.Control = refusePrivate
	}
	transport := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: 5 * time.Second, MaxIdleConnsPerHost: 4}
	return &Sender{keys: keys, client: &http.Client{Timeout: DefaultTimeout, Transport: transport,
		// A push service answers; it never redirects a push, and following one could lead anywhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// refusePrivate is the dialer's check of the address a name resolved to.
func refusePrivate(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !push.PublicAddr(ap.Addr()) {
		return fmt.Errorf("push endpoint resolves to %s, not a public address", address)
	}
	return nil
}

// subscriber is the VAPID sub claim as webpush-go takes it: it prefixes "mailto:" itself to
// anything but an https URL, so a configured "mailto:" is taken off.
func (s *Sender) subscriber() string { return strings.TrimPrefix(s.keys.Subject, "mailto:") }

// Send implements application.PushSender.
func (s *Sender) Send(ctx context.Context, d application.PushDelivery, ttl time.Duration) application.PushAttempt {
	sub := &webpush.Subscription{Endpoint: d.Subscription.Endpoint, Keys: webpush.Keys{P256dh: d.Subscription.P256dh, Auth: d.Subscription.Auth}}
	resp, err := webpush.SendNotificationWithContext(ctx, d.Payload, sub, &webpush.Options{
		HTTPClient: s.client, Subscriber: s.subscriber(), VAPIDPublicKey: s.keys.Public, VAPIDPrivateKey: s.keys.Private,
		TTL: max(int(ttl.Seconds()), 0), Urgency: webpush.UrgencyHigh, Topic: "a" + strconv.FormatInt(d.AlertID, 10),
	})
	if err != nil {
		return application.PushAttempt{Outcome: application.PushRetry, Err: fmt.Errorf("push to %s: %s", origin(d.Subscription.Endpoint), redact(err, d.Subscription.Endpoint))}
	}
	defer func() { _ = resp.Body.Close() }()
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	return outcome(resp.StatusCode, resp.Header.Get("Retry-After"), origin(d.Subscription.Endpoint), text)
}

// outcome maps a push service's answer (RFC 8030 §5, §7): 201 sent; 404 and 410 the
// subscription is gone; 429 and 5xx again later; any other answer, a payload too big (413)
// included, refused for good.
func outcome(status int, retryAfter, where string, text []byte) application.PushAttempt {
	why := fmt.Errorf("the push service at %s answered %d %s", where, status, bytes.TrimSpace(printable(text)))
	switch {
	case status >= 200 && status < 300:
		return application.PushAttempt{Outcome: application.PushSent}
	case status == http.StatusNotFound || status == http.StatusGone:
		return application.PushAttempt{Outcome: application.PushGone, Err: why}
	case status == http.StatusTooManyRequests || status >= 500:
		a := application.PushAttempt{Outcome: application.PushRetry, Err: why}
		if secs, err := strconv.Atoi(retryAfter); err == nil && secs > 0 {
			a.RetryAfter = time.Duration(secs) * time.Second
		}
		return a
	}
	return application.PushAttempt{Outcome: application.PushFailed, Err: why}
}

// origin is where a push goes, for logs: an endpoint's path is the subscription's secret.
func origin(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "an unparsable endpoint"
	}
	return u.Scheme + "://" + u.Host
}

// redact takes the endpoint out of a transport error, which names the URL.
func redact(err error, endpoint string) string {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	return strings.ReplaceAll(err.Error(), endpoint, origin(endpoint)+"/…")
}

// printable keeps an answer's text readable in a log line.
func printable(b []byte) []byte {
	if !json.Valid(b) && bytes.ContainsFunc(b, func(r rune) bool { return r < 0x20 && r != '\n' }) {
		return nil
	}
	return bytes.ReplaceAll(b, []byte("\n"), []byte(" "))
}
