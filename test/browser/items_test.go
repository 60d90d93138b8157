package browser

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestPopupListsWhatWasOrdered: the popup of a paid order lists what the customer ordered, one
// line each (name ×number ¥amount), as text — a name that looks like HTML stays text — and a
// long list scrolls inside the popup instead of pushing its buttons off the screen. An order
// placed without items pops up with no list.
func TestPopupListsWhatWasOrdered(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t)
	srv.Start()
	user := srv.userToken(7)
	logIn(t, ctx, srv)

	items := []map[string]any{
		{"name": "宫保鸡丁", "number": 2, "amount": 18.00},
		{"name": "<img src=x onerror=alert(1)>", "number": 1, "amount": 0.5},
	}
	for i := range 28 {
		items = append(items, map[string]any{"name": fmt.Sprintf("小菜%02d", i), "number": 1, "amount": 3})
	}
	body, _ := json.Marshal(map[string]any{"amount": 150, "items": items})
	num := number.FindStringSubmatch(srv.call(ctx, srv.Base(), "POST", "/user/order/submit", user, string(body)))[1]
	srv.call(ctx, srv.Base(), "PUT", "/user/order/payment", user, fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, num))
	within(t, ctx, 10*time.Second, "the new-order popup with its items",
		until(`document.querySelectorAll('#popups .popup[data-type="1"] .items li').length === 30`))

	lines := evaluate[[]string](t, ctx, `[...document.querySelectorAll('#popups .popup .items li')].map(li => li.textContent)`)
	if lines[0] != "宫保鸡丁 ×2  ¥18.00" || lines[1] != "<img src=x onerror=alert(1)> ×1  ¥0.50" || lines[29] != "小菜27 ×1  ¥3.00" {
		t.Fatalf("the popup lists %q", lines)
	}
	if n := evaluate[int](t, ctx, `document.querySelectorAll('#popups img').length`); n != 0 {
		t.Fatalf("an item's name became %d HTML elements", n)
	}
	type box struct{ ScrollHeight, ClientHeight, PopupBottom, Viewport float64 }
	b := evaluate[box](t, ctx, `(() => {
		const list = document.querySelector('#popups .popup .items');
		const popup = list.closest('.popup');
		return {scrollHeight: list.scrollHeight, clientHeight: list.clientHeight,
			popupBottom: popup.getBoundingClientRect().bottom, viewport: window.innerHeight};
	})()`)
	if b.ScrollHeight <= b.ClientHeight || b.PopupBottom > b.Viewport {
		t.Fatalf("30 items: list %v of %v px shown, popup ends at %v of %v: the list should scroll inside the popup", b.ClientHeight, b.ScrollHeight, b.PopupBottom, b.Viewport)
	}
	screenshotAs(t, ctx, "items.png")

	plain := number.FindStringSubmatch(srv.call(ctx, srv.Base(), "POST", "/user/order/submit", user, `{"amount": 12}`))[1]
	srv.call(ctx, srv.Base(), "PUT", "/user/order/payment", user, fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, plain))
	within(t, ctx, 10*time.Second, "the popup of an order without items",
		until(`document.querySelectorAll('#popups .popup[data-type="1"]').length === 2`))
	shown := evaluate[[]bool](t, ctx, `[...document.querySelectorAll('#popups .popup')].map(p => !p.querySelector('.items').hidden)`)
	if len(shown) != 2 || !shown[0] || shown[1] {
		t.Fatalf("item lists shown: %v, want the first popup's only", shown)
	}
	if text := popupsText(t, ctx); !strings.Contains(text, "订单号:"+plain) {
		t.Fatalf("popups: %s", text)
	}
}
