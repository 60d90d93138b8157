package load

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// Server is a server process started for a run (orderalert or the seed baseline), logging to
// Dir/server.log.
type Server struct {
	Base string // http://127.0.0.1:port
	PID  int
	cmd  *exec.Cmd
	log  *os.File
}

// StartServer runs binary with args in dir, with env added to this process's environment, and
// waits until addr answers /healthz.
func StartServer(binary string, args []string, dir, addr string, env []string) (*Server, error) {
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(binary, args...)
	cmd.Dir, cmd.Env = dir, cleanEnv(dir, env)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, err
	}
	s := &Server{Base: "http://" + addr, PID: cmd.Process.Pid, cmd: cmd, log: logFile}
	if err := waitHealthy(s.Base); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// Stop kills the server and waits for it.
func (s *Server) Stop() {
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	_ = s.log.Close()
}

// Build compiles the command package pkg into work and returns the binary's path.
func Build(work, pkg string) (string, error) {
	out := filepath.Join(work, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return out, cmd.Run()
}

// cleanEnv is env with PATH and HOME=dir only: a developer's exported ORDERALERT_* settings
// (a DATABASE_URL, say) must not turn the "SQLite" row of a run into something else.
func cleanEnv(dir string, env []string) []string {
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, env...)
}

// Token mints a token with `orderalert token args…` in the server's folder and environment.
func Token(binary, dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command(binary, append([]string{"token"}, args...)...)
	cmd.Dir, cmd.Env = dir, cleanEnv(dir, env)
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

// Reachable reports whether the PostgreSQL server at url answers.
func Reachable(url string) bool {
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(url)))
	defer func() { _ = db.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return db.PingContext(ctx) == nil
}

// FreshDatabase creates an empty database on server (a URL ending in /postgres?…) for one run
// and returns its URL and its removal.
func FreshDatabase(server string) (string, func() error, error) {
	name := fmt.Sprintf("orderalert_bench_%d", time.Now().UnixNano())
	admin := func(statement string) error {
		db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(server)))
		defer func() { _ = db.Close() }()
		_, err := db.Exec(statement)
		return err
	}
	if err := admin("CREATE DATABASE " + name); err != nil {
		return "", nil, err
	}
	return strings.Replace(server, "/postgres?", "/"+name+"?", 1), func() error { return admin("DROP DATABASE " + name + " WITH (FORCE)") }, nil
}

func waitHealthy(base string) error {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("%s never became healthy", base)
}

// FreeAddr is a loopback address with a port free right now.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().String(), nil
}
