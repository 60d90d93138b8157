package fault

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/persistence"
)

// catchUpLimit bounds how long the dashboards may take to receive every stored alert once the
// traffic has stopped (they may be backing off from a reconnect).
const catchUpLimit = 20 * time.Second

// orderState is one stored order, as the invariants need it.
type orderState struct {
	status, payStatus int
	reminded          bool
	type1, type2      int // its alerts of each type
}

// store is what the database holds once the traffic has stopped.
type store struct {
	alerts []alertFrame
	orders map[int64]orderState
}

func readStore(t *testing.T, ctx context.Context, db database) store {
	t.Helper()
	bdb, err := persistence.Open(db.url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = bdb.Close() }()
	s := store{orders: map[int64]orderState{}}
	rows, err := bdb.QueryContext(ctx, `SELECT id, type, order_id FROM order_alerts ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a alertFrame
		if err := rows.Scan(&a.ID, &a.Type, &a.OrderID); err != nil {
			t.Fatal(err)
		}
		s.alerts = append(s.alerts, a)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	rows, err = bdb.QueryContext(ctx, `SELECT o.id, o.status, o.pay_status, o.last_reminded_at IS NOT NULL,
		(SELECT count(*) FROM order_alerts a WHERE a.order_id = o.id AND a.type = 1),
		(SELECT count(*) FROM order_alerts a WHERE a.order_id = o.id AND a.type = 2)
		FROM orders o`)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var id int64
		var o orderState
		if err := rows.Scan(&id, &o.status, &o.payStatus, &o.reminded, &o.type1, &o.type2); err != nil {
			t.Fatal(err)
		}
		s.orders[id] = o
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return s
}

// checkDelivery waits until every dashboard has received every stored alert, stops the
// dashboards, and checks the delivery invariant: every acknowledged alert is stored and was
// delivered to every dashboard; each dashboard handled exactly the stored ids; within a socket
// ids increased. It logs the figures and returns the store for further checks.
func checkDelivery(t *testing.T, ctx context.Context, db database, calls []call, dashboards []*dashboard) store {
	t.Helper()
	s := readStore(t, ctx, db)
	acked := acknowledged(calls)
	storedKeys := map[alertKey]bool{}
	for _, a := range s.alerts {
		storedKeys[alertKey{a.Type, a.OrderID}] = true
	}
	var notStored []alertKey
	for k := range acked {
		if !storedKeys[k] {
			notStored = append(notStored, k)
		}
	}
	if len(notStored) > 0 {
		t.Errorf("%d acknowledged alerts are not stored: %v", len(notStored), notStored)
	}

	caughtUp := time.Now()
	for _, d := range dashboards {
		for len(d.missing(s.alerts)) > 0 && time.Since(caughtUp) < catchUpLimit && ctx.Err() == nil {
			time.Sleep(50 * time.Millisecond)
		}
	}
	for _, d := range dashboards {
		d.stop()
	}
	t.Logf("%s: %d alerts created, %d acknowledged; %s", db.name, len(s.alerts), len(acked), outcomes(calls))
	for _, d := range dashboards {
		checkDashboard(t, d, s, acked)
	}
	return s
}

func checkDashboard(t *testing.T, d *dashboard, s store, acked map[alertKey]bool) {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	stored := map[int64]bool{}
	for _, a := range s.alerts {
		stored[a.ID] = true
	}
	var missing, phantom []int64
	for id := range stored {
		if _, ok := d.seen[id]; !ok {
			missing = append(missing, id)
		}
	}
	seenKeys := map[alertKey]bool{}
	for id, f := range d.seen {
		seenKeys[alertKey{f.Type, f.OrderID}] = true
		if !stored[id] {
			phantom = append(phantom, id)
		}
	}
	lost := 0
	for k := range acked {
		if !seenKeys[k] {
			lost++
		}
	}
	slices.Sort(missing)
	var bases []string
	for _, sock := range d.sockets {
		bases = append(bases, strings.TrimPrefix(sock.base, "http://"))
	}
	t.Logf("  dashboard %s (%s): %d alerts over %d sockets (%s; server closes %s; %d attempts refused), %d repeats, lost %d",
		d.sid, d.auth(), len(d.seen), len(d.sockets), compact(bases), d.closeCodes(), d.refusals, d.repeats, lost)
	if lost > 0 || len(missing) > 0 {
		t.Errorf("dashboard %s lost %d acknowledged alerts; missing stored ids %v", d.sid, lost, missing)
	}
	if len(phantom) > 0 {
		t.Errorf("dashboard %s got ids that are not stored: %v", d.sid, phantom)
	}
	for _, v := range d.violations {
		t.Errorf("dashboard %s: %s", d.sid, v)
	}
}

// compact shortens a list of instance addresses: a, a, b → a×2 b.
func compact(items []string) string {
	var parts []string
	for i := 0; i < len(items); {
		j := i
		for j < len(items) && items[j] == items[i] {
			j++
		}
		if j-i > 1 {
			parts = append(parts, fmt.Sprintf("%s×%d", items[i], j-i))
		} else {
			parts = append(parts, items[i])
		}
		i = j
	}
	return strings.Join(parts, " ")
}

// checkOrders checks what the orders say against the alerts: a paid order has exactly one
// new-order alert, an unpaid one none, and no order was reminded twice (each is reminded once).
func checkOrders(t *testing.T, s store) {
	t.Helper()
	for id, o := range s.orders {
		paid := o.payStatus == 1
		switch {
		case paid && o.type1 != 1:
			t.Errorf("paid order %d has %d new-order alerts, want 1", id, o.type1)
		case !paid && o.type1 != 0:
			t.Errorf("unpaid order %d has %d new-order alerts", id, o.type1)
		case o.type2 > 1:
			t.Errorf("order %d has %d reminder alerts, want at most 1", id, o.type2)
		case o.reminded != (o.type2 == 1):
			t.Errorf("order %d: reminded %v but %d reminder alerts", id, o.reminded, o.type2)
		}
	}
}

// checkFailuresChangedNothing: a call that failed left no trace — no order from a failed
// submit, no payment or alert from a failed payment, no reminder from a failed reminder.
func checkFailuresChangedNothing(t *testing.T, s store, calls []call) {
	t.Helper()
	submitted := 0
	for _, c := range calls {
		if c.kind == "submit" && c.ok() {
			submitted++
		}
		if c.ok() || c.refused || c.kind == "submit" {
			continue // a refused call reached nobody, and its step was tried again
		}
		o := s.orders[c.orderID]
		if c.kind == "pay" && (o.payStatus != 0 || o.type1 != 0) {
			t.Errorf("payment of order %d failed (%d %q %v) yet the order is paid=%d with %d alerts", c.orderID, c.status, c.msg, c.err, o.payStatus, o.type1)
		}
		if c.kind == "remind" && (o.reminded || o.type2 != 0) {
			t.Errorf("reminder of order %d failed (%d %q %v) yet it was recorded", c.orderID, c.status, c.msg, c.err)
		}
	}
	if len(s.orders) != submitted {
		t.Errorf("%d orders stored, %d submits succeeded", len(s.orders), submitted)
	}
}

// waitConnected waits until every dashboard has an open socket.
func waitConnected(t *testing.T, ctx context.Context, dashboards ...*dashboard) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for _, d := range dashboards {
		for d.openSocket() == nil {
			if ctx.Err() != nil || time.Now().After(deadline) {
				t.Fatalf("dashboard %s did not connect within 15 s", d.sid)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
