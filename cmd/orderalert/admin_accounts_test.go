package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"
)

// TestAdminAccountCommandsEndSessionsOfARunningServer runs `orderalert admin lock | unlock |
// passwd | delete` as an operator would, beside a running `serve` on the same database: each
// prints what it did and, without a restart, takes effect within seconds — the account's socket
// closes with 4401 and its earlier tokens are refused. An unknown username is a clear error and
// exit status 1.
func TestAdminAccountCommandsEndSessionsOfARunningServer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	s := serve(t, ctx, dir)
	base := "http://" + s.addr
	admin := func(stdin string, args ...string) (string, error) {
		cmd, out := orderalert(ctx, dir, nil, append([]string{"admin"}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		err := cmd.Run()
		return out.String(), err
	}
	if out, err := admin("bob's long password\n", "create", "--username", "bob"); err != nil {
		t.Fatalf("admin create: %v\n%s", err, out)
	}
	token := loginAs(t, base, "bob", "bob's long password")
	socket := dialWithToken(t, s.addr, token)

	out, err := admin("", "lock", "--username", "bob")
	if err != nil || !strings.Contains(out, `locked admin account "bob"`) {
		t.Fatalf("admin lock = %v:\n%s", err, out)
	}
	if code := closeCode(t, socket); code != 4401 {
		t.Fatalf("bob's socket after admin lock closed with %d, want 4401", code)
	}
	if status := getAlerts(t, base, token); status != http.StatusUnauthorized {
		t.Fatalf("bob's token after admin lock: %d, want 401", status)
	}
	if status, _ := post(t, base+"/admin/employee/login", `{"username":"bob","password":"bob's long password"}`); status != http.StatusForbidden {
		t.Fatalf("bob's login while locked: %d, want 403", status)
	}

	if out, err := admin("", "unlock", "--username", "bob"); err != nil || !strings.Contains(out, `unlocked admin account "bob"`) {
		t.Fatalf("admin unlock = %v:\n%s", err, out)
	}
	token = loginAs(t, base, "bob", "bob's long password")
	socket = dialWithToken(t, s.addr, token)
	if out, err := admin("bob's new password\n", "passwd", "--username", "bob"); err != nil || !strings.Contains(out, `changed the password of admin account "bob"`) || strings.Contains(out, "new password") {
		t.Fatalf("admin passwd = %v:\n%s", err, out)
	}
	if code := closeCode(t, socket); code != 4401 {
		t.Fatalf("bob's socket after admin passwd closed with %d, want 4401", code)
	}
	if status := getAlerts(t, base, token); status != http.StatusUnauthorized {
		t.Fatalf("bob's token after admin passwd: %d, want 401", status)
	}
	out, err = admin("", "passwd", "--username", "bob")
	_, generated, found := strings.Cut(out, "new password: ")
	if err != nil || !found {
		t.Fatalf("admin passwd with nothing on stdin = %v:\n%s", err, out)
	}
	token = loginAs(t, base, "bob", strings.TrimSpace(generated))

	if out, err := admin("", "delete", "--username", "bob"); err != nil || !strings.Contains(out, `deleted admin account "bob"`) {
		t.Fatalf("admin delete = %v:\n%s", err, out)
	}
	if status := getAlerts(t, base, token); status != http.StatusUnauthorized {
		t.Fatalf("bob's token after admin delete: %d, want 401", status)
	}
	for _, verb := range []string{"lock", "unlock", "delete", "passwd"} {
		out, err := admin("some long password\n", verb, "--username", "bob")
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(out, `no admin account is called \"bob\"`) {
			t.Errorf("admin %s of an unknown username = %v:\n%s", verb, err, out)
		}
	}
	if out, err := admin("", "lock"); err == nil || !strings.Contains(out, "--username is required") {
		t.Errorf("admin lock without --username = %v:\n%s", err, out)
	}
}

func loginAs(t *testing.T, base, username, password string) string {
	t.Helper()
	status, body := post(t, base+"/admin/employee/login", fmt.Sprintf(`{"username":%q,"password":%q}`, username, password))
	var r struct{ Data struct{ Token string } }
	if status != http.StatusOK || json.Unmarshal([]byte(body), &r) != nil || r.Data.Token == "" {
		t.Fatalf("login as %s = %d %s", username, status, body)
	}
	return r.Data.Token
}

func getAlerts(t *testing.T, base, token string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/admin/alerts", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("token", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

func dialWithToken(t *testing.T, addr, token string) *fws.Conn {
	t.Helper()
	conn, resp, err := fws.DefaultDialer.Dial("ws://"+addr+"/ws/cli-test", http.Header{"Token": {token}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	_ = resp.Body.Close()
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// closeCode waits for the server to close conn and returns its close code.
func closeCode(t *testing.T, conn *fws.Conn) int {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(15 * time.Second))
	for {
		_, _, err := conn.ReadMessage()
		var ce *fws.CloseError
		if errors.As(err, &ce) {
			return ce.Code
		}
		if err != nil {
			t.Fatalf("the socket ended without a close frame: %v", err)
		}
	}
}
