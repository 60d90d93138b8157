package component_test

import (
	"net/http"
	"path/filepath"
	"testing"
)

// TestDatabaseOutageIsAnsweredWithoutDetails: when the database is gone, the API answers 500
// with a generic message (details stay in the log), WeChat Pay gets a FAIL that makes it retry,
// and /readyz says the instance is not ready.
func TestDatabaseOutageIsAnsweredWithoutDetails(t *testing.T) {
	t.Parallel()
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), nil)
	o := s.submit(t, 7, "9.90")
	header, body := s.wechat.Notification(t, s.paid(t, o, "4200006001"))
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	r := s.call(t, http.MethodPost, "/user/order/submit", s.userHeader(t, 7), `{"amount":1}`)
	expect(t, r, http.StatusInternalServerError, 0)
	if r.msg() != "服务器内部错误" {
		t.Errorf("internal error msg %q reveals details", r.msg())
	}
	if status, code := s.notify(t, header, body); status != http.StatusInternalServerError || code != "FAIL" {
		t.Errorf("notification during the outage: %d %s, want 500 FAIL so that WeChat Pay retries", status, code)
	}
	expect(t, s.call(t, http.MethodGet, "/readyz", nil, nil), http.StatusServiceUnavailable, 0)
	expect(t, s.call(t, http.MethodGet, "/healthz", nil, nil), http.StatusOK, 1)
}
