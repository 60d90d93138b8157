package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// published is what an integrated backend publishes: a kind, a shop, its own order number and
// a text; no order of orderalert's.
type published struct {
	Type        alert.Type
	Shop        int64
	OrderNumber string
	Content     string
}

// publishOverHTTP publishes as an integrated backend does, with POST /api/alerts and the key of
// an integration "pms" for every shop (created by the CLI on first use), and returns the id.
func (s *server) publishOverHTTP(ctx context.Context, p published) int64 {
	s.t.Helper()
	if s.integrationKey == "" {
		s.integrationKey = lastLine(s.Run(ctx, "integration", "create", "--name", "pms"))
	}
	body, _ := json.Marshal(map[string]any{"type": p.Type, "shopId": p.Shop, "orderNumber": p.OrderNumber, "content": p.Content})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Base()+"/api/alerts", bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.integrationKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var answer struct{ Data struct{ ID int64 } }
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(raw, &answer) != nil || answer.Data.ID == 0 {
		s.t.Fatalf("POST /api/alerts %s = %d %s", body, resp.StatusCode, raw)
	}
	return answer.Data.ID
}

// publish appends an alert straight to the server's log, through the persistence layer the
// server itself uses, on its SQLite file, and returns its id: for what POST /api/alerts would
// refuse (a code with no kind, as a newer version's alert would be) and for a server that is
// not running. The server's feed re-reads the log at least every second and delivers it.
func (s *server) publish(ctx context.Context, p published) int64 {
	s.t.Helper()
	db, err := persistence.Open(filepath.Join(s.Dir, "data", "orderalert.db"))
	if err != nil {
		s.t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	// The repository appends an alert with an order's change; the carrier order is left as it
	// is, and the alert names none of orderalert's orders.
	a := alert.Alert{Type: p.Type, ShopID: p.Shop, Source: "pms", OrderNumber: p.OrderNumber, Content: p.Content, CreatedAt: time.Now()}
	_, stored, err := persistence.NewOrderRepository(db).Update(ctx, application.ByID(s.carrierOrder(ctx)),
		func(*order.Order) (*alert.Alert, error) { return &a, nil })
	if err != nil {
		s.t.Fatalf("publish %+v: %v", p, err)
	}
	return stored.ID
}

// carrierOrder is an unpaid order of the server's, placed once.
func (s *server) carrierOrder(ctx context.Context) int64 {
	s.t.Helper()
	if s.carrier == 0 {
		var submitted struct{ Data struct{ ID int64 } }
		raw := s.call(ctx, s.Base(), "POST", "/user/order/submit", s.userToken(99), `{"amount": 1}`)
		if err := json.Unmarshal([]byte(raw), &submitted); err != nil || submitted.Data.ID == 0 {
			s.t.Fatalf("the carrier order: %v %s", err, raw)
		}
		s.carrier = submitted.Data.ID
	}
	return s.carrier
}

// createKind runs `orderalert kind create`, as an operator does, and checks that it printed the
// code.
func (s *server) createKind(ctx context.Context, code int, name, speech string) {
	s.t.Helper()
	if out := s.Run(ctx, "kind", "create", "--code", fmt.Sprint(code), "--name", name, "--speech", speech); lastLine(out) != fmt.Sprint(code) {
		s.t.Fatalf("kind create printed %q", out)
	}
}

func lastLine(s string) string {
	return s[strings.LastIndexByte(s, '\n')+1:]
}
