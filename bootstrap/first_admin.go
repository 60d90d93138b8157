package bootstrap

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
)

// PasswordFileName is where a generated first-admin password is written, under DATA_DIR.
const PasswordFileName = "initial-admin-password"

// ensureFirstAdmin creates the admin account on a fresh installation. A generated password is
// written to a 0600 file and shown once on an interactive terminal, like Jenkins does; it never
// goes to the structured log, which ends up in log collectors.
func ensureFirstAdmin(uc application.EnsureFirstAdmin, cfg Config, log *slog.Logger) error {
	// A bcrypt hash under the race detector on a loaded two-core machine took over 10 s, and a
	// start-up that fails on a slow hash helps no one; a database that hangs still fails it.
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	generate := RandomPassword
	if cfg.Mode == ModeProduction {
		generate = nil
	}
	created, generated, err := uc.Execute(ctx, cfg.AdminInitialPassword, generate)
	if err != nil {
		return fmt.Errorf("%w (set %sADMIN_INITIAL_PASSWORD)", err, EnvPrefix)
	}
	path := filepath.Join(cfg.DataDir, PasswordFileName)
	if !created {
		// An older version wrote it 0644; it still holds the password if nobody changed it.
		persistence.TightenFile(path, log)
		return nil
	}
	if generated == "" {
		log.Info("created the first admin account with the configured initial password", "username", application.FirstAdminUsername)
		return nil
	}
	if err := writePasswordFile(path, generated, log); err != nil {
		return err
	}
	log.Warn("created the first admin account with a generated password; read it from the file, then delete the file",
		"username", application.FirstAdminUsername, "password_file", path)
	if isTerminal(os.Stderr) {
		fmt.Fprintf(os.Stderr, "\n  First admin account created.\n  username: %s\n  password: %s\n  (also in %s)\n\n",
			application.FirstAdminUsername, generated, path)
	}
	return nil
}

// writePasswordFile writes the password 0600 in a private folder, whatever the umask: the mode
// is set before the password is written, also on a file an older version left behind.
func writePasswordFile(path, password string, log *slog.Logger) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("write the first admin's password: %w", err)
		}
	}()
	if err := persistence.PrivateDir(filepath.Dir(path), log); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Clean(path), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if closeErr := f.Close(); err == nil {
			err = closeErr
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "username: %s\npassword: %s\n", application.FirstAdminUsername, password)
	return err
}

func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
