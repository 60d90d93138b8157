package component_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/bootstrap"
)

// revokedMsg is what a revoked credential reads on REST.
const revokedMsg = "登录已失效，请重新登录"

// revocationWait bounds how long a change made elsewhere takes to hold on an instance: it polls
// the change counter every second.
const revocationWait = 10 * time.Second

// login logs in as username and returns the header its token goes in.
func (s *service) login(t *testing.T, username, password string) http.Header {
	t.Helper()
	r := s.call(t, http.MethodPost, "/admin/employee/login", nil, map[string]string{"username": username, "password": password})
	expect(t, r, http.StatusOK, 1)
	return http.Header{"Token": {decode[struct{ Token string }](t, r).Token}}
}

// dialToken opens a dashboard socket with the admin token in the header, as scripts do.
func (s *service) dialToken(t *testing.T, admin http.Header, sid string) *dashboard {
	t.Helper()
	conn, resp, err := s.dial(sid, "", admin)
	if resp != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		t.Fatalf("dial /ws/%s with a token: %v", sid, err)
	}
	return listen(t, conn)
}

// refused fails unless every way in of this admin token is refused as revoked: REST, a new
// ticket, and an upgrade with the token itself.
func (s *service) refused(t *testing.T, admin http.Header, who string) {
	t.Helper()
	for _, c := range []struct{ method, path string }{{http.MethodGet, "/admin/alerts"}, {http.MethodPost, "/admin/ws/ticket"}} {
		if r := s.call(t, c.method, c.path, admin, nil); r.Status != http.StatusUnauthorized || r.msg() != revokedMsg {
			t.Errorf("%s on %s %s: %d %s, want 401 %q", who, c.method, c.path, r.Status, r.Raw, revokedMsg)
		}
	}
	_, resp, err := s.dial("revoked", "", admin)
	if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("%s opening /ws with the token: %v %v, want 401", who, resp, err)
	}
	if resp != nil {
		_ = resp.Body.Close()
	}
}

// admitted fails unless the admin token still reads the alerts.
func (s *service) admitted(t *testing.T, admin http.Header, who string) {
	t.Helper()
	if r := s.call(t, http.MethodGet, "/admin/alerts", admin, nil); r.Status != http.StatusOK {
		t.Errorf("%s: GET /admin/alerts = %d %s, want 200", who, r.Status, r.Raw)
	}
}

// asTheCLI runs invoke in the graph of the command line (bootstrap.Tools) on the database at url,
// as `orderalert admin …` does in a process of its own, and returns its error; extra adjusts
// the graph.
func asTheCLI(t *testing.T, databaseURL string, invoke any, extra ...fx.Option) error {
	t.Helper()
	cfg := bootstrap.DefaultConfig()
	cfg.DatabaseURL, cfg.DataDir = databaseURL, t.TempDir()
	cfg.AdminJWTSecret, cfg.UserJWTSecret = string(adminSecret), string(userSecret)
	app := fx.New(bootstrap.Tools(cfg, slog.New(slog.DiscardHandler), invoke), fx.NopLogger, fx.Options(extra...))
	if err := app.Err(); err != nil {
		return err
	}
	if err := app.Start(t.Context()); err != nil {
		return err
	}
	return app.Stop(t.Context())
}

// addAccounts creates admin accounts with these usernames, as `orderalert admin create` does.
func addAccounts(t *testing.T, databaseURL string, usernames ...string) {
	t.Helper()
	err := asTheCLI(t, databaseURL, func(uc application.CreateEmployee) error {
		for _, u := range usernames {
			if _, err := uc.Execute(context.Background(), u, u, u+"'s password", application.Workplace{}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// closedRevoked fails unless the server closes d with 4401 within revocationWait.
func (d *dashboard) closedRevoked(t *testing.T, who string) {
	t.Helper()
	if code := d.closedWith(t, revocationWait); code != 4401 {
		t.Fatalf("%s: the socket closed with %d, want 4401", who, code)
	}
}

// stillRings fails unless d receives the next alert, which payNewOrder creates.
func (s *service) stillRings(t *testing.T, who string, ds ...*dashboard) {
	t.Helper()
	if err := s.payNewOrder(t, s.userHeader(t, 7)); err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if f := d.next(t, 10*time.Second); f.Type != 1 {
			t.Fatalf("%s: frame %+v", who, f)
		}
	}
}
