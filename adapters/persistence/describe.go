package persistence

import (
	"cmp"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
)

// Describe says which database the URL names, fit for messages and files: the SQLite file's
// absolute path, or the PostgreSQL URL with its password replaced by xxxxx.
func Describe(databaseURL string) string {
	if databaseURL == "" {
		databaseURL = DefaultURL
	}
	if IsPostgresURL(databaseURL) {
		u, err := url.Parse(databaseURL)
		if err != nil {
			return "an unparseable postgres:// URL"
		}
		return u.Redacted()
	}
	_, path, _, err := sqliteDSN(databaseURL)
	switch {
	case err != nil:
		return databaseURL
	case path == "":
		return "an in-memory SQLite database"
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// unsafeInName is what a database's short name may not hold.
var unsafeInName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// ShortName is a word naming the database, for file names beside it: the SQLite file's name
// without its extension ("" for orderalert.db, the default), or postgres-<database name>.
func ShortName(databaseURL string) string {
	var name string
	if IsPostgresURL(databaseURL) {
		name = "postgres"
		if u, err := url.Parse(databaseURL); err == nil && strings.Trim(u.Path, "/") != "" {
			name += "-" + strings.Trim(u.Path, "/")
		}
	} else {
		_, path, _, _ := sqliteDSN(cmp.Or(databaseURL, DefaultURL))
		name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		if name == "orderalert" || path == "" {
			name = ""
		}
	}
	return strings.Trim(unsafeInName.ReplaceAllString(name, "_"), "_")
}
