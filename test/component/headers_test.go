package component_test

import (
	"bufio"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// get is a plain GET of path, outside the spec's checks (the dashboard's files, /ws), with its
// body read away; it returns the response's header.
func (s *service) get(t *testing.T, path string, header http.Header) http.Header {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.Header
}

// TestEveryAnswerCarriesTheSecurityHeaders: every kind of answer — a success, a refusal by a
// handler, by a token check and by the router, a dashboard file, a refused socket upgrade, the
// metrics and what fasthttp refuses itself — says X-Content-Type-Options: nosniff, and none of
// them may be cached; those that carry a token or a ticket say Cache-Control: no-store.
func TestEveryAnswerCarriesTheSecurityHeaders(t *testing.T) {
	t.Parallel()
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), nil)
	login := s.call(t, http.MethodPost, "/admin/employee/login", nil, map[string]string{"username": "admin", "password": adminPass})
	expect(t, login, http.StatusOK, 1)
	admin := http.Header{"Token": {decode[struct{ Token string }](t, login).Token}}
	ticket := s.call(t, http.MethodPost, "/admin/ws/ticket", admin, nil)
	expect(t, ticket, http.StatusOK, 1)

	answers := map[string]http.Header{
		"a token":             login.Header,
		"a ticket":            ticket.Header,
		"a success":           s.call(t, http.MethodGet, "/healthz", nil, nil).Header,
		"a handler's refusal": s.call(t, http.MethodGet, "/admin/alerts?limit=x", admin, nil).Header,
		"a token check":       s.call(t, http.MethodGet, "/admin/alerts", nil, nil).Header,
		"no such route":       s.get(t, "/no/such/route", nil),
		"a dashboard file":    s.get(t, "/", nil),
		"a refused upgrade":   s.get(t, "/ws/headers", nil),
		"the metrics":         s.get(t, "/metrics", nil),
		"a request fasthttp refuses": func() http.Header {
			conn := s.rawConn(t)
			if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nBad Header: x\r\n\r\n"); err != nil {
				t.Fatal(err)
			}
			return readAnswer(t, bufio.NewReader(conn), "a broken header").resp.Header
		}(),
	}
	for what, h := range answers {
		if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q, want nosniff", what, got)
		}
		if what == "a dashboard file" {
			continue // revalidated, not stored: the next release's files replace it
		}
		if got := h.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", what, got)
		}
	}
}

// TestTheDashboardKeepsToItsOwnOrigin: the dashboard's page may connect (fetch and WebSocket)
// only to its own origin, loads nothing from elsewhere, cannot be framed and sends no Referer
// with the links a customer's text may hold.
func TestTheDashboardKeepsToItsOwnOrigin(t *testing.T) {
	t.Parallel()
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), nil)
	h := s.get(t, "/index.html", nil)
	directives := map[string]string{}
	for d := range strings.SplitSeq(h.Get("Content-Security-Policy"), ";") {
		if name, value, _ := strings.Cut(strings.TrimSpace(d), " "); name != "" {
			directives[name] = value
		}
	}
	for name, want := range map[string]string{
		"default-src": "'self'", "connect-src": "'self'", "object-src": "'none'", "frame-ancestors": "'none'", "base-uri": "'none'",
	} {
		if got := directives[name]; got != want {
			t.Errorf("CSP %s %q, want %q (policy %q)", name, got, want, h.Get("Content-Security-Policy"))
		}
	}
	if got := h.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy %q, want no-referrer", got)
	}
}
