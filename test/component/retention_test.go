package component_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/test/pgtest"
)

// TestRetentionPrunesAndResumeStillWorks: every stored alert is older than the retention. The
// service prunes them all shortly after it starts and logs how many; a dashboard that resumes
// from the last id it saw is then up to date — no 4010 — and the next alert gets a higher id
// and reaches it. One claiming a later id is still told to resync.
func TestRetentionPrunesAndResumeStillWorks(t *testing.T) {
	t.Parallel()
	for name, url := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u := url(t)
			old := seedAlerts(t, u, 30, time.Now().Add(-73*time.Hour))
			s := start(t, u, func(c *bootstrap.Config) { c.AlertRetention = 72 * time.Hour })
			if pruned := waitPruned(t, s, 30); pruned != 30 {
				t.Fatalf("pruned %d alerts, want 30", pruned)
			}
			admin := s.adminHeader(t)
			if left := s.alerts(t, admin); len(left) != 0 {
				t.Fatalf("GET /admin/alerts after the prune lists %d alerts", len(left))
			}
			last := old[len(old)-1]
			ahead := s.connect(t, admin, "ahead", last+1)
			if code := ahead.closedWith(t, 5*time.Second); code != 4010 {
				t.Errorf("lastAlertId beyond every id: close %d, want 4010", code)
			}
			current := s.connect(t, admin, "current", last)
			if err := s.payNewOrder(t, s.userHeader(t, 7)); err != nil {
				t.Fatal(err)
			}
			if f := current.next(t, 5*time.Second); f.ID <= last {
				t.Fatalf("the alert after the prune has id %d, not above the pruned %d", f.ID, last)
			}
		})
	}
}

// TestTwoInstancesPruneOneDatabaseTogether: two instances start on one PostgreSQL database
// holding 20,000 expired alerts and prune at the same moment. Between them they remove each once:
// their logged counts add up to 3,000, and neither logs an error.
func TestTwoInstancesPruneOneDatabaseTogether(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	seedAlerts(t, url, 20_000, time.Now().Add(-100*time.Hour))
	// Started together, so that their first prunes (2 s after start) overlap. A start that
	// fails marks the test failed from its goroutine; the nil check then stops the test.
	var (
		services [2]*service
		starting sync.WaitGroup
	)
	for i := range services {
		starting.Go(func() { services[i] = start(t, url, nil) }) // retention: the default, 72 h
	}
	starting.Wait()
	a, b := services[0], services[1]
	if a == nil || b == nil {
		t.FailNow()
	}
	eventuallyTrue(t, "every expired alert pruned and logged", func() bool {
		return a.count(t, "order_alerts") == 0 && prunedCount(a.logs.String())+prunedCount(b.logs.String()) >= 20_000
	})
	pa, pb := prunedCount(a.logs.String()), prunedCount(b.logs.String())
	t.Logf("instance A pruned %d, instance B %d", pa, pb)
	if pa+pb != 20_000 {
		t.Fatalf("the instances pruned %d + %d alerts, want 20,000 in all", pa, pb)
	}
	for name, s := range map[string]*service{"A": a, "B": b} {
		if strings.Contains(s.logs.String(), "cannot prune") {
			t.Errorf("instance %s logged a failed prune:\n%s", name, s.logs)
		}
	}
	expect(t, a.call(t, http.MethodGet, "/readyz", nil, nil), http.StatusOK, 1)
}

var prunedLine = regexp.MustCompile(`msg="pruned alerts past the retention".* count=(\d+)`)

// prunedCount adds up the counts of the service's "pruned" log lines.
func prunedCount(logs string) int {
	total := 0
	for _, m := range prunedLine.FindAllStringSubmatch(logs, -1) {
		n, _ := strconv.Atoi(m[1])
		total += n
	}
	return total
}

// waitPruned waits until the service has logged at least want pruned alerts, and returns its count.
func waitPruned(t *testing.T, s *service, want int) int {
	t.Helper()
	eventuallyTrue(t, "the prune logged", func() bool { return prunedCount(s.logs.String()) >= want })
	return prunedCount(s.logs.String())
}
