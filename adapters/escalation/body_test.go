package escalation_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/orderalert/orderalert/adapters/escalation"
)

func TestBodyIsFrozen(t *testing.T) {
	t.Parallel()
	m := message(item(1, "A-1"), item(2, "A-2"))
	for _, b := range bots {
		if first, second := body(t, b.kind, m), body(t, b.kind, m); !bytes.Equal(first, second) {
			t.Errorf("%s: two bodies differ:\n%s\n%s", b.kind, first, second)
		}
	}
}

func TestBodies(t *testing.T) {
	t.Parallel()
	one := message(item(1, "A-1"))
	for k, want := range map[escalation.Kind]string{
		escalation.Webhook:  `{"event":"escalation","alert":` + string(one.Items[0].AlertJSON) + `,"alerts":[` + string(one.Items[0].AlertJSON) + `],"reason":"unacknowledged"}`,
		escalation.WeCom:    `{"msgtype":"text","text":{"content":"` + jsonText(oneItemText) + `"}}`,
		escalation.DingTalk: `{"msgtype":"text","text":{"content":"` + jsonText(oneItemText) + `"}}`,
		escalation.Feishu:   `{"msg_type":"text","content":{"text":"` + jsonText(oneItemText) + `"}}`,
	} {
		if got := string(body(t, k, one)); got != want {
			t.Errorf("%s:\n%s\nwant\n%s", k, got, want)
		}
	}
}

func jsonText(s string) string { return strings.ReplaceAll(s, "\n", `\n`) }

func TestTexts(t *testing.T) {
	t.Parallel()
	published := item(5, "P-9")
	published.KindName, published.Content = "顾客催单", "顾客说：快一点\n谢谢"
	cases := []struct {
		name string
		m    escalation.Message
		want string
	}{
		{"no screen", func() escalation.Message {
			m := message(item(1, "A-1"))
			m.Reason = escalation.ReasonNoScreen
			return m
		}(), "【无人值守提醒】门店：幸福小馆\n新订单 订单号:A-1 (12:03)\n门店没有在线的提醒屏幕，请尽快处理"},
		{"content without the number, on one line", message(published),
			"【未处理提醒】门店：幸福小馆\n顾客催单 顾客说：快一点 谢谢 订单号:P-9 (12:07)\n无人处理，请尽快处理"},
		{"no time to tell", func() escalation.Message {
			m := message(item(1, "A-1"))
			m.At = time.Time{}
			return m
		}(), "【未处理提醒】门店：幸福小馆\n新订单 订单号:A-1 (12:03)\n无人处理，请尽快处理"},
		{"no shop name", func() escalation.Message {
			m := message(item(1, "A-1"), item(2, "A-2"))
			m.ShopName = ""
			return m
		}(), "【未处理提醒】共 2 条\n新订单 订单号:A-1 (12:03)\n新订单 订单号:A-2 (12:04)\n最早一条已 2 分钟无人处理，请尽快处理"},
		{"another zone", func() escalation.Message {
			m := message(item(1, "A-1"))
			m.Timezone = time.UTC
			return m
		}(), "【未处理提醒】门店：幸福小馆\n新订单 订单号:A-1 (04:03)\n已 2 分钟无人处理，请尽快处理"},
	}
	for _, c := range cases {
		if got := botText(t, escalation.DingTalk, c.m); got != c.want {
			t.Errorf("%s:\n%s\nwant\n%s", c.name, got, c.want)
		}
	}
}

func TestLargeMergeListsTenAndCountsTheRest(t *testing.T) {
	t.Parallel()
	var items []escalation.Item
	for i := range 25 {
		items = append(items, item(int64(i+1), "N"))
	}
	text := botText(t, escalation.Feishu, message(items...))
	if !strings.Contains(text, "共 25 条") || !strings.Contains(text, "……另有 15 条") || strings.Count(text, "新订单") != 10 {
		t.Fatalf("text:\n%s", text)
	}
}

func TestWeComContentIsCutOnARuneBoundary(t *testing.T) {
	t.Parallel()
	var items []escalation.Item
	for i := range 10 {
		it := item(int64(i+1), "B-1")
		it.Content = strings.Repeat("辣", 99) + "!" // 298 bytes, so the cut can fall anywhere in a rune
		items = append(items, it)
	}
	for _, shop := range []string{"幸福小馆", "幸福小馆x", "幸福小馆xy", strings.Repeat("很长的店名", 200)} {
		m := message(items...)
		m.ShopName = shop
		text := botText(t, escalation.WeCom, m)
		if len(text) > 2048 || !utf8.ValidString(text) || !strings.HasSuffix(text, "…") || len(text) < 2048-5 {
			t.Fatalf("shop %q: %d bytes, valid %v:\n%s", shop, len(text), utf8.ValidString(text), text)
		}
		s := bots[1].start(t)
		expect(t, send(t, &escalation.Sender{}, escalation.WeCom, s, m), escalation.Sent)
	}
}

func TestBodyRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		k    escalation.Kind
		m    escalation.Message
	}{
		{"no items", escalation.WeCom, message()},
		{"unknown reason", escalation.DingTalk, func() escalation.Message { m := message(item(1, "A")); m.Reason = "late"; return m }()},
		{"alert JSON not valid", escalation.Webhook, func() escalation.Message {
			m := message(item(1, "A"))
			m.Items[0].AlertJSON = []byte(`{"id":`)
			return m
		}()},
		{"unknown kind", "slack", message(item(1, "A"))},
	}
	for _, c := range cases {
		if b, err := escalation.Body(c.k, c.m); err == nil {
			t.Errorf("%s: body %s", c.name, b)
		}
	}
	if _, err := escalation.Body("slack", message(item(1, "A"))); !errors.Is(err, escalation.ErrInvalidChannel) {
		t.Errorf("unknown kind: %v", err)
	}
}

func botText(t *testing.T, k escalation.Kind, m escalation.Message) string {
	t.Helper()
	var b struct {
		Text    struct{ Content string }
		Content struct{ Text string }
	}
	if err := json.Unmarshal(body(t, k, m), &b); err != nil {
		t.Fatal(err)
	}
	return b.Text.Content + b.Content.Text
}
