package channel_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/orderalert/orderalert/domain/channel"
)

func TestParseKind(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want channel.Kind
	}{{"webhook", channel.Webhook}, {"WeCom", channel.WeCom}, {" dingtalk ", channel.DingTalk}, {"feishu", channel.Feishu}} {
		if got, err := channel.ParseKind(c.in); err != nil || got != c.want {
			t.Errorf("ParseKind(%q) = %q, %v", c.in, got, err)
		}
	}
	for _, in := range []string{"", "slack", "lark"} {
		if _, err := channel.ParseKind(in); !errors.Is(err, channel.ErrInvalid) {
			t.Errorf("ParseKind(%q): %v", in, err)
		}
	}
}

// Credentials shaped like the services' own.
const (
	weComKey       = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
	dingTalkToken  = "1b2f6d4e9a8c7b6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d"
	dingTalkSecret = "SEC8f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5"
	feishuSecret   = "qQ2xFeishuSecretForTests9z"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	const (
		wecom    = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + weComKey
		dingtalk = "https://oapi.dingtalk.com/robot/send?access_token=" + dingTalkToken
		feishu   = "https://open.feishu.cn/open-apis/bot/v2/hook/2f1e0c7a-0000-4c1d-9a55-7f00aa11bb22"
	)
	valid := []channel.Channel{
		{Kind: channel.Webhook, URL: "https://erp.example.com/orderalert", Secret: "s3cret"},
		{Kind: channel.Webhook, URL: "http://127.0.0.1:9000/hook", Secret: "s3cret"},
		{Kind: channel.WeCom, URL: wecom},
		{Kind: channel.DingTalk, URL: dingtalk, Secret: dingTalkSecret},
		{Kind: channel.Feishu, URL: feishu, Secret: feishuSecret},
	}
	for _, c := range valid {
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", c.Kind, err)
		}
	}
	refused := []struct {
		name string
		ch   channel.Channel
		says string
	}{
		{"unknown kind", channel.Channel{Kind: "slack", URL: "https://x.example", Secret: "s"}, "unknown kind"},
		{"relative url", channel.Channel{Kind: channel.Webhook, URL: "/hook", Secret: "s"}, "absolute"},
		{"ftp", channel.Channel{Kind: channel.Webhook, URL: "ftp://x.example/hook", Secret: "s"}, "http or https"},
		{"no host", channel.Channel{Kind: channel.Webhook, URL: "https:///hook", Secret: "s"}, "no host"},
		{"unparsable", channel.Channel{Kind: channel.Webhook, URL: "https://x.example/%zz?key=" + weComKey, Secret: "s"}, "cannot be parsed"},
		{"user in url", channel.Channel{Kind: channel.Webhook, URL: "https://u:p@x.example/hook", Secret: "s"}, "user or password"},
		{"webhook without secret", channel.Channel{Kind: channel.Webhook, URL: "https://x.example/hook"}, "needs its secret"},
		{"wecom with secret", channel.Channel{Kind: channel.WeCom, URL: wecom, Secret: "s"}, "takes no secret"},
		{"wecom without key", channel.Channel{Kind: channel.WeCom, URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"}, "key"},
		{"dingtalk without token", channel.Channel{Kind: channel.DingTalk, URL: "https://oapi.dingtalk.com/robot/send", Secret: dingTalkSecret}, "access_token"},
		{"dingtalk without secret", channel.Channel{Kind: channel.DingTalk, URL: dingtalk}, "needs its secret"},
		{"dingtalk secret not SEC", channel.Channel{Kind: channel.DingTalk, URL: dingtalk, Secret: "abc"}, "starts with SEC"},
		{"feishu without token", channel.Channel{Kind: channel.Feishu, URL: "https://open.feishu.cn/", Secret: feishuSecret}, "token in the path"},
		{"feishu without secret", channel.Channel{Kind: channel.Feishu, URL: feishu}, "needs its secret"},
	}
	for _, c := range refused {
		err := c.ch.Validate()
		if !errors.Is(err, channel.ErrInvalid) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want ErrInvalidChannel saying %q", c.name, err, c.says)
			continue
		}
		if strings.Contains(err.Error(), weComKey) || strings.Contains(err.Error(), dingTalkToken) {
			t.Errorf("%s: %v quotes the url", c.name, err)
		}
	}
}
