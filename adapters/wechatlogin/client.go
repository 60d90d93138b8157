package wechatlogin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/orderalert/orderalert/application"
)

var (
	_ application.WeChatSessions = (*Client)(nil)
	_ application.WeChatSessions = Dev{}
	_ application.WeChatSessions = NotConfigured{}
)

// DefaultBase is WeChat's API (ORDERALERT_WECHAT_API_BASE changes it for tests).
const DefaultBase = "https://api.weixin.qq.com"

// timeout bounds the call: a login that waits longer is worse than a clear "try again".
const timeout = 5 * time.Second

// Client calls jscode2session with the app's id and secret.
type Client struct {
	Base, AppID, Secret string
	HTTP                *http.Client
}

// answer is jscode2session's JSON. A success may omit errcode; session_key is never kept.
type answer struct {
	OpenID  string `json:"openid"`
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// OpenID implements application.WeChatSessions.
func (c *Client) OpenID(ctx context.Context, code string) (string, error) {
	q := url.Values{"appid": {c.AppID}, "secret": {c.Secret}, "js_code": {code}, "grant_type": {"authorization_code"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(c.Base, "/")+"/sns/jscode2session?"+q.Encode(), nil)
	if err != nil {
		return "", fmt.Errorf("jscode2session: the request cannot be built: %w", application.ErrUnavailable)
	}
	client := c.HTTP
	if client == nil {
		client = &http.Client{Timeout: timeout}
	}
	resp, err := client.Do(req)
	if err != nil {
		// *url.Error quotes the URL, and with it the secret: keep only what went wrong.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return "", fmt.Errorf("jscode2session: %w: %w", err, application.ErrUnavailable)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil || resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("jscode2session: HTTP %d: %w", resp.StatusCode, application.ErrUnavailable)
	}
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return "", fmt.Errorf("jscode2session: an answer that is not JSON: %w", application.ErrUnavailable)
	}
	return a.openID()
}

// openID reads the answer: errcode 0 (or none) with an openid is the user; the documented
// refusals of the code are the caller's (401), the limit and WeChat's own trouble are WeChat's.
func (a answer) openID() (string, error) {
	switch a.ErrCode {
	case 0:
		if a.OpenID == "" {
			return "", fmt.Errorf("jscode2session: no openid in a successful answer: %w", application.ErrUnavailable)
		}
		return a.OpenID, nil
	case 40029, 40163: // invalid code; code been used
		return "", fmt.Errorf("jscode2session %d %s: %w", a.ErrCode, a.ErrMsg, application.ErrLoginCodeRefused)
	case 40226: // a high-risk user: WeChat blocks the login
		return "", fmt.Errorf("jscode2session %d %s: %w", a.ErrCode, a.ErrMsg, application.ErrLoginCodeBlocked)
	case 45011: // per-user frequency limit, 100 a minute
		return "", fmt.Errorf("jscode2session %d %s: %w", a.ErrCode, a.ErrMsg, application.ErrLoginThrottled)
	default: // -1 system busy, 40013 invalid appid (our configuration), anything new
		return "", fmt.Errorf("jscode2session %d %s: %w", a.ErrCode, a.ErrMsg, application.ErrUnavailable)
	}
}

// Dev is the login without WeChat, outside production: the code names the user, whose openid is
// derived from it (the same code, the same customer), marked so that it is never taken for a
// real one.
type Dev struct{}

// OpenID implements application.WeChatSessions.
func (Dev) OpenID(_ context.Context, code string) (string, error) {
	sum := sha256.Sum256([]byte(code))
	return "dev-" + hex.EncodeToString(sum[:12]), nil
}

// NotConfigured is the login of a production service without WeChat credentials: refused,
// saying what is missing.
type NotConfigured struct{}

// OpenID implements application.WeChatSessions.
func (NotConfigured) OpenID(context.Context, string) (string, error) {
	return "", fmt.Errorf("mini-program login needs ORDERALERT_WECHAT_APPID and ORDERALERT_WECHAT_SECRET: %w", application.ErrNotImplemented)
}
