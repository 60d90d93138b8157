package botstandin

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FeishuBodyLimit is Feishu's limit on a request's body.
const FeishuBodyLimit = 20 << 10

const feishuSignFailed = "sign match fail or timestamp is not within one hour from current time"

// NewFeishu plays a Feishu bot with 签名校验 and its secret, under a fresh hook token: its URL
// is …/open-apis/bot/v2/hook/<token>, and a sender puts timestamp and sign in the body.
func NewFeishu(t testing.TB, secret string) *Server {
	t.Helper()
	token := make([]byte, 16)
	_, _ = rand.Read(token)
	path := "/open-apis/bot/v2/hook/" + hex.EncodeToString(token)
	s := start(t, service{
		verify: func(r *http.Request, body []byte, now time.Time) (Message, *answer) {
			return verifyFeishu(r, body, now, path, secret)
		},
		refusal: feishuRefusal,
		ok:      answer{body: []byte(`{"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"}`)},
		limited: feishuRefusal(11232, "frequency limited"), // unverified
	})
	s.URL += path
	s.Secret = secret
	return s
}

func verifyFeishu(r *http.Request, body []byte, now time.Time, path, secret string) (Message, *answer) {
	switch {
	case r.Method != http.MethodPost:
		return Message{}, &answer{status: http.StatusMethodNotAllowed, why: "method " + r.Method}
	case r.URL.Path != path:
		return Message{}, refusal(feishuRefusal(19001, "param invalid: incoming webhook access token invalid"))
	case len(body) > FeishuBodyLimit:
		return Message{}, refusal(feishuRefusal(9499, "Bad Request: body too large"))
	}
	var b struct {
		Timestamp json.RawMessage `json:"timestamp"` // a string in the doc's sample; a number works too
		Sign      string          `json:"sign"`
		MsgType   string          `json:"msg_type"`
		Content   *struct {
			Text *string `json:"text"`
		} `json:"content"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		return Message{}, refusal(feishuRefusal(9499, "Bad Request"))
	}
	ts := strings.Trim(string(b.Timestamp), `"`)
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || absDuration(now.Sub(time.Unix(sec, 0))) > time.Hour {
		return Message{}, refusal(feishuRefusal(19021, feishuSignFailed))
	}
	m := hmac.New(sha256.New, []byte(ts+"\n"+secret)) // the key is what is signed; the message is empty
	if !hmac.Equal([]byte(b.Sign), []byte(base64.StdEncoding.EncodeToString(m.Sum(nil)))) {
		return Message{}, refusal(feishuRefusal(19021, feishuSignFailed))
	}
	switch {
	case b.MsgType != "text": // post, interactive, … are Feishu's too, but not what escalations send
		return Message{}, refusal(feishuRefusal(19002, "params error, msg_type need"))
	case b.Content == nil || b.Content.Text == nil || *b.Content.Text == "" || !utf8.ValidString(*b.Content.Text):
		return Message{}, refusal(feishuRefusal(9499, "Bad Request: content.text"))
	}
	return Message{Text: *b.Content.Text}, nil
}

// feishuRefusal is Feishu's error answer, in HTTP 200.
func feishuRefusal(code int, msg string) answer {
	b, _ := json.Marshal(map[string]any{"code": code, "msg": msg, "data": map[string]any{}})
	return answer{body: b, why: msg}
}
