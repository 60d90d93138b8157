package component_test

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orderalert/orderalert/test/wechatpaytest"
)

// TestLogsHoldNoSecrets runs the paths that log — logins that fail, refused tokens, forged and
// accepted notifications, an internal error — and then searches the log for every secret the
// service knows or was sent.
func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), nil)
	admin := s.adminHeader(t)
	user := s.userHeader(t, 7)
	expect(t, s.call(t, http.MethodPost, "/admin/employee/login", nil, map[string]string{"username": "admin", "password": "a guessed password"}), http.StatusUnauthorized, 0)
	expect(t, s.call(t, http.MethodGet, "/admin/alerts", http.Header{"Token": {user.Get("Authentication")}}, nil), http.StatusUnauthorized, 0)

	o := s.submit(t, 7, "30")
	stranger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	forgedHeader, forgedBody := s.wechat.Notification(t, s.paid(t, o, "4200007001"), wechatpaytest.SignedBy(stranger))
	s.notify(t, forgedHeader, forgedBody)
	header, body := s.wechat.Notification(t, s.paid(t, o, "4200007001"))
	s.notify(t, header, body)
	wrongAmount := s.paid(t, o, "4200007002")
	wrongAmount.TotalFen++
	h2, b2 := s.wechat.Notification(t, wrongAmount)
	s.notify(t, h2, b2)
	ticket := decode[struct{ Ticket string }](t, s.call(t, http.MethodPost, "/admin/ws/ticket", admin, nil)).Ticket

	log := s.logs.String()
	if !strings.Contains(log, "payment notification") {
		t.Fatalf("the test exercised nothing that logs:\n%s", log)
	}
	for name, secret := range map[string]string{
		"admin password":   adminPass,
		"guessed password": "a guessed password",
		"admin JWT secret": string(adminSecret),
		"user JWT secret":  string(userSecret),
		"admin token":      admin.Get("Token"),
		"user token":       user.Get("Authentication"),
		"ticket":           ticket,
		"APIv3 key":        s.wechat.APIv3Key,
		"signature":        forgedHeader.Get("Wechatpay-Signature"),
	} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds the %s", name)
		}
	}
}
