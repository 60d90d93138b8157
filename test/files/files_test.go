// Package files runs `orderalert serve` as a real process under umask 000 and checks the modes of
// what it writes: the SQLite database with its -wal and -shm, the first admin's password file and
// the data folder. The mask is process-wide, so only a separate process can be given one.
package files

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orderalert/orderalert/test/proc"
)

// binary is orderalert, built once for the package.
var binary string

func TestMain(m *testing.M) { proc.Main(m, "../../cmd/orderalert", &binary) }

// looseDirWarning is what the log says about a data folder that others may read.
const looseDirWarning = "accessible to other users"

// newServer is a dev `serve` in a fresh folder with the defaults (./data/orderalert.db, ./data)
// under umask 000, so that it generates the first admin's password file.
func newServer(t *testing.T) *proc.Server {
	t.Helper()
	srv := proc.NewServer(t, binary, t.TempDir(), "ORDERALERT_LOG_FORMAT=text")
	srv.Umask = "000"
	return srv
}

// wantMode fails unless the file at path exists with mode perm.
func wantMode(t *testing.T, path string, perm os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Errorf("%s: %v", filepath.Base(path), err)
		return
	}
	if got := info.Mode().Perm(); got != perm {
		t.Errorf("%s has mode %04o, want %04o", filepath.Base(path), got, perm)
	}
}

// wantPrivateFiles checks the database, its -wal and -shm (which exist while serve runs) and the
// password file.
func wantPrivateFiles(t *testing.T, data string) {
	t.Helper()
	for _, name := range []string{"orderalert.db", "orderalert.db-wal", "orderalert.db-shm", "initial-admin-password"} {
		wantMode(t, filepath.Join(data, name), 0o600)
	}
}

// TestFilesArePrivateUnderUmask000: on a fresh installation under umask 000 the data folder is
// created 0700 and every file in it 0600, without a warning.
func TestFilesArePrivateUnderUmask000(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Start()
	data := filepath.Join(srv.Dir, "data")
	wantMode(t, data, 0o700)
	wantPrivateFiles(t, data)
	if strings.Contains(srv.Log.String(), looseDirWarning) {
		t.Errorf("warned about the folder it created itself:\n%s", srv.Log)
	}
}

// TestAPreexistingOpenFolderGetsPrivateFilesAndOneWarning: the operator made ./data with mode
// 0755 before the first start: the files in it are still 0600, the folder is left as it is
// (it is the operator's), and the log warns about it exactly once, though both the database and
// the password file are written there.
func TestAPreexistingOpenFolderGetsPrivateFilesAndOneWarning(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	data := filepath.Join(srv.Dir, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(data, 0o755); err != nil { // whatever this test's own umask is
		t.Fatal(err)
	}
	srv.Start()
	wantPrivateFiles(t, data)
	wantMode(t, data, 0o755)
	if n := strings.Count(srv.Log.String(), looseDirWarning); n != 1 {
		t.Errorf("%d warnings about the 0755 folder, want 1:\n%s", n, srv.Log)
	}
}

// TestLooserFilesOfAnOlderVersionAreTightened: an older version left its database, -wal, -shm
// (a kill -9 leaves them behind) and password file 0644 in a 0755 folder; the next start
// makes every file 0600 and warns once about the folder.
func TestLooserFilesOfAnOlderVersionAreTightened(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	srv.Start()
	srv.Kill()
	data := filepath.Join(srv.Dir, "data")
	loosen := map[string]os.FileMode{
		"": 0o755, "orderalert.db": 0o644, "orderalert.db-wal": 0o644, "orderalert.db-shm": 0o644, "initial-admin-password": 0o644,
	}
	for name, perm := range loosen {
		if err := os.Chmod(filepath.Join(data, name), perm); err != nil {
			t.Fatal(err)
		}
	}
	before := len(srv.Log.String())
	srv.Start()
	wantPrivateFiles(t, data)
	if n := strings.Count(srv.Log.String()[before:], looseDirWarning); n != 1 {
		t.Errorf("%d warnings about the 0755 folder, want 1:\n%s", n, srv.Log.String()[before:])
	}
	t.Logf("the second start said:\n%s", srv.Log.String()[before:])
}
