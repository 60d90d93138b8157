// Package botstandin plays, on httptest servers, the four services an escalation goes to: a
// WeCom group bot, a DingTalk bot in 加签 mode, a Feishu bot with 签名校验, and the generic
// webhook as a careful receiver would write it. Each checks what the real service checks —
// path, method, credentials, timestamp window, signature, body shape and limits — and answers
// as it does: the bots with HTTP 200 and an errcode/code in the body, refusals included.
//
// The schemes are the services' documented ones, computed here on their own rather than
// shared with adapters/escalation, so that a mistake in one cannot hide in the other. Where a
// service's page names an answer (Feishu's 19021, WeCom's 2048-byte limit) it is used as
// written; other codes (DingTalk's 310000 "sign not match" among them) are the commonly
// reported ones and unverified, as are the bots' rate-limit codes. What a test may rely on is only: 0 when
// accepted, the rate-limit code when limited, some other code when refused.
//
// A Server records the messages it accepted and why it refused the others, and can be told to
// answer the next requests with a given failure (FailNext, AnswerNext), to be rate limited
// (LimitPerMinute) or to hang until the client gives up (Hang). Its clock is settable
// (SetNow), so a test can prove that a stale timestamp is refused. All of it is safe for
// concurrent use; a Server closes itself when its test ends.
package botstandin
