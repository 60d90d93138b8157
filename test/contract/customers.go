package contract

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/domain/customer"
)

// Customers is the suite of application.CustomerRepository.
func Customers(t *testing.T, backend Backend) {
	t.Run("the first login creates the customer, later ones find it", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		first, err := s.Customers.ByOpenID(t.Context(), "o-alice", baseTime)
		if err != nil || first.ID <= 0 || first.OpenID != "o-alice" || !first.CreatedAt.Equal(baseTime) {
			t.Fatalf("first login = %+v, %v", first, err)
		}
		again, err := s.Customers.ByOpenID(t.Context(), "o-alice", baseTime.Add(time.Hour))
		if err != nil || again != first {
			t.Fatalf("second login = %+v, %v; want %+v, unchanged", again, err, first)
		}
		other, err := s.Customers.ByOpenID(t.Context(), "o-bob", baseTime)
		if err != nil || other.ID == first.ID {
			t.Fatalf("another openid = %+v, %v; want another customer", other, err)
		}
		byID, err := s.Customers.ByID(t.Context(), first.ID)
		if err != nil || byID != first {
			t.Fatalf("ByID(%d) = %+v, %v; want %+v", first.ID, byID, err, first)
		}
		if _, err := s.Customers.ByID(t.Context(), other.ID+1000); !errors.Is(err, customer.ErrNotFound) {
			t.Fatalf("ByID of an id no login created = %v, want customer.ErrNotFound", err)
		}
	})
	t.Run("race: 12 first logins of one openid on two instances make one customer", func(t *testing.T) {
		t.Parallel()
		open := backend(t)
		stores := []Store{open(), open()}
		var (
			wg  sync.WaitGroup
			mu  sync.Mutex
			ids = map[int64]int{}
		)
		for i := range 12 {
			wg.Go(func() {
				c, err := stores[i%2].Customers.ByOpenID(t.Context(), "o-racer", baseTime)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				ids[c.ID]++
				mu.Unlock()
			})
		}
		wg.Wait()
		if len(ids) != 1 {
			t.Fatalf("racing first logins made customers %v, want one", ids)
		}
	})
}
