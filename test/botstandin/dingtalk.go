package botstandin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"
)

// DingTalkTextLimit is the stand-in's limit on a message's content: DingTalk's is not in the
// notes (20000 is commonly reported).
const DingTalkTextLimit = 20000

// NewDingTalk plays a DingTalk bot in 加签 mode with its access token and SEC… secret. Its URL
// is …/robot/send?access_token=<token>; a sender adds timestamp and sign to it.
func NewDingTalk(t testing.TB, token, secret string) *Server {
	t.Helper()
	s := start(t, service{
		verify: func(r *http.Request, body []byte, now time.Time) (Message, *answer) {
			return verifyDingTalk(r, body, now, token, secret)
		},
		refusal: errcodeRefusal,
		ok:      answer{body: []byte(`{"errcode":0,"errmsg":"ok"}`)},
		limited: errcodeRefusal(130101, "send too fast, exceed 20 times per minute"), // unverified
	})
	s.URL += "/robot/send?access_token=" + token
	s.Secret = secret
	return s
}

func verifyDingTalk(r *http.Request, body []byte, now time.Time, token, secret string) (Message, *answer) {
	q := r.URL.Query() // unescapes once, as DingTalk does: a sign escaped twice no longer matches
	switch {
	case r.URL.Path != "/robot/send":
		return Message{}, &answer{status: http.StatusNotFound, why: "path " + r.URL.Path}
	case r.Method != http.MethodPost:
		return Message{}, refusal(errcodeRefusal(43002, "require POST method"))
	case q.Get("access_token") != token:
		return Message{}, refusal(errcodeRefusal(300005, "token is not exist"))
	}
	ms, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
	if err != nil || absDuration(now.Sub(time.UnixMilli(ms))) > time.Hour {
		return Message{}, refusal(errcodeRefusal(310000, "invalid timestamp"))
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(q.Get("timestamp") + "\n" + secret))
	want := base64.StdEncoding.EncodeToString(m.Sum(nil))
	if !hmac.Equal([]byte(q.Get("sign")), []byte(want)) {
		return Message{}, refusal(errcodeRefusal(310000, "sign not match"))
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return Message{}, refusal(errcodeRefusal(40035, "缺少参数 json"))
	}
	var b struct {
		MsgType  string                        `json:"msgtype"`
		Text     *struct{ Content string }     `json:"text"`
		Markdown *struct{ Title, Text string } `json:"markdown"`
	}
	if err := json.Unmarshal(body, &b); err != nil {
		return Message{}, refusal(errcodeRefusal(40035, "缺少参数 json"))
	}
	var content string
	switch {
	case b.MsgType == "text" && b.Text != nil:
		content = b.Text.Content
	case b.MsgType == "markdown" && b.Markdown != nil && b.Markdown.Title != "":
		content = b.Markdown.Text
	default:
		return Message{}, refusal(errcodeRefusal(40035, "缺少参数 msgtype"))
	}
	if content == "" || len(content) > DingTalkTextLimit || !utf8.ValidString(content) {
		return Message{}, refusal(errcodeRefusal(40035, "缺少参数 content, or too long"))
	}
	return Message{Text: content}, nil
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
