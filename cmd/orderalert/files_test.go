package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/orderalert/orderalert/test/pgtest"
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

// TestEachDatabaseKeepsItsOwnPasswordFile: the README's SQLite start, then a start on a fresh
// PostgreSQL and on a fresh SQLite in the same folder. Each new database's generated password
// goes to a file of its own, named in the log and naming its database; no earlier file is
// touched, and every password still logs in where it belongs. The log never asks to delete the
// file the README reads.
func TestEachDatabaseKeepsItsOwnPasswordFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	postgres := pgtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	readme := filepath.Join(dir, "data", "initial-admin-password")

	first := startAndStop(t, ctx, dir)
	sqlitePassword := readPasswordFile(t, readme)
	before, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	onPostgres := startAndStop(t, ctx, dir, "ORDERALERT_DATABASE_URL="+postgres)
	if err := os.Rename(filepath.Join(dir, "data", "orderalert.db"), filepath.Join(dir, "old.db")); err != nil {
		t.Fatal(err)
	}
	onNewSQLite := startAndStop(t, ctx, dir)

	if after, err := os.ReadFile(readme); err != nil || string(after) != string(before) {
		t.Fatalf("the first database's password file changed: %v\nbefore:\n%s\nafter:\n%s", err, before, after)
	}
	files := map[string]string{}
	for name, log := range map[string]string{"SQLite": first, "PostgreSQL": onPostgres, "new SQLite": onNewSQLite} {
		if strings.Contains(log, "delete") {
			t.Errorf("the %s start-up asks to delete a file:\n%s", name, log)
		}
		files[name] = passwordFileInLog(t, dir, log)
	}
	if files["SQLite"] != readme || files["PostgreSQL"] == readme || files["new SQLite"] == readme || files["PostgreSQL"] == files["new SQLite"] {
		t.Fatalf("password files: %v", files)
	}
	if raw, _ := os.ReadFile(files["PostgreSQL"]); !strings.Contains(string(raw), "database: "+strings.Split(postgres, "?")[0]) {
		t.Errorf("%s does not name its database %s:\n%s", files["PostgreSQL"], postgres, raw)
	}
	if raw, _ := os.ReadFile(readme); !strings.Contains(string(raw), "database: "+filepath.Join(dir, "data", "orderalert.db")) {
		t.Errorf("%s does not name its database:\n%s", readme, raw)
	}

	// Each password logs in on its own database.
	for _, c := range []struct {
		env      []string
		password string
	}{
		{[]string{"ORDERALERT_DATABASE_URL=" + filepath.Join(dir, "old.db")}, sqlitePassword},
		{[]string{"ORDERALERT_DATABASE_URL=" + postgres}, readPasswordFile(t, files["PostgreSQL"])},
		{nil, readPasswordFile(t, files["new SQLite"])},
	} {
		s := serve(t, ctx, dir, c.env...)
		if code, body := post(t, "http://"+s.addr+"/admin/employee/login", `{"username":"admin","password":"`+c.password+`"}`); code != http.StatusOK {
			t.Errorf("login on %v = %d %s", c.env, code, body)
		}
		stop(t, s)
	}
}

// startAndStop runs serve in dir until it is healthy, stops it and returns what it logged.
func startAndStop(t *testing.T, ctx context.Context, dir string, env ...string) string {
	t.Helper()
	s := serve(t, ctx, dir, env...)
	stop(t, s)
	return s.out.String()
}

func stop(t *testing.T, s *serving) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-s.exited; err != nil {
		t.Fatalf("serve did not stop cleanly: %v\n%s", err, s.out)
	}
}

var passwordFileLogged = regexp.MustCompile(`password_file=(\S+)`)

// passwordFileInLog is the password file the log names, as a path from the test's folder.
func passwordFileInLog(t *testing.T, dir, log string) string {
	t.Helper()
	m := passwordFileLogged.FindStringSubmatch(log)
	if m == nil {
		t.Fatalf("the log names no password file:\n%s", log)
	}
	if filepath.IsAbs(m[1]) {
		return m[1]
	}
	return filepath.Join(dir, m[1])
}
