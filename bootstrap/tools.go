package bootstrap

import (
	"context"
	"log/slog"
	"net"
	"time"

	"go.uber.org/fx"

	httpadapter "github.com/orderalert/orderalert/adapters/http"
	"github.com/orderalert/orderalert/adapters/persistence"
)

// ErrNoDatabase is the failure of ServerTools when the configured database does not exist (or
// holds no orderalert schema); nothing was created.
var ErrNoDatabase = persistence.ErrNoDatabase

// Database is the database a process opened, as the CLI tells it apart from a server's.
type Database struct {
	// ID is the database's random id, generated once and kept in it; /healthz gives a server's.
	ID string
	// Where names it for messages: the SQLite file's absolute path, or the PostgreSQL URL
	// without its password.
	Where string
}

// databaseIDName is the database's id among the settings, beside the generated JWT secrets.
const databaseIDName = "database_id"

// ServerTools is the graph of the tools that act for a running server with its secrets (token,
// demo): Tools on a database that must exist already — it is neither created nor migrated,
// so a tool run in the wrong folder leaves no stray database — plus the Database opened.
func ServerTools(cfg Config, log *slog.Logger, invoke any) fx.Option {
	return fx.Options(
		fx.Decorate(func(c persistence.Config) persistence.Config {
			c.Existing = true
			return c
		}),
		fx.Provide(openedDatabase),
		Tools(cfg, log, invoke),
	)
}

// openedDatabase reads the database's id, generating it on first use like the dev JWT secrets.
func openedDatabase(cfg Config, secrets *persistence.Secrets) (Database, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	id, err := secrets.Secret(ctx, databaseIDName, func() (string, error) { return randomText(16) })
	if err != nil {
		return Database{}, err
	}
	return Database{ID: id, Where: persistence.Describe(cfg.DatabaseURL)}, nil
}

// identity is what the server says about itself on /healthz.
func identity(db Database) httpadapter.Identity { return httpadapter.Identity{DatabaseID: db.ID} }

// ServerURL is where a `serve` with this configuration answers on this machine: its
// HTTP_ADDR, with localhost for an address that listens on every interface (":8080").
func (c Config) ServerURL() string {
	host, port, err := net.SplitHostPort(c.HTTPAddr)
	if err != nil {
		return "http://" + c.HTTPAddr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
