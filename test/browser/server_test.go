package browser

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/test/proc"
)

// binary is orderalert, built once for the package.
var binary string

func TestMain(m *testing.M) {
	var cleanup func()
	var err error
	if binary, cleanup, err = proc.Build("../../cmd/orderalert"); err != nil {
		panic(err)
	}
	code := m.Run()
	cleanup()
	os.Exit(code)
}

const adminPassword = "dashboard test password"

// server is an `orderalert serve` process that can be killed and started again on the same
// address and database, as after a crash.
type server struct {
	t    *testing.T
	dir  string
	addr string
	cmd  *exec.Cmd
	log  *proc.Output
}

func newServer(t *testing.T) *server {
	s := &server{t: t, dir: t.TempDir(), addr: freeAddr(t), log: &proc.Output{}}
	t.Cleanup(func() {
		if s.cmd != nil {
			_ = s.cmd.Process.Kill()
			_ = s.cmd.Wait()
		}
	})
	return s
}

func (s *server) base() string { return "http://" + s.addr }

func (s *server) env() []string {
	return []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + s.dir, "ORDERALERT_HTTP_ADDR=" + s.addr,
		"ORDERALERT_ADMIN_INITIAL_PASSWORD=" + adminPassword, "ORDERALERT_REMINDER_COOLDOWN=1s",
		"ORDERALERT_WS_PING_INTERVAL=2s",
	}
}

// start runs serve on the server's address and waits until it is healthy.
func (s *server) start() { s.startAt(s.addr) }

// startAt runs serve on another address, on the same database: an instance the browser does
// not know about.
func (s *server) startAt(addr string) {
	s.t.Helper()
	s.cmd = exec.Command(binary, "serve")
	s.cmd.Dir, s.cmd.Env = s.dir, append(s.env(), "ORDERALERT_HTTP_ADDR="+addr)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("serve never became healthy:\n%s", s.log)
		}
	}
}

// kill stops the process at once, as a crash would: no close frames.
func (s *server) kill() {
	s.t.Helper()
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// userToken mints a customer token with the server's own secrets.
func (s *server) userToken(userID int) string {
	s.t.Helper()
	cmd := exec.Command(binary, "token", "--user", fmt.Sprint(userID))
	cmd.Dir, cmd.Env = s.dir, s.env()
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("token: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// call makes one mini-program call to the instance at base and returns the envelope, failing
// on anything but success.
func (s *server) call(ctx context.Context, base, method, path, token, body string) string {
	s.t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, base+path, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("authentication", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !bytes.Contains(raw, []byte(`"code":1`)) {
		s.t.Fatalf("%s %s = %d %s", method, path, resp.StatusCode, raw)
	}
	return string(raw)
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
