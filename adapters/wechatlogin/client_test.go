package wechatlogin_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/wechatlogin"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/test/wechatlogintest"
)

const secret = "0123456789abcdef0123456789abcdef"

func TestEveryAnswerOfWeChatIsMapped(t *testing.T) {
	t.Parallel()
	wx := wechatlogintest.New(t, "wx-app", secret)
	c := &wechatlogin.Client{Base: wx.URL, AppID: "wx-app", Secret: secret, HTTP: &http.Client{Timeout: 300 * time.Millisecond}}
	if got, err := c.OpenID(t.Context(), "0a3Xk2"); err != nil || got != wechatlogintest.OpenIDOf("0a3Xk2") {
		t.Fatalf("a good code = %q, %v", got, err)
	}
	for code, want := range map[string]error{
		"bad1": application.ErrLoginCodeRefused, "used1": application.ErrLoginCodeRefused, "blocked1": application.ErrLoginCodeBlocked,
		"quota1": application.ErrLoginThrottled, "busy1": application.ErrUnavailable, "down1": application.ErrUnavailable,
		"slow1": application.ErrUnavailable,
	} {
		_, err := c.OpenID(t.Context(), code)
		if !errors.Is(err, want) {
			t.Errorf("code %s = %v, want %v", code, err, want)
		}
		if err != nil && strings.Contains(err.Error(), secret) {
			t.Errorf("code %s: the error carries the app secret: %v", code, err)
		}
	}
	wrong := &wechatlogin.Client{Base: wx.URL, AppID: "wx-app", Secret: "another-secret"}
	if _, err := wrong.OpenID(t.Context(), "0a3Xk2"); !errors.Is(err, application.ErrUnavailable) {
		t.Errorf("a wrong secret = %v, want ErrUnavailable (the service's configuration, not the user's code)", err)
	}
	// The code is a query value: one that looks like more parameters stays one code.
	if _, err := c.OpenID(t.Context(), "good&appid=evil"); err != nil {
		t.Fatalf("a code with & = %v", err)
	}
	if codes := wx.Codes(); codes[len(codes)-1] != "good&appid=evil" {
		t.Fatalf("WeChat was asked about %q, want the whole code", codes[len(codes)-1])
	}
}

func TestDevLoginIsStableAndMarked(t *testing.T) {
	t.Parallel()
	a, _ := wechatlogin.Dev{}.OpenID(t.Context(), "demo")
	b, _ := wechatlogin.Dev{}.OpenID(t.Context(), "demo")
	c, _ := wechatlogin.Dev{}.OpenID(t.Context(), "other")
	if a != b || a == c || !strings.HasPrefix(a, "dev-") {
		t.Fatalf("dev openids %q %q %q: want one per code, marked dev-", a, b, c)
	}
	if _, err := (wechatlogin.NotConfigured{}).OpenID(t.Context(), "x"); !errors.Is(err, application.ErrNotImplemented) {
		t.Fatalf("NotConfigured = %v", err)
	}
}
