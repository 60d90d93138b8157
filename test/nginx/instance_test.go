package nginx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/test/proc"
)

const adminPassword = "nginx test password"

// instance is a running `orderalert serve`.
type instance struct {
	dir  string // its working folder, where a SQLite database lives
	addr string
	env  []string
	log  *proc.Output
}

// startInstance runs serve on a free port with the database given (empty: a SQLite file of its
// own) and the extra environment, waits until it is healthy, and kills it when the test ends.
func startInstance(t *testing.T, databaseURL string, extra ...string) *instance {
	t.Helper()
	dir := t.TempDir()
	in := &instance{dir: dir, addr: freeAddr(t), log: &proc.Output{}}
	in.env = append([]string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "ORDERALERT_DATA_DIR=" + dir,
		"ORDERALERT_HTTP_ADDR=" + in.addr, "ORDERALERT_ADMIN_INITIAL_PASSWORD=" + adminPassword,
		"ORDERALERT_LOG_FORMAT=json",
	}, extra...)
	if databaseURL != "" {
		in.env = append(in.env, "ORDERALERT_DATABASE_URL="+databaseURL)
	}
	cmd := exec.Command(binary, "serve")
	cmd.Dir, cmd.Env = dir, in.env
	cmd.Stdout, cmd.Stderr = in.log, in.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + in.addr + "/healthz"); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return in
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve never became healthy:\n%s", in.log)
		}
	}
}

// userToken mints a customer token with the instance's own secrets.
func (in *instance) userToken(t *testing.T, userID int) string {
	t.Helper()
	cmd := exec.Command(binary, "token", "--user", fmt.Sprint(userID))
	cmd.Dir, cmd.Env = in.dir, in.env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// defaultPingInterval is what `serve --help` states as the ping period's default.
func defaultPingInterval(t *testing.T) time.Duration {
	t.Helper()
	out, err := exec.Command(binary, "serve", "--help").CombinedOutput()
	m := regexp.MustCompile(`ORDERALERT_WS_PING_INTERVAL\s+default\s+(\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("serve --help states no ping interval default (%v):\n%s", err, out)
	}
	d, err := time.ParseDuration(string(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// api calls one base URL (nginx's) with JSON bodies and the envelope's answers.
type api struct {
	base   string
	client *http.Client
}

// call sends body with the header (name, value) and returns the status and the raw answer.
func (a api) call(t *testing.T, method, path, header, value, body string) (int, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if header != "" {
		req.Header.Set(header, value)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, raw
}

// data makes a call that must succeed and decodes the envelope's data into out.
func (a api) data(t *testing.T, method, path, header, value, body string, out any) {
	t.Helper()
	status, raw := a.call(t, method, path, header, value, body)
	var env struct {
		Code int
		Data json.RawMessage
	}
	if err := json.Unmarshal(raw, &env); err != nil || status != http.StatusOK || env.Code != 1 {
		t.Fatalf("%s %s = %d %s", method, path, status, bytes.TrimSpace(raw))
	}
	if out != nil {
		if err := json.Unmarshal(env.Data, out); err != nil {
			t.Fatal(err)
		}
	}
}

// login signs the admin in through the API and returns the admin token.
func (a api) login(t *testing.T) string {
	t.Helper()
	var admin struct{ Token string }
	a.data(t, http.MethodPost, "/admin/employee/login", "", "",
		`{"username":"admin","password":"`+adminPassword+`"}`, &admin)
	return admin.Token
}

// ticket gets a single-use WebSocket ticket for the admin.
func (a api) ticket(t *testing.T, adminToken string) string {
	t.Helper()
	var tk struct{ Ticket string }
	a.data(t, http.MethodPost, "/admin/ws/ticket", "token", adminToken, "", &tk)
	if tk.Ticket == "" {
		t.Fatal("empty ticket")
	}
	return tk.Ticket
}

// order is a submitted order.
type order struct {
	ID          int64
	OrderNumber string
}

// paidOrder submits an order and pays it, as the mini-program does: one alert of type 1.
func (a api) paidOrder(t *testing.T, userToken string) order {
	t.Helper()
	var o order
	a.data(t, http.MethodPost, "/user/order/submit", "authentication", userToken, `{"amount": 18.5}`, &o)
	a.data(t, http.MethodPut, "/user/order/payment", "authentication", userToken,
		`{"orderNumber":"`+o.OrderNumber+`","payMethod":1}`, nil)
	return o
}

// remind asks for the order to be hurried: one alert of type 2.
func (a api) remind(t *testing.T, userToken string, o order) {
	t.Helper()
	a.data(t, http.MethodGet, fmt.Sprintf("/user/order/reminder/%d", o.ID), "authentication", userToken, "", nil)
}
