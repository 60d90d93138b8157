package escalation

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// reply is the part of a bot's answer that decides: its code and message.
type reply struct {
	code int
	msg  string
}

// parseReply reads a bot's answer; ok is false when it is not JSON or carries no code.
func parseReply(k Kind, answer []byte) (reply, bool) {
	if k == Feishu {
		// Newer answers carry code and msg, older ones StatusCode and StatusMessage, and
		// some carry both.
		var a struct {
			Code          *int   `json:"code"`
			Msg           string `json:"msg"`
			StatusCode    *int   `json:"StatusCode"`
			StatusMessage string `json:"StatusMessage"`
		}
		switch {
		case json.Unmarshal(answer, &a) != nil:
			return reply{}, false
		case a.Code != nil:
			return reply{*a.Code, a.Msg}, true
		case a.StatusCode != nil:
			return reply{*a.StatusCode, a.StatusMessage}, true
		}
		return reply{}, false
	}
	var a struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if json.Unmarshal(answer, &a) != nil || a.ErrCode == nil {
		return reply{}, false
	}
	return reply{*a.ErrCode, a.ErrMsg}, true
}

// rateLimited tells the bots' "too fast" codes. All are unverified: no official page confirms
// them, they are the codes commonly reported:
//   - WeCom 45009 "api freq out of limit";
//   - DingTalk 130101 "send too fast" and 90030 "webhook over limit" (a newer quota);
//   - Feishu 11232 "frequency limited", and 9499 when its msg says "too many request": Feishu
//     also answers 9499 "Bad Request" to a malformed body, which no window would cure.
func rateLimited(k Kind, r reply) bool {
	switch k {
	case WeCom:
		return r.code == 45009
	case DingTalk:
		return r.code == 130101 || r.code == 90030
	case Feishu:
		msg := strings.ToLower(r.msg)
		return r.code == 11232 || r.code == 9499 && (strings.Contains(msg, "too many") || strings.Contains(msg, "limit"))
	}
	return false
}

// classify turns an answer into a Result. readErr is the error reading the answer's body, if
// any; answer is what was read of it.
func classify(k Kind, status int, answer []byte, readErr error) Result {
	r := Result{Status: status}
	rep, parsed := reply{}, false
	if k != Webhook && readErr == nil {
		rep, parsed = parseReply(k, answer)
		r.Code = rep.code
	}
	fail := func(o Outcome, format string, args ...any) Result {
		r.Outcome, r.Err = o, fmt.Errorf("%s: "+format, append([]any{k}, args...)...)
		return r
	}
	switch {
	case parsed && rateLimited(k, rep): // whatever the status: the code says more
		return fail(RetryAfterWindow, "rate limited: code %d %s", rep.code, short(rep.msg))
	case status == http.StatusTooManyRequests || status >= 500:
		return fail(Retry, "answered HTTP %d", status)
	case status >= 300 && status < 400:
		return fail(Permanent, "answered HTTP %d, a redirect, which is not followed", status)
	case status < 200 || status >= 300:
		return fail(Permanent, "answered HTTP %d%s", status, codeSuffix(parsed, rep))
	case k == Webhook: // the status is the answer; its body is not ours to read
		r.Outcome = Sent
		return r
	case readErr != nil:
		return fail(Retry, "reading the answer: %s", readErr)
	case !parsed:
		return fail(Retry, "answered HTTP %d without a JSON code", status)
	case rep.code != 0:
		return fail(Permanent, "refused: code %d %s", rep.code, short(rep.msg))
	}
	r.Outcome = Sent
	return r
}

func codeSuffix(parsed bool, rep reply) string {
	if !parsed {
		return ""
	}
	return fmt.Sprintf(", code %d %s", rep.code, short(rep.msg))
}

// short keeps a bot's message to a log line.
func short(msg string) string {
	return truncate(oneLine(msg), 200)
}
