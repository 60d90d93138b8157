package nginx_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/test/pgtest"
)

// testPing is the instances' ping period here: several pings fit in a short idle spell.
const testPing = 500 * time.Millisecond

// TestDashboardThroughNginx: two instances on one PostgreSQL database behind nginx running
// deploy/nginx.conf. Through nginx only, the admin logs in and opens four sockets with the
// browser's Origin (nginx's own); the mini-program pays an order and hurries it; every socket
// gets exactly those two frames, whichever instance it is on. The sockets are spread two and
// two, stay open through an idle spell on pings alone, and the access log holds no ticket.
func TestDashboardThroughNginx(t *testing.T) {
	t.Parallel()
	requireNginx(t) // before starting anything it would need
	db := pgtest.NewDatabase(t)
	ping := "ORDERALERT_WS_PING_INTERVAL=" + testPing.String()
	a := startInstance(t, db, ping, "ORDERALERT_REMINDER_COOLDOWN=1s")
	b := startInstance(t, db, ping, "ORDERALERT_REMINDER_COOLDOWN=1s")
	ngx := startNginx(t, [2]string{a.addr, b.addr}, options{})
	through := ngx.api()

	admin := through.login(t)
	user := a.userToken(t, 7)
	var tickets []string
	var sockets []*socket
	for i := range 4 {
		ticket := through.ticket(t, admin)
		tickets = append(tickets, ticket)
		s, status := dialSocket(t, ngx, fmt.Sprintf("nginx-%d", i), ticket, ngx.base())
		if s == nil {
			t.Fatalf("socket %d: handshake through nginx = %d, want 101", i, status)
		}
		sockets = append(sockets, s)
	}
	// The Origin check still bites behind nginx: another site's page is refused.
	foreign := through.ticket(t, admin)
	tickets = append(tickets, foreign)
	if s, status := dialSocket(t, ngx, "nginx-foreign", foreign, "http://evil.example"); s != nil || status != http.StatusForbidden {
		t.Fatalf("socket from another origin: handshake = %d, want 403", status)
	}
	time.Sleep(300 * time.Millisecond) // the instances attach the sockets to their hubs

	o := through.paidOrder(t, user)
	through.remind(t, user, o)
	for i, s := range sockets {
		paid, reminded := s.next(t, 5*time.Second), s.next(t, 5*time.Second)
		if paid.Type != 1 || paid.OrderID != o.ID || reminded.Type != 2 || reminded.OrderID != o.ID || reminded.ID <= paid.ID {
			t.Fatalf("socket %d got %+v then %+v, want type 1 then 2 of order %d", i, paid, reminded, o.ID)
		}
		s.quiet(t, 200*time.Millisecond)
	}

	// Idle for many ping periods: the pings cross nginx both ways and the sockets stay open.
	idle := 8 * testPing
	before := make([]int64, len(sockets))
	for i, s := range sockets {
		before[i] = s.pings.Load()
	}
	for _, s := range sockets {
		s.quiet(t, idle/time.Duration(len(sockets)))
	}
	for i, s := range sockets {
		if got := s.pings.Load() - before[i]; got < 3 {
			t.Fatalf("socket %d saw %d pings through nginx in %s, want at least 3", i, got, idle)
		}
	}
	later := through.paidOrder(t, user)
	for i, s := range sockets {
		if f := s.next(t, 5*time.Second); f.Type != 1 || f.OrderID != later.ID {
			t.Fatalf("socket %d after the idle spell got %+v, want the payment of order %d", i, f, later.ID)
		}
	}

	for _, s := range sockets {
		s.close()
	}
	upgrades := waitForUpgrades(t, ngx, len(sockets))
	if upgrades[a.addr] != 2 || upgrades[b.addr] != 2 {
		t.Fatalf("upgrades by instance = %v, want 2 on %s and 2 on %s", upgrades, a.addr, b.addr)
	}
	logged := readFile(ngx.accessLog)
	for _, ticket := range tickets {
		if strings.Contains(logged, ticket) {
			t.Fatalf("a ticket is in nginx's access log:\n%s", logged)
		}
	}
	if strings.Contains(logged, "ticket=") {
		t.Fatalf("a /ws query string is in nginx's access log:\n%s", logged)
	}
}

// upgradeLine is an access-log line of a socket: nginx writes it when the socket closes.
var upgradeLine = regexp.MustCompile(`"GET /ws/\S+ HTTP/1\.1" 101 .* upstream=(\S+) `)

// waitForUpgrades counts the 101 lines of the access log by instance, once there are want.
func waitForUpgrades(t *testing.T, ngx *proxy, want int) map[string]int {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		byInstance := map[string]int{}
		lines := upgradeLine.FindAllStringSubmatch(readFile(ngx.accessLog), -1)
		for _, m := range lines {
			byInstance[m[1]]++
		}
		if len(lines) >= want {
			return byInstance
		}
		if time.Now().After(deadline) {
			t.Fatalf("access log has %d socket lines, want %d:\n%s", len(lines), want, readFile(ngx.accessLog))
		}
	}
}

// TestDashboardThroughNginxWithTLS: nginx terminates TLS, as a production site does, and talks
// plain HTTP to the instance; the dashboard's origin is https://…, which the instance can only
// recognise as the request's own through X-Forwarded-Proto. The socket then gets its alert.
func TestDashboardThroughNginxWithTLS(t *testing.T) {
	t.Parallel()
	requireNginx(t) // before starting anything it would need
	in := startInstance(t, "")
	ngx := startNginx(t, [2]string{in.addr, in.addr}, options{tls: newTestCert(t)})
	through := ngx.api()
	admin := through.login(t)
	s, status := dialSocket(t, ngx, "tls", through.ticket(t, admin), ngx.base())
	if s == nil {
		t.Fatalf("handshake through nginx with TLS, Origin %s = %d, want 101", ngx.base(), status)
	}
	if s, status := dialSocket(t, ngx, "plain-origin", through.ticket(t, admin), "http://"+ngx.addr); s != nil || status != http.StatusForbidden {
		t.Fatalf("handshake with the http:// origin of an https site = %d, want 403", status)
	}
	time.Sleep(300 * time.Millisecond) // the instance attaches the socket to its hub
	o := through.paidOrder(t, in.userToken(t, 7))
	if f := s.next(t, 5*time.Second); f.Type != 1 || f.OrderID != o.ID {
		t.Fatalf("socket got %+v, want the payment of order %d", f, o.ID)
	}
}
