package component_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"
)

// TestEveryDashboardGetsEachAlertOnce: a payment rings every connected dashboard with exactly
// one type-1 frame in the original's shape, a reminder with one type-2 frame.
func TestEveryDashboardGetsEachAlertOnce(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		admin, user := s.adminHeader(t), s.userHeader(t, 7)
		dashboards := []*dashboard{s.connect(t, admin, "front-desk", -1), s.connect(t, admin, "kitchen", -1), s.connect(t, admin, "phone_1", -1)}
		waitAttached(t, s, dashboards)

		o := s.submit(t, 7, "36.00")
		expect(t, s.call(t, http.MethodPut, "/user/order/payment", user, map[string]any{"orderNumber": o.OrderNumber, "payMethod": 1}), http.StatusOK, 1)
		expect(t, s.call(t, http.MethodGet, "/user/order/reminder/"+strconv.FormatInt(o.ID, 10), user, nil), http.StatusOK, 1)
		stored := s.alerts(t, admin)
		if len(stored) != 2 {
			t.Fatalf("stored alerts = %+v", stored)
		}
		for i, d := range dashboards {
			for _, want := range stored {
				raw := d.nextRaw(t, 10*time.Second)
				var got alertFrame
				if err := json.Unmarshal(raw, &got); err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("dashboard %d got %+v, want %+v", i, got, want)
				}
				checkFrame(t, "alert", raw) // asyncapi.yaml: numbers, strings, exactly these fields
			}
			d.quiet(t, 300*time.Millisecond)
		}
		if stored[0].Type != 1 || stored[1].Type != 2 || stored[0].Content != "订单号:"+o.OrderNumber {
			t.Fatalf("alerts = %+v", stored)
		}
	})
}

// waitAttached gives the hub time to register sockets that were just opened: an alert created
// before registration is not theirs (they did not ask for a backlog).
func waitAttached(t *testing.T, s *service, dashboards []*dashboard) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for s.hub.Len() < len(dashboards) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d sockets attached", s.hub.Len(), len(dashboards))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestSocketUpgradeChecks: only a valid credential opens a socket, and a browser only from an
// allowed origin; every refusal is a plain HTTP status before any upgrade.
func TestSocketUpgradeChecks(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		admin := s.adminHeader(t)
		used := s.ticket(t, admin)
		conn, resp, err := s.dial("a", "ticket="+used, nil)
		if err != nil {
			t.Fatalf("a fresh ticket: %v", err)
		}
		_ = resp.Body.Close()
		_ = conn.Close()
		user := s.userHeader(t, 7).Get("Authentication")
		type upgradeCase struct {
			name   string
			sid    string
			query  string
			header http.Header
			status int
		}
		cases := []upgradeCase{
			{"no credential", "a", "", nil, 401},
			{"a used ticket", "a", "ticket=" + used, nil, 401},
			{"an admin token as ticket", "a", "ticket=" + admin.Get("Token"), nil, 401},
			{"a user token as ticket", "a", "ticket=" + user, nil, 401},
			{"a user token", "a", "", http.Header{"Token": {user}}, 401},
			{"a user token as bearer", "a", "", http.Header{"Authorization": {"Bearer " + user}}, 401},
			{"a ticket in the token header", "a", "", http.Header{"Token": {s.ticket(t, admin)}}, 401},
			{"a ticket as bearer", "a", "", http.Header{"Authorization": {"Bearer " + s.ticket(t, admin)}}, 401},
			{"an empty ticket beside nothing", "a", "ticket=", nil, 401},
			// A bad ticket is not rescued by a good token beside it.
			{"a forged ticket beside an admin token", "a", "ticket=not-a-ticket", admin, 401},
			{"a foreign origin", "a", "ticket=" + s.ticket(t, admin), http.Header{"Origin": {"https://evil.example"}}, 403},
			{"a configured origin's look-alike", "a", "ticket=" + s.ticket(t, admin), http.Header{"Origin": {"https://dash.example.evil.example"}}, 403},
			{"a configured origin over http", "a", "ticket=" + s.ticket(t, admin), http.Header{"Origin": {"http://dash.example"}}, 403},
			{"the opaque origin null", "a", "ticket=" + s.ticket(t, admin), http.Header{"Origin": {"null"}}, 403},
			{"its own host on another port", "a", "ticket=" + s.ticket(t, admin), http.Header{"Origin": {"http://127.0.0.1:1"}}, 403},
			{"a forwarded host over the wrong scheme", "a", "ticket=" + s.ticket(t, admin),
				http.Header{"Origin": {"http://shop.example"}, "X-Forwarded-Proto": {"https"}, "X-Forwarded-Host": {"shop.example"}}, 403},
			{"another site than the forwarded host", "a", "ticket=" + s.ticket(t, admin),
				http.Header{"Origin": {"https://evil.example"}, "X-Forwarded-Proto": {"https"}, "X-Forwarded-Host": {"shop.example"}}, 403},
			{"a sid with a dot", "a.b", "ticket=" + s.ticket(t, admin), nil, 400},
			{"a sid over 64 characters", strings.Repeat("x", 65), "", admin, 400},
			{"a bad lastAlertId", "a", "lastAlertId=-1&ticket=" + s.ticket(t, admin), nil, 400},
		}
		for _, h := range hostileTexts {
			text := url.QueryEscape(h.urlText(t))
			cases = append(cases,
				upgradeCase{h.name + " as sid", url.PathEscape(h.urlText(t)), "", admin, 400},
				upgradeCase{h.name + " as lastAlertId", "a", "lastAlertId=" + text, admin, 400},
				upgradeCase{h.name + " as ticket", "a", "ticket=" + text, nil, 401})
		}
		for name, cred := range badCredentials(t, s) {
			cases = append(cases,
				upgradeCase{name + " as ticket", "a", "ticket=" + url.QueryEscape(cred), nil, 401},
				upgradeCase{name + " in the token header", "a", "", http.Header{"Token": {cred}}, 401},
				upgradeCase{name + " as bearer", "a", "", http.Header{"Authorization": {"Bearer " + cred}}, 401})
		}
		for _, c := range cases {
			conn, resp, err := s.dial(c.sid, c.query, c.header)
			if resp != nil {
				_ = resp.Body.Close()
			}
			if err == nil {
				_ = conn.Close()
				t.Errorf("%s: upgraded", c.name)
				continue
			}
			if resp == nil || resp.StatusCode != c.status {
				t.Errorf("%s: %v, want HTTP %d", c.name, resp, c.status)
			}
		}
		for name, header := range map[string]http.Header{
			"an admin token in the token header": admin,
			"an admin token as bearer":           {"Authorization": {"Bearer " + admin.Get("Token")}},
			"its own origin":                     {"Token": admin["Token"], "Origin": {s.base}},
			"a configured origin":                {"Token": admin["Token"], "Origin": {"https://dash.example"}},
			"a configured origin, other case":    {"Token": admin["Token"], "Origin": {"HTTPS://Dash.Example"}},
			"its origin as a proxy forwards it": {"Token": admin["Token"], "Origin": {"https://shop.example"},
				"X-Forwarded-Proto": {"https"}, "X-Forwarded-Host": {"shop.example"}},
		} {
			// Any heartbeat value but 1 just means no heartbeat.
			conn, resp, err := s.dial("ok", "heartbeat="+url.QueryEscape(hostileTexts[0].text(t)), header)
			if resp != nil {
				_ = resp.Body.Close()
			}
			if err != nil {
				t.Errorf("%s: refused (%v, %v)", name, err, resp)
				continue
			}
			_ = conn.Close()
		}
		// A ticket refused for its origin was not spent: the check comes before the ledger.
		ticket := s.ticket(t, admin)
		_, resp, err = s.dial("a", "ticket="+ticket, http.Header{"Origin": {"https://evil.example"}})
		if resp != nil {
			_ = resp.Body.Close()
		}
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("foreign origin: %v %v", err, resp)
		}
		if ok, status := s.upgrades("a", ticket); !ok {
			t.Fatalf("the ticket after a refused origin: %d", status)
		}
	})
}

// TestClientFramesUpToTheLimit: a 4 KiB client message is read and ignored; one byte more, or
// 6 KiB split into 1 KiB fragments that are each small, closes the socket with 1009.
func TestClientFramesUpToTheLimit(t *testing.T) {
	t.Parallel()
	s := start(t, t.TempDir()+"/orderalert.db", nil)
	admin, user := s.adminHeader(t), s.userHeader(t, 7)
	d := s.connect(t, admin, "talker", -1)
	waitAttached(t, s, []*dashboard{d})
	if err := d.conn.WriteMessage(fws.TextMessage, []byte(strings.Repeat("x", 4096))); err != nil {
		t.Fatal(err)
	}
	if err := s.payNewOrder(t, user); err != nil {
		t.Fatal(err)
	}
	if f := d.next(t, 5*time.Second); f.Type != 1 {
		t.Fatalf("after a 4096-byte message: %+v", f)
	}
	if err := d.conn.WriteMessage(fws.BinaryMessage, make([]byte, 4097)); err != nil {
		t.Fatal(err)
	}
	if code := d.closedWith(t, 5*time.Second); code != fws.CloseMessageTooBig {
		t.Errorf("a 4097-byte message: close %d, want 1009", code)
	}

	// The client writes through a 1 KiB buffer: a 6 KiB message goes out as 6 fragments.
	addr := "ws" + strings.TrimPrefix(s.base, "http") + "/ws/fragments?ticket=" + s.ticket(t, admin)
	conn, resp, err := (&fws.Dialer{HandshakeTimeout: 5 * time.Second, WriteBufferSize: 1024}).Dial(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	fragmented := listen(t, conn)
	if err := conn.WriteMessage(fws.TextMessage, []byte(strings.Repeat("y", 6<<10))); err != nil {
		t.Fatal(err)
	}
	if code := fragmented.closedWith(t, 5*time.Second); code != fws.CloseMessageTooBig {
		t.Errorf("a fragmented 6 KiB message: close %d, want 1009", code)
	}
}
