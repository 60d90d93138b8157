package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/test/pgtest"
)

// tool runs a one-shot command in dir and returns its standard output, what it printed on
// standard error and its exit error.
func tool(ctx context.Context, dir string, env []string, args ...string) (string, string, error) {
	cmd, _ := orderalert(ctx, dir, env, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return strings.TrimSpace(stdout.String()), stderr.String(), err
}

// accepted reports whether the server at addr takes token as a customer's: an unknown order is
// 404 for a valid token, 401 for a token it cannot verify.
func accepted(t *testing.T, ctx context.Context, addr, token string) bool {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/user/order/orderDetail/999999", nil)
	req.Header.Set("authentication", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusNotFound
}

// TestToolsNeverCreateADatabase: token and demo in a folder without the server's database
// create nothing and say which database they looked for and how to name the server's.
func TestToolsNeverCreateADatabase(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	for _, args := range [][]string{{"token", "--user", "7"}, {"demo"}} {
		dir := t.TempDir()
		env := []string{"ORDERALERT_HTTP_ADDR=" + freeAddr(t)}
		stdout, stderr, err := tool(ctx, dir, env, args...)
		looked := filepath.Join(dir, "data", "orderalert.db")
		if err == nil || stdout != "" || !strings.Contains(stderr, looked) || !strings.Contains(stderr, "ORDERALERT_DATABASE_URL") {
			t.Errorf("%s in an empty folder = %v, printed %q:\n%s\nwant a failure naming %s and ORDERALERT_DATABASE_URL", args[0], err, stdout, stderr, looked)
		}
		if _, err := os.Stat(filepath.Join(dir, "data")); !os.IsNotExist(err) {
			t.Errorf("%s created ./data (%v)", args[0], err)
		}
	}
}

// TestToolsFollowTheServersDatabase: the README's server on SQLite, then on PostgreSQL started
// from the same folder. token and demo work against the server whose database they open, and
// refuse, saying why, when the server answering serves another one.
func TestToolsFollowTheServersDatabase(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	postgres := "ORDERALERT_DATABASE_URL=" + pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	onSQLite := serve(t, ctx, dir)
	here := []string{"ORDERALERT_HTTP_ADDR=" + onSQLite.addr}
	if token, stderr, err := tool(ctx, dir, here, "token", "--user", "7"); err != nil || !accepted(t, ctx, onSQLite.addr, token) {
		t.Fatalf("token beside the SQLite server = %v, %q:\n%s", err, token, stderr)
	}
	stop(t, onSQLite)

	onPostgres := serve(t, ctx, dir, postgres)
	here = []string{"ORDERALERT_HTTP_ADDR=" + onPostgres.addr}
	for _, args := range [][]string{{"token", "--user", "7"}, {"demo"}} {
		stdout, stderr, err := tool(ctx, dir, here, args...)
		if err == nil || stdout != "" || !strings.Contains(stderr, "another database") || !strings.Contains(stderr, "ORDERALERT_DATABASE_URL") {
			t.Errorf("%s on SQLite against the PostgreSQL server = %v, printed %q:\n%s\nwant a failure saying it serves another database", args[0], err, stdout, stderr)
		}
	}
	if token, stderr, err := tool(ctx, dir, append(here, postgres), "token", "--user", "7"); err != nil || !accepted(t, ctx, onPostgres.addr, token) {
		t.Fatalf("token with the server's database URL = %v, %q:\n%s", err, token, stderr)
	}
	if token, stderr, err := tool(ctx, dir, []string{postgres}, "token", "--user", "7", "--server", "http://"+onPostgres.addr); err != nil || !accepted(t, ctx, onPostgres.addr, token) {
		t.Fatalf("token --server with the server's database URL = %v, %q:\n%s", err, token, stderr)
	}
	if alerts := adminAlerts(t, ctx, onPostgres.addr, adminToken(t, ctx, dir, append(here, postgres)...)); alerts != 0 {
		t.Errorf("the refused demo still created %d alerts", alerts)
	}

	// With no server answering, a token is still useful to a script that starts one later:
	// printed, with a warning that it could not be checked.
	nowhere := []string{"ORDERALERT_HTTP_ADDR=" + freeAddr(t)}
	if token, stderr, err := tool(ctx, dir, nowhere, "token", "--user", "7"); err != nil || strings.Count(token, ".") != 2 || !strings.Contains(stderr, "no server answers") {
		t.Errorf("token with no server = %v, %q:\n%s\nwant the token and a warning", err, token, stderr)
	}
}

// adminAlerts counts the alerts the server at addr lists.
func adminAlerts(t *testing.T, ctx context.Context, addr, token string) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/admin/alerts", nil)
	req.Header.Set("token", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var alerts struct{ Data []json.RawMessage }
	if err := json.NewDecoder(resp.Body).Decode(&alerts); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /admin/alerts = %d, %v", resp.StatusCode, err)
	}
	return len(alerts.Data)
}
