package component_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/test/pgtest"
)

// TestRevocationReachesEveryInstance: two instances share one PostgreSQL database. A logout
// answered by A closes, within a few seconds, the socket that token opened on B and refuses the
// token on B; a lock made by the command line closes the account's sockets on both, while the
// other account's socket on B keeps ringing. B learns of both only through the change counter it
// polls: no request of the test reaches B between the change and its effect.
func TestRevocationReachesEveryInstance(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	a, b := start(t, url, nil), start(t, url, nil)
	ctx := context.Background()
	if err := asTheCLI(t, url, func(uc application.CreateEmployee) error {
		_, err := uc.Execute(ctx, "Bob", "bob", "bob's password", application.Workplace{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	cashier, counter := a.adminHeader(t), a.adminHeader(t)
	bob := b.login(t, "bob", "bob's password")
	cashierOnB, counterOnB, bobOnA, bobOnB := b.connect(t, cashier, "cashier", -1), b.connect(t, counter, "counter", -1), a.connect(t, bob, "bob-a", -1), b.dialToken(t, bob, "bob-b")
	waitAttached(t, a, []*dashboard{bobOnA})
	waitAttached(t, b, []*dashboard{cashierOnB, counterOnB, bobOnB})

	expect(t, a.call(t, http.MethodPost, "/admin/employee/logout", cashier, nil), http.StatusOK, 1)
	cashierOnB.closedRevoked(t, "the cashier's socket on B after a logout on A")
	b.refused(t, cashier, "the cashier's token on B")

	if err := asTheCLI(t, url, func(uc application.LockEmployee) error {
		_, err := uc.Execute(ctx, "bob")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	bobOnA.closedRevoked(t, "bob's socket on A after the command line locked him")
	bobOnB.closedRevoked(t, "bob's socket on B after the command line locked him")
	a.refused(t, bob, "bob's token on A")
	b.refused(t, bob, "bob's token on B")

	b.admitted(t, counter, "the counter's token on B")
	a.stillRings(t, "the counter's socket on B", counterOnB)
}
