package escalation_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/escalation"
)

const oneItemText = "【未处理提醒】门店：幸福小馆\n新订单 订单号:A-1 (12:03)\n已 2 分钟无人处理，请尽快处理"

func TestEachKindIsDeliveredAndAccepted(t *testing.T) {
	t.Parallel()
	for _, b := range bots {
		t.Run(string(b.kind), func(t *testing.T) {
			t.Parallel()
			s := b.start(t)
			expect(t, send(t, &escalation.Sender{}, b.kind, s, message(item(1, "A-1"))), escalation.Sent)
			got := s.Messages()
			if len(got) != 1 {
				t.Fatalf("%d messages accepted, want 1 (refused: %q)", len(got), s.Refused())
			}
			m := got[0]
			if m.Delivery != "42" {
				t.Errorf("X-Orderalert-Delivery %q, want 42", m.Delivery)
			}
			if ua, ct := m.Header.Get("User-Agent"), m.Header.Get("Content-Type"); ua != "orderalert" || ct != "application/json; charset=utf-8" {
				t.Errorf("User-Agent %q, Content-Type %q", ua, ct)
			}
			if b.kind == escalation.Webhook {
				if m.Reason != "unacknowledged" || string(m.Alert) != string(item(1, "A-1").AlertJSON) || len(m.Alerts) != 1 {
					t.Errorf("webhook got reason %q, alert %s, %d alerts", m.Reason, m.Alert, len(m.Alerts))
				}
				return
			}
			if m.Text != oneItemText {
				t.Errorf("text\n%s\nwant\n%s", m.Text, oneItemText)
			}
		})
	}
}

func TestWrongSecretIsRefusedAndPermanent(t *testing.T) {
	t.Parallel()
	for _, b := range []bot{bots[0], bots[2], bots[3]} {
		t.Run(string(b.kind), func(t *testing.T) {
			t.Parallel()
			s := b.start(t)
			ch := channel(b.kind, s)
			ch.Secret = "SEC" + "not-the-secret-of-this-bot"
			r := (&escalation.Sender{}).Send(t.Context(), ch, 42, body(t, b.kind, message(item(1, "A-1"))))
			expect(t, r, escalation.Permanent)
			if len(s.Messages()) != 0 || len(s.Refused()) != 1 {
				t.Fatalf("accepted %d, refused %q", len(s.Messages()), s.Refused())
			}
			t.Logf("%v; the stand-in said %q", r.Err, s.Refused()[0])
		})
	}
}

func TestStaleTimestampIsRefused(t *testing.T) {
	t.Parallel()
	for _, b := range signedBots {
		t.Run(string(b.kind), func(t *testing.T) {
			t.Parallel()
			s := b.start(t)
			s.SetNow(func() time.Time { return time.Now().Add(2 * time.Hour) })
			r := send(t, &escalation.Sender{}, b.kind, s, message(item(1, "A-1")))
			expect(t, r, escalation.Permanent)
			if want := map[escalation.Kind]int{escalation.DingTalk: 310000, escalation.Feishu: 19021}[b.kind]; r.Code != want {
				t.Errorf("code %d, want %d", r.Code, want)
			}
			// Within the hour is fine: the window is the service's, not a test artefact.
			s.SetNow(func() time.Time { return time.Now().Add(59 * time.Minute) })
			expect(t, send(t, &escalation.Sender{}, b.kind, s, message(item(1, "A-1"))), escalation.Sent)
		})
	}
}

func TestServerErrorRetriesAndTheRetryIsTheSameDelivery(t *testing.T) {
	t.Parallel()
	for _, b := range bots {
		t.Run(string(b.kind), func(t *testing.T) {
			t.Parallel()
			s := b.start(t)
			s.FailNext(1, 500, 0)
			stored := body(t, b.kind, message(item(1, "A-1")))
			sender := &escalation.Sender{}
			r := sender.Send(t.Context(), channel(b.kind, s), 42, stored)
			expect(t, r, escalation.Retry)
			if r.Status != 500 {
				t.Errorf("status %d", r.Status)
			}
			expect(t, sender.Send(t.Context(), channel(b.kind, s), 42, stored), escalation.Sent)
			if got := s.Messages(); len(got) != 1 || got[0].Delivery != "42" || s.Requests() != 2 {
				t.Fatalf("%d requests, messages %+v", s.Requests(), got)
			}
		})
	}
}

func TestTimeoutRetries(t *testing.T) {
	t.Parallel()
	for _, b := range bots {
		t.Run(string(b.kind), func(t *testing.T) {
			t.Parallel()
			s := b.start(t)
			s.Hang(true)
			began := time.Now()
			r := send(t, quickSender(), b.kind, s, message(item(1, "A-1")))
			expect(t, r, escalation.Retry)
			if d := time.Since(began); d > 2*time.Second || !strings.Contains(r.Err.Error(), "timed out") {
				t.Fatalf("after %v: %v", d, r.Err)
			}
		})
	}
}

func TestRateLimitRetriesAfterTheWindow(t *testing.T) {
	t.Parallel()
	for _, b := range bots {
		t.Run(string(b.kind), func(t *testing.T) {
			t.Parallel()
			s := b.start(t)
			s.LimitPerMinute(1)
			now := time.Now()
			s.SetNow(func() time.Time { return now })
			expect(t, send(t, &escalation.Sender{}, b.kind, s, message(item(1, "A-1"))), escalation.Sent)
			want := escalation.RetryAfterWindow
			if b.kind == escalation.Webhook {
				want = escalation.Retry // a 429; a receiver has no window we know of
			}
			expect(t, send(t, &escalation.Sender{}, b.kind, s, message(item(2, "A-2"))), want)
			s.SetNow(func() time.Time { return now.Add(time.Minute) })
			expect(t, send(t, &escalation.Sender{}, b.kind, s, message(item(2, "A-2"))), escalation.Sent)
		})
	}
}

func TestBotCodesAreClassified(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		bot    bot
		answer string
		want   escalation.Outcome
		code   int
	}{
		{"wecom 45009", bots[1], `{"errcode":45009,"errmsg":"api freq out of limit"}`, escalation.RetryAfterWindow, 45009},
		{"wecom 93000", bots[1], `{"errcode":93000,"errmsg":"invalid webhook url"}`, escalation.Permanent, 93000},
		{"dingtalk 130101", bots[2], `{"errcode":130101,"errmsg":"send too fast"}`, escalation.RetryAfterWindow, 130101},
		{"dingtalk 90030", bots[2], `{"errcode":90030,"errmsg":"webhook over limit"}`, escalation.RetryAfterWindow, 90030},
		{"dingtalk 310000", bots[2], `{"errcode":310000,"errmsg":"keywords not in content"}`, escalation.Permanent, 310000},
		{"feishu 11232", bots[3], `{"code":11232,"msg":"frequency limited"}`, escalation.RetryAfterWindow, 11232},
		{"feishu 9499 too many", bots[3], `{"code":9499,"msg":"too many request"}`, escalation.RetryAfterWindow, 9499},
		{"feishu 9499 bad request", bots[3], `{"code":9499,"msg":"Bad Request"}`, escalation.Permanent, 9499},
		{"feishu 19024", bots[3], `{"code":19024,"msg":"Key Words Not Found"}`, escalation.Permanent, 19024},
		{"feishu old StatusCode 0", bots[3], `{"StatusCode":0,"StatusMessage":"success"}`, escalation.Sent, 0},
		{"feishu old StatusCode 19021", bots[3], `{"StatusCode":19021,"StatusMessage":"sign match fail"}`, escalation.Permanent, 19021},
		{"wecom not JSON", bots[1], `<html>ok</html>`, escalation.Retry, 0},
		{"dingtalk no errcode", bots[2], `{"ok":true}`, escalation.Retry, 0},
		{"feishu empty", bots[3], ``, escalation.Retry, 0},
		{"webhook not JSON", bots[0], `<html>thanks</html>`, escalation.Sent, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := c.bot.start(t)
			s.AnswerNext(1, 200, c.answer)
			r := send(t, &escalation.Sender{}, c.bot.kind, s, message(item(1, "A-1")))
			expect(t, r, c.want)
			if r.Code != c.code || r.Status != 200 {
				t.Errorf("status %d code %d, want 200 and %d", r.Status, r.Code, c.code)
			}
		})
	}
}

func TestBotRefusalInHTTP200IsNotSent(t *testing.T) {
	t.Parallel()
	for _, b := range bots[1:] {
		t.Run(string(b.kind), func(t *testing.T) {
			t.Parallel()
			s := b.start(t)
			s.FailNext(1, 200, 12345)
			r := send(t, &escalation.Sender{}, b.kind, s, message(item(1, "A-1")))
			expect(t, r, escalation.Permanent)
			if r.Status != 200 || r.Code != 12345 {
				t.Fatalf("status %d, code %d", r.Status, r.Code)
			}
		})
	}
}

func TestSignedResendsAreSignedAfresh(t *testing.T) {
	t.Parallel()
	for _, b := range signedBots {
		t.Run(string(b.kind), func(t *testing.T) {
			t.Parallel()
			s := b.start(t)
			stored := body(t, b.kind, message(item(1, "A-1")))
			kept := bytes.Clone(stored)
			first := time.Now()
			for _, at := range []time.Time{first, first.Add(90 * time.Minute)} { // a stored sign would be stale by the second
				s.SetNow(func() time.Time { return at })
				sender := &escalation.Sender{Now: func() time.Time { return at }}
				expect(t, sender.Send(t.Context(), channel(b.kind, s), 42, stored), escalation.Sent)
			}
			got := s.Messages()
			if len(got) != 2 || got[0].Text != got[1].Text || got[0].Delivery != got[1].Delivery {
				t.Fatalf("messages %+v", got)
			}
			if !bytes.Equal(stored, kept) {
				t.Fatalf("Send changed the stored body:\n%s\n%s", kept, stored)
			}
			if b.kind == escalation.Feishu && bytes.Equal(got[0].Body, got[1].Body) {
				t.Fatal("both attempts sent the same timestamp and sign")
			}
		})
	}
}

// A sign with '+' or '/' is where escaping it twice (%252B) shows.
func TestDingTalkSignIsEscapedOnce(t *testing.T) {
	t.Parallel()
	s := bots[2].start(t)
	at := time.Now()
	for !strings.ContainsAny(escalation.DingTalkSign(dingTalkSecret, formatMillis(at)), "+/") {
		at = at.Add(time.Millisecond)
	}
	sender := &escalation.Sender{Now: func() time.Time { return at }}
	expect(t, send(t, sender, escalation.DingTalk, s, message(item(1, "A-1"))), escalation.Sent)
}

func TestMergedMessageListsEveryItem(t *testing.T) {
	t.Parallel()
	m := message(item(1, "A-1"), item(2, "A-2"), item(3, "A-3"))
	for _, b := range bots {
		t.Run(string(b.kind), func(t *testing.T) {
			t.Parallel()
			s := b.start(t)
			expect(t, send(t, &escalation.Sender{}, b.kind, s, m), escalation.Sent)
			got := s.Messages()[0]
			if b.kind == escalation.Webhook {
				if len(got.Alerts) != 3 || !json.Valid(got.Alerts[2]) || string(got.Alert) != string(got.Alerts[0]) {
					t.Fatalf("alerts %s", got.Alerts)
				}
				return
			}
			for _, want := range []string{"共 3 条", "订单号:A-1 (12:03)", "订单号:A-2 (12:04)", "订单号:A-3 (12:05)", "最早一条已 2 分钟"} {
				if !strings.Contains(got.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, got.Text)
				}
			}
		})
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	s := bots[0].start(t)
	hop := redirector(t, s.URL)
	ch := channel(escalation.Webhook, s)
	ch.URL = hop
	r := (&escalation.Sender{}).Send(t.Context(), ch, 42, body(t, escalation.Webhook, message(item(1, "A-1"))))
	expect(t, r, escalation.Permanent)
	if s.Requests() != 0 {
		t.Fatalf("the redirect was followed")
	}
}

func TestAnswerIsReadAtMost64KiB(t *testing.T) {
	t.Parallel()
	s := bots[2].start(t)
	s.AnswerNext(1, 200, `{"errcode":0,"errmsg":"`+strings.Repeat("a", 1<<20)+`"}`)
	// Cut at 64 KiB, the answer is not JSON: unread, it cannot say sent.
	expect(t, send(t, &escalation.Sender{}, escalation.DingTalk, s, message(item(1, "A-1"))), escalation.Retry)
}

// The schemes against the services' own Python samples, run on the same inputs (python3's
// hmac, hashlib and base64): an implementation that shares nothing with this package's.
func TestSignaturesMatchTheServicesSamples(t *testing.T) {
	t.Parallel()
	if got := escalation.DingTalkSign("SEC0123456789abcdef", "1700000000000"); got != "TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=" {
		t.Errorf("dingtalk sign %s", got)
	}
	if got := escalation.FeishuSign("feishu-secret", "1599360473"); got != "GnmU6lMJMtXPkxW7kXxgtXI0SJxjk0TQFnFuz93Dt+0=" {
		t.Errorf("feishu sign %s", got)
	}
	if got := escalation.WebhookSignature("webhook-secret", []byte(`{"event":"escalation"}`)); got != "sha256=d47f1cef42570c62aeaa39b458e9292c38698b1f91e31261f41ab1c1fe707226" {
		t.Errorf("webhook signature %s", got)
	}
}
