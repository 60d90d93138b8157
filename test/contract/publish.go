package contract

import (
	"sync"
	"testing"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

// Publisher is the suite of application.AlertPublisher.
func Publisher(t *testing.T, backend Backend) {
	t.Run("a published alert joins the one log, in id order", func(t *testing.T) { t.Parallel(); testPublishJoinsTheLog(t, backend(t)()) })
	t.Run("an idempotency key stores one alert per source and shop", func(t *testing.T) { t.Parallel(); testPublishIdempotent(t, backend(t)()) })
	t.Run("race: 20 calls with one key on two instances store one alert", func(t *testing.T) { t.Parallel(); testPublishRacing(t, backend(t)) })
}

func published(source string, shopID int64, key, number string) alert.Alert {
	return alert.Alert{
		Type: 10, ShopID: shopID, Source: source, IdempotencyKey: key,
		OrderID: 1208, OrderNumber: number, Content: "房间" + number + "需要加床", CreatedAt: baseTime,
	}
}

func testPublishJoinsTheLog(t *testing.T, s Store) {
	o := add(t, s, newOrder(7))
	_, paid := confirmPayment(t, s, o.ID, "wx-1")
	stored, created, err := s.Publisher.Publish(t.Context(), published("pms", 1, "", "1208"))
	if err != nil || !created || stored.ID <= paid.ID {
		t.Fatalf("Publish = %+v, %v, %v; want a new alert after %d", stored, created, err, paid.ID)
	}
	log, err := s.Alerts.After(t.Context(), application.EveryAlert(), 0, 10)
	if err != nil || len(log) != 2 {
		t.Fatalf("the log = %+v, %v", log, err)
	}
	want := published("pms", 1, "", "1208")
	want.ID = stored.ID
	if got := log[1]; !got.Equal(want) {
		t.Fatalf("the published alert read back = %+v\nwant %+v", got, want)
	}
	if log[0].Source != "" {
		t.Fatalf("an order's alert has source %q, want none", log[0].Source)
	}
}

func testPublishIdempotent(t *testing.T, s Store) {
	first, created, err := s.Publisher.Publish(t.Context(), published("pms", 1, "k-1", "1208"))
	if err != nil || !created {
		t.Fatalf("first Publish = %v, %v", created, err)
	}
	again, created, err := s.Publisher.Publish(t.Context(), published("pms", 1, "k-1", "1208"))
	if err != nil || created || !again.Equal(first) {
		t.Fatalf("the same key again = %+v, %v, %v; want %+v, not created", again, created, err, first)
	}
	if got, found, err := s.Publisher.Existing(t.Context(), "pms", 1, "k-1"); err != nil || !found || !got.Equal(first) {
		t.Fatalf("Existing = %+v, %v, %v", got, found, err)
	}
	// The key is the source's and the shop's: another source or shop may use it.
	for _, other := range []alert.Alert{published("erp", 1, "k-1", "1208"), published("pms", 2, "k-1", "1208")} {
		if _, found, _ := s.Publisher.Existing(t.Context(), other.Source, other.ShopID, "k-1"); found {
			t.Fatalf("Existing(%s, shop %d) found another's alert", other.Source, other.ShopID)
		}
		if _, created, err := s.Publisher.Publish(t.Context(), other); err != nil || !created {
			t.Fatalf("Publish(%s, shop %d, k-1) = %v, %v; want a new alert", other.Source, other.ShopID, created, err)
		}
	}
	if n := len(allAlerts(t, s)); n != 3 {
		t.Fatalf("the log has %d alerts, want 3", n)
	}
}

func testPublishRacing(t *testing.T, backend func() Store) {
	stores := []Store{backend(), backend()}
	const calls = 20
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		ids     = map[int64]int{}
		creates int
		errs    []error
	)
	for i := range calls {
		s := stores[i%2]
		wg.Go(func() {
			a, created, err := s.Publisher.Publish(t.Context(), published("pms", 1, "pay-A-1", "A-1"))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			ids[a.ID]++
			if created {
				creates++
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 || creates != 1 || len(ids) != 1 {
		t.Fatalf("%d racing calls: %d created, ids %v, errors %v; want one alert created and every call answering it", calls, creates, ids, errs)
	}
	if n := len(allAlerts(t, stores[1])); n != 1 {
		t.Fatalf("the log has %d alerts, want 1", n)
	}
}
