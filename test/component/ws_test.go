package component_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
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
				raw := <-d.frames
				var got alertFrame
				if err := json.Unmarshal(raw, &got); err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("dashboard %d got %+v, want %+v", i, got, want)
				}
				assertFrameShape(t, raw)
				checkFrame(t, "alert", raw)
			}
			d.quiet(t, 300*time.Millisecond)
		}
		if stored[0].Type != 1 || stored[1].Type != 2 || stored[0].Content != "订单号:"+o.OrderNumber {
			t.Fatalf("alerts = %+v", stored)
		}
	})
}

// assertFrameShape checks the wire types the original front ends rely on: type and orderId
// are JSON numbers, content a string.
func assertFrameShape(t *testing.T, raw []byte) {
	t.Helper()
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "type", "orderId"} {
		if _, ok := fields[k].(float64); !ok {
			t.Errorf("%s in %s is not a JSON number", k, raw)
		}
	}
	for _, k := range []string{"content", "orderNumber", "createdAt"} {
		if _, ok := fields[k].(string); !ok {
			t.Errorf("%s in %s is not a string", k, raw)
		}
	}
	if len(fields) != 6 {
		t.Errorf("frame %s has %d fields, want 6", raw, len(fields))
	}
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
		expired := sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "aud": "ws", "jti": "old", "exp": time.Now().Add(-time.Second).Unix()}, adminSecret)
		cases := []struct {
			name   string
			sid    string
			query  string
			header http.Header
			status int
		}{
			{"no credential", "a", "", nil, 401},
			{"a used ticket", "a", "ticket=" + used, nil, 401},
			{"an expired ticket", "a", "ticket=" + expired, nil, 401},
			{"an admin token as ticket", "a", "ticket=" + admin.Get("Token"), nil, 401},
			{"a user token", "a", "", http.Header{"Token": {s.userHeader(t, 7).Get("Authentication")}}, 401},
			{"a foreign origin", "a", "ticket=" + s.ticket(t, admin), http.Header{"Origin": {"https://evil.example"}}, 403},
			{"a sid with a dot", "a.b", "ticket=" + s.ticket(t, admin), nil, 400},
			{"a sid over 64 characters", strings.Repeat("x", 65), "", admin, 400},
			{"a bad lastAlertId", "a", "lastAlertId=-1&ticket=" + s.ticket(t, admin), nil, 400},
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
		} {
			conn, resp, err := s.dial("ok", "", header)
			if resp != nil {
				_ = resp.Body.Close()
			}
			if err != nil {
				t.Errorf("%s: refused (%v, %v)", name, err, resp)
				continue
			}
			_ = conn.Close()
		}
	})
}
