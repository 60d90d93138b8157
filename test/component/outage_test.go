package component_test

import (
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/orderalert/orderalert/test/pgtest"
	"github.com/orderalert/orderalert/test/tcpproxy"
)

// unavailableMsg is what a caller reads while the database cannot be reached.
const unavailableMsg = "数据库暂时不可用，请稍后重试"

// TestDatabaseOutageIsAnswered503: while the database is away every route that needs it answers
// 503 with a clear message and Retry-After, at once (details stay in the log), WeChat Pay gets
// 503 FAIL so that it retries, the socket upgrade is refused with 503, /readyz says not ready and
// /healthz stays up. PostgreSQL is taken away behind a proxy (connections dropped, new ones
// closed at once) and given back: the service recovers by itself and the failed calls changed
// nothing.
// On SQLite the handle is closed, as at the end of a shutdown.
//
// Until issue 7 this answered 500 "服务器内部错误"; the contract is now 503 (DESIGN §5: "5xx FAIL"
// for notifications, and a temporary failure is not an internal error).
func TestDatabaseOutageIsAnswered503(t *testing.T) {
	t.Parallel()
	t.Run("SQLite", func(t *testing.T) {
		t.Parallel()
		s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), nil)
		f := prepareOutage(t, s)
		if err := s.db.Close(); err != nil {
			t.Fatal(err)
		}
		f.expectUnavailable(t, s)
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		t.Parallel()
		u, err := url.Parse(pgtest.NewDatabase(t))
		if err != nil {
			t.Fatal(err)
		}
		proxy := tcpproxy.Start(t, u.Host)
		u.Host = proxy.Addr()
		s := start(t, u.String(), nil)
		f := prepareOutage(t, s)
		alertsBefore := len(s.alerts(t, f.admin))
		proxy.Cut()
		f.expectUnavailable(t, s)
		proxy.Restore()
		s.readyUntil(t, 15*time.Second, http.StatusOK, "database", "ok")
		// The calls that failed changed nothing: the order is still unpaid, no alert was added,
		// and the refused reminder left no cooldown behind.
		r := s.call(t, http.MethodGet, "/user/order/orderDetail/"+strconv.FormatInt(f.unpaid.ID, 10), f.user, nil)
		expect(t, r, http.StatusOK, 1)
		if d := decode[orderDetail](t, r); d.Status != 1 || d.PayStatus != 0 {
			t.Errorf("the order whose payment failed: %+v", d)
		}
		if n := len(s.alerts(t, f.admin)); n != alertsBefore {
			t.Errorf("%d alerts after the outage, %d before", n, alertsBefore)
		}
		expect(t, s.call(t, http.MethodGet, "/user/order/reminder/"+strconv.FormatInt(f.paid.ID, 10), f.user, nil), http.StatusOK, 1)
		expect(t, s.call(t, http.MethodPut, "/user/order/payment", f.user, map[string]any{"orderNumber": f.unpaid.OrderNumber, "payMethod": 1}), http.StatusOK, 1)
	})
}

// outage is what the outage test needs from before the database goes away.
type outage struct {
	user, admin  http.Header
	unpaid, paid submitted
	notification struct {
		header http.Header
		body   []byte
	}
}

func prepareOutage(t *testing.T, s *service) *outage {
	t.Helper()
	f := &outage{user: s.userHeader(t, 7), admin: s.adminHeader(t)}
	f.unpaid, f.paid = s.submit(t, 7, "9.90"), s.submit(t, 7, "19.90")
	expect(t, s.call(t, http.MethodPut, "/user/order/payment", f.user, map[string]any{"orderNumber": f.paid.OrderNumber, "payMethod": 1}), http.StatusOK, 1)
	f.notification.header, f.notification.body = s.wechat.Notification(t, s.paid(t, f.unpaid, "4200006001"))
	return f
}

// expectUnavailable checks every route that needs the database while it is away.
func (f *outage) expectUnavailable(t *testing.T, s *service) {
	t.Helper()
	unpaid, paid := strconv.FormatInt(f.unpaid.ID, 10), strconv.FormatInt(f.paid.ID, 10)
	calls := []struct {
		method, path string
		header       http.Header
		body         any
	}{
		{http.MethodPost, "/user/order/submit", f.user, `{"amount":1}`},
		{http.MethodPut, "/user/order/payment", f.user, map[string]any{"orderNumber": f.unpaid.OrderNumber, "payMethod": 1}},
		{http.MethodGet, "/user/order/reminder/" + paid, f.user, nil},
		{http.MethodGet, "/user/order/orderDetail/" + unpaid, f.user, nil},
		{http.MethodPost, "/admin/employee/login", nil, map[string]string{"username": "admin", "password": adminPass}},
		{http.MethodGet, "/admin/alerts", f.admin, nil},
		{http.MethodGet, "/admin/order/details/" + paid, f.admin, nil},
		{http.MethodPut, "/admin/order/confirm", f.admin, map[string]int64{"id": f.paid.ID}},
	}
	var slowest time.Duration
	for _, c := range calls {
		began := time.Now()
		r := s.call(t, c.method, c.path, c.header, c.body)
		slowest = max(slowest, time.Since(began))
		if r.Status != http.StatusServiceUnavailable || r.Code != 0 || r.msg() != unavailableMsg || r.Header.Get("Retry-After") == "" {
			t.Errorf("%s %s during the outage: %d Retry-After %q %s; want 503 %q with Retry-After",
				c.method, c.path, r.Status, r.Header.Get("Retry-After"), r.Raw, unavailableMsg)
		}
	}
	t.Logf("the slowest refusal took %s", slowest.Round(time.Millisecond))
	if status, code := s.notify(t, f.notification.header, f.notification.body); status != http.StatusServiceUnavailable || code != "FAIL" {
		t.Errorf("notification during the outage: %d %s, want 503 FAIL so that WeChat Pay retries", status, code)
	}
	// The ticket is signed without the database; its single use is recorded in it.
	_, resp, err := s.dial("during-outage", "ticket="+s.ticket(t, f.admin), nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("socket upgrade during the outage: %v %v, want HTTP 503", resp, err)
	}
	if resp != nil {
		_ = resp.Body.Close()
	}
	expect(t, s.call(t, http.MethodGet, "/readyz", nil, nil), http.StatusServiceUnavailable, 0)
	expect(t, s.call(t, http.MethodGet, "/healthz", nil, nil), http.StatusOK, 1)
}
