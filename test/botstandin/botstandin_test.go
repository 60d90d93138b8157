package botstandin_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/test/botstandin"
)

// These requests are built by hand, not by adapters/escalation: they check the stand-ins
// themselves, on the mistakes they exist to catch.

const dingSecret = "SEC0123456789abcdef"

func post(t *testing.T, target string, header http.Header, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	if req.Header == nil {
		req.Header = http.Header{}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 2 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func dingURL(s *botstandin.Server, at time.Time, escapeTwice bool) string {
	ts := strconv.FormatInt(at.UnixMilli(), 10)
	m := hmac.New(sha256.New, []byte(dingSecret))
	m.Write([]byte(ts + "\n" + dingSecret))
	sign := base64.StdEncoding.EncodeToString(m.Sum(nil))
	if escapeTwice {
		sign = url.QueryEscape(sign)
	}
	return s.URL + "&" + url.Values{"timestamp": {ts}, "sign": {sign}}.Encode()
}

func TestDingTalkRefusesASignEscapedTwice(t *testing.T) {
	t.Parallel()
	s := botstandin.NewDingTalk(t, "tok", dingSecret)
	at := time.Now() // any: a sign always ends in '=', which escaped twice is %253D
	const msg = `{"msgtype":"text","text":{"content":"提醒"}}`
	if _, answer := post(t, dingURL(s, at, true), nil, msg); !strings.Contains(answer, `"errcode":310000`) || !strings.Contains(answer, "sign not match") {
		t.Fatalf("a sign escaped twice: %s", answer)
	}
	if status, answer := post(t, dingURL(s, at, false), nil, msg); status != 200 || answer != `{"errcode":0,"errmsg":"ok"}` {
		t.Fatalf("a good sign: %d %s", status, answer)
	}
	if got := s.Messages(); len(got) != 1 || got[0].Text != "提醒" {
		t.Fatalf("messages %+v", got)
	}
}

func TestFeishuRefusesTheDingTalkScheme(t *testing.T) {
	t.Parallel()
	s := botstandin.NewFeishu(t, "sec")
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	signed := func(key, msg string) string {
		m := hmac.New(sha256.New, []byte(key))
		m.Write([]byte(msg))
		b, _ := json.Marshal(map[string]any{"timestamp": ts, "sign": base64.StdEncoding.EncodeToString(m.Sum(nil)),
			"msg_type": "text", "content": map[string]string{"text": "提醒"}})
		return string(b)
	}
	if _, answer := post(t, s.URL, nil, signed("sec", ts+"\nsec")); !strings.Contains(answer, `"code":19021`) {
		t.Fatalf("DingTalk's scheme: %s", answer)
	}
	if _, answer := post(t, s.URL, nil, signed(ts+"\nsec", "")); !strings.Contains(answer, `"code":0`) {
		t.Fatalf("Feishu's scheme: %s", answer)
	}
	if _, answer := post(t, s.URL+"x", nil, signed(ts+"\nsec", "")); !strings.Contains(answer, `"code":19001`) {
		t.Fatalf("another hook token: %s", answer)
	}
}

func TestWeComRefusesAWrongKeyAndTooLongAText(t *testing.T) {
	t.Parallel()
	s := botstandin.NewWeCom(t, "k1")
	text := func(n int) string { return `{"msgtype":"text","text":{"content":"` + strings.Repeat("a", n) + `"}}` }
	if _, answer := post(t, strings.Replace(s.URL, "k1", "k2", 1), nil, text(1)); !strings.Contains(answer, `"errcode":93000`) {
		t.Fatalf("wrong key: %s", answer)
	}
	if _, answer := post(t, s.URL, nil, text(botstandin.WeComTextLimit+1)); strings.Contains(answer, `"errcode":0,`) {
		t.Fatalf("2049 bytes: %s", answer)
	}
	if _, answer := post(t, s.URL, nil, text(botstandin.WeComTextLimit)); !strings.Contains(answer, `"errcode":0,`) {
		t.Fatalf("2048 bytes: %s", answer)
	}
}

func TestWebhookChecksTheSignatureOverTheRawBody(t *testing.T) {
	t.Parallel()
	s := botstandin.NewWebhook(t, "whs")
	body := `{"event":"escalation","alert":{"id":1},"alerts":[{"id":1}],"reason":"no_screen"}`
	header := func(signed string) http.Header {
		m := hmac.New(sha256.New, []byte("whs"))
		m.Write([]byte(signed))
		return http.Header{
			"X-Orderalert-Signature": {"sha256=" + hex.EncodeToString(m.Sum(nil))},
			"X-Orderalert-Timestamp": {strconv.FormatInt(time.Now().Unix(), 10)},
			"X-Orderalert-Delivery":  {"9"},
		}
	}
	// The same JSON, reformatted: equal once parsed, but not the bytes that were signed.
	if status, _ := post(t, s.URL, header(body), strings.ReplaceAll(body, ",", ", ")); status != http.StatusUnauthorized {
		t.Fatalf("reformatted body: %d", status)
	}
	if status, answer := post(t, s.URL, header(body), body); status != http.StatusNoContent {
		t.Fatalf("signed body: %d %s", status, answer)
	}
	got := s.Messages()
	if len(got) != 1 || got[0].Delivery != "9" || got[0].Reason != "no_screen" || !bytes.Equal(got[0].Alert, []byte(`{"id":1}`)) {
		t.Fatalf("messages %+v", got)
	}
}

func TestLimitFailNextAndHang(t *testing.T) {
	t.Parallel()
	s := botstandin.NewWeCom(t, "k")
	const msg = `{"msgtype":"text","text":{"content":"x"}}`
	now := time.Now()
	s.SetNow(func() time.Time { return now })
	s.LimitPerMinute(1)
	s.FailNext(1, 502, 0)
	if status, _ := post(t, s.URL, nil, msg); status != 502 {
		t.Fatalf("FailNext: %d", status)
	}
	if _, answer := post(t, s.URL, nil, msg); !strings.Contains(answer, `"errcode":0,`) {
		t.Fatalf("first: %s", answer)
	}
	if _, answer := post(t, s.URL, nil, msg); !strings.Contains(answer, `"errcode":45009`) {
		t.Fatalf("past the limit: %s", answer)
	}
	s.SetNow(func() time.Time { return now.Add(time.Minute) })
	if _, answer := post(t, s.URL, nil, msg); !strings.Contains(answer, `"errcode":0,`) {
		t.Fatalf("a minute later: %s", answer)
	}
	s.Hang(true)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL, strings.NewReader(msg))
	if resp, err := (&http.Client{Timeout: 100 * time.Millisecond}).Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("a hung stand-in answered %d", resp.StatusCode)
	}
	if n := s.Requests(); n != 5 {
		t.Fatalf("%d requests, want 5", n)
	}
}
