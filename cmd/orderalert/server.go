package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/orderalert/orderalert/bootstrap"
)

// Until the mini-program's login exists, token and demo sign with the secrets kept in the
// database they open. That is the server's only when they run beside it with its settings, so
// they first ask the server which database it serves (/healthz's databaseId) and refuse to
// mint a token it would answer with 401.

// errNoServer means nothing answered at the server's URL.
var errNoServer = errors.New("no server answers")

// errOtherDatabase means the server serves another database than the one the tool opened.
var errOtherDatabase = errors.New("uses another database")

// checkServer compares the database the server at base serves with db. It fails with
// errNoServer when nothing answers, and with errOtherDatabase, saying how to point the tool at
// the server's database, when they differ. An answer without a database id (not orderalert, or
// an older one) cannot be checked: the error then wraps neither.
func checkServer(ctx context.Context, base string, db bootstrap.Database) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil) //nolint:gosec // the operator's own URL
	if err != nil {
		return fmt.Errorf("server URL %q: %w", base, err)
	}
	resp, err := http.DefaultClient.Do(req) //nolint:gosec // the operator's own URL
	if err != nil {
		return fmt.Errorf("%w at %s (is `orderalert serve` running? --server names another): %w", errNoServer, base, err)
	}
	defer func() { _ = resp.Body.Close() }()
	var health struct {
		Data struct {
			DatabaseID string `json:"databaseId"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&health); err != nil || health.Data.DatabaseID == "" {
		return fmt.Errorf("%s/healthz (%d) does not say which database it serves: is it orderalert?", base, resp.StatusCode)
	}
	if health.Data.DatabaseID != db.ID {
		return fmt.Errorf("the server at %s %w than this command (%s), so it would refuse the tokens this command signs: "+
			"run this command in the folder where `orderalert serve` runs, with the server's %sDATABASE_URL (or --database-url)",
			base, errOtherDatabase, db.Where, bootstrap.EnvPrefix)
	}
	return nil
}

// serverURL is the --server given, or where a serve with the same settings answers.
func serverURL(flag string, cfg bootstrap.Config) string {
	if flag == "" {
		flag = cfg.ServerURL()
	}
	return strings.TrimRight(flag, "/")
}

// noDatabaseHint says how to point a tool at the server's database.
func noDatabaseHint(err error) error {
	if !errors.Is(err, bootstrap.ErrNoDatabase) {
		return err
	}
	return fmt.Errorf("%w; nothing was created. The server's database is the one `orderalert serve` uses: "+
		"run this command in the folder where it runs, with its %sDATABASE_URL (or --database-url)", err, bootstrap.EnvPrefix)
}
