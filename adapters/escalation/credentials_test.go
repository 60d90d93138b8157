package escalation_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/orderalert/orderalert/adapters/escalation"
	"github.com/orderalert/orderalert/test/botstandin"
)

// Every way an attempt can fail, on every kind: none of the errors may carry the URL's key or
// token (query or, for Feishu, path) nor the secret.
func TestErrorsNeverCarryCredentials(t *testing.T) {
	t.Parallel()
	failures := []struct {
		name  string
		setUp func(s *botstandin.Server, status int)
	}{
		{"500", func(s *botstandin.Server, _ int) { s.FailNext(1, 500, 0) }},
		{"refusal", func(s *botstandin.Server, status int) { s.FailNext(1, status, 310000) }},
		{"timeout", func(s *botstandin.Server, _ int) { s.Hang(true) }},
		{"not JSON", func(s *botstandin.Server, status int) { s.AnswerNext(1, status, "<html>") }},
		{"an answer that quotes the request", nil}, // set up below: it needs the credentials
		{"unreachable", nil},
	}
	for _, b := range bots {
		for _, f := range failures {
			t.Run(string(b.kind)+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				s := b.start(t)
				ch := channel(b.kind, s)
				credentials := credentialsOf(t, ch)
				status := 200 // the bots refuse in HTTP 200; any 2xx is the webhook's success
				if b.kind == escalation.Webhook {
					status = 400
				}
				switch f.name {
				case "an answer that quotes the request":
					quoted := strings.Join(credentials, " ")
					s.AnswerNext(1, status, `{"errcode":93000,"code":19001,"errmsg":"invalid `+quoted+`","msg":"invalid `+quoted+`"}`)
				case "unreachable":
					dead := httptest.NewServer(http.NotFoundHandler())
					dead.Close()
					u, _ := url.Parse(ch.URL)
					u.Host = strings.TrimPrefix(dead.URL, "http://")
					ch.URL = u.String()
				default:
					f.setUp(s, status)
				}
				r := quickSender().Send(t.Context(), ch, 42, body(t, b.kind, message(item(1, "A-1"))))
				if r.Outcome == escalation.Sent || r.Err == nil {
					t.Fatalf("sent: %+v", r)
				}
				for _, c := range credentials {
					if strings.Contains(r.Err.Error(), c) {
						t.Fatalf("%q carries %q", r.Err, c)
					}
				}
				t.Logf("%v: %v", r.Outcome, r.Err)
			})
		}
	}
}

func credentialsOf(t *testing.T, ch escalation.Channel) []string {
	t.Helper()
	u, err := url.Parse(ch.URL)
	if err != nil {
		t.Fatal(err)
	}
	var cs []string
	if ch.Secret != "" {
		cs = append(cs, ch.Secret)
	}
	for _, k := range []string{"key", "access_token"} {
		if v := u.Query().Get(k); v != "" {
			cs = append(cs, v)
		}
	}
	if ch.Kind == escalation.Feishu {
		cs = append(cs, path.Base(u.Path))
	}
	if len(cs) == 0 {
		t.Fatalf("no credentials in the %s channel", ch.Kind)
	}
	return cs
}

func TestRedact(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx": "https://qyapi.weixin.qq.com/…",
		"https://oapi.dingtalk.com/robot/send?access_token=1b2f6d4e":         "https://oapi.dingtalk.com/…",
		"https://open.feishu.cn/open-apis/bot/v2/hook/2f1e0c7a-uuid":         "https://open.feishu.cn/…",
		"http://user:pw@127.0.0.1:8080/hook?x=1":                             "http://127.0.0.1:8080/…",
		"https://example.com":                                                "https://example.com",
		"not a url":                                                          "(an unparsable url)",
		"http://[::1]:namedport/x":                                           "(an unparsable url)",
	} {
		if got := escalation.Redact(raw); got != want {
			t.Errorf("redact(%q) = %q, want %q", raw, got, want)
		}
	}
}
