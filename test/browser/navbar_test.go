package browser

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/orderalert/orderalert/test/tcpproxy"
)

// recordPlays notes which <audio> element played, as the Navbar rings with two of them.
const recordPlays = `window.__played = [];
HTMLMediaElement.prototype.play = function () { window.__played.push(this.id); return Promise.resolve(); };`

// skyBackend stands in for the Java sky-take-out backend of docs/integrations/sky-take-out.md:
// its own login, the ticket endpoint behind it, and the two nginx locations (/ws/ and /sdk/)
// that send the admin's socket and the library to orderalert, so that the page stays on one
// origin.
type skyBackend struct {
	orderalert string // base URL of orderalert, for the ticket
	account    string // the shop's service account in orderalert
	password   string
	proxy      http.Handler

	mu    sync.Mutex
	token string // the service account's orderalert token, kept while it works
}

const skyAdminToken = "sky-take-out's own admin JWT"

func (b *skyBackend) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /navbar.html", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, "testdata/navbar.html")
	})
	mux.HandleFunc("POST /api/employee/login", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"code": 1, "data": map[string]string{"token": skyAdminToken}})
	})
	mux.HandleFunc("POST /api/orderalert/ticket", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("token") != skyAdminToken { // its JwtTokenAdminInterceptor
			writeJSON(w, http.StatusUnauthorized, map[string]any{"code": 0, "msg": "未登录"})
			return
		}
		ticket, err := b.ticket()
		if err != nil {
			writeJSON(w, http.StatusBadGateway, map[string]any{"code": 0, "msg": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"code": 1, "msg": nil, "data": ticket})
	})
	mux.Handle("/ws/", b.proxy)
	mux.Handle("/sdk/", b.proxy)
	return mux
}

// ticket logs the service account in when it has no token yet, and asks for a ticket.
func (b *skyBackend) ticket() (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.token == "" {
		var login struct{ Data struct{ Token string } }
		if err := post(b.orderalert+"/admin/employee/login", nil, map[string]string{"username": b.account, "password": b.password}, &login); err != nil {
			return "", err
		}
		b.token = login.Data.Token
	}
	var t struct{ Data struct{ Ticket string } }
	if err := post(b.orderalert+"/admin/ws/ticket", http.Header{"Token": {b.token}}, nil, &t); err != nil {
		b.token = "" // log in again next time
		return "", err
	}
	return t.Data.Ticket, nil
}

func post(target string, header http.Header, body, into any) error {
	raw, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("POST %s: %d %s", target, resp.StatusCode, answer)
	}
	return json.Unmarshal(answer, into)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

var generatedPassword = regexp.MustCompile(`with password: (\S+)`)

// TestNavbarLikePageRingsThroughTheLibrary: a page written like sky-take-out's Navbar, changed as
// the guide says, rings for alerts its backend publishes (audioVo for 来单, audioVo2 for 催单,
// a notification with the content); when its connection is cut, the alerts published meanwhile
// arrive after the library reconnects, once each and in order.
func TestNavbarLikePageRingsThroughTheLibrary(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	onNewDocument(t, ctx, recordPlays)
	srv := newServer(t)
	srv.Start()
	out := srv.Run(t.Context(), "integration", "create", "--name", "sky-take-out", "--shop", "1")
	key := out[strings.LastIndex(out, "\n")+1:]
	out = srv.Run(t.Context(), "admin", "create", "--username", "sky-screens", "--shop", "1")
	password := generatedPassword.FindStringSubmatch(out)
	if password == nil {
		t.Fatalf("admin create printed %q, want a generated password", out)
	}

	network := tcpproxy.Start(t, srv.Addr)
	toOrderalert := &url.URL{Scheme: "http", Host: network.Addr()}
	backend := &skyBackend{orderalert: srv.Base(), account: "sky-screens", password: password[1], proxy: &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(toOrderalert); r.SetXForwarded() },
	}}
	site := httptest.NewServer(backend.routes())
	t.Cleanup(site.Close)

	publish := func(typ int, orderID int64, number string) {
		t.Helper()
		var answer struct{ Code int }
		body := map[string]any{"type": typ, "orderId": orderID, "orderNumber": number, "idempotencyKey": fmt.Sprintf("%d-%s", typ, number)}
		if err := post(srv.Base()+"/api/alerts", http.Header{"Authorization": {"Bearer " + key}}, body, &answer); err != nil || answer.Code != 1 {
			t.Fatalf("publish %d %s: %v (code %d)", typ, number, err, answer.Code)
		}
	}
	shown := func() string {
		t.Helper()
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(".el-notification")].map(n => n.querySelector("h2").textContent + "|" + n.querySelector("p").textContent).join("\n")`))
		if err != nil {
			t.Fatal(err)
		}
		return text
	}

	within(t, ctx, 30*time.Second, "open the Navbar page",
		chromedp.Navigate(site.URL+"/navbar.html"),
		until(`document.getElementById("socket-state").textContent === "open"`))

	publish(1, 101, "A-101")
	within(t, ctx, 10*time.Second, "ring for a new order",
		until(`document.querySelectorAll(".el-notification").length === 1 && window.__played.join() === "audioVo"`))
	publish(2, 101, "A-101")
	within(t, ctx, 10*time.Second, "ring for a reminder",
		until(`document.querySelectorAll(".el-notification").length === 2 && window.__played.join() === "audioVo,audioVo2"`))

	network.Cut()
	within(t, ctx, 10*time.Second, "notice the cut",
		until(`document.getElementById("socket-state").textContent !== "open"`))
	publish(1, 102, "A-102")
	publish(1, 103, "A-103")
	network.Restore()
	within(t, ctx, 30*time.Second, "reconnect and catch up",
		until(`document.getElementById("socket-state").textContent === "open" && document.querySelectorAll(".el-notification").length >= 4`))
	time.Sleep(time.Second) // a duplicate would come with the catch-up
	want := strings.Join([]string{
		"待接单|您有1个订单待处理,订单号:A-101,请及时接单",
		"催单|订单号:A-101 去处理",
		"待接单|您有1个订单待处理,订单号:A-102,请及时接单",
		"待接单|您有1个订单待处理,订单号:A-103,请及时接单",
	}, "\n")
	if got := shown(); got != want {
		t.Fatalf("the Navbar page shows:\n%s\nwant:\n%s", got, want)
	}
}
