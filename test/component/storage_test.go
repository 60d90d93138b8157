package component_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/orderalert/orderalert/test/pgtest"
)

// refusal is a way to make a database's storage refuse writes while it still answers reads,
// and to take the cause away again.
type refusal struct {
	url             func(t *testing.T) string
	refuse, restore func(t *testing.T, s *service)
	cause           string // what the service's log says about the refused writes
	everyWrite      bool   // every write is refused, not only those that need room
}

// refusals: a SQLite disk that is full, and a PostgreSQL that became read-only.
var refusals = map[string]refusal{
	"SQLite disk full": {
		// max_page_count is how full this test's disk is: SQLite answers SQLITE_FULL exactly as for
		// a full disk (a size-limited tmpfs would need mount, which CI may not allow). The
		// service migrates and runs in well under 4 MB; the test fills the rest.
		url: func(t *testing.T) string {
			return "file:" + filepath.Join(t.TempDir(), "orderalert.db") + "?_pragma=max_page_count(1000)"
		},
		refuse:     fillSQLite,
		restore:    func(t *testing.T, s *service) { mustExec(t, s.db, "DROP TABLE disk_filler") },
		cause:      "database or disk is full",
		everyWrite: false,
	},
	"PostgreSQL read-only": {
		url:        func(t *testing.T) string { return pgtest.NewDatabase(t) },
		refuse:     func(t *testing.T, s *service) { setReadOnly(t, s, true) },
		restore:    func(t *testing.T, s *service) { setReadOnly(t, s, false) },
		cause:      "read-only transaction",
		everyWrite: true,
	},
}

func mustExec(t *testing.T, db *bun.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatal(err)
	}
}

// fillSQLite takes every page max_page_count leaves with a table of blobs, in ever smaller
// pieces, until not even a tiny one fits.
func fillSQLite(t *testing.T, s *service) {
	t.Helper()
	mustExec(t, s.db, "CREATE TABLE disk_filler (b BLOB)")
	for _, size := range []int{1 << 16, 1 << 12, 1 << 9, 1 << 6, 1} {
		for i := 0; ; i++ {
			if _, err := s.db.ExecContext(t.Context(), "INSERT INTO disk_filler VALUES (zeroblob(?))", size); err != nil {
				if !strings.Contains(err.Error(), "full") {
					t.Fatal(err)
				}
				break
			}
			if i == 10000 {
				t.Fatalf("10000 blobs of %d bytes fit", size)
			}
		}
	}
}

// setReadOnly makes the service's PostgreSQL database read-only for new sessions, as a failover
// to a standby or an operator's default_transaction_read_only does, or writable again. The
// service's pool keeps no idle connection from then on, so that every statement meets the new
// setting on a new session.
func setReadOnly(t *testing.T, s *service, on bool) {
	t.Helper()
	var name string
	if err := s.db.NewRaw("SELECT current_database()").Scan(t.Context(), &name); err != nil {
		t.Fatal(err)
	}
	s.db.SetMaxIdleConns(0)
	// From the server's maintenance database: a read-only session cannot run ALTER DATABASE.
	admin := bun.NewDB(sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(pgtest.ServerURL()))), pgdialect.New())
	defer func() { _ = admin.Close() }()
	query := "ALTER DATABASE ? SET default_transaction_read_only = on"
	if !on {
		query = "ALTER DATABASE ? RESET default_transaction_read_only"
	}
	mustExec(t, admin, query, bun.Ident(name))
}

// wantRefused fails unless r is the answer to a write the database could not take: 503, the
// envelope with the database's message, and Retry-After.
func wantRefused(t *testing.T, what string, r reply) {
	t.Helper()
	if r.Status != http.StatusServiceUnavailable || r.Code != 0 || r.msg() != unavailableMsg || r.Header.Get("Retry-After") == "" {
		t.Fatalf("%s: %d Retry-After %q %s; want 503 %q with Retry-After", what, r.Status, r.Header.Get("Retry-After"), r.Raw, unavailableMsg)
	}
}

// TestWritesTheStorageRefusesAreAnswered503: while the storage refuses writes (a full SQLite
// disk, a read-only PostgreSQL) the refused writes answer 503 with Retry-After and the
// database's message, not 500; WeChat Pay's notification gets 503 FAIL so that it retries;
// /readyz is 503 naming the database; nothing was half-written. Once the cause is gone the
// same writes succeed and /readyz is 200, without a restart.
func TestWritesTheStorageRefusesAreAnswered503(t *testing.T) {
	t.Parallel()
	for name, r := range refusals {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := start(t, r.url(t), nil)
			user := s.userHeader(t, 7)
			unpaid := make([]submitted, 40)
			for i := range unpaid {
				unpaid[i] = s.submit(t, 7, "9.90")
			}
			r.refuse(t, s)
			ordersBefore, alertsBefore := s.count(t, "orders"), s.count(t, "order_alerts")

			submit, accepted := refusedSubmit(t, s, user)
			if r.everyWrite && accepted > 0 {
				t.Errorf("%d orders accepted by a database that refuses every write", accepted)
			}
			if n := s.count(t, "orders"); n != ordersBefore+accepted {
				t.Errorf("%d orders, want %d: a refused submission left one behind", n, ordersBefore+accepted)
			}
			notification, paid := refusedNotification(t, s, unpaid)
			if r.everyWrite && paid > 0 {
				t.Errorf("%d payments accepted by a database that refuses every write", paid)
			}
			if n := s.count(t, "order_alerts"); n != alertsBefore+paid {
				t.Errorf("%d alerts, want %d: a refused payment left one behind", n, alertsBefore+paid)
			}
			if d := decode[orderDetail](t, s.call(t, http.MethodGet, "/user/order/orderDetail/"+strconv.FormatInt(notification.order.ID, 10), user, nil)); d.PayStatus != 0 {
				t.Errorf("the order whose payment was refused: %+v", d)
			}
			if status, checks := s.readiness(t); status != http.StatusServiceUnavailable || checks["database"] != "unavailable" {
				t.Errorf("/readyz while writes are refused: %d %v", status, checks)
			}
			if !strings.Contains(s.logs.String(), r.cause) {
				t.Errorf("the log does not say %q:\n%s", r.cause, s.logs)
			}

			r.restore(t, s)
			s.eventually(t, "the refused submission succeeds", func() bool {
				got := s.call(t, http.MethodPost, "/user/order/submit", user, submit)
				if got.Status != http.StatusOK {
					wantRefused(t, "submission while the database recovers", got)
				}
				return got.Status == http.StatusOK
			})
			s.eventually(t, "the refused notification succeeds", func() bool {
				status, code := s.notify(t, notification.header, notification.body)
				return status == http.StatusOK && code == "SUCCESS"
			})
			s.readyUntil(t, 15*time.Second, http.StatusOK, "database", "ok")
		})
	}
}

// refusedSubmit submits orders until one is refused (on a full disk, the first that needs a new
// page), checks the refusal and that the same submission is refused again, and returns it with
// the number accepted before.
func refusedSubmit(t *testing.T, s *service, user http.Header) (body string, accepted int) {
	t.Helper()
	body = `{"amount":9.9,"payMethod":1,"remark":"少放辣"}`
	for ; ; accepted++ {
		r := s.call(t, http.MethodPost, "/user/order/submit", user, body)
		if r.Status != http.StatusOK {
			wantRefused(t, "submission", r)
			break
		}
		if accepted == 500 {
			t.Fatal("500 submissions accepted while the storage refuses writes")
		}
	}
	wantRefused(t, "the same submission again", s.call(t, http.MethodPost, "/user/order/submit", user, body))
	t.Logf("submission refused after %d accepted", accepted)
	return body, accepted
}

// notification is a signed WeChat Pay notification of an order's payment.
type notification struct {
	order  submitted
	header http.Header
	body   []byte
}

// refusedNotification notifies the payment of the orders until one is refused, checks that the
// refusal is 503 FAIL and that the same notification is refused again, and returns it with the
// number of payments accepted before.
func refusedNotification(t *testing.T, s *service, orders []submitted) (notification, int) {
	t.Helper()
	for i, o := range orders {
		header, body := s.wechat.Notification(t, s.paid(t, o, fmt.Sprintf("42000090%04d", i)))
		status, code := s.notify(t, header, body)
		if code == "SUCCESS" {
			continue
		}
		if status != http.StatusServiceUnavailable || code != "FAIL" {
			t.Fatalf("refused notification: %d %s, want 503 FAIL so that WeChat Pay retries", status, code)
		}
		if status, code := s.notify(t, header, body); status != http.StatusServiceUnavailable || code != "FAIL" {
			t.Fatalf("the same notification again: %d %s, want 503 FAIL", status, code)
		}
		t.Logf("payment notification refused after %d accepted", i)
		return notification{order: o, header: header, body: body}, i
	}
	t.Fatal(errors.New("every payment was accepted while the storage refuses writes"))
	return notification{}, 0
}
