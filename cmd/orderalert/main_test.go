package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"

	"github.com/orderalert/orderalert/test/proc"
	"github.com/orderalert/orderalert/test/wechatpaytest"
)

// binary is orderalert built once for the tests that run it as a newcomer would.
var binary string

func TestMain(m *testing.M) { proc.Main(m, ".", &binary) }

// orderalert runs the binary in dir with only the given variables besides PATH and HOME, so that
// the developer's own ORDERALERT_* settings cannot leak in. The context kills a hang.
func orderalert(ctx context.Context, dir string, env []string, args ...string) (*exec.Cmd, *proc.Output) {
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, env...)
	out := &proc.Output{}
	cmd.Stdout, cmd.Stderr = out, out
	return cmd, out
}

// serving is a `serve` process that answers /healthz.
type serving struct {
	cmd    *exec.Cmd
	out    *proc.Output
	addr   string
	exited chan error
}

// serve starts `orderalert serve` in dir with no other setup than a free port, and waits until
// it is healthy; the process is killed when the test ends, if it still runs.
func serve(t *testing.T, ctx context.Context, dir string, env ...string) *serving {
	t.Helper()
	addr := freeAddr(t)
	cmd, out := orderalert(ctx, dir, append([]string{"ORDERALERT_HTTP_ADDR=" + addr}, env...), "serve")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &serving{cmd: cmd, out: out, addr: addr, exited: make(chan error, 1)}
	go func() { s.exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	if !waitHealthy(ctx, "http://"+addr+"/healthz", s.exited) {
		t.Fatalf("serve never answered /healthz; output:\n%s", out)
	}
	return s
}

func TestServeStartsWithNoSetup(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	s := serve(t, ctx, dir)
	cmd, out, addr, exited := s.cmd, s.out, s.addr, s.exited
	if _, err := os.Stat(filepath.Join(dir, "data", "orderalert.db")); err != nil {
		t.Errorf("the embedded database was not created under ./data/: %v", err)
	}
	password := readPasswordFile(t, filepath.Join(dir, "data", "initial-admin-password"))
	if strings.Contains(out.String(), password) {
		t.Errorf("the generated password reached the log:\n%s", out)
	}
	if code, body := post(t, "http://"+addr+"/admin/employee/login", `{"username":"admin","password":"`+password+`"}`); code != http.StatusOK || !strings.Contains(body, `"token":"`) {
		t.Errorf("login with the generated password = %d %s", code, body)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-exited; err != nil {
		t.Fatalf("serve did not stop cleanly on SIGTERM: %v; output:\n%s", err, out)
	}
}

func TestBadConfigurationStopsStartupWithOneClearLine(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = busy.Close() })
	cases := []struct {
		name, variable, value, says string
	}{
		{"unparseable database URL", "ORDERALERT_DATABASE_URL", "postgres://admin:s3cret@db:5432/%zz", "not a valid postgres:// URL"},
		{"unknown database scheme", "ORDERALERT_DATABASE_URL", "mysql://admin:s3cret@db/orders", "neither postgres:// nor a SQLite file"},
		{"unreachable PostgreSQL", "ORDERALERT_DATABASE_URL", "postgres://admin:s3cret@127.0.0.1:1/orders?sslmode=disable", "PostgreSQL database does not answer"},
		{"busy port", "ORDERALERT_HTTP_ADDR", busy.Addr().String(), "address already in use"},
		{"unparseable variable", "ORDERALERT_REMINDER_COOLDOWN", "a minute", "ORDERALERT_REMINDER_COOLDOWN"},
		{"a trusted proxy that is not a CIDR", "ORDERALERT_TRUSTED_PROXIES", "10.0.0.0/8,nginx", `ORDERALERT_TRUSTED_PROXIES: "nginx" is not a CIDR`},
		{"production with simulated payments", "ORDERALERT_MODE", "production", "PAYMENT_MODE=simulate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 40*time.Second)
			defer cancel()
			env := []string{c.variable + "=" + c.value}
			if c.variable != "ORDERALERT_HTTP_ADDR" {
				env = append(env, "ORDERALERT_HTTP_ADDR="+freeAddr(t))
			}
			cmd, out := orderalert(ctx, t.TempDir(), env, "serve")
			err := cmd.Run()
			if ctx.Err() != nil {
				t.Fatalf("serve hung; output:\n%s", out)
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() <= 0 {
				t.Fatalf("serve = %v, want a non-zero exit; output:\n%s", err, out)
			}
			lines := nonEmptyLines(out.String())
			failures := 0
			for _, l := range lines {
				if strings.Contains(l, "level=ERROR") || strings.HasPrefix(l, "orderalert serve:") {
					failures++
				}
			}
			text := out.String()
			switch {
			case failures != 1 || !strings.Contains(text, c.says):
				t.Errorf("want exactly one failure line saying %q, got:\n%s", c.says, text)
			case strings.Contains(text, "panic") || strings.Contains(text, "goroutine "):
				t.Errorf("serve panicked:\n%s", text)
			case strings.Contains(text, "s3cret"):
				t.Errorf("the database password reached the output:\n%s", text)
			}
		})
	}
}

// TestProductionNeedsAnAdminPassword: a production start on an empty database must not invent
// a password nobody will see; it stops and says what to set.
func TestProductionNeedsAnAdminPassword(t *testing.T) {
	t.Parallel()
	platform, merchant := wechatpaytest.NewPlatform(t), wechatpaytest.NewMerchant(t)
	env := []string{
		"ORDERALERT_MODE=production", "ORDERALERT_HTTP_ADDR=" + freeAddr(t),
		"ORDERALERT_ADMIN_JWT_SECRET=" + strings.Repeat("a", 32), "ORDERALERT_USER_JWT_SECRET=" + strings.Repeat("u", 32),
		"ORDERALERT_PAYMENT_MODE=wechat", "ORDERALERT_WECHATPAY_APIV3_KEY=" + platform.APIv3Key,
		"ORDERALERT_WECHATPAY_PUBLIC_KEY_ID=" + platform.KeyID, "ORDERALERT_WECHATPAY_PUBLIC_KEY_FILE=" + platform.WritePublicKey(t),
		// Production in wechat mode needs the whole merchant: the check of the admin password
		// comes after the configuration's.
		"ORDERALERT_WECHATPAY_MCHID=1900000109", "ORDERALERT_WECHATPAY_APPID=wx1234567890abcdef",
		"ORDERALERT_WECHATPAY_MCH_PRIVATE_KEY_FILE=" + merchant.WritePrivateKey(t), "ORDERALERT_WECHATPAY_MCH_CERT_SERIAL=5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
		"ORDERALERT_WECHATPAY_NOTIFY_URL=https://shop.example/notify/paySuccess",
		// And its Web Push keys (orderalert vapid).
		"ORDERALERT_VAPID_PUBLIC_KEY=BP339P4RpbWgOz40mjU1_uPVckolS-UAKL0TUwWvKMnKIV_APbQyECzuGwXMrwj-lrSad4szMm7CeUl2Ki1yoKg",
		"ORDERALERT_VAPID_PRIVATE_KEY=J6uDUV9zlsN5rtamEhemuihqYqxUFg6z4xRL5FEzU1E", "ORDERALERT_VAPID_SUBJECT=mailto:ops@shop.example",
	}
	ctx, cancel := context.WithTimeout(t.Context(), 40*time.Second)
	defer cancel()
	cmd, out := orderalert(ctx, t.TempDir(), env, "serve")
	if err := cmd.Run(); err == nil || !strings.Contains(out.String(), "ORDERALERT_ADMIN_INITIAL_PASSWORD") {
		t.Fatalf("production start without an admin = %v:\n%s", err, out)
	}
}

// TestTokenAndAdminCreate: admin create sets up a database of its own when there is none
// (token never does: TestToolsNeverCreateADatabase); token then signs with its secrets.
func TestTokenAndAdminCreate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd, out := orderalert(ctx, dir, nil, "admin", "create", "--username", "bob")
	cmd.Stdin = strings.NewReader("bob's long password\n")
	if err := cmd.Run(); err != nil || !strings.Contains(out.String(), `created admin account "bob"`) || strings.Contains(out.String(), "long password") {
		t.Fatalf("admin create = %v:\n%s", err, out)
	}
	cmd, out = orderalert(ctx, dir, nil, "admin", "create", "--username", "bob")
	cmd.Stdin = strings.NewReader("another password\n")
	if err := cmd.Run(); err == nil || !strings.Contains(out.String(), "username already taken") {
		t.Fatalf("admin create of a taken username = %v:\n%s", err, out)
	}
	noServer := []string{"ORDERALERT_HTTP_ADDR=" + freeAddr(t)}
	cmd, out = orderalert(ctx, dir, noServer, "token", "--user", "7")
	var token bytes.Buffer
	cmd.Stdout = &token
	if err := cmd.Run(); err != nil || strings.Count(strings.TrimSpace(token.String()), ".") != 2 {
		t.Fatalf("token --user 7 = %v, printed %q:\n%s", err, token.String(), out)
	}
	cmd, out = orderalert(ctx, dir, noServer, "token", "--user", "7", "--admin", "1")
	if err := cmd.Run(); err == nil || !strings.Contains(out.String(), "exactly one of") {
		t.Fatalf("token with both roles = %v:\n%s", err, out)
	}
}

func readPasswordFile(t *testing.T, path string) string {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no password file: %v", err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, info.Mode().Perm())
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, password, found := strings.Cut(string(raw), "password: ")
	if !found {
		t.Fatalf("password file holds %q", raw)
	}
	return strings.TrimSpace(password)
}

func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().String()
}

// waitHealthy polls url until it answers 200, the process exits or ctx ends.
func waitHealthy(ctx context.Context, url string, exited chan error) bool {
	for ctx.Err() == nil {
		select {
		case err := <-exited:
			exited <- err // leave it for the caller
			return false
		default:
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// adminToken mints a token of the first admin with `orderalert token`, as a script would;
// env points it at the server (ORDERALERT_HTTP_ADDR) and its database.
func adminToken(t *testing.T, ctx context.Context, dir string, env ...string) string {
	t.Helper()
	mint, out := orderalert(ctx, dir, env, "token", "--admin", "1")
	var token bytes.Buffer
	mint.Stdout = &token
	if err := mint.Run(); err != nil {
		t.Fatalf("token --admin 1: %v\n%s", err, out)
	}
	return strings.TrimSpace(token.String())
}

func nonEmptyLines(s string) []string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// TestSIGTERMClosesSocketsWith1001AndExits: on SIGTERM every dashboard socket gets a 1001 close
// (the dashboards then reconnect to another instance) and the process exits by itself, cleanly.
func TestSIGTERMClosesSocketsWith1001AndExits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	s := serve(t, ctx, dir)
	cmd, out, addr, exited := s.cmd, s.out, s.addr, s.exited
	token := adminToken(t, ctx, dir, "ORDERALERT_HTTP_ADDR="+addr)
	var sockets []*fws.Conn
	for i := range 3 {
		conn, resp, err := fws.DefaultDialer.Dial(fmt.Sprintf("ws://%s/ws/dash-%d", addr, i), http.Header{"Token": {token}})
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		_ = resp.Body.Close()
		sockets = append(sockets, conn)
	}
	time.Sleep(200 * time.Millisecond) // let the hub register them
	began := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for i, conn := range sockets {
		_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, _, err := conn.ReadMessage()
		var ce *fws.CloseError
		if !errors.As(err, &ce) || ce.Code != 1001 {
			t.Errorf("socket %d ended with %v, want close 1001", i, err)
		}
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve exited with %v; output:\n%s", err, out)
		}
		t.Logf("exited %s after SIGTERM", time.Since(began).Round(time.Millisecond))
	case <-time.After(15 * time.Second):
		t.Fatalf("serve still running 15 s after SIGTERM; output:\n%s", out)
	}
}

// TestDemoRingsBothAlerts: `orderalert demo` against a running server creates one new-order
// alert and, after the cooldown, one reminder.
func TestDemoRingsBothAlerts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	s := serve(t, ctx, dir, "ORDERALERT_REMINDER_COOLDOWN=1s")
	demo, out := orderalert(ctx, dir, []string{"ORDERALERT_REMINDER_COOLDOWN=1s"}, "demo", "--server", "http://"+s.addr)
	if err := demo.Run(); err != nil || !strings.Contains(out.String(), "reminded the shop") {
		t.Fatalf("demo = %v:\n%s", err, out)
	}
	token := adminToken(t, ctx, dir, "ORDERALERT_HTTP_ADDR="+s.addr)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+s.addr+"/admin/alerts", nil)
	req.Header.Set("token", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var alerts struct{ Data []struct{ Type int } }
	if err := json.NewDecoder(resp.Body).Decode(&alerts); err != nil {
		t.Fatal(err)
	}
	if len(alerts.Data) != 2 || alerts.Data[0].Type != 1 || alerts.Data[1].Type != 2 {
		t.Fatalf("alerts after the demo = %+v, want a new order then a reminder", alerts.Data)
	}
}
