package browser

import (
	"context"
	"encoding/json"
	"fmt"
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

// publish appends an alert to the running server's log as an integration's publishing does —
// through the persistence layer the server itself uses, on its SQLite file — and returns its id.
// The server's feed re-reads the log at least every second and delivers it. (POST /api/alerts
// does this over HTTP once it exists; these tests need only the alert.)
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
