package component_test

import (
	"crypto/rand"
	"crypto/rsa"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/domain/integration"
	"github.com/orderalert/orderalert/test/pgtest"
	"github.com/orderalert/orderalert/test/wechatpaytest"
)

// dbPassword is in the PostgreSQL URL of TestLogsHoldNoSecrets; the test server trusts every
// local connection, so it is sent and ignored.
const dbPassword = "db-password-s3cret-7f3a"

// TestLogsHoldNoSecrets runs the paths that log — logins that fail, refused tokens, forged and
// accepted notifications, sockets opened and refused with their ticket in the query, an internal
// error on the socket's path — on SQLite and on PostgreSQL reached with a password in its URL,
// with the log at debug level, and then searches the log for every secret the service knows or
// was sent.
func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	for name, databaseURL := range map[string]func(t *testing.T) string{
		"SQLite":     func(t *testing.T) string { return filepath.Join(t.TempDir(), "orderalert.db") },
		"PostgreSQL": func(t *testing.T) string { return withPassword(t, pgtest.NewDatabase(t)) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			debug := &logBuffer{}
			s := start(t, databaseURL(t), nil, fx.Decorate(func() *slog.Logger {
				return slog.New(slog.NewTextHandler(debug, &slog.HandlerOptions{Level: slog.LevelDebug}))
			}))
			secrets := exerciseLoggingPaths(t, s)
			secrets["database password"] = dbPassword
			log := debug.String()
			for _, want := range []string{"level=DEBUG", "payment notification", "request failed"} {
				if !strings.Contains(log, want) {
					t.Fatalf("the test exercised nothing that logs %q:\n%s", want, log)
				}
			}
			for name, secret := range secrets {
				if strings.Contains(log, secret) {
					t.Errorf("the log holds the %s", name)
				}
			}
		})
	}
}

// exerciseLoggingPaths calls everything that logs and returns the secrets involved, by name.
func exerciseLoggingPaths(t *testing.T, s *service) map[string]string {
	t.Helper()
	admin := s.adminHeader(t)
	user := s.userHeader(t, 7)
	expect(t, s.call(t, http.MethodPost, "/admin/employee/login", nil, map[string]string{"username": "admin", "password": "a guessed password"}), http.StatusUnauthorized, 0)
	expect(t, s.call(t, http.MethodGet, "/admin/alerts", http.Header{"Token": {user.Get("Authentication")}}, nil), http.StatusUnauthorized, 0)
	expect(t, s.call(t, http.MethodGet, "/admin/alerts", http.Header{"Authorization": {"Bearer " + user.Get("Authentication")}}, nil), http.StatusUnauthorized, 0)
	expect(t, s.call(t, http.MethodGet, "/user/order/orderDetail/1", http.Header{"Authentication": {admin.Get("Token")}}, nil), http.StatusUnauthorized, 0)

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

	// Tickets travel in the query: opened, replayed, refused for a bad parameter or origin.
	used := s.ticket(t, admin)
	if ok, status := s.upgrades("logged", used); !ok {
		t.Fatalf("a fresh ticket: %d", status)
	}
	if ok, _ := s.upgrades("logged", used); ok {
		t.Fatal("a used ticket opened a socket")
	}
	refused := s.ticket(t, admin)
	for _, q := range []string{"lastAlertId=x&ticket=" + refused, "ticket=" + admin.Get("Token")} {
		conn, resp, err := s.dial("logged", q, nil)
		if resp != nil {
			_ = resp.Body.Close()
		}
		if err == nil {
			_ = conn.Close()
			t.Fatalf("?%s opened a socket", q)
		}
	}
	// An internal error on the socket's path, with a ticket in its query.
	if _, err := s.db.NewRaw("DROP TABLE used_tickets").Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	failed := s.ticket(t, admin)
	if ok, status := s.upgrades("logged", failed); ok || status != http.StatusInternalServerError {
		t.Fatalf("a ticket without its ledger: upgraded %v, status %d, want 500", ok, status)
	}

	var hash string
	if err := s.db.NewRaw("SELECT password FROM employees WHERE username = 'admin'").Scan(t.Context(), &hash); err != nil {
		t.Fatal(err)
	}
	key, revoked := s.integrationKey(t, "logged", 1), s.integrationKey(t, "revoked-logged", 1)
	s.revokeIntegration(t, "revoked-logged")
	expect(t, s.call(t, http.MethodPost, "/api/alerts", bearerOf(key), `{"type":1,"orderNumber":"L-1"}`), http.StatusCreated, 1)
	expect(t, s.call(t, http.MethodPost, "/api/alerts", bearerOf(revoked), `{"type":1,"orderNumber":"L-2"}`), http.StatusUnauthorized, 0)
	expect(t, s.call(t, http.MethodPost, "/api/alerts", bearerOf(key), `{"type":99,"orderNumber":"L-3"}`), http.StatusBadRequest, 0)
	return map[string]string{
		"integration key":         key,
		"revoked integration key": revoked,
		"integration key's hash":  integration.HashKey(key),
		"admin password":          adminPass,
		"guessed password":        "a guessed password",
		"admin's password hash":   hash,
		"admin JWT secret":        string(adminSecret),
		"user JWT secret":         string(userSecret),
		"admin token":             admin.Get("Token"),
		"user token":              user.Get("Authentication"),
		"used ticket":             used,
		"refused ticket":          refused,
		"ticket of the failure":   failed,
		"APIv3 key":               s.wechat.APIv3Key,
		"signature":               forgedHeader.Get("Wechatpay-Signature"),
	}
}

// withPassword puts dbPassword into a PostgreSQL URL.
func withPassword(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), dbPassword)
	return u.String()
}
