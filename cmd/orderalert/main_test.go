package main

import (
	"bytes"
	"context"
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
)

// binary is orderalert built once for the tests that run it as a newcomer would.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "orderalert-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "orderalert")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		panic(fmt.Sprintf("build orderalert: %v", err))
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// orderalert runs the binary in dir with only the given variables besides PATH and HOME, so that
// the developer's own ORDERALERT_* settings cannot leak in. The context kills a hang.
func orderalert(ctx context.Context, dir string, env []string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

func TestServeStartsWithNoSetup(t *testing.T) {
	t.Parallel()
	dir, addr := t.TempDir(), freeAddr(t)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd, out := orderalert(ctx, dir, []string{"ORDERALERT_HTTP_ADDR=" + addr}, "serve")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if !waitHealthy(ctx, "http://"+addr+"/healthz") {
		_ = cmd.Process.Kill()
		t.Fatalf("serve never answered /healthz; output:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "orderalert.db")); err != nil {
		t.Errorf("the embedded database was not created under ./data/: %v", err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
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

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().String()
}

func waitHealthy(ctx context.Context, url string) bool {
	for ctx.Err() == nil {
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

func nonEmptyLines(s string) []string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}
