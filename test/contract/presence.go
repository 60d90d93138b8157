package contract

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/shop"
)

// Presence is the suite of application.PresenceStore and application.ScreenPresence. Times are
// taken from the wall clock, because heartbeats are stamped by the store's own clock.
func Presence(t *testing.T, backend Backend) {
	t.Run("a screen is listed from its connect, updated by a state and gone after its disconnect", func(t *testing.T) {
		t.Parallel()
		testScreenLifecycle(t, backend(t)())
	})
	t.Run("a shop sees its screens and the platform screens that watch it", func(t *testing.T) { t.Parallel(); testScreenScopes(t, backend(t)()) })
	t.Run("a silent instance's screens are not listed", func(t *testing.T) { t.Parallel(); testStaleInstance(t, backend(t)()) })
	t.Run("Forget and Prune delete rows", func(t *testing.T) { t.Parallel(); testForgetAndPrune(t, backend(t)()) })
	t.Run("HadScreen", func(t *testing.T) { t.Parallel(); testHadScreen(t, backend(t)()) })
	t.Run("HadScreen of shop 0: a socket watching every shop", func(t *testing.T) { t.Parallel(); testHadEveryShopScreen(t, backend(t)()) })
	t.Run("race: batches of 8 instances at once all land", func(t *testing.T) { t.Parallel(); testConcurrentInstances(t, backend(t)) })
}

// fresh is how old a heartbeat may be in these tests (the service allows two ping intervals).
const fresh = 5 * time.Second

var yes, no = new(bool), new(bool)

func init() { *yes = true }

// presenceNow is a wall-clock instant with millisecond precision, which every store keeps.
func presenceNow() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

func heartbeat(t *testing.T, s Store, instance string) {
	t.Helper()
	if err := s.Presence.Heartbeat(t.Context(), instance); err != nil {
		t.Fatalf("Heartbeat(%s): %v", instance, err)
	}
}

func apply(t *testing.T, s Store, instance string, changes ...application.PresenceChange) {
	t.Helper()
	if err := s.Presence.Apply(t.Context(), instance, changes); err != nil {
		t.Fatalf("Apply(%s, %d changes): %v", instance, len(changes), err)
	}
}

// sids lists the screens of scope as instance/sid, in the store's order.
func sids(t *testing.T, s Store, scope shop.Scope) []string {
	t.Helper()
	screens, err := s.Presence.Screens(t.Context(), scope, fresh)
	if err != nil {
		t.Fatalf("Screens: %v", err)
	}
	out := []string{}
	for _, sc := range screens {
		out = append(out, sc.Instance+"/"+sc.SID)
	}
	return out
}

func screensOf(t *testing.T, s Store, scope shop.Scope) []application.Screen {
	t.Helper()
	screens, err := s.Presence.Screens(t.Context(), scope, fresh)
	if err != nil {
		t.Fatalf("Screens: %v", err)
	}
	return screens
}

func testScreenLifecycle(t *testing.T, s Store) {
	alice, err := s.Employees.Add(t.Context(), newEmployee("alice"))
	if err != nil {
		t.Fatal(err)
	}
	heartbeat(t, s, "a")
	at := presenceNow().Add(-time.Minute)
	screen := application.Screen{SID: "front", EmployeeID: alice.ID, ShopID: 2, ConnectedAt: at}
	apply(t, s, "a", application.PresenceChange{Screen: screen})
	want := screen
	want.EmployeeName, want.Instance = alice.Name, "a"
	if got := screensOf(t, s, shop.Only(2)); len(got) != 1 || !sameScreen(got[0], want) {
		t.Fatalf("after the connect: %+v, want %+v", got, want)
	}

	screen.Audio, screen.Visible = yes, no
	apply(t, s, "a", application.PresenceChange{Screen: screen})
	want.Audio, want.Visible = yes, no
	if got := screensOf(t, s, shop.Only(2)); len(got) != 1 || !sameScreen(got[0], want) {
		t.Fatalf("after a state: %+v, want %+v", got, want)
	}

	left := presenceNow()
	apply(t, s, "a", application.PresenceChange{Screen: screen, DisconnectedAt: &left})
	if got := sids(t, s, shop.Everything()); len(got) != 0 {
		t.Fatalf("after the disconnect: %v, want none", got)
	}
}

func sameScreen(a, b application.Screen) bool {
	return a.SID == b.SID && a.EmployeeID == b.EmployeeID && a.EmployeeName == b.EmployeeName && a.ShopID == b.ShopID &&
		slices.Equal(a.ShopIDs, b.ShopIDs) && a.ConnectedAt.Equal(b.ConnectedAt) && a.Instance == b.Instance &&
		samePtr(a.Audio, b.Audio) && samePtr(a.Visible, b.Visible)
}

func samePtr(a, b *bool) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func testScreenScopes(t *testing.T, s Store) {
	heartbeat(t, s, "a")
	at := presenceNow().Add(-time.Minute)
	apply(t, s, "a",
		application.PresenceChange{Screen: application.Screen{SID: "of-2", EmployeeID: 1, ShopID: 2, ConnectedAt: at}},
		application.PresenceChange{Screen: application.Screen{SID: "of-3", EmployeeID: 2, ShopID: 3, ConnectedAt: at.Add(time.Second)}},
		application.PresenceChange{Screen: application.Screen{SID: "every-shop", EmployeeID: 3, ConnectedAt: at.Add(2 * time.Second)}},
		application.PresenceChange{Screen: application.Screen{SID: "named-3-4", EmployeeID: 3, ShopIDs: []int64{3, 4}, ConnectedAt: at.Add(3 * time.Second)}},
	)
	for _, c := range []struct {
		scope shop.Scope
		want  []string
	}{
		{shop.Only(2), []string{"a/of-2", "a/every-shop"}},
		{shop.Only(3), []string{"a/of-3", "a/every-shop", "a/named-3-4"}},
		{shop.Only(4), []string{"a/every-shop", "a/named-3-4"}},
		{shop.Only(2, 4), []string{"a/of-2", "a/every-shop", "a/named-3-4"}},
		{shop.Everything(), []string{"a/of-2", "a/of-3", "a/every-shop", "a/named-3-4"}},
		{shop.Scope{}, []string{}},
	} {
		if got := sids(t, s, c.scope); !slices.Equal(got, c.want) {
			t.Errorf("Screens(%+v) = %v, want %v", c.scope, got, c.want)
		}
	}
	named := screensOf(t, s, shop.Only(4))
	if len(named) != 2 || !slices.Equal(named[1].ShopIDs, []int64{3, 4}) || named[1].ShopID != 0 {
		t.Errorf("the platform socket that named shops 3 and 4 reads %+v", named)
	}
}

func testStaleInstance(t *testing.T, s Store) {
	heartbeat(t, s, "a")
	heartbeat(t, s, "b")
	at := presenceNow().Add(-time.Minute)
	apply(t, s, "a", application.PresenceChange{Screen: application.Screen{SID: "on-a", EmployeeID: 1, ShopID: 2, ConnectedAt: at}})
	apply(t, s, "b", application.PresenceChange{Screen: application.Screen{SID: "on-b", EmployeeID: 1, ShopID: 2, ConnectedAt: at.Add(time.Second)}})
	if got := sids(t, s, shop.Only(2)); !slices.Equal(got, []string{"a/on-a", "b/on-b"}) {
		t.Fatalf("both alive: %v", got)
	}
	s.SilenceInstance(t, "a", 2*fresh)
	if got := sids(t, s, shop.Only(2)); !slices.Equal(got, []string{"b/on-b"}) {
		t.Fatalf("a silent for %s: %v, want only b's", 2*fresh, got)
	}
	heartbeat(t, s, "a")
	if got := sids(t, s, shop.Only(2)); !slices.Equal(got, []string{"a/on-a", "b/on-b"}) {
		t.Fatalf("a beating again: %v", got)
	}
	apply(t, s, "c", application.PresenceChange{Screen: application.Screen{SID: "on-c", EmployeeID: 1, ShopID: 2, ConnectedAt: at}})
	if got := sids(t, s, shop.Only(2)); !slices.Equal(got, []string{"a/on-a", "b/on-b"}) {
		t.Fatalf("an instance that never beat is listed: %v", got)
	}
}

func testForgetAndPrune(t *testing.T, s Store) {
	for _, i := range []string{"a", "b", "c"} {
		heartbeat(t, s, i)
	}
	now := presenceNow()
	longGone := now.Add(-11 * time.Minute)
	apply(t, s, "a", application.PresenceChange{Screen: application.Screen{SID: "on-a", EmployeeID: 1, ShopID: 2, ConnectedAt: now}})
	apply(t, s, "b",
		application.PresenceChange{Screen: application.Screen{SID: "on-b", EmployeeID: 1, ShopID: 2, ConnectedAt: now}},
		application.PresenceChange{Screen: application.Screen{SID: "left", EmployeeID: 1, ShopID: 5, ConnectedAt: now.Add(-time.Hour)}, DisconnectedAt: &longGone},
	)
	apply(t, s, "c", application.PresenceChange{Screen: application.Screen{SID: "on-c", EmployeeID: 1, ShopID: 2, ConnectedAt: now}})
	if err := s.Presence.Forget(t.Context(), "a"); err != nil {
		t.Fatal(err)
	}
	if got := sids(t, s, shop.Only(2)); !slices.Equal(got, []string{"b/on-b", "c/on-c"}) {
		t.Fatalf("after Forget(a): %v", got)
	}

	// The screen that left 11 minutes ago still answers for its time, until it is pruned.
	long := time.Hour
	if !hadScreen(t, s, 5, now.Add(-30*time.Minute), now.Add(-20*time.Minute), long) {
		t.Fatal("the screen that left is not found for the time it was there")
	}
	s.SilenceInstance(t, "c", 11*time.Minute)
	if err := s.Presence.Prune(t.Context(), 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if hadScreen(t, s, 5, now.Add(-30*time.Minute), now.Add(-20*time.Minute), long) {
		t.Error("the screen disconnected 11 minutes ago was not pruned")
	}
	heartbeat(t, s, "c") // were its rows still there, this would list them again
	if got := sids(t, s, shop.Only(2)); !slices.Equal(got, []string{"b/on-b"}) {
		t.Errorf("after the prune: %v, want b's alone", got)
	}
}

func hadScreen(t *testing.T, s Store, shopID int64, from, to time.Time, staleAfter time.Duration) bool {
	t.Helper()
	had, err := s.Screens.HadScreen(t.Context(), shopID, from, to, staleAfter)
	if err != nil {
		t.Fatalf("HadScreen(%d): %v", shopID, err)
	}
	return had
}

func testHadScreen(t *testing.T, s Store) {
	heartbeat(t, s, "a")
	heartbeat(t, s, "dead")
	now := presenceNow()
	from, to := now.Add(-30*time.Second), now.Add(-15*time.Second)
	before, after := now.Add(-time.Minute), now.Add(-10*time.Second)
	leftEarly, leftDuring := now.Add(-40*time.Second), now.Add(-20*time.Second)
	cases := []struct {
		name     string
		shop     int64
		instance string
		screen   application.Screen
		left     *time.Time
		want     bool
	}{
		{"audio false only", 10, "a", application.Screen{ShopID: 10, Audio: no, Visible: yes}, nil, false},
		{"audio null", 11, "a", application.Screen{ShopID: 11}, nil, true},
		{"audio true", 12, "a", application.Screen{ShopID: 12, Audio: yes, Visible: no}, nil, true},
		{"left before from", 13, "a", application.Screen{ShopID: 13}, &leftEarly, false},
		{"left during the window", 14, "a", application.Screen{ShopID: 14}, &leftDuring, true},
		{"connected after to", 15, "a", application.Screen{ShopID: 15, ConnectedAt: after}, nil, false},
		{"a platform socket without shopId", 16, "a", application.Screen{}, nil, false},
		{"a platform socket that named the shop", 17, "a", application.Screen{ShopIDs: []int64{9, 17}}, nil, true},
		{"a platform socket that named another shop", 18, "a", application.Screen{ShopIDs: []int64{180}}, nil, false},
		{"another shop's screen", 19, "a", application.Screen{ShopID: 190}, nil, false},
		{"on an instance dead before from", 20, "dead", application.Screen{ShopID: 20}, nil, false},
	}
	for i, c := range cases {
		c.screen.SID, c.screen.EmployeeID = "screen", int64(100+i)
		if c.screen.ConnectedAt.IsZero() {
			c.screen.ConnectedAt = before
		}
		apply(t, s, c.instance, application.PresenceChange{Screen: c.screen, DisconnectedAt: c.left})
	}
	s.SilenceInstance(t, "dead", time.Minute)
	for _, c := range cases {
		if got := hadScreen(t, s, c.shop, from, to, fresh); got != c.want {
			t.Errorf("%s: HadScreen = %v, want %v", c.name, got, c.want)
		}
	}
	if hadScreen(t, s, 21, from, to, fresh) {
		t.Error("a shop with no socket at all has a screen")
	}
	if !hadScreen(t, s, 0, from, to, fresh) {
		t.Error("shop 0: the platform socket without shopId is not found")
	}
}

// testHadEveryShopScreen: shop 0 asks for a platform socket watching every shop; one that named
// shops, or a shop's screen, is not one.
func testHadEveryShopScreen(t *testing.T, s Store) {
	heartbeat(t, s, "a")
	now := presenceNow()
	apply(t, s, "a",
		application.PresenceChange{Screen: application.Screen{SID: "named", EmployeeID: 1, ShopIDs: []int64{5}, ConnectedAt: now.Add(-time.Minute)}},
		application.PresenceChange{Screen: application.Screen{SID: "shop", EmployeeID: 2, ShopID: 7, ConnectedAt: now.Add(-time.Minute)}})
	if hadScreen(t, s, 0, now.Add(-30*time.Second), now, fresh) {
		t.Error("a named or a shop's socket counts as one watching every shop")
	}
}

// testConcurrentInstances: 8 instances, each on a store of its own (a process of its own),
// heartbeat and write 20 screens at once; every screen is listed once.
func testConcurrentInstances(t *testing.T, open func() Store) {
	const instances, screens = 8, 20
	at := presenceNow()
	var wg sync.WaitGroup
	errs := make(chan error, instances)
	for i := range instances {
		s, id := open(), string(rune('a'+i))
		wg.Go(func() {
			if err := s.Presence.Heartbeat(t.Context(), id); err != nil {
				errs <- err
				return
			}
			var batch []application.PresenceChange
			for j := range screens {
				batch = append(batch, application.PresenceChange{Screen: application.Screen{
					SID: "s" + string(rune('a'+j)), EmployeeID: 1, ShopID: 2, ConnectedAt: at.Add(time.Duration(j) * time.Millisecond)}})
			}
			errs <- s.Presence.Apply(t.Context(), id, batch)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := sids(t, open(), shop.Only(2)); len(got) != instances*screens || len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
		t.Fatalf("listed %d screens (%v), want %d distinct", len(got), got, instances*screens)
	}
}
