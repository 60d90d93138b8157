package bootstrap

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
)

// PasswordFileName is where the generated first-admin password of the default database is
// written, under DATA_DIR. Another database's goes to PasswordFileName-<its short name>
// (initial-admin-password-postgres-orderalert), and when that is taken too, -2, -3, …
const PasswordFileName = "initial-admin-password"

// maxPasswordFiles bounds the numbered names tried before giving up.
const maxPasswordFiles = 100

// writePasswordFile writes the first admin's password of the database to a new file in
// dataDir and returns its path. It never replaces a file: one that exists holds the password of
// another database (an earlier SQLite one, say, before a start on PostgreSQL), which would
// stop working for its reader. The file's first line names its database.
func writePasswordFile(dataDir, databaseURL, password string, log *slog.Logger) (string, error) {
	if err := persistence.PrivateDir(dataDir, log); err != nil {
		return "", fmt.Errorf("write the first admin's password: %w", err)
	}
	content := fmt.Sprintf("database: %s\nusername: %s\npassword: %s\n",
		persistence.Describe(databaseURL), application.FirstAdminUsername, password)
	base := PasswordFileName
	if name := persistence.ShortName(databaseURL); name != "" {
		base += "-" + name
	}
	for n := 1; n <= maxPasswordFiles; n++ {
		path := filepath.Join(dataDir, base)
		if n > 1 {
			path = fmt.Sprintf("%s-%d", path, n)
		}
		err := createExclusive(path, content)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return path, err
	}
	return "", fmt.Errorf("write the first admin's password: %s-2 to -%d exist already", filepath.Join(dataDir, base), maxPasswordFiles)
}

// tightenPasswordFiles makes the password files of dataDir private.
func tightenPasswordFiles(dataDir string, log *slog.Logger) {
	paths, _ := filepath.Glob(filepath.Join(dataDir, PasswordFileName+"*"))
	for _, path := range paths {
		persistence.TightenFile(path, log)
	}
}

// createExclusive writes a new private file (persistence.CreatePrivate), failing with
// fs.ErrExist when path exists.
func createExclusive(path, content string) error {
	f, err := persistence.CreatePrivate(path)
	if errors.Is(err, fs.ErrExist) {
		return err
	}
	if err != nil {
		return fmt.Errorf("write the first admin's password: %w", err)
	}
	_, err = f.WriteString(content)
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return fmt.Errorf("write the first admin's password to %s: %w", path, err)
	}
	return nil
}
