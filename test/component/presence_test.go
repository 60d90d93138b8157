package component_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"
	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/test/pgtest"
)

// screenJSON is one item of GET /admin/presence.
type screenJSON struct {
	SID      string `json:"sid"`
	Employee struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"employee"`
	ShopID      *int64 `json:"shopId"`
	ConnectedAt string `json:"connectedAt"`
	Audio       *bool  `json:"audio"`
	Visible     *bool  `json:"visible"`
}

// presence is GET /admin/presence with the query given ("" or "shopId=2").
func (s *service) presence(t *testing.T, admin http.Header, query string) []screenJSON {
	t.Helper()
	path := "/admin/presence"
	if query != "" {
		path += "?" + query
	}
	r := s.call(t, http.MethodGet, path, admin, nil)
	expect(t, r, http.StatusOK, 1)
	return decode[[]screenJSON](t, r)
}

// presenceUntil polls the listing until cond holds, failing after within; it returns the
// listing that satisfied it.
func (s *service) presenceUntil(t *testing.T, admin http.Header, query, what string, within time.Duration, cond func([]screenJSON) bool) []screenJSON {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := s.presence(t, admin, query)
		if cond(got) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s; the listing is %+v", what, within, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func bySID(screens []screenJSON, sid string) (screenJSON, bool) {
	i := slices.IndexFunc(screens, func(s screenJSON) bool { return s.SID == sid })
	if i < 0 {
		return screenJSON{}, false
	}
	return screens[i], true
}

func listed(sid string) func([]screenJSON) bool {
	return func(s []screenJSON) bool { _, ok := bySID(s, sid); return ok }
}

func (d *dashboard) sendState(t *testing.T, audio, visible bool) {
	t.Helper()
	state := `{"type":"state","audio":` + boolText(audio) + `,"visible":` + boolText(visible) + `}`
	checkFrame(t, "state", []byte(state)) // what the spec (and the SDK) send
	if err := d.conn.WriteMessage(fws.TextMessage, []byte(state)); err != nil {
		t.Fatal(err)
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// stillOpen fails if the server closes the socket within wait.
func (d *dashboard) stillOpen(t *testing.T, what string, wait time.Duration) {
	t.Helper()
	select {
	case <-d.done:
		t.Fatalf("%s: the socket was closed: %v", what, d.readErr())
	case <-time.After(wait):
	}
}

// TestPresenceListsSocketsAndTheirState: a socket is listed from its upgrade with audio and
// visible null, its state message shows within about two seconds, a state on a socket without
// events=1 changes nothing, and each shop sees its own screens and the platform's that watch it.
func TestPresenceListsSocketsAndTheirState(t *testing.T) {
	t.Parallel()
	for name, newURL := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := newURL(t)
			s := start(t, url, nil)
			platform := s.adminHeader(t)
			expect(t, s.call(t, http.MethodPost, "/admin/shops", platform, map[string]string{"name": "二号店"}), http.StatusCreated, 1)
			addShopEmployee(t, url, "cashier", 2)
			cashier := s.login(t, "cashier", "cashier's password")

			front := s.dashboardWith(t, platform, "front", "events=1")
			plain := s.dashboardWith(t, platform, "plain", "heartbeat=1")
			named := s.dashboardWith(t, platform, "named", "events=1&shopId=1")
			counter := s.dashboardWith(t, cashier, "counter", "events=1")
			got := s.presenceUntil(t, platform, "", "four sockets listed", 3*time.Second, func(s []screenJSON) bool { return len(s) == 4 })
			f, _ := bySID(got, "front")
			if f.Audio != nil || f.Visible != nil || f.ShopID != nil || f.Employee.ID != 1 || f.Employee.Name == "" {
				t.Fatalf("a new platform socket is listed as %+v, want audio, visible and shopId null", f)
			}
			if c, _ := bySID(got, "counter"); c.ShopID == nil || *c.ShopID != 2 || c.Employee.Name != "cashier" {
				t.Fatalf("the cashier's socket is listed as %+v, want shop 2", c)
			}
			if _, err := time.Parse(time.RFC3339, f.ConnectedAt); err != nil || !strings.HasSuffix(f.ConnectedAt, "Z") || len(f.ConnectedAt) != len("2006-01-02T15:04:05.000Z") {
				t.Errorf("connectedAt %q is not RFC 3339 UTC with milliseconds", f.ConnectedAt)
			}
			if !slices.IsSortedFunc(got, func(a, b screenJSON) int { return strings.Compare(a.ConnectedAt, b.ConnectedAt) }) {
				t.Errorf("not sorted by connectedAt: %+v", got)
			}

			// The plain socket's state comes first: once front's shows, plain's would have too.
			plain.sendState(t, true, true)
			front.sendState(t, true, false)
			began := time.Now()
			got = s.presenceUntil(t, platform, "", "front's state", 4*time.Second, func(s []screenJSON) bool {
				f, _ := bySID(s, "front")
				return f.Audio != nil
			})
			t.Logf("front's state was listed %s after it was sent", time.Since(began))
			if f, _ := bySID(got, "front"); !*f.Audio || f.Visible == nil || *f.Visible {
				t.Errorf("front after {audio:true, visible:false}: %+v", f)
			}
			if p, _ := bySID(got, "plain"); p.Audio != nil || p.Visible != nil {
				t.Errorf("a state on a socket without events=1 was taken: %+v", p)
			}

			sids := func(screens []screenJSON) (out []string) {
				for _, s := range screens {
					out = append(out, s.SID)
				}
				slices.Sort(out)
				return out
			}
			if mine := sids(s.presence(t, cashier, "")); !slices.Equal(mine, []string{"counter", "front", "plain"}) {
				t.Errorf("the cashier of shop 2 sees %v, want its own and the platform's that watch every shop", mine)
			}
			if one := sids(s.presence(t, platform, "shopId=1")); !slices.Equal(one, []string{"front", "named", "plain"}) {
				t.Errorf("?shopId=1 lists %v", one)
			}
			expect(t, s.call(t, http.MethodGet, "/admin/presence?shopId=1", cashier, nil), http.StatusForbidden, 0)

			_ = counter.conn.Close()
			s.presenceUntil(t, platform, "", "the closed socket gone", 3*time.Second, func(s []screenJSON) bool { return !listed("counter")(s) })
			named.stillOpen(t, "a platform socket", 0)
		})
	}
}

// TestStateMessageRules: on an events=1 socket a state over 256 bytes closes it with 1008, as
// does the 11th state within 10 s, while 3 quick states, 10 states, malformed JSON and the wrong
// shape do not.
func TestStateMessageRules(t *testing.T) {
	t.Parallel()
	s := start(t, t.TempDir()+"/orderalert.db", nil)
	admin := s.adminHeader(t)

	big := s.dashboardWith(t, admin, "big", "events=1")
	state := `{"type":"state","audio":true,"visible":true}`
	padded := state[:len(state)-1] + `,"pad":"` + strings.Repeat("x", 257-len(state)-len(`,"pad":""`)) + `"}`
	if len(padded) != 257 {
		t.Fatalf("the padded state is %d bytes", len(padded))
	}
	if err := big.conn.WriteMessage(fws.TextMessage, []byte(padded)); err != nil {
		t.Fatal(err)
	}
	if code := big.closedWith(t, 5*time.Second); code != 1008 {
		t.Errorf("a 257-byte state: close %d, want 1008", code)
	}

	quick := s.dashboardWith(t, admin, "quick", "events=1")
	for _, junk := range []string{`{"type":"state"`, `{"type":"state","audio":"yes","visible":true}`, `{"type":"state","audio":true}`, `[1,2]`, `hello`} {
		if err := quick.conn.WriteMessage(fws.TextMessage, []byte(junk)); err != nil {
			t.Fatal(err)
		}
	}
	for _, audio := range []bool{true, false, true} {
		quick.sendState(t, audio, true)
	}
	quick.stillOpen(t, "malformed messages and 3 quick states", 1500*time.Millisecond)
	got := s.presenceUntil(t, admin, "", "the last of 3 quick states", 3*time.Second, func(s []screenJSON) bool {
		q, _ := bySID(s, "quick")
		return q.Audio != nil && *q.Audio
	})
	if q, _ := bySID(got, "quick"); !*q.Visible {
		t.Errorf("quick after its states: %+v", q)
	}

	flood := s.dashboardWith(t, admin, "flood", "events=1")
	for i := range 10 {
		flood.sendState(t, i%2 == 0, true)
	}
	flood.stillOpen(t, "10 states in a row", time.Second)
	flood.sendState(t, true, true)
	if code := flood.closedWith(t, 5*time.Second); code != 1008 {
		t.Errorf("the 11th state within 10 s: close %d, want 1008", code)
	}
	quick.stillOpen(t, "a socket beside the flood", 0)
}

// freezable stands for the presence store of an instance that can be killed: once frozen,
// nothing it writes reaches the database — no heartbeat, no batch, no Forget on stop — which is
// what kill -9 leaves behind. Its rows stay, stamped with its last heartbeat.
type freezable struct {
	application.PresenceStore
	frozen atomic.Bool
}

func (f *freezable) Heartbeat(ctx context.Context, instance string) error {
	if f.frozen.Load() {
		return nil
	}
	return f.PresenceStore.Heartbeat(ctx, instance)
}

func (f *freezable) Apply(ctx context.Context, instance string, changes []application.PresenceChange) error {
	if f.frozen.Load() {
		return nil
	}
	return f.PresenceStore.Apply(ctx, instance, changes)
}

func (f *freezable) Forget(ctx context.Context, instance string) error {
	if f.frozen.Load() {
		return nil
	}
	return f.PresenceStore.Forget(ctx, instance)
}

func (f *freezable) decorate() fx.Option {
	return fx.Decorate(func(s application.PresenceStore) application.PresenceStore {
		f.PresenceStore = s
		return f
	})
}

// TestPresenceOfEveryInstance: two instances on one PostgreSQL database list each other's
// sockets; one that stops cleanly takes its screens with it at once, and one that is killed
// loses them within two ping intervals (1 s each here), when its heartbeat is stale.
func TestPresenceOfEveryInstance(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	var killable freezable
	a := start(t, url, nil, killable.decorate())
	b := start(t, url, nil)
	c := start(t, url, nil)
	adminB := b.adminHeader(t)
	a.dashboardWith(t, a.adminHeader(t), "on-a", "events=1")
	c.dashboardWith(t, c.adminHeader(t), "on-c", "events=1")
	b.presenceUntil(t, adminB, "", "A's and C's sockets listed on B", 3*time.Second, func(s []screenJSON) bool {
		return listed("on-a")(s) && listed("on-c")(s)
	})

	c.stop()
	b.presenceUntil(t, adminB, "", "C's socket gone after its clean stop", time.Second, func(s []screenJSON) bool { return !listed("on-c")(s) })

	killable.frozen.Store(true)
	killed := time.Now()
	a.stop()
	var left int
	if err := b.db.NewRaw("SELECT count(*) FROM presence WHERE sid = 'on-a' AND disconnected_at IS NULL").Scan(t.Context(), &left); err != nil || left != 1 {
		t.Fatalf("after the kill %d rows of A's socket are connected (%v), want 1: nothing is written after kill -9", left, err)
	}
	// Two ping intervals (2 s) after its last heartbeat, plus slack for the poll and a loaded
	// 2-core machine; the figure is logged below.
	b.presenceUntil(t, adminB, "", "the killed A's socket gone", 2*time.Second+1500*time.Millisecond, func(s []screenJSON) bool { return !listed("on-a")(s) })
	t.Logf("the killed instance's socket disappeared %s after the kill", time.Since(killed))
}
