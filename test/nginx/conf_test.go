package nginx_test

import (
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// wsLocation is the text of the shipped file's /ws/ location.
func wsLocation(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(shippedConf)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, found := strings.Cut(string(raw), "location /ws/ {")
	block, _, closed := strings.Cut(rest, "\n    }")
	if !found || !closed {
		t.Fatal("deploy/nginx.conf has no location /ws/ block")
	}
	return block
}

// nginxDuration reads an nginx time: a number with ms, s, m or h, or bare seconds.
func nginxDuration(t *testing.T, value string) time.Duration {
	t.Helper()
	if regexp.MustCompile(`^\d+$`).MatchString(value) {
		value += "s"
	}
	d, err := time.ParseDuration(value)
	if err != nil {
		t.Fatalf("nginx time %q: %v", value, err)
	}
	return d
}

// TestShippedReadTimeoutOutlastsThePings: on an upgraded connection proxy_read_timeout is how
// long nginx lets the instance stay silent, so it must cover several of the server's default
// ping periods (as stated by `serve --help`), or idle dashboards would be cut.
func TestShippedReadTimeoutOutlastsThePings(t *testing.T) {
	t.Parallel()
	block := wsLocation(t)
	m := regexp.MustCompile(`(?m)^\s*proxy_read_timeout\s+(\S+);`).FindStringSubmatch(block)
	if m == nil {
		t.Fatal("location /ws/ sets no proxy_read_timeout (nginx's default, 60 s, is barely two pings)")
	}
	timeout, ping := nginxDuration(t, m[1]), defaultPingInterval(t)
	if timeout < 3*ping {
		t.Fatalf("proxy_read_timeout %s is under three default ping periods (%s)", timeout, ping)
	}
	for _, want := range []string{"proxy_http_version 1.1;", "proxy_set_header Upgrade $http_upgrade;",
		"proxy_set_header Connection $connection_upgrade;", "proxy_buffering off;"} {
		if !strings.Contains(block, want) {
			t.Errorf("location /ws/ lacks %q", want)
		}
	}
	t.Logf("proxy_read_timeout %s, default ping %s", timeout, ping)
}

// TestNginxEdgeAnswers: what nginx answers itself. /metrics is not public; a body over the
// instances' 64 KiB limit gets 413 in the API's envelope, and one within it reaches them.
func TestNginxEdgeAnswers(t *testing.T) {
	t.Parallel()
	requireNginx(t) // before starting anything it would need
	in := startInstance(t, "")
	ngx := startNginx(t, [2]string{in.addr, in.addr}, options{})
	through := ngx.api()

	if status, _ := through.call(t, http.MethodGet, "/metrics", "", "", ""); status != http.StatusForbidden {
		t.Fatalf("GET /metrics through nginx = %d, want 403", status)
	}
	if status, raw := through.call(t, http.MethodGet, "/healthz", "", "", ""); status != http.StatusOK {
		t.Fatalf("GET /healthz through nginx = %d %s", status, raw)
	}
	login := `{"username":"admin","password":"` + strings.Repeat("x", 64<<10) + `"}`
	status, raw := through.call(t, http.MethodPost, "/admin/employee/login", "", "", login)
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(string(raw), `"code":0`) || !strings.Contains(string(raw), "请求体过大") {
		t.Fatalf("a %d-byte body through nginx = %d %s, want 413 in the envelope", len(login), status, raw)
	}
	// Within the limit the instance judges it: a password over 128 bytes is its 400, not a
	// refused body (nor a 502 from an unreachable instance).
	login = `{"username":"admin","password":"` + strings.Repeat("x", 60<<10) + `"}`
	if status, raw := through.call(t, http.MethodPost, "/admin/employee/login", "", "", login); status != http.StatusBadRequest || !strings.Contains(string(raw), `"code":0`) {
		t.Fatalf("a %d-byte body through nginx = %d %s, want the instance's 400", len(login), status, raw)
	}
}

// TestPingsKeepTheProxiedSocketOpen shows what the shipped timeout relies on: nginx cuts an
// upgraded connection whose instance is silent for proxy_read_timeout, and the server's pings
// are what keeps an idle dashboard's open. Here the timeout is cut to 1 s (the only change to
// the shipped file besides its EDIT lines): with pings every 250 ms the socket outlives three
// timeouts; with pings every hour nginx ends it.
func TestPingsKeepTheProxiedSocketOpen(t *testing.T) {
	t.Parallel()
	requireNginx(t) // before starting anything it would need
	shortTimeout := [2]string{"proxy_read_timeout 75s;", "proxy_read_timeout 1s;"}
	for _, c := range []struct {
		name     string
		ping     string
		wantOpen bool
	}{{"pinged", "250ms", true}, {"silent", "1h", false}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			in := startInstance(t, "", "ORDERALERT_WS_PING_INTERVAL="+c.ping)
			ngx := startNginx(t, [2]string{in.addr, in.addr}, options{edits: [][2]string{shortTimeout}})
			through := ngx.api()
			s, status := dialSocket(t, ngx, "idle", through.ticket(t, through.login(t)), ngx.base())
			if s == nil {
				t.Fatalf("handshake through nginx = %d, want 101", status)
			}
			select {
			case <-s.done:
				if c.wantOpen {
					t.Fatalf("nginx ended a pinged socket (%d pings): %v", s.pings.Load(), s.err)
				}
				t.Logf("nginx ended the silent socket: %v", s.err)
			case <-time.After(3 * time.Second):
				if !c.wantOpen {
					t.Fatal("nginx kept a silent socket open past three read timeouts")
				}
				t.Logf("the pinged socket is open after 3 s and %d pings", s.pings.Load())
			}
		})
	}
}
