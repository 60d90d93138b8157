package http

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/orderalert/orderalert/application"
)

// TestUnavailableIsA503WithRetryAfter: the error table answers a database that cannot be
// reached, and any other temporary unavailability, with 503, the envelope, a clear msg and
// Retry-After; an unknown error stays a 500 without details.
func TestUnavailableIsA503WithRetryAfter(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		err        error
		status     int
		msg        string
		retryAfter bool
	}{
		{"database", fmt.Errorf("confirm payment: update order: %w: EOF", application.ErrDatabaseUnavailable), 503, "数据库暂时不可用，请稍后重试", true},
		{"other", fmt.Errorf("attach dashboard: %w", application.ErrUnavailable), 503, "服务暂时不可用，请稍后重试", true},
		{"internal", errors.New("disk on fire"), 500, "服务器内部错误", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			app := fiber.New(fiber.Config{ErrorHandler: errorHandler(slog.New(slog.DiscardHandler))})
			app.Get("/", func(*fiber.Ctx) error { return c.err })
			resp, err := app.Test(httptest.NewRequest(fiber.MethodGet, "/", nil))
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = resp.Body.Close() }()
			raw, _ := io.ReadAll(resp.Body)
			var env envelope
			if err := json.Unmarshal(raw, &env); err != nil || env.Code != 0 || env.Msg == nil {
				t.Fatalf("not a failure envelope: %s", raw)
			}
			if resp.StatusCode != c.status || *env.Msg != c.msg {
				t.Errorf("%d %q, want %d %q", resp.StatusCode, *env.Msg, c.status, c.msg)
			}
			if got := resp.Header.Get("Retry-After"); (got != "") != c.retryAfter {
				t.Errorf("Retry-After %q", got)
			}
		})
	}
}
