package component_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestBadInputIsRefusedAndChangesNothing sends every class of bad input to the routes that take
// input: each is a 400 (or 413) with a message, and the database is exactly as before.
func TestBadInputIsRefusedAndChangesNothing(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		user, admin := s.userHeader(t, 7), s.adminHeader(t)
		paid := s.submit(t, 7, "12.50")
		expect(t, s.call(t, http.MethodPut, "/user/order/payment", user, map[string]any{"orderNumber": paid.OrderNumber, "payMethod": 1}), http.StatusOK, 1)
		orders, alerts := s.count(t, "orders"), s.count(t, "order_alerts")
		huge := `{"amount":1,"remark":"` + strings.Repeat("x", 70<<10) + `"}`
		pad := strings.Repeat(" ", 64<<10) // valid JSON, one byte over the limit with any object
		megabyte := `{"amount":1,"remark":"` + strings.Repeat("辣", 1<<20/3) + `"}`

		cases := []struct {
			name, method, path string
			header             http.Header
			body               string
			status             int
		}{
			{"malformed JSON", http.MethodPost, "/user/order/submit", user, `{"amount":`, 400},
			{"not an object", http.MethodPost, "/user/order/submit", user, `[1,2]`, 400},
			{"empty body", http.MethodPost, "/user/order/submit", user, ``, 400},
			{"trailing data", http.MethodPost, "/user/order/submit", user, `{"amount":1} {"amount":2}`, 400},
			{"missing amount", http.MethodPost, "/user/order/submit", user, `{"payMethod":1}`, 400},
			{"amount as text that is no amount", http.MethodPost, "/user/order/submit", user, `{"amount":"lots"}`, 400},
			{"amount zero", http.MethodPost, "/user/order/submit", user, `{"amount":0}`, 400},
			{"amount negative", http.MethodPost, "/user/order/submit", user, `{"amount":-5}`, 400},
			{"amount over the maximum", http.MethodPost, "/user/order/submit", user, `{"amount":100000.01}`, 400},
			{"amount with three decimals", http.MethodPost, "/user/order/submit", user, `{"amount":1.005}`, 400},
			{"amount in exponent form", http.MethodPost, "/user/order/submit", user, `{"amount":1e3}`, 400},
			{"unknown pay method", http.MethodPost, "/user/order/submit", user, `{"amount":1,"payMethod":9}`, 400},
			{"pay method of the wrong type", http.MethodPost, "/user/order/submit", user, `{"amount":1,"payMethod":"wechat"}`, 400},
			{"unknown delivery status", http.MethodPost, "/user/order/submit", user, `{"amount":1,"deliveryStatus":2}`, 400},
			{"remark too long", http.MethodPost, "/user/order/submit", user, `{"amount":1,"remark":"` + strings.Repeat("辣", 101) + `"}`, 400},
			{"unreadable delivery time", http.MethodPost, "/user/order/submit", user, `{"amount":1,"estimatedDeliveryTime":"tomorrow"}`, 400},
			{"body over 64 KiB", http.MethodPost, "/user/order/submit", user, huge, 413},
			{"a 1 MB remark", http.MethodPost, "/user/order/submit", user, megabyte, 413},
			{"submit padded past 64 KiB", http.MethodPost, "/user/order/submit", user, `{"amount":1}` + pad, 413},
			{"payment padded past 64 KiB", http.MethodPut, "/user/order/payment", user, `{"orderNumber":"` + paid.OrderNumber + `","payMethod":1}` + pad, 413},
			{"confirm padded past 64 KiB", http.MethodPut, "/admin/order/confirm", admin, `{"id":` + strconv.FormatInt(paid.ID, 10) + `}` + pad, 413},
			{"login padded past 64 KiB", http.MethodPost, "/admin/employee/login", nil, `{"username":"admin","password":"` + adminPass + `"}` + pad, 413},
			{"payment without number", http.MethodPut, "/user/order/payment", user, `{"payMethod":1}`, 400},
			{"payment with unknown method", http.MethodPut, "/user/order/payment", user, `{"orderNumber":"` + paid.OrderNumber + `","payMethod":3}`, 400},
			{"non-numeric id", http.MethodGet, "/user/order/reminder/abc", user, ``, 400},
			{"negative id", http.MethodGet, "/user/order/orderDetail/-1", user, ``, 400},
			{"zero id", http.MethodGet, "/user/order/orderDetail/0", user, ``, 400},
			{"overflowing id", http.MethodGet, "/user/order/reminder/99999999999999999999", user, ``, 400},
			{"confirm without id", http.MethodPut, "/admin/order/confirm", admin, `{}`, 400},
			{"confirm with id as text", http.MethodPut, "/admin/order/confirm", admin, `{"id":"` + strconv.FormatInt(paid.ID, 10) + `"}`, 400},
			{"confirm with fractional id", http.MethodPut, "/admin/order/confirm", admin, `{"id":1.5}`, 400},
			{"confirm with overflowing id", http.MethodPut, "/admin/order/confirm", admin, `{"id":99999999999999999999}`, 400},
			{"alerts after a negative id", http.MethodGet, "/admin/alerts?afterId=-1", admin, ``, 400},
			{"alerts with a limit over 1000", http.MethodGet, "/admin/alerts?limit=1001", admin, ``, 400},
			{"alerts with a text limit", http.MethodGet, "/admin/alerts?limit=ten", admin, ``, 400},
			{"login without password", http.MethodPost, "/admin/employee/login", nil, `{"username":"admin"}`, 400},
			{"login with a number for a name", http.MethodPost, "/admin/employee/login", nil, `{"username":1,"password":"x"}`, 400},
		}
		for _, c := range cases {
			var body any
			if c.body != "" {
				body = c.body
			}
			r := s.call(t, c.method, c.path, c.header, body)
			if r.Status != c.status || r.Code != 0 || r.msg() == "" {
				t.Errorf("%s: %d %s, want %d with a message", c.name, r.Status, truncate([]byte(r.Raw)), c.status)
			}
		}
		// Sent chunked, with no length to refuse it by, and to the webhook, which answers WeChat
		// Pay's way.
		r := s.call(t, http.MethodPost, "/user/order/submit", user, io.MultiReader(strings.NewReader(`{"amount":1}`), strings.NewReader(pad)))
		if r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("a chunked body over 64 KiB: %d %s, want 413", r.Status, truncate([]byte(r.Raw)))
		}
		o := s.submit(t, 7, "9")
		header, body := s.wechat.Notification(t, s.paid(t, o, "4200006001"))
		status, raw, err := s.send(t, http.MethodPost, "/notify/paySuccess", header, append(body, pad...))
		if err != nil || status != http.StatusRequestEntityTooLarge {
			t.Errorf("a notification over 64 KiB: %d %s %v, want 413", status, raw, err)
		}
		orders++
		if o, a := s.count(t, "orders"), s.count(t, "order_alerts"); o != orders || a != alerts {
			t.Fatalf("bad input changed the database: %d→%d orders, %d→%d alerts", orders, o, alerts, a)
		}
		if d := s.adminOrder(t, admin, paid.ID); d.Status != 2 {
			t.Fatalf("the paid order changed: %+v", d)
		}
		if d := s.adminOrder(t, admin, o.ID); d.Status != 1 {
			t.Fatalf("an oversized notification paid the order: %+v", d)
		}
	})
}
