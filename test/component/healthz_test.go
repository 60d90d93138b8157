package component_test

import (
	"net/http"
	"testing"

	"github.com/orderalert/orderalert/test/pgtest"
)

// databaseID is the id /healthz gives of the database the instance serves.
func (s *service) databaseID(t *testing.T) string {
	t.Helper()
	r := s.call(t, http.MethodGet, "/healthz", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("/healthz = %d %s", r.Status, r.Raw)
	}
	return decode[struct {
		DatabaseID string `json:"databaseId"`
	}](t, r).DatabaseID
}

// TestHealthzNamesTheDatabase: /healthz carries an id of the database the instance serves,
// kept in the database, so that the CLI can tell whether it opened the server's database:
// every instance of one database gives the same id, an instance of another database another.
func TestHealthzNamesTheDatabase(t *testing.T) {
	t.Parallel()
	for name, newDatabase := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := newDatabase(t)
			first, second, other := start(t, url, nil), start(t, url, nil), start(t, newDatabase(t), nil)
			id := first.databaseID(t)
			if len(id) < 16 {
				t.Fatalf("database id %q, want a random id", id)
			}
			if got := second.databaseID(t); got != id {
				t.Errorf("a second instance of the database says %q, the first %q", got, id)
			}
			if got := other.databaseID(t); got == id {
				t.Errorf("an instance of another database says the same id %q", got)
			}
		})
	}
}
