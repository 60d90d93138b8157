package component_test

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sqliteFiles are the database file and its companions, which move together.
var sqliteFiles = []string{"", "-wal", "-shm"}

// guardError is what the log says when the file at the database's path is not the one open.
const guardError = "the SQLite database file is no longer the one this service opened"

// moveSQLite renames the database at from, with its -wal and -shm, to to.
func moveSQLite(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range sqliteFiles {
		if err := os.Rename(from+suffix, to+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
}

// wantOrders fails unless exactly the orders want are in the service's database.
func (s *service) wantOrders(t *testing.T, want ...submitted) {
	t.Helper()
	if n := s.count(t, "orders"); n != len(want) {
		t.Errorf("%d orders, want %d", n, len(want))
	}
	user := s.userHeader(t, 7)
	for _, o := range want {
		r := s.call(t, http.MethodGet, "/user/order/orderDetail/"+strconv.FormatInt(o.ID, 10), user, nil)
		if r.Status != http.StatusOK || decode[orderDetail](t, r).Number != o.OrderNumber {
			t.Errorf("acknowledged order %s: %d %s", o.OrderNumber, r.Status, r.Raw)
		}
	}
}

// wantWritesRefused checks that, with the file gone from the database's path, writes (an order,
// a payment notification) are refused as "the database is unavailable", /readyz says so and the
// log says what happened.
func (s *service) wantWritesRefused(t *testing.T, unpaid submitted) {
	t.Helper()
	wantRefused(t, "submission", s.call(t, http.MethodPost, "/user/order/submit", s.userHeader(t, 7), `{"amount":1,"payMethod":1}`))
	header, body := s.wechat.Notification(t, s.paid(t, unpaid, "4200009901"))
	if status, code := s.notify(t, header, body); status != http.StatusServiceUnavailable || code != "FAIL" {
		t.Errorf("notification: %d %s, want 503 FAIL", status, code)
	}
	if status, checks := s.readiness(t); status != http.StatusServiceUnavailable || checks["database"] != "unavailable" {
		t.Errorf("/readyz: %d %v", status, checks)
	}
	if !strings.Contains(s.logs.String(), guardError) {
		t.Errorf("the log does not say %q:\n%s", guardError, s.logs)
	}
}

// TestASQLiteFileMovedAwayRefusesWritesUntilItIsBack: the database file is moved away while the
// service runs. Writes are refused (they would land in a file the next start does not open),
// readiness is down and the log says so; once the file is back, writes and readiness resume
// without a restart, and a restart finds every acknowledged order and none of the refused ones.
func TestASQLiteFileMovedAwayRefusesWritesUntilItIsBack(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "orderalert.db")
	s := start(t, path, nil)
	first := s.submit(t, 7, "9.90")
	moveSQLite(t, path, path+".moved")
	s.wantWritesRefused(t, first)

	moveSQLite(t, path+".moved", path)
	second := s.submit(t, 7, "19.90")
	s.readyUntil(t, 5*time.Second, http.StatusOK, "database", "ok") // past the answer /readyz caches
	s.stop()
	start(t, path, nil).wantOrders(t, first, second)
}

// TestADeletedSQLiteFileRefusesWritesAndCanBeRecovered: the database file is deleted while the
// service runs. Writes are refused, readiness is down, and the log tells the operator where the
// open file can still be copied from; doing that before the restart loses nothing that was
// acknowledged.
func TestADeletedSQLiteFileRefusesWritesAndCanBeRecovered(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "orderalert.db")
	s := start(t, path, nil)
	acknowledged := s.submit(t, 7, "9.90")
	for _, suffix := range sqliteFiles {
		if err := os.Remove(path + suffix); err != nil {
			t.Fatal(err)
		}
	}
	s.wantWritesRefused(t, acknowledged)
	if !strings.Contains(s.logs.String(), "/proc/"+strconv.Itoa(os.Getpid())+"/fd/") {
		t.Errorf("the log does not say where the open file can be copied from:\n%s", s.logs)
	}

	// The operator's recovery, as the log describes it: copy the open file and its -wal out of
	// /proc, stop the service, put the copies at the path, start again.
	recovered := path + ".recovered"
	copyDeleted(t, path, recovered)
	copyDeleted(t, path+"-wal", recovered+"-wal")
	s.stop()
	moveSQLite(t, recovered, path)
	start(t, path, nil).wantOrders(t, acknowledged)
}

// copyDeleted copies the file this process still holds open under the name deleted (which is
// gone from its folder) to to.
func copyDeleted(t *testing.T, deleted, to string) {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range fds {
		link := filepath.Join("/proc/self/fd", fd.Name())
		if target, err := os.Readlink(link); err != nil || target != deleted+" (deleted)" {
			continue
		}
		from, err := os.Open(link)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = from.Close() }()
		out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, from); err != nil {
			t.Fatal(err)
		}
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("no open descriptor of %s", deleted)
}
