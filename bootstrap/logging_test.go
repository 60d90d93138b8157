package bootstrap_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/orderalert/orderalert/bootstrap"
)

// TestTheDriversMessagesAreStructured: pgdriver's process-wide logger writes through the
// service's. Not parallel: it swaps a global, restored before the parallel tests run.
func TestTheDriversMessagesAreStructured(t *testing.T) {
	saved := pgdriver.Logger
	t.Cleanup(func() { pgdriver.Logger = saved })
	var out bytes.Buffer
	bootstrap.NewLogger(bootstrap.Config{LogFormat: "json"}, &out)
	pgdriver.Logger.Printf(context.Background(), "bun: discarding bad listener connection: %s", "EOF")
	var line struct{ Level, Msg, Component string }
	if err := json.Unmarshal(out.Bytes(), &line); err != nil {
		t.Fatalf("not one JSON line: %q", out.String())
	}
	if line.Level != "WARN" || line.Component != "pgdriver" || line.Msg != "bun: discarding bad listener connection: EOF" {
		t.Errorf("driver message logged as %+v", line)
	}
}
