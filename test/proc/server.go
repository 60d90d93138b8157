package proc

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startTimeout bounds how long a started process may take to answer /healthz.
const startTimeout = 30 * time.Second

// Server is one `orderalert serve` process that a test can start, kill -9, signal and start
// again on the same address and environment, as after a crash or a deploy. It runs in Dir with
// only PATH, HOME=Dir, ORDERALERT_HTTP_ADDR and Env, so that the developer's own ORDERALERT_*
// settings cannot leak in. A process still running when the test ends is killed.
type Server struct {
	t      testing.TB
	binary string
	Dir    string
	Addr   string   // the address Start listens on
	Env    []string // ORDERALERT_* settings, "NAME=value"
	Log    *Output  // what every process of this server printed
	// Umask, when set (such as "000"), is the file mode creation mask the process runs under,
	// set by /bin/sh before it execs the binary: the mask is process-wide, so a test cannot
	// change it for a child without changing it for every test running beside it.
	Umask string

	run *process // the running process, nil when none runs
}

// process is one run of serve; err is its exit status once done is closed.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// NewServer describes a server of binary in dir with the given settings on a free local port;
// Start runs it.
func NewServer(t testing.TB, binary, dir string, env ...string) *Server {
	s := &Server{t: t, binary: binary, Dir: dir, Addr: FreeAddr(t), Env: env, Log: &Output{}}
	t.Cleanup(func() {
		if s.run != nil {
			_ = s.run.cmd.Process.Kill()
			<-s.run.done
		}
	})
	return s
}

// Base is the server's URL.
func (s *Server) Base() string { return "http://" + s.Addr }

// Start runs serve on Addr and waits until it answers /healthz.
func (s *Server) Start() { s.StartAt(s.Addr) }

// StartAt runs serve on another address, with the same environment and database.
func (s *Server) StartAt(addr string) {
	s.t.Helper()
	if s.run != nil {
		s.t.Fatal("proc: Start while the previous process still runs")
	}
	// Not bound to a context: the process lives until Kill, Stop or the test's end.
	cmd := s.command(context.Background(), "serve")
	cmd.Env = append(cmd.Env, "ORDERALERT_HTTP_ADDR="+addr)
	cmd.Stdout, cmd.Stderr = s.Log, s.Log
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	run := &process{cmd: cmd, done: make(chan struct{})}
	s.run = run
	go func() {
		run.err = cmd.Wait()
		close(run.done)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		if healthy(ctx, "http://"+addr+"/healthz") {
			return
		}
		select {
		case <-run.done:
			s.run = nil
			s.t.Fatalf("serve exited (%v) before it was healthy:\n%s", run.err, s.Log)
		case <-ctx.Done():
			s.t.Fatalf("serve not healthy within %s:\n%s", startTimeout, s.Log)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func healthy(ctx context.Context, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// Kill stops the process at once with SIGKILL, as a crash would: no close frames, no drain.
func (s *Server) Kill() {
	s.t.Helper()
	if s.run == nil {
		s.t.Fatal("proc: Kill with no process running")
	}
	_ = s.run.cmd.Process.Kill()
	<-s.run.done
	s.run = nil
}

// Stop sends SIGTERM and waits at most limit for the process to exit. It returns how long the
// exit took and the exit error (nil for status 0); it fails the test when the process is still
// running at the limit.
func (s *Server) Stop(limit time.Duration) (time.Duration, error) {
	s.t.Helper()
	run := s.run
	if run == nil {
		s.t.Fatal("proc: Stop with no process running")
	}
	began := time.Now()
	if err := run.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	select {
	case <-run.done:
		s.run = nil
		return time.Since(began), run.err
	case <-time.After(limit):
		s.t.Fatalf("serve still running %s after SIGTERM:\n%s", limit, s.Log)
	}
	return 0, nil
}

// Run runs a one-shot command (token, admin create, …) with the server's environment and
// ORDERALERT_HTTP_ADDR=Addr, so that token and demo check the server at Addr, and returns
// what it printed on standard output, trimmed.
func (s *Server) Run(ctx context.Context, args ...string) string {
	s.t.Helper()
	cmd := s.command(ctx, args...)
	cmd.Env = append(cmd.Env, "ORDERALERT_HTTP_ADDR="+s.Addr)
	cmd.Stderr = s.Log
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatalf("orderalert %s: %v\n%s", strings.Join(args, " "), err, s.Log)
	}
	return strings.TrimSpace(string(out))
}

func (s *Server) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, s.binary, args...)
	if s.Umask != "" {
		// exec keeps the pid, so Kill and Stop reach the binary itself, not the shell.
		cmd = exec.CommandContext(ctx, "/bin/sh", append([]string{"-c", `umask "$1" && shift && exec "$@"`, "sh", s.Umask, s.binary}, args...)...)
	}
	cmd.Dir = s.Dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + s.Dir}, s.Env...)
	return cmd
}

// FreeAddr is a local address with a port nobody listens on right now.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := new(net.ListenConfig).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(fmt.Errorf("free port: %w", err))
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().String()
}
