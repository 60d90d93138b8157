package main

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestABusyPortStopsStartupBeforeAnythingIsCreated: a newcomer whose port is taken learns it at
// once, from a message that names the address, before serve has created a database, a first
// admin or the data folder that holds them: fixing the port and starting again is then a
// first start, not a second one with a password file already written.
func TestABusyPortStopsStartupBeforeAnythingIsCreated(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = busy.Close() })
	addr := busy.Addr().String()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 40*time.Second)
	defer cancel()
	cmd, out := orderalert(ctx, dir, []string{"ORDERALERT_HTTP_ADDR=" + addr}, "serve")
	err = cmd.Run()
	var exit *exec.ExitError
	if ctx.Err() != nil || !errors.As(err, &exit) || exit.ExitCode() <= 0 {
		t.Fatalf("serve on a busy port = %v, want a non-zero exit; output:\n%s", err, out)
	}
	if text := out.String(); !strings.Contains(text, "listen on "+addr) || !strings.Contains(text, "address already in use") {
		t.Errorf("the failure does not name the address and the cause:\n%s", text)
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("serve created %s before it found the port busy (stat: %v); output:\n%s", filepath.Join(dir, "data"), err, out)
	}
}
