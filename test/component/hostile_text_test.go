package component_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hostileText is text that breaks careless code, as the JSON literal a client sends, and what the
// service must do with it wherever text is stored: keep it exactly, or refuse it with a 400.
// Both databases must agree, so text PostgreSQL cannot hold (NUL) is refused everywhere.
type hostileText struct {
	name, literal string
	stored        bool
	raw           string // the bytes a URL carries, when not the literal's text
}

var hostileTexts = []hostileText{
	{"SQL that drops a table", `"'; DROP TABLE orders;--"`, true, ""},
	{"SQL that matches every row", `"\" OR 1=1 --"`, true, ""},
	{"emoji and a ZWJ family", `"🍜🔥👨‍👩‍👧"`, true, ""},
	{"right-to-left text and an override", `"\u202Eمرحبا abc\u202C"`, true, ""},
	{"HTML", `"<script>alert(1)</script>"`, true, ""},
	{"control characters", `"\u0001\t\r\n\u001f\u007f"`, true, ""},
	{"backslashes, quotes and templates", `"\\'\"%00%s${jndi:ldap://x}"`, true, ""},
	{"a NUL character", `"a\u0000b"`, false, "a\x00b"},
	{"invalid UTF-8", "\"a\xff\xfe\xc0\xafb\"", false, "a\xff\xfe\xc0\xafb"},
	{"a lone surrogate", `"a\ud800b"`, false, "a\xed\xa0\x80b"},
}

// urlText is the text as a query or path carries it.
func (h hostileText) urlText(t *testing.T) string {
	if h.raw != "" {
		return h.raw
	}
	return h.text(t)
}

// text is what a stored hostile text must read back as.
func (h hostileText) text(t *testing.T) string {
	t.Helper()
	var s string
	if err := json.Unmarshal([]byte(h.literal), &s); err != nil {
		t.Fatalf("%s: %v", h.name, err)
	}
	return s
}

// orderTextFields are the stored text fields of POST /user/order/submit and their limits in
// characters (api/openapi.yaml).
var orderTextFields = map[string]int{"remark": 100, "consignee": 32, "phone": 32, "address": 255}

// TestHostileTextIsStoredExactlyOrRefused sends every hostile text in every text field of every
// body, query and path: stored text reads back exactly (the customer's and the admin's view of the
// order), other text is a 400 with a message, and the tables hold exactly what was accepted.
func TestHostileTextIsStoredExactlyOrRefused(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		user, admin := s.userHeader(t, 7), s.adminHeader(t)
		type sent struct{ field, want, body string }
		var bodies []sent
		for field, limit := range orderTextFields {
			for _, h := range hostileTexts {
				want := ""
				if h.stored {
					want = h.text(t)
				}
				bodies = append(bodies, sent{field, want, `{"amount":1,"` + field + `":` + h.literal + `}`})
			}
			atLimit := strings.Repeat("🍜", limit)
			bodies = append(bodies,
				sent{field, atLimit, `{"amount":1,"` + field + `":"` + atLimit + `"}`},
				sent{field, "", `{"amount":1,"` + field + `":"` + atLimit + `x"}`})
		}
		accepted := 0
		var lastAccepted submitted
		for _, b := range bodies {
			r := s.call(t, http.MethodPost, "/user/order/submit", user, b.body)
			if b.want == "" {
				if r.Status != http.StatusBadRequest || r.Code != 0 || r.msg() == "" {
					t.Errorf("%s: %s → %d %s, want 400", b.field, truncate([]byte(b.body)), r.Status, truncate([]byte(r.Raw)))
				}
				continue
			}
			if r.Status != http.StatusOK {
				t.Errorf("%s: %s → %d %s, want it stored", b.field, truncate([]byte(b.body)), r.Status, truncate([]byte(r.Raw)))
				continue
			}
			accepted++
			lastAccepted = decode[submitted](t, r)
			id := strconv.FormatInt(lastAccepted.ID, 10)
			for _, view := range []reply{
				s.call(t, http.MethodGet, "/user/order/orderDetail/"+id, user, nil),
				s.call(t, http.MethodGet, "/admin/order/details/"+id, admin, nil),
			} {
				var fields map[string]any
				if err := json.Unmarshal(view.Data, &fields); err != nil {
					t.Fatal(err)
				}
				if fields[b.field] != b.want {
					t.Errorf("%s sent %q, read back %q", b.field, b.want, fields[b.field])
				}
			}
		}
		// An order full of hostile text still rings the dashboard with the usual frame.
		d := s.connect(t, admin, "hostile", -1)
		waitAttached(t, s, []*dashboard{d})
		expect(t, s.call(t, http.MethodPut, "/user/order/payment", user, map[string]any{"orderNumber": lastAccepted.OrderNumber, "payMethod": 1}), http.StatusOK, 1)
		if f := d.next(t, 5*time.Second); f.Content != "订单号:"+lastAccepted.OrderNumber || f.OrderID != lastAccepted.ID {
			t.Errorf("frame %+v for order %+v", f, lastAccepted)
		}

		refusedEverywhere(t, s, user, admin)
		if o, a, e := s.count(t, "orders"), s.count(t, "order_alerts"), s.count(t, "employees"); o != accepted || a != 1 || e != 1 {
			t.Fatalf("tables hold %d orders, %d alerts, %d employees; want %d, 1, 1", o, a, e, accepted)
		}
		// The admin's token still opens its routes. (Logging in again could meet the login
		// limiter, which the failed logins above may have tripped.)
		expect(t, s.call(t, http.MethodGet, "/admin/alerts", admin, nil), http.StatusOK, 1)
	})
}

// refusedEverywhere sends every hostile text where no text is stored: it must be refused, with a
// 400 where it is malformed, and as an unknown credential or order where it is merely unknown.
func refusedEverywhere(t *testing.T, s *service, user, admin http.Header) {
	t.Helper()
	type attempt struct {
		where, method, path string
		header              http.Header
		body                string
		want                []int // acceptable statuses
	}
	// Input that is malformed comes first, before any failed login the login limiter counts.
	attempts := []attempt{
		{"login username over 64", http.MethodPost, "/admin/employee/login", nil, `{"username":"` + strings.Repeat("a", 65) + `","password":"x"}`, []int{400}},
		{"login password over 128", http.MethodPost, "/admin/employee/login", nil, `{"username":"admin","password":"` + strings.Repeat("a", 129) + `"}`, []int{400}},
		{"orderNumber over 50", http.MethodPut, "/user/order/payment", user, `{"orderNumber":"` + strings.Repeat("1", 51) + `","payMethod":1}`, []int{400}},
	}
	texts := slices.Clone(hostileTexts)
	slices.SortStableFunc(texts, func(a, b hostileText) int {
		if a.stored == b.stored {
			return 0
		}
		if b.stored {
			return -1
		}
		return 1
	})
	for _, h := range texts {
		// An unknown credential is 401; the login limiter (ORDERALERT_LOGIN_RATE) may answer 429
		// after a few of them, which refuses as well.
		unknown := []int{http.StatusUnauthorized, http.StatusTooManyRequests}
		notFound := []int{http.StatusNotFound}
		if !h.stored {
			unknown, notFound = []int{http.StatusBadRequest}, []int{http.StatusBadRequest}
		}
		bad := []int{http.StatusBadRequest}
		escaped := url.PathEscape(h.urlText(t))
		attempts = append(attempts,
			attempt{"login username", http.MethodPost, "/admin/employee/login", nil, `{"username":` + h.literal + `,"password":"x"}`, unknown},
			attempt{"login password", http.MethodPost, "/admin/employee/login", nil, `{"username":"admin","password":` + h.literal + `}`, unknown},
			attempt{"payment orderNumber", http.MethodPut, "/user/order/payment", user, `{"orderNumber":` + h.literal + `,"payMethod":1}`, notFound},
			attempt{"payment payMethod", http.MethodPut, "/user/order/payment", user, `{"orderNumber":"1","payMethod":` + h.literal + `}`, bad},
			attempt{"submit amount", http.MethodPost, "/user/order/submit", user, `{"amount":` + h.literal + `}`, bad},
			attempt{"submit estimatedDeliveryTime", http.MethodPost, "/user/order/submit", user, `{"amount":1,"estimatedDeliveryTime":` + h.literal + `}`, bad},
			attempt{"confirm id", http.MethodPut, "/admin/order/confirm", admin, `{"id":` + h.literal + `}`, bad},
			attempt{"alerts afterId", http.MethodGet, "/admin/alerts?afterId=" + url.QueryEscape(h.urlText(t)), admin, "", bad},
			attempt{"alerts limit", http.MethodGet, "/admin/alerts?limit=" + url.QueryEscape(h.urlText(t)), admin, "", bad},
			attempt{"reminder id", http.MethodGet, "/user/order/reminder/" + escaped, user, "", bad},
			attempt{"user order id", http.MethodGet, "/user/order/orderDetail/" + escaped, user, "", bad},
			attempt{"admin order id", http.MethodGet, "/admin/order/details/" + escaped, admin, "", bad},
		)
	}
	for _, a := range attempts {
		var body any
		if a.body != "" {
			body = a.body
		}
		r := s.call(t, a.method, a.path, a.header, body)
		if !slices.Contains(a.want, r.Status) || r.Code != 0 || r.msg() == "" {
			t.Errorf("%s: %s %s %s → %d %s, want one of %v", a.where, a.method, a.path, truncate([]byte(a.body)), r.Status, truncate([]byte(r.Raw)), a.want)
		}
	}
}
