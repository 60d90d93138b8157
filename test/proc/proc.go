// Package proc helps tests that run orderalert as a real process: it builds the binary once per
// test binary, collects what a running process prints, and runs `serve` processes that a test
// can kill -9, stop with SIGTERM and start again (Server).
package proc

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// build compiles the command package pkg (a path go build understands from the test's folder)
// into a temporary folder; cleanup removes it.
func build(pkg string) (binary string, cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "orderalert-bin")
	if err != nil {
		return "", nil, err
	}
	binary = filepath.Join(dir, "orderalert")
	cmd := exec.Command("go", "build", "-o", binary, pkg)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, fmt.Errorf("build %s: %w", pkg, err)
	}
	return binary, func() { _ = os.RemoveAll(dir) }, nil
}

// Main is a TestMain that builds the command package pkg into *binary, runs the tests and
// removes the build.
func Main(m *testing.M, pkg string, binary *string) {
	built, cleanup, err := build(pkg)
	if err != nil {
		panic(err)
	}
	*binary = built
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// Output collects what a running process prints; tests read it while the process writes.
type Output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

// String returns everything written so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}
