package contract

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/employee"
	"github.com/orderalert/orderalert/domain/push"
	"github.com/orderalert/orderalert/domain/shop"
)

// Push is the suite of application.PushSubscriptions and PushQueue: who gets an alert's push,
// once per alert and subscription across instances, and how a delivery ends.
func Push(t *testing.T, backend Backend) {
	t.Run("an alert is pushed to its shop's current staff only, once", func(t *testing.T) { t.Parallel(); testPushAudience(t, backend(t)()) })
	t.Run("a subscription is one per endpoint, and goes with its token", func(t *testing.T) { t.Parallel(); testSubscriptions(t, backend(t)()) })
	t.Run("a retry waits, a dead subscription goes, an ack or the TTL ends a push, an escalation pushes again", func(t *testing.T) {
		t.Parallel()
		testPushOutcomes(t, backend(t)())
	})
	t.Run("race: two instances enqueueing and claiming while alerts are logged push each once", func(t *testing.T) {
		t.Parallel()
		testPushRace(t, backend(t))
	})
}

// pushPayload writes what the tests read back: the alert and whether it renotifies.
func pushPayload(a alert.Alert, renotify bool) []byte {
	return fmt.Appendf(nil, `{"id":%d,"renotify":%t}`, a.ID, renotify)
}

var subscriptionKeys = struct{ p256dh, auth string }{
	base64.RawURLEncoding.EncodeToString(append([]byte{4}, make([]byte, 64)...)),
	base64.RawURLEncoding.EncodeToString(make([]byte, 16)),
}

func subscribe(t *testing.T, s Store, e employee.Employee, token, endpoint string) push.Subscription {
	t.Helper()
	sub, err := s.PushSubscriptions.Save(t.Context(), push.Subscription{
		EmployeeID: e.ID, TokenID: token, TokenVersion: e.TokenVersion, Endpoint: endpoint,
		P256dh: subscriptionKeys.p256dh, Auth: subscriptionKeys.auth, CreatedAt: baseTime,
	})
	if err != nil || sub.ID <= 0 {
		t.Fatalf("Save subscription %s: %+v, %v", endpoint, sub, err)
	}
	return sub
}

func staff(t *testing.T, s Store, username string, shopID int64, change func(*employee.Employee)) employee.Employee {
	t.Helper()
	e := newEmployee(username)
	e.ShopID = shopID
	if change != nil {
		change(&e)
	}
	added, err := s.Employees.Add(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	return added
}

func enqueueAll(t *testing.T, s Store) int {
	t.Helper()
	total := 0
	for {
		n, err := s.PushQueue.Enqueue(t.Context(), 7, pushPayload)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
}

// claimPushes claims every due push and finishes it as sent, returning "alert→endpoint" pairs.
func claimPushes(t *testing.T, s Store) []string {
	t.Helper()
	var got []string
	for {
		d, ok, err := s.PushQueue.Claim(t.Context(), time.Minute, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			slices.Sort(got)
			return got
		}
		got = append(got, fmt.Sprintf("%d→%s %s", d.AlertID, d.Subscription.Endpoint, d.Payload))
		if err := s.PushQueue.Finish(t.Context(), d, application.PushAttempt{Outcome: application.PushSent}, 0); err != nil {
			t.Fatal(err)
		}
	}
}

func testPushAudience(t *testing.T, s Store) {
	second, err := s.Shops.Add(t.Context(), shop.Shop{Name: "二店", CreatedAt: baseTime})
	if err != nil {
		t.Fatal(err)
	}
	before := openAlert(t, s, 1) // logged before anyone subscribed: pushed to nobody
	enqueueAll(t, s)
	first := staff(t, s, "first", 1, nil)
	other := staff(t, s, "other", second.ID, nil)
	platform := staff(t, s, "platform", 0, nil)
	locked := staff(t, s, "locked", 1, func(e *employee.Employee) { e.Status = employee.StatusLocked })
	subscribe(t, s, first, "t-first", "https://push.example/first")
	subscribe(t, s, other, "t-other", "https://push.example/other")
	subscribe(t, s, platform, "t-platform", "https://push.example/platform")
	subscribe(t, s, locked, "t-locked", "https://push.example/locked")
	stale := staff(t, s, "stale", 1, nil)
	stale.TokenVersion-- // registered with a token its employee has ended since (a lock, a new password)
	subscribe(t, s, stale, "t-stale", "https://push.example/stale")

	inFirst, inSecond := openAlert(t, s, 1), openAlert(t, s, second.ID)
	handled := openAlert(t, s, 1)
	mustAck(t, s, handled.ID, shop.Everything(), ackBy(first.ID, first.Name, ""))
	if n := enqueueAll(t, s); n < 4 {
		t.Fatalf("enqueued %d log rows, want the three alerts and the ack event", n)
	}
	want := []string{
		fmt.Sprintf(`%d→https://push.example/first {"id":%d,"renotify":false}`, inFirst.ID, inFirst.ID),
		fmt.Sprintf(`%d→https://push.example/platform {"id":%d,"renotify":false}`, inFirst.ID, inFirst.ID),
		fmt.Sprintf(`%d→https://push.example/other {"id":%d,"renotify":false}`, inSecond.ID, inSecond.ID),
		fmt.Sprintf(`%d→https://push.example/platform {"id":%d,"renotify":false}`, inSecond.ID, inSecond.ID),
	}
	slices.Sort(want)
	if got := claimPushes(t, s); !slices.Equal(got, want) {
		t.Fatalf("pushed %q\nwant %q (nothing for alert %d before the subscriptions, nor the handled %d)", got, want, before.ID, handled.ID)
	}
	if n := enqueueAll(t, s); n != 0 {
		t.Fatalf("a second enqueue took %d rows", n)
	}
	if got := claimPushes(t, s); len(got) != 0 {
		t.Fatalf("pushed again: %q", got)
	}
}

func testSubscriptions(t *testing.T, s Store) {
	e, f := staff(t, s, "e", 1, nil), staff(t, s, "f", 1, nil)
	a := subscribe(t, s, e, "t-1", "https://push.example/a")
	again := subscribe(t, s, f, "t-2", "https://push.example/a") // the browser, after f logged in on it
	if again.ID != a.ID || again.EmployeeID != f.ID || again.TokenID != "t-2" {
		t.Fatalf("the endpoint saved again = %+v, want subscription %d given to employee %d", again, a.ID, f.ID)
	}
	subscribe(t, s, f, "t-2", "https://push.example/b")
	subscribe(t, s, f, "t-3", "https://push.example/c")
	if err := s.PushSubscriptions.RemoveToken(t.Context(), "t-2"); err != nil {
		t.Fatal(err)
	}
	if err := s.PushSubscriptions.Remove(t.Context(), e.ID, "https://push.example/c"); err != nil {
		t.Fatal(err) // another employee's: stays
	}
	openAlert(t, s, 1)
	enqueueAll(t, s)
	if got := claimPushes(t, s); len(got) != 1 || !strings.Contains(got[0], "→https://push.example/c ") {
		t.Fatalf("pushed %q, want only subscription c", got)
	}
	if err := s.PushSubscriptions.Remove(t.Context(), f.ID, "https://push.example/c"); err != nil {
		t.Fatal(err)
	}
	openAlert(t, s, 1)
	enqueueAll(t, s)
	if got := claimPushes(t, s); len(got) != 0 {
		t.Fatalf("pushed %q after every subscription was removed", got)
	}
}

func testPushOutcomes(t *testing.T, s Store) {
	e := staff(t, s, "e", 1, nil)
	retried, gone := subscribe(t, s, e, "t", "https://push.example/retried"), subscribe(t, s, e, "t", "https://push.example/gone")
	a := openAlert(t, s, 1)
	enqueueAll(t, s)
	claimed := map[int64]application.PushDelivery{}
	for range 2 {
		d, ok, err := s.PushQueue.Claim(t.Context(), time.Minute, time.Hour)
		if err != nil || !ok || d.Attempts != 1 {
			t.Fatalf("Claim = %+v, %v, %v", d, ok, err)
		}
		claimed[d.Subscription.ID] = d
	}
	if _, ok, _ := s.PushQueue.Claim(t.Context(), time.Minute, time.Hour); ok {
		t.Fatal("a leased push was claimed again")
	}
	finish := func(d application.PushDelivery, o application.PushOutcome, retryIn time.Duration) {
		t.Helper()
		if err := s.PushQueue.Finish(t.Context(), d, application.PushAttempt{Outcome: o}, retryIn); err != nil {
			t.Fatal(err)
		}
	}
	finish(claimed[retried.ID], application.PushRetry, 300*time.Millisecond)
	finish(claimed[gone.ID], application.PushGone, 0)
	if _, ok, _ := s.PushQueue.Claim(t.Context(), time.Minute, time.Hour); ok {
		t.Fatal("a retry was claimed before its backoff")
	}
	time.Sleep(400 * time.Millisecond)
	d, ok, err := s.PushQueue.Claim(t.Context(), time.Minute, time.Hour)
	if err != nil || !ok || d.Subscription.ID != retried.ID || d.Attempts != 2 {
		t.Fatalf("after the backoff: %+v, %v, %v", d, ok, err)
	}
	finish(claimed[retried.ID], application.PushSent, 0) // the first attempt's, stale: changes nothing
	finish(d, application.PushSent, 0)

	// The gone subscription was deleted: an escalation pushes to the one left, renotifying.
	if err := s.PushQueue.Repush(t.Context(), a.ID, pushPayload); err != nil {
		t.Fatal(err)
	}
	if got := claimPushes(t, s); len(got) != 1 || got[0] != fmt.Sprintf(`%d→https://push.example/retried {"id":%d,"renotify":true}`, a.ID, a.ID) {
		t.Fatalf("the escalation's push: %q", got)
	}

	// An ack before the attempt ends the push; so does its age past the TTL.
	acked, aged := openAlert(t, s, 1), openAlert(t, s, 1)
	enqueueAll(t, s)
	mustAck(t, s, acked.ID, shop.Everything(), ackBy(e.ID, e.Name, ""))
	time.Sleep(20 * time.Millisecond)
	if d, ok, err := s.PushQueue.Claim(t.Context(), time.Minute, 10*time.Millisecond); err != nil || ok {
		t.Fatalf("claim past the TTL = %+v, %v, %v; want nothing (alert %d acked, %d too old)", d, ok, err, acked.ID, aged.ID)
	}
}

func testPushRace(t *testing.T, open func() Store) {
	first, second := open(), open()
	for i := range 3 {
		e := staff(t, first, fmt.Sprintf("racer%d", i), 1, nil)
		subscribe(t, first, e, "t", fmt.Sprintf("https://push.example/%d", i))
	}
	const alerts = 30
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seen = map[string]int{}
		done = make(chan struct{})
	)
	wg.Go(func() {
		defer close(done)
		for range alerts {
			openAlert(t, first, 1)
		}
	})
	for i := range 4 {
		s := []Store{first, second}[i%2]
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := s.PushQueue.Enqueue(t.Context(), 5, pushPayload); err != nil {
					t.Error(err)
					return
				}
				for {
					d, ok, err := s.PushQueue.Claim(t.Context(), time.Minute, time.Hour)
					if err != nil {
						t.Error(err)
						return
					}
					if !ok {
						break
					}
					mu.Lock()
					seen[fmt.Sprintf("%d→%s", d.AlertID, d.Subscription.Endpoint)]++
					mu.Unlock()
					if err := s.PushQueue.Finish(t.Context(), d, application.PushAttempt{Outcome: application.PushSent}, 0); err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	enqueueAll(t, first)
	for _, p := range claimPushes(t, second) {
		pair, _, _ := strings.Cut(p, " ")
		seen[pair]++
	}
	if len(seen) != alerts*3 {
		t.Fatalf("pushed %d (alert, subscription) pairs, want %d", len(seen), alerts*3)
	}
	for pair, n := range seen {
		if n != 1 {
			t.Fatalf("%s pushed %d times", pair, n)
		}
	}
}
