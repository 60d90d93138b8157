package component_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/employee"
	"github.com/orderalert/orderalert/test/pgtest"
)

// TestLogoutEndsThatTokenAndOnlyIt: the shop's cashier and counter share the admin account, with
// a token each. POST /admin/employee/logout with the cashier's token closes the two sockets
// opened with it — through a ticket and with the token itself — with 4401 and refuses the token
// on REST, for new tickets, for a ticket it got before the logout and for upgrades; the
// counter's token keeps its socket, which still rings, and its REST calls.
func TestLogoutEndsThatTokenAndOnlyIt(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		cashier, counter := s.adminHeader(t), s.adminHeader(t)
		early := s.ticket(t, cashier)
		byTicket, byToken := s.connect(t, cashier, "cashier", -1), s.dialToken(t, cashier, "cashier-script")
		other := s.connect(t, counter, "counter", -1)
		waitAttached(t, s, []*dashboard{byTicket, byToken, other})

		r := s.call(t, http.MethodPost, "/admin/employee/logout", cashier, nil)
		expect(t, r, http.StatusOK, 1)
		// At once on this instance: the logout answers after its sockets were told to close.
		byTicket.closedRevoked(t, "the cashier's socket opened with a ticket")
		byToken.closedRevoked(t, "the cashier's socket opened with the token")
		s.refused(t, cashier, "the logged-out token")
		if ok, status := s.upgrades("cashier-early", early); ok || status != http.StatusUnauthorized {
			t.Errorf("a ticket issued before the logout: upgraded %v, status %d, want 401", ok, status)
		}
		if r := s.call(t, http.MethodPost, "/admin/employee/logout", cashier, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("logging out twice: %d %s, want 401", r.Status, r.Raw)
		}

		s.admitted(t, counter, "the counter's token")
		s.stillRings(t, "the counter's socket", other)
		if n := s.count(t, "denied_tokens"); n != 1 {
			t.Errorf("%d denied tokens stored, want 1", n)
		}
	})
}

// TestLockUnlockPasswdDeleteEndTheAccountsSessions drives the use cases `orderalert admin …`
// runs, in the command line's own graph, against a running instance: each change closes every
// socket of that account with 4401 within seconds and refuses its earlier tokens everywhere,
// while another account is untouched. Unlock lets the employee log in again, but the tokens from
// before the lock stay dead; after passwd only the new password logs in.
func TestLockUnlockPasswdDeleteEndTheAccountsSessions(t *testing.T) {
	t.Parallel()
	for name, database := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := database(t)
			s := start(t, url, nil)
			cli := func(invoke any) {
				t.Helper()
				if err := asTheCLI(t, url, invoke); err != nil {
					t.Fatal(err)
				}
			}
			ctx := context.Background()
			cli(func(uc application.CreateEmployee) error {
				_, err := uc.Execute(ctx, "Bob", "bob", "bob's password", application.Workplace{})
				return err
			})
			admin, bob1, bob2 := s.adminHeader(t), s.login(t, "bob", "bob's password"), s.login(t, "bob", "bob's password")
			onAdmin, onBob1, onBob2 := s.connect(t, admin, "admin", -1), s.connect(t, bob1, "bob-1", -1), s.dialToken(t, bob2, "bob-2")
			waitAttached(t, s, []*dashboard{onAdmin, onBob1, onBob2})

			cli(func(uc application.LockEmployee) error { _, err := uc.Execute(ctx, "bob"); return err })
			onBob1.closedRevoked(t, "bob's first socket after the lock")
			onBob2.closedRevoked(t, "bob's second socket after the lock")
			s.refused(t, bob1, "bob's token after the lock")
			if r := s.call(t, http.MethodPost, "/admin/employee/login", nil, map[string]string{"username": "bob", "password": "bob's password"}); r.Status != http.StatusForbidden {
				t.Fatalf("bob's login while locked: %d %s, want 403", r.Status, r.Raw)
			}

			cli(func(uc application.UnlockEmployee) error { _, err := uc.Execute(ctx, "bob"); return err })
			bob3 := s.login(t, "bob", "bob's password")
			s.admitted(t, bob3, "bob's token after the unlock")
			s.refused(t, bob2, "bob's token from before the lock, after the unlock")
			onBob3 := s.connect(t, bob3, "bob-3", -1)
			waitAttached(t, s, []*dashboard{onAdmin, onBob3})

			cli(func(uc application.ChangePassword) error {
				_, err := uc.Execute(ctx, "bob", "bob's new password")
				return err
			})
			onBob3.closedRevoked(t, "bob's socket after passwd")
			s.refused(t, bob3, "bob's token after passwd")
			if r := s.call(t, http.MethodPost, "/admin/employee/login", nil, map[string]string{"username": "bob", "password": "bob's password"}); r.Status != http.StatusUnauthorized {
				t.Fatalf("the old password after passwd: %d %s, want 401", r.Status, r.Raw)
			}
			bob4 := s.login(t, "bob", "bob's new password")
			onBob4 := s.connect(t, bob4, "bob-4", -1)
			waitAttached(t, s, []*dashboard{onAdmin, onBob4})

			cli(func(uc application.DeleteEmployee) error { _, err := uc.Execute(ctx, "bob"); return err })
			onBob4.closedRevoked(t, "bob's socket after the delete")
			s.refused(t, bob4, "bob's token after the delete")
			err := asTheCLI(t, url, func(uc application.LockEmployee) error { _, err := uc.Execute(ctx, "bob"); return err })
			if !errors.Is(err, employee.ErrNotFound) {
				t.Fatalf("locking a deleted account: %v, want ErrNotFound", err)
			}

			s.admitted(t, admin, "the admin's token")
			s.stillRings(t, "the admin's socket", onAdmin)
		})
	}
}
