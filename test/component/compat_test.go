package component_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/bootstrap"
)

// originalClient behaves as sky-take-out's own front ends do: like axios in the admin front end
// and the mini-program's request wrapper, it rejects every non-2xx answer without reading its
// body, and shows msg when code is 0.
type originalClient struct {
	t *testing.T
	s *service
}

// rejected is a non-2xx answer, as the original clients see it: a status and nothing else.
type rejected struct{ status int }

func (r rejected) Error() string { return fmt.Sprintf("Request failed with status code %d", r.status) }

type originalResult struct {
	Code int             `json:"code"`
	Msg  *string         `json:"msg"`
	Data json.RawMessage `json:"data"`
}

func (c originalClient) do(method, path string, header http.Header, body any) (originalResult, error) {
	c.t.Helper()
	status, _, raw, err := c.s.exchange(c.t, method, path, header, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if status < 200 || status > 299 {
		return originalResult{}, rejected{status}
	}
	var r originalResult
	if err := json.Unmarshal(raw, &r); err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r, nil
}

// failure is the message the original client shows for a refusal, failing the test unless the
// client could read one.
func (c originalClient) failure(what, method, path string, header http.Header, body any) string {
	c.t.Helper()
	r, err := c.do(method, path, header, body)
	if err != nil {
		c.t.Fatalf("%s: the original client saw %v and can show nothing", what, err)
	}
	if r.Code != 0 || r.Msg == nil || *r.Msg == "" {
		c.t.Fatalf("%s: code %d msg %v, want a refusal with a message", what, r.Code, r.Msg)
	}
	return *r.Msg
}

// javaDateTime parses a date-time as sky-take-out's Jackson configuration writes and reads it
// (LocalDateTime, "yyyy-MM-dd HH:mm:ss", no zone), in zone.
func javaDateTime(t *testing.T, field string, v *string, zone *time.Location) time.Time {
	t.Helper()
	if v == nil || !regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`).MatchString(*v) {
		t.Fatalf("%s = %v: not yyyy-MM-dd HH:mm:ss", field, v)
	}
	at, err := time.ParseInLocation("2006-01-02 15:04:05", *v, zone)
	if err != nil {
		t.Fatalf("%s = %q: %v", field, *v, err)
	}
	return at
}

type compatOrder struct {
	Items           *json.RawMessage `json:"items"`
	OrderDetailList []struct {
		ID      *int64  `json:"id"`
		Name    string  `json:"name"`
		OrderID int64   `json:"orderId"`
		Number  int     `json:"number"`
		Amount  float64 `json:"amount"`
		Image   *string `json:"image"`
	} `json:"orderDetailList"`
	OrderTime             *string `json:"orderTime"`
	CheckoutTime          *string `json:"checkoutTime"`
	CancelTime            *string `json:"cancelTime"`
	EstimatedDeliveryTime *string `json:"estimatedDeliveryTime"`
	LastRemindedAt        *string `json:"lastRemindedAt"`
}

// TestTheOriginalClientsSeeWhatTheJavaServiceAnswers (DESIGN §16, §20.11): with
// ORDERALERT_CLIENT_COMPAT=sky-take-out, the refusals the original clients must show reach them
// as 200 with code 0 (a wrong password, a reminder too soon, bad input, another user's order), a
// missing token is still 401, times are yyyy-MM-dd HH:mm:ss in ORDERALERT_TIMEZONE, and the
// routes outside sky-take-out's own answer as always. Metrics count the refusals by their own
// status.
func TestTheOriginalClientsSeeWhatTheJavaServiceAnswers(t *testing.T) {
	t.Parallel()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	s := start(t, t.TempDir()+"/orderalert.db", func(c *bootstrap.Config) {
		c.ClientCompat, c.Timezone = bootstrap.CompatSkyTakeOut, bootstrap.Zone{Location: tokyo}
	})
	client := originalClient{t: t, s: s}

	if msg := client.failure("a wrong password", http.MethodPost, "/admin/employee/login", nil, map[string]string{"username": "admin", "password": "wrong"}); msg != "账号或密码错误" {
		t.Fatalf("a wrong password shows %q", msg)
	}
	user, admin := s.userHeader(t, 7), s.adminHeader(t)
	if msg := client.failure("a bad amount", http.MethodPost, "/user/order/submit", user, `{"amount":-1}`); !strings.HasPrefix(msg, "参数错误：amount ") {
		t.Fatalf("a bad amount shows %q", msg)
	}
	placed, err := client.do(http.MethodPost, "/user/order/submit", user, `{"amount":42.50,"payMethod":1,"estimatedDeliveryTime":"2026-12-05 12:30:00",
		"items":[{"name":"宫保鸡丁","number":2,"amount":18.00},{"name":"米饭","number":2,"amount":2}]}`)
	if err != nil || placed.Code != 1 {
		t.Fatalf("submit = %+v, %v", placed, err)
	}
	var o struct {
		ID          int64   `json:"id"`
		OrderNumber string  `json:"orderNumber"`
		OrderTime   *string `json:"orderTime"`
	}
	if err := json.Unmarshal(placed.Data, &o); err != nil {
		t.Fatal(err)
	}
	if at := javaDateTime(t, "orderTime", o.OrderTime, tokyo); time.Since(at).Abs() > time.Minute {
		t.Fatalf("orderTime %q is not now in Asia/Tokyo", *o.OrderTime)
	}
	if r, err := client.do(http.MethodPut, "/user/order/payment", user, map[string]any{"orderNumber": o.OrderNumber, "payMethod": 1}); err != nil || r.Code != 1 {
		t.Fatalf("payment = %+v, %v", r, err)
	}
	remind := "/user/order/reminder/" + strconv.FormatInt(o.ID, 10)
	if r, err := client.do(http.MethodGet, remind, user, nil); err != nil || r.Code != 1 {
		t.Fatalf("the first reminder = %+v, %v", r, err)
	}
	if msg := client.failure("a reminder too soon", http.MethodGet, remind, user, nil); msg != "催单过于频繁，请稍后再试" {
		t.Fatalf("a reminder too soon shows %q", msg)
	}
	if msg := client.failure("another user's order", http.MethodGet, "/user/order/orderDetail/"+strconv.FormatInt(o.ID, 10), s.userHeader(t, 8), nil); msg != "订单不存在" {
		t.Fatalf("another user's order shows %q", msg)
	}

	details, err := client.do(http.MethodGet, "/admin/order/details/"+strconv.FormatInt(o.ID, 10), admin, nil)
	if err != nil || details.Code != 1 {
		t.Fatalf("details = %+v, %v", details, err)
	}
	var d compatOrder
	if err := json.Unmarshal(details.Data, &d); err != nil {
		t.Fatal(err)
	}
	javaDateTime(t, "checkoutTime", d.CheckoutTime, tokyo)
	javaDateTime(t, "lastRemindedAt", d.LastRemindedAt, tokyo)
	if *d.EstimatedDeliveryTime != "2026-12-05 12:30:00" || d.CancelTime != nil {
		t.Fatalf("estimatedDeliveryTime %q, cancelTime %v: want the time as sent, in Asia/Tokyo, and null", *d.EstimatedDeliveryTime, d.CancelTime)
	}
	if len(d.OrderDetailList) != 2 || d.Items != nil {
		t.Fatalf("details list %+v and items %v: want orderDetailList only", d.OrderDetailList, d.Items)
	}
	if l := d.OrderDetailList[0]; l.Name != "宫保鸡丁" || l.Number != 2 || l.Amount != 18 || l.OrderID != o.ID || l.ID != nil || l.Image != nil {
		t.Fatalf("the first line = %+v", l)
	}
	user2, err := client.do(http.MethodGet, "/user/order/orderDetail/"+strconv.FormatInt(o.ID, 10), user, nil)
	var mine compatOrder
	if err != nil || json.Unmarshal(user2.Data, &mine) != nil || len(mine.OrderDetailList) != 2 || mine.Items != nil {
		t.Fatalf("the customer's details: %s, %v", user2.Data, err)
	}

	// A token the client lacks is still 401, which its interceptor sends to the login page.
	var r rejected
	if _, err := client.do(http.MethodGet, remind, nil, nil); !errors.As(err, &r) || r.status != http.StatusUnauthorized {
		t.Fatalf("no token: %v, want 401", err)
	}
	// The routes of part two and the API answer as always.
	if status, _, _, _ := s.exchange(t, http.MethodGet, "/admin/alerts?limit=0", admin, nil); status != http.StatusBadRequest {
		t.Fatalf("GET /admin/alerts with a bad limit: %d, want 400 in compat mode too", status)
	}
	if status, _, _, _ := s.exchange(t, http.MethodPost, "/api/alerts", http.Header{"Authorization": {"Bearer oa_nothing"}}, `{"type":1}`); status != http.StatusUnauthorized {
		t.Fatalf("POST /api/alerts with a bad key: %d, want 401", status)
	}
	alerts := s.alerts(t, admin)
	if len(alerts) != 2 || alerts[0].CreatedAt == "" || alerts[0].CreatedAt[len(alerts[0].CreatedAt)-1] != 'Z' {
		t.Fatalf("alerts %+v: want RFC 3339 in UTC in compat mode too", alerts)
	}

	m := s.scrape(t)
	m.want(t, 1, "orderalert_http_requests_total", "method", "GET", "route", "/user/order/reminder/:id", "code", "429")
	m.want(t, 1, "orderalert_http_requests_total", "method", "POST", "route", "/admin/employee/login", "code", "401")
}
