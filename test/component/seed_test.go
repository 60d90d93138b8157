package component_test

import (
	"context"
	"encoding/json"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"
	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// readerSocketBuffer is the kernel receive buffer of a dashboard that reads slowly.
const readerSocketBuffer = 32 << 10

// seedAlerts migrates the database at url and stores n alerts of one order, created at at, in a
// few multi-row inserts (through the use cases 20,000 would take minutes). It returns their ids.
func seedAlerts(t *testing.T, url string, n int, at time.Time) []int64 {
	t.Helper()
	db, err := persistence.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	if _, err := persistence.Migrate(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	at = at.UTC().Truncate(time.Microsecond)
	draft := order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 1250}
	o, err := order.New(draft, order.NewNumber(at, 1), at)
	if err != nil {
		t.Fatal(err)
	}
	o, err = persistence.NewOrderRepository(db).Add(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	return insertAlerts(t, db, o, n, at)
}

// insertAlerts stores n alerts of order o straight into the table, a thousand per statement, and
// returns their ids in order. A running service's feed finds them on its timer.
func insertAlerts(t *testing.T, db bun.IDB, o order.Order, n int, at time.Time) []int64 {
	t.Helper()
	ids := make([]int64, 0, n)
	for len(ids) < n {
		rows := make([]seedAlertRow, min(1000, n-len(ids)))
		for i := range rows {
			a := alert.NewOrder(o.ShopID, o.ID, o.Number, at)
			rows[i] = seedAlertRow{Type: int(a.Type), ShopID: a.ShopID, OrderID: a.OrderID, OrderNumber: a.OrderNumber, Content: a.Content, CreatedAt: a.CreatedAt}
		}
		if _, err := db.NewInsert().Model(&rows).Exec(t.Context()); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			ids = append(ids, r.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// seedAlertRow is the order_alerts table as the seed writes it.
type seedAlertRow struct {
	bun.BaseModel `bun:"table:order_alerts"`

	ID          int64     `bun:"id,pk,autoincrement"`
	Type        int       `bun:"type"`
	ShopID      int64     `bun:"shop_id"`
	OrderID     int64     `bun:"order_id"`
	OrderNumber string    `bun:"order_number"`
	Content     string    `bun:"content"`
	CreatedAt   time.Time `bun:"created_at"`
}

// dialSlowReader opens /ws/{sid} with a small kernel receive buffer, so that the server's
// writes wait for the reader instead of filling megabytes of socket buffers.
func dialSlowReader(t *testing.T, s *service, sid, query string) *fws.Conn {
	t.Helper()
	d := fws.Dialer{HandshakeTimeout: 5 * time.Second, NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if tcp, ok := c.(*net.TCPConn); ok {
			_ = tcp.SetReadBuffer(readerSocketBuffer)
		}
		return c, err
	}}
	conn, resp, err := d.DialContext(t.Context(), "ws"+strings.TrimPrefix(s.base, "http")+"/ws/"+sid+"?"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func frameID(t *testing.T, raw []byte) int64 {
	t.Helper()
	var f struct{ ID int64 }
	if err := json.Unmarshal(raw, &f); err != nil || f.ID <= 0 {
		t.Fatalf("frame %q: %v", raw, err)
	}
	return f.ID
}
