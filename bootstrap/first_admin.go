package bootstrap

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
)

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
	if !created {
		// An older version wrote them 0644; they still hold a password if nobody changed it.
		tightenPasswordFiles(cfg.DataDir, log)
		return nil
	}
	if generated == "" {
		log.Info("created the first admin account with the configured initial password", "username", application.FirstAdminUsername)
		return nil
	}
	path, err := writePasswordFile(cfg.DataDir, cfg.DatabaseURL, generated, log)
	if err != nil {
		return err
	}
	// Warn: someone must read the file to log in. Nothing asks to delete it, because the
	// README reads it.
	log.Warn("created the first admin account; log in with the generated password in the password file",
		"username", application.FirstAdminUsername, "password_file", path, "database", persistence.Describe(cfg.DatabaseURL))
	if isTerminal(os.Stderr) {
		fmt.Fprintf(os.Stderr, "\n  First admin account created.\n  username: %s\n  password: %s\n  (also in %s)\n\n",
			application.FirstAdminUsername, generated, path)
	}
	return nil
}

func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
