package contract

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/channel"
	"github.com/orderalert/orderalert/domain/shop"
)

// Escalations is the suite of application.EscalationSchedule and ChannelRepository. Due times
// are the store's own clock: alerts are made "now", and the ages asked are 0 (due) or an hour.
func Escalations(t *testing.T, backend Backend) {
	t.Run("channels are added, listed and removed", func(t *testing.T) { t.Parallel(); testChannels(t, backend(t)()) })
	t.Run("an open alert is due for the screen check, then for escalation", func(t *testing.T) { t.Parallel(); testDue(t, backend(t)()) })
	t.Run("race: 8 escalations of one alert on two instances make one delivery per channel", func(t *testing.T) {
		t.Parallel()
		testEscalateOnce(t, backend(t))
	})
	t.Run("past the rate, alerts wait merged in one delivery", func(t *testing.T) { t.Parallel(); testRateMerges(t, backend(t)()) })
	t.Run("a retry waits its backoff, a lost lease is claimed again, a stale finish changes nothing", func(t *testing.T) {
		t.Parallel()
		testRetriesAndLeases(t, backend(t)())
	})
	t.Run("nothing is sent for an alert acknowledged, or to a channel removed, before the attempt", func(t *testing.T) {
		t.Parallel()
		testNothingAfterAnAck(t, backend(t)())
	})
	t.Run("race: 4 claimers on two instances attempt each of 12 deliveries once", func(t *testing.T) {
		t.Parallel()
		testClaimsRace(t, backend(t))
	})
}

// composer writes a body that says what it covers, for the tests to read back.
type composer struct{}

func (composer) Body(kind channel.Kind, reason string, alerts []alert.Alert) ([]byte, error) {
	return fmt.Appendf(nil, `{"kind":%q,"reason":%q,"alerts":%v}`, kind, reason, idsOf(alerts)), nil
}

var perMinute = application.Rate{N: 20, Per: time.Minute}

func addChannel(t *testing.T, s Store, shopID int64, kind channel.Kind, url, secret string) channel.Channel {
	t.Helper()
	c, err := s.Channels.Add(t.Context(), channel.Channel{ShopID: shopID, Kind: kind, URL: url, Secret: secret, CreatedAt: baseTime})
	if err != nil || c.ID <= 0 {
		t.Fatalf("Add channel: %+v, %v", c, err)
	}
	return c
}

func webhookOf(t *testing.T, s Store, shopID int64) channel.Channel {
	return addChannel(t, s, shopID, channel.Webhook, fmt.Sprintf("https://erp.example.com/hook/%d", shopID), "s3cret")
}

// openAlert publishes an open alert created now in the shop.
func openAlert(t *testing.T, s Store, shopID int64) alert.Alert {
	t.Helper()
	a, _, err := s.Publisher.Publish(t.Context(), alert.Alert{
		Type: 10, ShopID: shopID, Source: "pms", OrderNumber: "1208", Content: "加床", CreatedAt: time.Now().UTC().Truncate(time.Microsecond),
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func testChannels(t *testing.T, s Store) {
	hook := webhookOf(t, s, 1)
	bot := addChannel(t, s, 1, channel.WeCom, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "")
	all, err := s.Channels.List(t.Context())
	if err != nil || len(all) != 2 || all[0] != hook || all[1] != bot {
		t.Fatalf("List = %+v, %v; want %+v and %+v", all, err, hook, bot)
	}
	if got, err := s.Channels.Remove(t.Context(), hook.ID); err != nil || got != hook {
		t.Fatalf("Remove = %+v, %v", got, err)
	}
	if _, err := s.Channels.Remove(t.Context(), hook.ID); !errors.Is(err, channel.ErrNotFound) {
		t.Fatalf("Remove twice = %v, want channel.ErrNotFound", err)
	}
	if all, _ := s.Channels.List(t.Context()); len(all) != 1 || all[0] != bot {
		t.Fatalf("after the removal: %+v", all)
	}
}

func dueIDs(t *testing.T, s Store, screen bool, age time.Duration) []int64 {
	t.Helper()
	read := s.Schedule.DueUnacknowledged
	if screen {
		read = s.Schedule.DueForScreenCheck
	}
	due, err := read(t.Context(), age, 100)
	if err != nil {
		t.Fatal(err)
	}
	return idsOf(due)
}

func testDue(t *testing.T, s Store) {
	a, acked, other := openAlert(t, s, 1), openAlert(t, s, 1), openAlert(t, s, 2)
	mustAck(t, s, acked.ID, shop.Everything(), ackBy(3, "张三", ""))
	if got := dueIDs(t, s, true, time.Hour); len(got) != 0 {
		t.Fatalf("due for the screen check an hour after creation: %v, want none yet", got)
	}
	if got := dueIDs(t, s, true, 0); !slices.Equal(got, []int64{a.ID, other.ID}) {
		t.Fatalf("due for the screen check: %v, want the open %v", got, []int64{a.ID, other.ID})
	}
	if err := s.Schedule.Screened(t.Context(), a.ID); err != nil {
		t.Fatal(err)
	}
	if got := dueIDs(t, s, true, 0); !slices.Equal(got, []int64{other.ID}) {
		t.Fatalf("after Screened(%d), due for the check: %v", a.ID, got)
	}
	if got := dueIDs(t, s, false, 0); !slices.Equal(got, []int64{a.ID, other.ID}) {
		t.Fatalf("due for escalation: %v, want both open alerts, screened or not", got)
	}
	if ok, err := s.Schedule.Escalate(t.Context(), a.ID, application.ReasonUnacknowledged, composer{}, perMinute); err != nil || !ok {
		t.Fatalf("Escalate = %v, %v", ok, err)
	}
	if got := dueIDs(t, s, false, 0); !slices.Equal(got, []int64{other.ID}) {
		t.Fatalf("after the escalation, due: %v", got)
	}
	if ok, err := s.Schedule.Escalate(t.Context(), acked.ID, application.ReasonNoScreen, composer{}, perMinute); err != nil || ok {
		t.Fatalf("Escalate of an acknowledged alert = %v, %v; want false", ok, err)
	}
}

func testEscalateOnce(t *testing.T, open func() Store) {
	stores := []Store{open(), open()}
	first, second := webhookOf(t, stores[0], 1), addChannel(t, stores[0], 1, channel.Feishu, "https://open.feishu.cn/open-apis/bot/v2/hook/x", "f")
	addShop(t, stores[0], "二号店")
	webhookOf(t, stores[0], 2) // another shop's: never used here
	a := openAlert(t, stores[0], 1)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins int
	)
	for i := range 8 {
		wg.Go(func() {
			ok, err := stores[i%2].Schedule.Escalate(t.Context(), a.ID, application.ReasonNoScreen, composer{}, perMinute)
			if err != nil {
				t.Errorf("Escalate %d: %v", i, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if ok {
				wins++
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d of 8 racing escalations won, want 1", wins)
	}
	got := claimAll(t, stores[1], time.Minute)
	if len(got) != 2 || got[0].Channel.ID != first.ID || got[1].Channel.ID != second.ID {
		t.Fatalf("deliveries %+v, want one to each of shop 1's channels %d and %d", got, first.ID, second.ID)
	}
	for _, d := range got {
		want := fmt.Sprintf(`{"kind":%q,"reason":"no_screen","alerts":[%d]}`, d.Channel.Kind, a.ID)
		if string(d.Body) != want || d.Reason != application.ReasonNoScreen || !slices.Equal(d.AlertIDs, []int64{a.ID}) || d.Attempts != 1 || d.Channel.URL == "" {
			t.Fatalf("delivery %+v (body %s), want body %s", d, d.Body, want)
		}
	}
	if again := claimAll(t, stores[0], time.Minute); len(again) != 0 {
		t.Fatalf("leased deliveries claimed again: %+v", again)
	}
}

// claimAll claims every due delivery, leaving them leased.
func claimAll(t *testing.T, s Store, lease time.Duration) []application.Delivery {
	t.Helper()
	var out []application.Delivery
	for range 100 {
		d, ok, err := s.Schedule.Claim(t.Context(), lease)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return out
		}
		out = append(out, d)
	}
	t.Fatal("more than 100 deliveries due")
	return nil
}

func testRateMerges(t *testing.T, s Store) {
	hook := webhookOf(t, s, 1)
	rate := application.Rate{N: 2, Per: time.Second}
	var alerts []alert.Alert
	for range 5 {
		a := openAlert(t, s, 1)
		if ok, err := s.Schedule.Escalate(t.Context(), a.ID, application.ReasonUnacknowledged, composer{}, rate); err != nil || !ok {
			t.Fatalf("Escalate = %v, %v", ok, err)
		}
		alerts = append(alerts, a)
	}
	now := claimAll(t, s, time.Minute)
	if len(now) != 2 || !slices.Equal(now[0].AlertIDs, []int64{alerts[0].ID}) || !slices.Equal(now[1].AlertIDs, []int64{alerts[1].ID}) {
		t.Fatalf("due at once: %+v, want the first two alerts, one delivery each", now)
	}
	for _, d := range now {
		if err := s.Schedule.Finish(t.Context(), d, application.Attempt{Outcome: application.AttemptSent}, 0); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(1100 * time.Millisecond) // the window of the first two passes
	later := claimAll(t, s, time.Minute)
	rest := []int64{alerts[2].ID, alerts[3].ID, alerts[4].ID}
	want := fmt.Sprintf(`{"kind":"webhook","reason":"unacknowledged","alerts":%v}`, rest)
	if len(later) != 1 || later[0].Channel.ID != hook.ID || !slices.Equal(later[0].AlertIDs, rest) || string(later[0].Body) != want {
		t.Fatalf("after the window: %+v, want one delivery of %v with body %s", later, rest, want)
	}
}

func testRetriesAndLeases(t *testing.T, s Store) {
	webhookOf(t, s, 1)
	a := openAlert(t, s, 1)
	if _, err := s.Schedule.Escalate(t.Context(), a.ID, application.ReasonUnacknowledged, composer{}, perMinute); err != nil {
		t.Fatal(err)
	}
	first := claimAll(t, s, time.Minute)
	if len(first) != 1 {
		t.Fatalf("claimed %+v, want one delivery", first)
	}
	retry := application.Attempt{Outcome: application.AttemptRetry, Err: errors.New("webhook: 503")}
	if err := s.Schedule.Finish(t.Context(), first[0], retry, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if got := claimAll(t, s, time.Minute); len(got) != 0 {
		t.Fatalf("claimed during the backoff: %+v", got)
	}
	time.Sleep(400 * time.Millisecond)
	second := claimAll(t, s, 200*time.Millisecond) // this claimer "crashes": it never finishes
	if len(second) != 1 || second[0].ID != first[0].ID || second[0].Attempts != 2 || string(second[0].Body) != string(first[0].Body) {
		t.Fatalf("after the backoff: %+v, want delivery %d again, attempt 2, the same body", second, first[0].ID)
	}
	time.Sleep(300 * time.Millisecond) // the lease runs out
	third := claimAll(t, s, time.Minute)
	if len(third) != 1 || third[0].Attempts != 3 {
		t.Fatalf("after the lost lease: %+v, want attempt 3", third)
	}
	// The crashed claimer comes back and records its attempt: nothing changes.
	if err := s.Schedule.Finish(t.Context(), second[0], application.Attempt{Outcome: application.AttemptSent}, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Schedule.Finish(t.Context(), third[0], retry, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	fourth := claimAll(t, s, time.Minute)
	if len(fourth) != 1 || fourth[0].Attempts != 4 {
		t.Fatalf("a stale finish ended the delivery, or the retry is lost: %+v", fourth)
	}
	if err := s.Schedule.Finish(t.Context(), fourth[0], application.Attempt{Outcome: application.AttemptFailed, Err: errors.New("webhook: 401")}, 0); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if got := claimAll(t, s, time.Minute); len(got) != 0 {
		t.Fatalf("a permanent failure was claimed again: %+v", got)
	}
}

func testNothingAfterAnAck(t *testing.T, s Store) {
	hook := webhookOf(t, s, 1)
	a, b := openAlert(t, s, 1), openAlert(t, s, 1)
	for _, x := range []alert.Alert{a, b} {
		if _, err := s.Schedule.Escalate(t.Context(), x.ID, application.ReasonUnacknowledged, composer{}, perMinute); err != nil {
			t.Fatal(err)
		}
	}
	mustAck(t, s, a.ID, shop.Everything(), ackBy(3, "张三", ""))
	if _, err := s.Channels.Remove(t.Context(), hook.ID); err != nil {
		t.Fatal(err)
	}
	if got := claimAll(t, s, time.Minute); len(got) != 0 {
		t.Fatalf("claimed %+v: one alert was acknowledged, the other's channel removed", got)
	}
}

func testClaimsRace(t *testing.T, open func() Store) {
	stores := []Store{open(), open()}
	for shopID := int64(1); shopID <= 3; shopID++ {
		if shopID > 1 {
			addShop(t, stores[0], fmt.Sprintf("店%d", shopID))
		}
		webhookOf(t, stores[0], shopID)
		webhookOf(t, stores[0], shopID)
		for range 2 {
			a := openAlert(t, stores[0], shopID)
			if _, err := stores[0].Schedule.Escalate(t.Context(), a.ID, application.ReasonUnacknowledged, composer{}, perMinute); err != nil {
				t.Fatal(err)
			}
		}
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		attempts = map[int64]int{}
	)
	for i := range 4 {
		wg.Go(func() {
			s := stores[i%2]
			for {
				d, ok, err := s.Schedule.Claim(t.Context(), time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if !ok {
					return
				}
				mu.Lock()
				attempts[d.ID]++
				mu.Unlock()
				if err := s.Schedule.Finish(t.Context(), d, application.Attempt{Outcome: application.AttemptSent}, 0); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if len(attempts) != 12 {
		t.Fatalf("%d deliveries attempted, want 12 (3 shops × 2 channels × 2 alerts)", len(attempts))
	}
	for id, n := range attempts {
		if n != 1 {
			t.Errorf("delivery %d attempted %d times", id, n)
		}
	}
}
