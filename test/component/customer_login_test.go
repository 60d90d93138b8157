package component_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/test/pgtest"
	"github.com/orderalert/orderalert/test/wechatlogintest"
)

type loginVO struct {
	ID     int64  `json:"id"`
	OpenID string `json:"openid"`
	Token  string `json:"token"`
}

// TestAMiniProgramUserLogsInThroughWeChat: with the app's credentials, the code goes to WeChat
// (a stand-in that checks the app id and secret); the same user gets the same customer, whose
// token places orders; each of WeChat's refusals has its status and message.
func TestAMiniProgramUserLogsInThroughWeChat(t *testing.T) {
	t.Parallel()
	wx := wechatlogintest.New(t, "wx1234567890abcdef", "0123456789abcdef0123456789abcdef")
	s := start(t, pgtest.NewDatabase(t), func(c *bootstrap.Config) {
		c.WeChatAppID, c.WeChatSecret, c.WeChatAPIBase = wx.AppID, wx.Secret, wx.URL
	})
	r := s.call(t, http.MethodPost, "/user/user/login", nil, `{"code":"0a3Xk2ll2Gq"}`)
	expect(t, r, http.StatusOK, 1)
	first := decode[loginVO](t, r)
	if first.ID <= 0 || first.OpenID != wechatlogintest.OpenIDOf("0a3Xk2ll2Gq") || first.Token == "" {
		t.Fatalf("login = %+v", first)
	}
	again := decode[loginVO](t, s.call(t, http.MethodPost, "/user/user/login", nil, `{"code":"0a3Xk2ll2Gq"}`))
	if again.ID != first.ID {
		t.Fatalf("the same user logged in again as customer %d, want %d", again.ID, first.ID)
	}
	submitted := s.call(t, http.MethodPost, "/user/order/submit", http.Header{"Authentication": {first.Token}}, `{"amount":12.5}`)
	expect(t, submitted, http.StatusOK, 1)
	if r.Raw == "" || strings.Contains(r.Raw, "session_key") {
		t.Fatalf("the login answer leaks WeChat's session key: %s", r.Raw)
	}
	for _, c := range []struct {
		body   string
		status int
		msg    string
	}{
		{`{"code":"bad-code"}`, http.StatusUnauthorized, "微信登录凭证无效或已使用，请重新登录"},
		{`{"code":"used-code"}`, http.StatusUnauthorized, "微信登录凭证无效或已使用，请重新登录"},
		{`{"code":"blocked-code"}`, http.StatusUnauthorized, "微信拦截了该账号的登录（风险账号），请联系微信客服"},
		{`{"code":"quota-code"}`, http.StatusTooManyRequests, "登录过于频繁，请一分钟后再试"},
		{`{"code":"busy-code"}`, http.StatusServiceUnavailable, "服务暂时不可用，请稍后重试"},
		{`{"code":"down-code"}`, http.StatusServiceUnavailable, "服务暂时不可用，请稍后重试"},
		{`{"code":""}`, http.StatusBadRequest, ""},
		{`{"code":"has space"}`, http.StatusBadRequest, ""},
		{`{}`, http.StatusBadRequest, ""},
	} {
		r := s.call(t, http.MethodPost, "/user/user/login", nil, c.body)
		expect(t, r, c.status, 0)
		if c.msg != "" && r.msg() != c.msg {
			t.Errorf("%s: msg %q, want %q", c.body, r.msg(), c.msg)
		}
	}
	if n := s.count(t, "customers"); n != 1 {
		t.Fatalf("%d customers stored, want 1: a refused login creates none", n)
	}
	if strings.Contains(s.logs.String(), wx.Secret) {
		t.Fatal("the app secret is in the log")
	}
}

// TestLoginWithoutWeChatCredentials: outside production a code logs in a stable test customer;
// in production the login is refused, saying what to configure.
func TestLoginWithoutWeChatCredentials(t *testing.T) {
	t.Parallel()
	s := start(t, pgtest.NewDatabase(t), nil)
	a := decode[loginVO](t, s.call(t, http.MethodPost, "/user/user/login", nil, `{"code":"demo"}`))
	b := decode[loginVO](t, s.call(t, http.MethodPost, "/user/user/login", nil, `{"code":"demo"}`))
	if a.ID != b.ID || len(a.OpenID) < 5 || a.OpenID[:4] != "dev-" {
		t.Fatalf("dev logins %+v and %+v, want one customer with a dev- openid", a, b)
	}
	prod := start(t, pgtest.NewDatabase(t), func(c *bootstrap.Config) {
		c.Mode = bootstrap.ModeProduction
	})
	r := prod.call(t, http.MethodPost, "/user/user/login", nil, `{"code":"demo"}`)
	expect(t, r, http.StatusNotImplemented, 0)
	if !strings.Contains(r.msg(), "ORDERALERT_WECHAT_APPID") {
		t.Fatalf("production without credentials: msg %q, want it to name ORDERALERT_WECHAT_APPID", r.msg())
	}
}
