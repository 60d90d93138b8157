// Package channel is where a shop's escalations go when nobody handles an alert: a generic
// webhook, a WeCom group bot, a DingTalk bot or a Feishu bot, each with its URL and, except
// WeCom, the secret that signs what is sent (adapters/escalation sends it).
package channel

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Kind is a channel's kind.
type Kind string

// The kinds of channel.
const (
	Webhook  Kind = "webhook"
	WeCom    Kind = "wecom"
	DingTalk Kind = "dingtalk"
	Feishu   Kind = "feishu"
)

// ErrInvalid is wrapped by every refusal of ParseKind and Channel.Validate.
var ErrInvalid = errors.New("invalid escalation channel")

// ParseKind reads a kind as the CLI takes it (--kind), case and surrounding spaces ignored.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	switch k {
	case Webhook, WeCom, DingTalk, Feishu:
		return k, nil
	}
	return "", fmt.Errorf("%w: unknown kind %q (want webhook, wecom, dingtalk or feishu)", ErrInvalid, s)
}

// ErrNotFound is a channel id that names no channel.
var ErrNotFound = errors.New("escalation channel not found")

// Channel is where one shop's escalations go.
type Channel struct {
	ID        int64
	ShopID    int64
	Kind      Kind
	URL       string
	Secret    string
	CreatedAt time.Time
}

// Validate refuses a channel that could never be delivered to. Its errors never quote the URL
// or the secret: both are credentials.
func (c Channel) Validate() error {
	if _, err := ParseKind(string(c.Kind)); err != nil {
		return err
	}
	if err := c.validateURL(); err != nil {
		return err
	}
	return c.validateSecret()
}

func (c Channel) validateURL() error {
	u, err := url.Parse(c.URL)
	switch {
	case err != nil: // url.Parse's error quotes the URL
		return fmt.Errorf("%w: the url cannot be parsed", ErrInvalid)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("%w: the url must be absolute, http or https", ErrInvalid)
	case u.Host == "":
		return fmt.Errorf("%w: the url has no host", ErrInvalid)
	case u.User != nil:
		// It would be sent as Basic authentication and shown in logs that print URLs.
		return fmt.Errorf("%w: the url must not carry a user or password", ErrInvalid)
	}
	q := u.Query()
	switch {
	case c.Kind == WeCom && q.Get("key") == "":
		return fmt.Errorf("%w: a wecom url carries its key (…/cgi-bin/webhook/send?key=…)", ErrInvalid)
	case c.Kind == DingTalk && q.Get("access_token") == "":
		return fmt.Errorf("%w: a dingtalk url carries its access_token (…/robot/send?access_token=…)", ErrInvalid)
	case c.Kind == Feishu && strings.Trim(u.Path, "/") == "":
		return fmt.Errorf("%w: a feishu url carries its token in the path (…/open-apis/bot/v2/hook/…)", ErrInvalid)
	}
	return nil
}

func (c Channel) validateSecret() error {
	switch {
	case c.Kind == WeCom && c.Secret != "":
		// WeCom bots have no signature: a secret here is a mistake (perhaps meant for
		// another channel), and silently ignoring it would hide it.
		return fmt.Errorf("%w: a wecom channel takes no secret (its key is in the url)", ErrInvalid)
	case c.Kind != WeCom && c.Secret == "":
		return fmt.Errorf("%w: a %s channel needs its secret", ErrInvalid, c.Kind)
	case c.Kind == DingTalk && !strings.HasPrefix(c.Secret, "SEC"):
		return fmt.Errorf("%w: a dingtalk secret starts with SEC (the bot's 加签 secret)", ErrInvalid)
	}
	return nil
}

// Shown is the channel's URL as it may be shown (the CLI's list, logs): scheme and host only,
// since a bot's credential is in its query or path.
func (c Channel) Shown() string {
	u, err := url.Parse(c.URL)
	if err != nil || u.Host == "" {
		return "(invalid url)"
	}
	return u.Scheme + "://" + u.Host + "/…"
}
