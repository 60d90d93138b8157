package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/test/tcpproxy"
)

// frontEndPage is an admin front end of its own, on its own origin: it imports the library from
// the service (%s), and gets tickets from its own backend (/ticket), as a Vue admin with its own
// axios instance does.
const frontEndPage = `<!doctype html><meta charset="utf-8"><title>a front end of its own</title>
<script type="module">
import * as orderalert from "%s/sdk/orderalert.js";
window.getTicket = async () => {
  const res = await fetch("/ticket", { method: "POST" });
  const body = await res.json().catch(() => null);
  if (!res.ok || body?.code !== 1) throw Object.assign(new Error(body?.msg || "HTTP " + res.status), { status: res.status });
  return body.data.ticket;
};
window.orderalert = orderalert;
</script>`

// frontEnd serves frontEndPage and, at /ticket, the ticket its backend fetches from orderalert
// with an admin token the page never sees.
func frontEnd(t *testing.T, library string, srv *server, adminToken *string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, frontEndPage, library)
	})
	mux.HandleFunc("POST /ticket", func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodPost, srv.Base()+"/admin/ws/ticket", nil)
		req.Header.Set("token", *adminToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, `{"code":0,"msg":"orderalert unreachable","data":null}`)
			return
		}
		defer func() { _ = resp.Body.Close() }()
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	})
	page := httptest.NewServer(mux)
	t.Cleanup(page.Close)
	return page
}

// TestTheLibraryResumesWithoutAGapOrADuplicate drives /sdk/orderalert.js itself, imported by a
// page on another origin from a real server behind a proxy that the test breaks: the
// connection is cut, then frozen (silence: only the heartbeat watch notices), then the server
// restarts; alerts are created each time the page cannot hear them. The page receives every
// alert of its shop exactly once, in id order, resuming each time after the newest id it has
// handed over — an event's id included — and drops a frame it has seen. A second connection
// with the same sid replaces the first, which does not fight back; close() is final; a ticket
// refused with 401 stops it without a socket.
func TestTheLibraryResumesWithoutAGapOrADuplicate(t *testing.T) {
	ctx := browser(t)
	onNewDocument(t, ctx, keepSockets)
	var adminToken string
	srv := newServer(t)
	proxy := tcpproxy.Start(t, srv.Addr)
	page := frontEnd(t, "http://"+proxy.Addr(), srv, &adminToken)
	srv.Env = append(srv.Env, "ORDERALERT_WS_PING_INTERVAL=1s", "ORDERALERT_ALLOWED_ORIGINS="+page.URL)
	srv.Start()
	adminToken = srv.adminToken(ctx)
	srv.Run(ctx, "shop", "create", "--name", "二号店")
	user := srv.userToken(7)
	pay := func(n int) {
		for range n {
			raw := srv.call(ctx, srv.Base(), "POST", "/user/order/submit", user, `{"amount": 9}`)
			srv.call(ctx, srv.Base(), "PUT", "/user/order/payment", user, fmt.Sprintf(`{"orderNumber":%q,"payMethod":1}`, number.FindStringSubmatch(raw)[1]))
		}
	}

	within(t, ctx, 20*time.Second, "the page and the library", chromedp.Navigate(page.URL), until(`window.orderalert !== undefined`))
	evaluate[bool](t, ctx, fmt.Sprintf(`window.seen = []; window.events = []; window.statuses = [];
		window.c1 = orderalert.connect({
		  baseUrl: %q, getTicket, shopIds: [1], silenceMs: 4000, lastAlertId: 0,
		  onAlert: (a) => seen.push(a.id), onEvent: (e) => events.push(e),
		  onStatus: (s, d) => statuses.push([s, d.cause || "", d.code || ""].join(":")),
		}), true`, "http://"+proxy.Addr()))
	within(t, ctx, 20*time.Second, "open", until(`c1.status === "open"`))
	pay(2)
	within(t, ctx, 10*time.Second, "two alerts", until(`seen.length === 2`))

	// A frame seen before is dropped; an event is handed over and moves the resume point, here
	// to the id of another shop's alert, which this socket never receives.
	evaluate[bool](t, ctx, `__inject(JSON.stringify({id: seen[0], type: 1, shopId: 1, orderId: 1, orderNumber: "1", content: "订单号:1", source: null, createdAt: "2026-12-03T10:00:00Z"})), true`)
	other := srv.publish(ctx, published{Type: alert.TypeNewOrder, Shop: 2, OrderNumber: "B-1", Content: "订单号:B-1"})
	ack := fmt.Sprintf(`{"event":"ack","id":%d,"alertId":1,"by":{"id":1,"name":"admin"},"sid":null,"at":"2026-12-03T10:00:00.000Z"}`, other)
	evaluate[bool](t, ctx, fmt.Sprintf(`__inject(%q), __inject(%q), true`, ack, ack))
	if got := evaluate[[]int64](t, ctx, `[seen.length, events.length, events[0].id, c1.lastAlertId]`); got[0] != 2 || got[1] != 1 || got[2] != other || got[3] != other {
		t.Fatalf("after a repeated alert and a repeated event: [alerts, events, event id, lastAlertId] = %v, want [2 1 %d %d]", got, other, other)
	}

	proxy.Cut()
	within(t, ctx, 10*time.Second, "the cut noticed", until(`c1.status === "reconnecting"`))
	pay(2)
	proxy.Restore()
	within(t, ctx, 20*time.Second, "the alerts missed while cut", until(`seen.length === 4 && c1.status === "open"`))
	if url := lastSocketURL(t, ctx); !strings.Contains(url, fmt.Sprintf("lastAlertId=%d&", other)) {
		t.Errorf("reconnected with %s, want lastAlertId=%d (the event's id)", url, other)
	}

	proxy.Freeze()
	pay(1)
	within(t, ctx, 20*time.Second, "the silence noticed", until(`statuses.includes("reconnecting:silence:")`))
	proxy.Restore()
	within(t, ctx, 30*time.Second, "the alert sent into the frozen link", until(`seen.length === 5 && c1.status === "open"`))

	if _, err := srv.Stop(20 * time.Second); err != nil {
		t.Fatalf("stop: %v", err)
	}
	within(t, ctx, 10*time.Second, "the shutdown's close", until(`statuses.includes("reconnecting:closed:1001")`))
	srv.publish(ctx, published{Type: 10, Shop: 1, OrderNumber: "1203", Content: "加两条毛巾"}) // while no server runs
	srv.Start()
	within(t, ctx, 30*time.Second, "the alert published while down", until(`seen.length === 6 && c1.status === "open"`))
	pay(1)
	within(t, ctx, 10*time.Second, "a live alert after all that", until(`seen.length === 7`))
	time.Sleep(500 * time.Millisecond) // anything sent twice would arrive now

	seen := evaluate[[]int64](t, ctx, `seen`)
	if want := srv.alertIDs(ctx, adminToken, 1); fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Fatalf("the page received %v, want every alert of shop 1 once, in order: %v", seen, want)
	}
	t.Logf("received %v; statuses %v", seen, evaluate[[]string](t, ctx, `statuses`))

	// The same sid again: the first connection is replaced and stays so.
	evaluate[bool](t, ctx, `window.seen2 = [];
		window.c2 = orderalert.connect({ baseUrl: "http://`+proxy.Addr()+`", getTicket, sid: c1.sid, lastAlertId: c1.lastAlertId,
		  onAlert: (a) => seen2.push(a.id) }), true`)
	within(t, ctx, 20*time.Second, "the takeover", until(`c1.status === "replaced" && c2.status === "open"`))
	sockets := evaluate[int](t, ctx, `__socketURLs.length`)
	pay(1)
	within(t, ctx, 10*time.Second, "the next alert on the new connection", until(`seen2.length === 1`))
	time.Sleep(2 * time.Second) // a connection fighting back would reconnect within its first backoff
	if got := evaluate[[]int](t, ctx, `[__socketURLs.length, seen.length]`); got[0] != sockets || got[1] != 7 {
		t.Errorf("after 4509: %d more sockets and %d more alerts on the replaced connection, want none", got[0]-sockets, got[1]-7)
	}

	evaluate[bool](t, ctx, `c2.close(), true`)
	evaluate[bool](t, ctx, `window.c3 = orderalert.connect({ baseUrl: "http://`+proxy.Addr()+`",
		getTicket: async () => { throw { response: { status: 401 } }; }, onAlert: () => {} }), true`)
	within(t, ctx, 10*time.Second, "stopped for a login", until(`c2.status === "closed" && c3.status === "unauthorized"`))
	pay(1)
	time.Sleep(2 * time.Second)
	if got := evaluate[[]int](t, ctx, `[__socketURLs.length, seen2.length]`); got[0] != sockets || got[1] != 1 {
		t.Errorf("after close() and a refused ticket: %d more sockets, %d more alerts, want none", got[0]-sockets, got[1]-1)
	}
}

func lastSocketURL(t *testing.T, ctx context.Context) string {
	t.Helper()
	return evaluate[string](t, ctx, `__socketURLs[__socketURLs.length - 1]`)
}

// adminToken logs in as the first admin.
func (s *server) adminToken(ctx context.Context) string {
	s.t.Helper()
	raw := s.call(ctx, s.Base(), "POST", "/admin/employee/login", "", fmt.Sprintf(`{"username":"admin","password":%q}`, adminPassword))
	var login struct{ Data struct{ Token string } }
	if err := json.Unmarshal([]byte(raw), &login); err != nil || login.Data.Token == "" {
		s.t.Fatalf("login: %v %s", err, raw)
	}
	return login.Data.Token
}

// alertIDs lists, oldest first, the ids of the shop's alerts the server keeps.
func (s *server) alertIDs(ctx context.Context, token string, shop int64) []int64 {
	s.t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/admin/alerts?limit=100&shopId=%d", s.Base(), shop), nil)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("token", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var list struct{ Data []struct{ ID, ShopID int64 } }
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || resp.StatusCode != http.StatusOK {
		s.t.Fatalf("GET /admin/alerts: %d %v", resp.StatusCode, err)
	}
	ids := make([]int64, 0, len(list.Data))
	for _, a := range list.Data {
		if a.ShopID != shop {
			s.t.Fatalf("GET /admin/alerts?shopId=%d listed an alert of shop %d", shop, a.ShopID)
		}
		ids = append(ids, a.ID)
	}
	return ids
}
