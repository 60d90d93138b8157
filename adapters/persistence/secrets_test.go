package persistence_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/test/pgtest"
)

// TestInstancesShareOneGeneratedSecret: instances asking for a secret at once must all end up
// with the same value, or tokens signed by one would fail on the others.
func TestInstancesShareOneGeneratedSecret(t *testing.T) {
	t.Parallel()
	for name, url := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u := url(t)
			if _, err := persistence.Migrate(t.Context(), openDB(t, u)); err != nil {
				t.Fatal(err)
			}
			const instances = 8
			got := make([]string, instances)
			var wg sync.WaitGroup
			for i := range instances {
				secrets := persistence.NewSecrets(openDB(t, u))
				wg.Go(func() {
					v, err := secrets.Secret(t.Context(), "admin_jwt", func() (string, error) { return fmt.Sprint("value-", i), nil })
					if err != nil {
						t.Error(err)
					}
					got[i] = v
				})
			}
			wg.Wait()
			for i, v := range got {
				if v != got[0] || v == "" {
					t.Fatalf("instance %d got %q, instance 0 %q", i, v, got[0])
				}
			}
			later, err := persistence.NewSecrets(openDB(t, u)).Secret(t.Context(), "admin_jwt", func() (string, error) {
				t.Error("a stored secret was generated again")
				return "new", nil
			})
			if err != nil || later != got[0] {
				t.Fatalf("after a restart: %q, %v; want %q", later, err, got[0])
			}
		})
	}
}
