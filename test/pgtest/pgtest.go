// Package pgtest gives each test its own PostgreSQL database, so tests run in parallel on one
// server without seeing each other's rows.
//
// The server is ORDERALERT_TEST_POSTGRES_URL, by default the local one CI provides
// (postgres://postgres@127.0.0.1:5432/postgres, trust auth). When it cannot be reached the test
// is skipped on a developer's machine, but fails when CI is set: a CI run that silently skipped
// every PostgreSQL test would prove nothing.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// DefaultServerURL is the PostgreSQL that CI runs.
const DefaultServerURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// Databases makes a fresh, empty database of each kind orderalert runs on, by name: an SQLite
// file in the test's temporary folder and a PostgreSQL database of NewDatabase. Tests that must
// hold on both databases range over it.
func Databases() map[string]func(t testing.TB) string {
	return map[string]func(t testing.TB) string{
		"SQLite":     func(t testing.TB) string { return filepath.Join(t.TempDir(), "orderalert.db") },
		"PostgreSQL": NewDatabase,
	}
}

// ServerURL is the server's URL, for tests that must act on a database from outside it.
func ServerURL() string { return serverURL() }

func serverURL() string {
	if u := os.Getenv("ORDERALERT_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return DefaultServerURL
}

func connectAdmin() (*sql.DB, error) {
	adminOnce.Do(func() {
		admin = sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(serverURL())))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		adminErr = admin.PingContext(ctx)
	})
	return admin, adminErr
}

// NewDatabase creates an empty database with a unique name, drops it when the test ends, and
// returns its URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	db, err := connectAdmin()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL at %s is unreachable and CI is set: %v", redacted(serverURL()), err)
		}
		t.Skipf("PostgreSQL unreachable (%v); set ORDERALERT_TEST_POSTGRES_URL to run this test", err)
	}
	name := "orderalert_test_" + randomSuffix(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(serverURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Name is the name of the database a URL of NewDatabase names, for statements such as ALTER
// DATABASE that a test runs on it from outside.
func Name(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}

func randomSuffix(t testing.TB) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func redacted(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
