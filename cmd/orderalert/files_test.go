package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestDataDirHoldsTheDatabaseAndThePassword: with ORDERALERT_DATA_DIR set and no database URL,
// serve keeps everything there, as --data-dir's help says, and creates no ./data/.
func TestDataDirHoldsTheDatabaseAndThePassword(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	s := serve(t, ctx, dir, "ORDERALERT_DATA_DIR=state")
	for _, name := range []string{"orderalert.db", "initial-admin-password"} {
		if _, err := os.Stat(filepath.Join(dir, "state", name)); err != nil {
			t.Errorf("%s is not in the data dir: %v\n%s", name, err, s.out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); !os.IsNotExist(err) {
		t.Errorf("serve with a data dir created ./data (%v)", err)
	}
}
