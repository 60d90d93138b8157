package escalation_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/orderalert/orderalert/adapters/escalation"
)

func TestParseKind(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want escalation.Kind
	}{{"webhook", escalation.Webhook}, {"WeCom", escalation.WeCom}, {" dingtalk ", escalation.DingTalk}, {"feishu", escalation.Feishu}} {
		if got, err := escalation.ParseKind(c.in); err != nil || got != c.want {
			t.Errorf("ParseKind(%q) = %q, %v", c.in, got, err)
		}
	}
	for _, in := range []string{"", "slack", "lark"} {
		if _, err := escalation.ParseKind(in); !errors.Is(err, escalation.ErrInvalidChannel) {
			t.Errorf("ParseKind(%q): %v", in, err)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	const (
		wecom    = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + weComKey
		dingtalk = "https://oapi.dingtalk.com/robot/send?access_token=" + dingTalkToken
		feishu   = "https://open.feishu.cn/open-apis/bot/v2/hook/2f1e0c7a-0000-4c1d-9a55-7f00aa11bb22"
	)
	valid := []escalation.Channel{
		{Kind: escalation.Webhook, URL: "https://erp.example.com/orderalert", Secret: "s3cret"},
		{Kind: escalation.Webhook, URL: "http://127.0.0.1:9000/hook", Secret: "s3cret"},
		{Kind: escalation.WeCom, URL: wecom},
		{Kind: escalation.DingTalk, URL: dingtalk, Secret: dingTalkSecret},
		{Kind: escalation.Feishu, URL: feishu, Secret: feishuSecret},
	}
	for _, c := range valid {
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", c.Kind, err)
		}
	}
	refused := []struct {
		name string
		ch   escalation.Channel
		says string
	}{
		{"unknown kind", escalation.Channel{Kind: "slack", URL: "https://x.example", Secret: "s"}, "unknown kind"},
		{"relative url", escalation.Channel{Kind: escalation.Webhook, URL: "/hook", Secret: "s"}, "absolute"},
		{"ftp", escalation.Channel{Kind: escalation.Webhook, URL: "ftp://x.example/hook", Secret: "s"}, "http or https"},
		{"no host", escalation.Channel{Kind: escalation.Webhook, URL: "https:///hook", Secret: "s"}, "no host"},
		{"unparsable", escalation.Channel{Kind: escalation.Webhook, URL: "https://x.example/%zz?key=" + weComKey, Secret: "s"}, "cannot be parsed"},
		{"user in url", escalation.Channel{Kind: escalation.Webhook, URL: "https://u:p@x.example/hook", Secret: "s"}, "user or password"},
		{"webhook without secret", escalation.Channel{Kind: escalation.Webhook, URL: "https://x.example/hook"}, "needs its secret"},
		{"wecom with secret", escalation.Channel{Kind: escalation.WeCom, URL: wecom, Secret: "s"}, "takes no secret"},
		{"wecom without key", escalation.Channel{Kind: escalation.WeCom, URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"}, "key"},
		{"dingtalk without token", escalation.Channel{Kind: escalation.DingTalk, URL: "https://oapi.dingtalk.com/robot/send", Secret: dingTalkSecret}, "access_token"},
		{"dingtalk without secret", escalation.Channel{Kind: escalation.DingTalk, URL: dingtalk}, "needs its secret"},
		{"dingtalk secret not SEC", escalation.Channel{Kind: escalation.DingTalk, URL: dingtalk, Secret: "abc"}, "starts with SEC"},
		{"feishu without token", escalation.Channel{Kind: escalation.Feishu, URL: "https://open.feishu.cn/", Secret: feishuSecret}, "token in the path"},
		{"feishu without secret", escalation.Channel{Kind: escalation.Feishu, URL: feishu}, "needs its secret"},
	}
	for _, c := range refused {
		err := c.ch.Validate()
		if !errors.Is(err, escalation.ErrInvalidChannel) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want ErrInvalidChannel saying %q", c.name, err, c.says)
			continue
		}
		if strings.Contains(err.Error(), weComKey) || strings.Contains(err.Error(), dingTalkToken) {
			t.Errorf("%s: %v quotes the url", c.name, err)
		}
	}
}

// The schemes against the services' own Python samples, run on the same inputs (python3's
// hmac, hashlib and base64): an implementation that shares nothing with this package's.
func TestSignaturesMatchTheServicesSamples(t *testing.T) {
	t.Parallel()
	if got := escalation.DingTalkSign("SEC0123456789abcdef", "1700000000000"); got != "TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=" {
		t.Errorf("dingtalk sign %s", got)
	}
	if got := escalation.FeishuSign("feishu-secret", "1599360473"); got != "GnmU6lMJMtXPkxW7kXxgtXI0SJxjk0TQFnFuz93Dt+0=" {
		t.Errorf("feishu sign %s", got)
	}
	if got := escalation.WebhookSignature("webhook-secret", []byte(`{"event":"escalation"}`)); got != "sha256=d47f1cef42570c62aeaa39b458e9292c38698b1f91e31261f41ab1c1fe707226" {
		t.Errorf("webhook signature %s", got)
	}
}
