package contract

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
)

// TicketLedger is the suite of application.TicketLedger: a ticket opens one socket, on any
// instance, however many try at once.
func TicketLedger(t *testing.T, backend Backend) {
	t.Run("a ticket is used once", func(t *testing.T) {
		t.Parallel()
		s := backend(t)()
		exp := time.Now().Add(time.Minute)
		if err := s.Tickets.Use(t.Context(), "t-1", exp); err != nil {
			t.Fatal(err)
		}
		if err := s.Tickets.Use(t.Context(), "t-1", exp); !errors.Is(err, application.ErrUnauthenticated) {
			t.Fatalf("second use = %v, want ErrUnauthenticated", err)
		}
		if err := s.Tickets.Use(t.Context(), "t-2", exp); err != nil {
			t.Fatalf("another ticket: %v", err)
		}
	})

	t.Run("race: one of 20 concurrent uses on two instances succeeds", func(t *testing.T) {
		t.Parallel()
		open := backend(t)
		stores := []Store{open(), open()}
		var (
			wg        sync.WaitGroup
			succeeded atomic.Int32
			errs      = make(chan error, 20)
		)
		for i := range 20 {
			wg.Go(func() {
				err := stores[i%2].Tickets.Use(t.Context(), "shared", time.Now().Add(time.Minute))
				switch {
				case err == nil:
					succeeded.Add(1)
				case !errors.Is(err, application.ErrUnauthenticated):
					errs <- fmt.Errorf("use %d: %w", i, err)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if succeeded.Load() != 1 {
			t.Fatalf("%d uses succeeded, want 1", succeeded.Load())
		}
	})
}
