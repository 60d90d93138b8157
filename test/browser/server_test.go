package browser

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/orderalert/orderalert/test/proc"
)

// binary is orderalert, built once for the package.
var binary string

func TestMain(m *testing.M) { proc.Main(m, "../../cmd/orderalert", &binary) }

const adminPassword = "dashboard test password"

// server is an `orderalert serve` process that can be killed and started again on the same
// address and database, as after a crash.
type server struct {
	*proc.Server
	t       *testing.T
	carrier int64 // the order publish's alerts are appended with

	integrationKey string // publishOverHTTP's, once created
}

// newServer describes the server; env adds settings or overrides these (the last one wins).
func newServer(t *testing.T, env ...string) *server {
	return &server{t: t, Server: proc.NewServer(t, binary, t.TempDir(), append([]string{
		"ORDERALERT_ADMIN_INITIAL_PASSWORD=" + adminPassword, "ORDERALERT_REMINDER_COOLDOWN=1s",
		"ORDERALERT_WS_PING_INTERVAL=2s",
	}, env...)...)}
}

// userToken mints a customer token with the server's own secrets.
func (s *server) userToken(userID int) string {
	s.t.Helper()
	return s.Run(s.t.Context(), "token", "--user", fmt.Sprint(userID))
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
