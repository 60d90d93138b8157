package component_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/order"
)

// brokenOrders fails every new order with an error the service does not expect: a 500.
type brokenOrders struct{ application.OrderRepository }

func (brokenOrders) Add(context.Context, order.Order) (order.Order, error) {
	return order.Order{}, errors.New("the disk is on fire")
}

// debugLogs swaps the service's logger for one at DEBUG into logs, where access lines of
// successful requests are written too.
func debugLogs(logs *logBuffer) fx.Option {
	return fx.Decorate(func(*slog.Logger) *slog.Logger {
		return slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
}

// rawGet sends a GET with the X-Request-ID given and returns the response's status and id.
func (s *service) rawGet(t *testing.T, path, requestID string, header http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if requestID != "" {
		req.Header.Set("X-Request-ID", requestID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("X-Request-ID")
}

// linesWith returns the log lines that contain every one of parts.
func linesWith(logs string, parts ...string) []string {
	var found []string
	for _, line := range strings.Split(logs, "\n") {
		matches := line != ""
		for _, p := range parts {
			matches = matches && strings.Contains(line, p)
		}
		if matches {
			found = append(found, line)
		}
	}
	return found
}

var generatedID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestEveryRequestHasAnIDInItsAnswerAndItsLogLines: a sane X-Request-ID is kept, anything else
// replaced by a fresh UUID; the id is echoed, and every line logged about the request — the
// error handler's and the access line — carries it as request_id. Access lines of successes are
// DEBUG, of failures INFO; none has a /ws query, which carries the ticket.
func TestEveryRequestHasAnIDInItsAnswerAndItsLogLines(t *testing.T) {
	t.Parallel()
	logs := &logBuffer{}
	s := start(t, filepath.Join(t.TempDir(), "orderalert.db"), nil, debugLogs(logs),
		fx.Decorate(func(o application.OrderRepository) application.OrderRepository { return brokenOrders{o} }))

	if status, id := s.rawGet(t, "/healthz", "lb-check.42:7", nil); status != http.StatusOK || id != "lb-check.42:7" {
		t.Errorf("sane id: %d, echoed %q", status, id)
	}
	for _, insane := range []string{strings.Repeat("a", 65), "two words", "x\"injected=1", "嗨"} {
		status, id := s.rawGet(t, "/healthz", insane, nil)
		if status != http.StatusOK || !generatedID.MatchString(id) {
			t.Errorf("id %q: %d, echoed %q, want a fresh UUID", insane, status, id)
		}
		if strings.Contains(logs.String(), insane) {
			t.Errorf("the log holds the refused id %q", insane)
		}
	}
	_, first := s.rawGet(t, "/healthz", "", nil)
	_, second := s.rawGet(t, "/healthz", "", nil)
	if !generatedID.MatchString(first) || first == second {
		t.Errorf("generated ids %q and %q", first, second)
	}

	// An internal error: the error handler's line and the access line both carry the id.
	r := s.call(t, http.MethodPost, "/user/order/submit", http.Header{"Authentication": s.userHeader(t, 7)["Authentication"], "X-Request-Id": {"it-500"}}, `{"amount":1}`)
	expect(t, r, http.StatusInternalServerError, 0)
	failed := linesWith(logs.String(), "request_id=it-500")
	if len(linesWith(logs.String(), "request_id=it-500", "level=ERROR", "the disk is on fire")) != 1 ||
		len(linesWith(logs.String(), "request_id=it-500", "level=INFO", "status=500", "route=/user/order/submit")) != 1 || len(failed) != 2 {
		t.Errorf("lines about request it-500, want the error and the access line:\n%s", strings.Join(failed, "\n"))
	}
	if lines := linesWith(logs.String(), "request_id=lb-check.42:7", "level=DEBUG", "status=200", "route=/healthz"); len(lines) != 1 {
		t.Errorf("access lines of the successful request: %q", lines)
	}

	// A socket: its upgrade's access line has the path but not the ticket in the query.
	d := s.connect(t, s.adminHeader(t), "logged", -1)
	waitAttached(t, s, []*dashboard{d})
	deadline := time.Now().Add(5 * time.Second)
	for len(linesWith(logs.String(), "route=/ws/:sid", "status=101")) != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("no access line for the upgrade:\n%s", logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if line := linesWith(logs.String(), "route=/ws/:sid")[0]; strings.Contains(line, "ticket") || !strings.Contains(line, "path=/ws/logged") {
		t.Errorf("the upgrade's access line: %s", line)
	}
}
