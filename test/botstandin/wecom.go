package botstandin

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
	"unicode/utf8"
)

// WeCom's limits on a message's content (text: the doc; markdown: third-party summaries).
const (
	WeComTextLimit     = 2048
	WeComMarkdownLimit = 4096
)

// NewWeCom plays a WeCom group bot whose webhook key is key. Its URL is
// …/cgi-bin/webhook/send?key=<key>; the key is the only credential.
func NewWeCom(t testing.TB, key string) *Server {
	t.Helper()
	s := start(t, service{
		verify:  func(r *http.Request, body []byte, _ time.Time) (Message, *answer) { return verifyWeCom(r, body, key) },
		refusal: errcodeRefusal,
		ok:      answer{body: []byte(`{"errcode":0,"errmsg":"ok"}`)},
		limited: errcodeRefusal(45009, "api freq out of limit"), // the code is unverified
	})
	s.URL += "/cgi-bin/webhook/send?key=" + key
	return s
}

func verifyWeCom(r *http.Request, body []byte, key string) (Message, *answer) {
	switch {
	case r.URL.Path != "/cgi-bin/webhook/send":
		return Message{}, &answer{status: http.StatusNotFound, why: "path " + r.URL.Path}
	case r.Method != http.MethodPost:
		return Message{}, refusal(errcodeRefusal(43002, "require POST method"))
	case r.URL.Query().Get("key") != key:
		return Message{}, refusal(errcodeRefusal(93000, "invalid webhook url"))
	}
	var m struct {
		MsgType  string                    `json:"msgtype"`
		Text     *struct{ Content string } `json:"text"`
		Markdown *struct{ Content string } `json:"markdown"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return Message{}, refusal(errcodeRefusal(40001, "invalid json: "+err.Error()))
	}
	var content string
	limit := WeComTextLimit
	switch {
	case m.MsgType == "text" && m.Text != nil:
		content = m.Text.Content
	case m.MsgType == "markdown" && m.Markdown != nil:
		content, limit = m.Markdown.Content, WeComMarkdownLimit
	default:
		return Message{}, refusal(errcodeRefusal(40008, "invalid message type "+m.MsgType))
	}
	switch {
	case content == "":
		return Message{}, refusal(errcodeRefusal(44004, "empty content"))
	case len(content) > limit || !utf8.ValidString(content):
		return Message{}, refusal(errcodeRefusal(40058, "content exceed max length or not utf8"))
	}
	return Message{Text: content}, nil
}

// errcodeRefusal is WeCom's and DingTalk's error answer, in HTTP 200.
func errcodeRefusal(code int, msg string) answer {
	b, _ := json.Marshal(map[string]any{"errcode": code, "errmsg": msg})
	return answer{body: b, why: msg}
}

func refusal(a answer) *answer { return &a }
