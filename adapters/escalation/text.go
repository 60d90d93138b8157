package escalation

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

const (
	// maxTextBytes is WeCom's limit on a text's content, the smallest documented of the three
	// bots; ten lines on a phone's lock screen say as much as more would.
	maxTextBytes = 2048
	// maxListed lines are listed; a larger merge ends with how many more there are.
	maxListed = 10
	ellipsis  = "…"
)

// utc8 is the default zone: Asia/Shanghai has had no daylight saving since 1991, and a fixed
// zone needs no tzdata on the host.
var utc8 = time.FixedZone("CST", 8*60*60)

// text is the human message of m for the bots.
func text(m Message) string {
	loc := m.Timezone
	if loc == nil {
		loc = utc8
	}
	var b strings.Builder
	b.WriteString(title(m.Reason))
	if m.ShopName != "" {
		b.WriteString("门店：" + oneLine(m.ShopName))
	}
	if n := len(m.Items); n > 1 { // in the title, so that truncation never drops it
		if m.ShopName != "" {
			b.WriteString("，")
		}
		fmt.Fprintf(&b, "共 %d 条", n)
	}
	for i, it := range m.Items {
		if i == maxListed {
			fmt.Fprintf(&b, "\n……另有 %d 条", len(m.Items)-maxListed)
			break
		}
		b.WriteString("\n" + line(it, loc))
	}
	b.WriteString("\n" + footer(m))
	return truncate(b.String(), maxTextBytes)
}

func title(reason string) string {
	if reason == ReasonNoScreen {
		return "【无人值守提醒】"
	}
	return "【未处理提醒】"
}

// line is one alert: its kind, its content, the order number when the content lacks it (a
// published alert's content is the integration's own), and the time it was created.
func line(it Item, loc *time.Location) string {
	parts := []string{orDefault(it.KindName, "提醒")}
	if c := oneLine(it.Content); c != "" {
		parts = append(parts, c)
	}
	if it.OrderNumber != "" && !strings.Contains(it.Content, it.OrderNumber) {
		parts = append(parts, "订单号:"+oneLine(it.OrderNumber))
	}
	if !it.CreatedAt.IsZero() {
		parts = append(parts, "("+it.CreatedAt.In(loc).Format("15:04")+")")
	}
	return strings.Join(parts, " ")
}

func footer(m Message) string {
	if m.Reason == ReasonNoScreen {
		return "门店没有在线的提醒屏幕，请尽快处理"
	}
	oldest := m.Items[0].CreatedAt
	for _, it := range m.Items[1:] {
		if it.CreatedAt.Before(oldest) {
			oldest = it.CreatedAt
		}
	}
	d := m.At.Sub(oldest)
	if m.At.IsZero() || oldest.IsZero() || d < time.Minute {
		return "无人处理，请尽快处理"
	}
	if len(m.Items) > 1 {
		return fmt.Sprintf("最早一条已 %d 分钟无人处理，请尽快处理", int(d/time.Minute))
	}
	return fmt.Sprintf("已 %d 分钟无人处理，请尽快处理", int(d/time.Minute))
}

// oneLine keeps a caller's string on its line: content comes from integrations, and a newline
// in it would read as another alert.
func oneLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}

func orDefault(s, def string) string {
	if s = oneLine(s); s == "" {
		return def
	}
	return s
}

// truncate cuts s to at most max bytes on a rune boundary, ending with "…". Invalid UTF-8 is
// replaced first, since the JSON encoder would replace it anyway and a replaced byte is three.
func truncate(s string, max int) string {
	s = strings.ToValidUTF8(s, string(utf8.RuneError))
	if len(s) <= max {
		return s
	}
	cut := max - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}
