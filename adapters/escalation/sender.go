package escalation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// DefaultTimeout bounds an attempt when the Sender has no Client of its own. A schedule's
// lease on a delivery must outlast the timeout (twice over), or two instances may send it.
const DefaultTimeout = 10 * time.Second

// maxAnswer is how much of an answer is read: a bot's is a few dozen bytes, and a webhook's is
// only drained.
const maxAnswer = 64 << 10

var defaultClient = &http.Client{Timeout: DefaultTimeout}

// Sender posts deliveries. Its zero value works: a client with DefaultTimeout, and time.Now.
type Sender struct {
	Client *http.Client     // its Timeout bounds an attempt; redirects are never followed
	Now    func() time.Time // the attempt's timestamps
}

// Send makes one attempt of delivery id on ch with the stored body and classifies the answer.
// It is safe for concurrent use.
func (s *Sender) Send(ctx context.Context, ch Channel, deliveryID int64, body []byte) Result {
	if err := ch.Validate(); err != nil {
		return Result{Outcome: Permanent, Err: err}
	}
	r := s.send(ctx, ch, deliveryID, body)
	if r.Err != nil {
		r.Err = errors.New(scrub(r.Err.Error(), ch))
	}
	return r
}

func (s *Sender) send(ctx context.Context, ch Channel, deliveryID int64, body []byte) Result {
	req, err := s.request(ctx, ch, deliveryID, body)
	if err != nil {
		return Result{Outcome: Permanent, Err: fmt.Errorf("%s: %w", ch.Kind, err)}
	}
	resp, err := s.client().Do(req)
	if err != nil {
		return Result{Outcome: Retry, Err: fmt.Errorf("%s: post to %s: %s", ch.Kind, redact(ch.URL), transportError(err))}
	}
	defer resp.Body.Close()
	answer, readErr := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if readErr != nil {
		readErr = errors.New(transportError(readErr))
	}
	return classify(ch.Kind, resp.StatusCode, answer, readErr)
}

// request builds the attempt: the stored body, plus what each kind adds at send time.
func (s *Sender) request(ctx context.Context, ch Channel, deliveryID int64, body []byte) (*http.Request, error) {
	now := s.now()
	target := ch.URL
	header := http.Header{}
	switch ch.Kind {
	case Webhook:
		header.Set("X-Orderalert-Signature", webhookSignature(ch.Secret, body))
		header.Set("X-Orderalert-Timestamp", strconv.FormatInt(now.Unix(), 10))
	case DingTalk:
		u, err := url.Parse(ch.URL) // Validate parsed it already
		if err != nil {
			return nil, errors.New("the url cannot be parsed")
		}
		ts := strconv.FormatInt(now.UnixMilli(), 10)
		q := u.Query() // keeps access_token
		q.Set("timestamp", ts)
		q.Set("sign", dingTalkSign(ch.Secret, ts))
		u.RawQuery = q.Encode()
		target = u.String()
	case Feishu:
		signed, err := feishuSigned(body, ch.Secret, now.Unix())
		if err != nil {
			return nil, err
		}
		body = signed
	case WeCom: // the key in the URL is its only credential
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, errors.New("the request cannot be built") // its error quotes the URL
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "orderalert")
	req.Header.Set("X-Orderalert-Delivery", strconv.FormatInt(deliveryID, 10))
	return req, nil
}

// client is the caller's client that does not follow redirects: a bot never redirects, and
// following one would post the shop's alerts (and, for a 307, the signed body) to wherever
// the redirect points.
func (s *Sender) client() *http.Client {
	c := defaultClient
	if s.Client != nil {
		c = s.Client
	}
	noRedirect := *c
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &noRedirect
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// transportError says what went wrong without the *url.Error's URL.
func transportError(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}
