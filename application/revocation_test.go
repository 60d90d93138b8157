package application_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/employee"
)

// recordingDashboards records the Revoke calls of SyncChanges.
type recordingDashboards struct {
	mu    sync.Mutex
	holds []func(application.Credential) bool
}

func (*recordingDashboards) Attach(application.DashboardSocket, application.DashboardOptions) (func(), error) {
	return func() {}, nil
}

func (d *recordingDashboards) Revoke(holds func(application.Credential) bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.holds = append(d.holds, holds)
}

func (d *recordingDashboards) revokes() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.holds)
}

// sessions is the revocation use cases on the in-memory adapters, as one instance runs them.
type sessions struct {
	employees  *memory.Employees
	access     *application.AccessCheck
	dashboards *recordingDashboards
	sync       application.SyncChanges
	login      application.Login
}

func newSessions(t *testing.T) *sessions {
	t.Helper()
	employees, clock := &memory.Employees{}, &fixedClock{now: time.Now()}
	s := &sessions{employees: employees, access: application.NewAccessCheck(employees, clock, 10*time.Second), dashboards: &recordingDashboards{}}
	s.sync = application.SyncChanges{Access: s.access, Dashboards: s.dashboards}
	s.login = application.Login{
		Employees: employees, Hasher: plainHasher{compared: new(int)}, Tokens: fakeTokens{}, DummyHash: "hash:dummy",
		Throttle: &recordingThrottle{}, Checks: application.NewPasswordChecks(1, time.Second),
	}
	create := application.CreateEmployee{Employees: employees, Shops: memory.NewShops(time.Now()), Hasher: plainHasher{}, Clock: clock}
	for _, name := range []string{"alice", "bob"} {
		if _, err := create.Execute(t.Context(), name, name, name+"'s password", application.Workplace{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.sync.Execute(t.Context()); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *sessions) token(t *testing.T, username string) application.Claims {
	t.Helper()
	res, err := s.login.Execute(t.Context(), username, username+"'s password", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	res.Token.ID = username + "-" + time.Now().Format(time.RFC3339Nano) // fakeTokens draws no id
	return res.Token.Claims
}

// TestEachChangeHoldsOnThisInstanceAtOnce: logout, lock, passwd and delete each refuse the
// credentials they end on the instance that made them before returning — no poll in between —
// and ask the hub to close their sockets; another account's credential stays admitted.
func TestEachChangeHoldsOnThisInstanceAtOnce(t *testing.T) {
	t.Parallel()
	clock := &fixedClock{now: time.Now()}
	cases := []struct {
		name   string
		change func(s *sessions, alice application.Claims) error
	}{
		{"logout", func(s *sessions, alice application.Claims) error {
			return application.Logout{Denylist: s.employees, Sync: s.sync}.Execute(context.Background(), alice)
		}},
		{"lock", func(s *sessions, _ application.Claims) error {
			_, err := application.LockEmployee{Employees: s.employees, Clock: clock, Sync: s.sync}.Execute(context.Background(), "alice")
			return err
		}},
		{"passwd", func(s *sessions, _ application.Claims) error {
			_, err := application.ChangePassword{Employees: s.employees, Hasher: plainHasher{}, Clock: clock, Sync: s.sync}.Execute(context.Background(), "alice", "a new password")
			return err
		}},
		{"delete", func(s *sessions, _ application.Claims) error {
			_, err := application.DeleteEmployee{Employees: s.employees, Sync: s.sync}.Execute(context.Background(), "alice")
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newSessions(t)
			alice, bob := s.token(t, "alice"), s.token(t, "bob")
			revokes := s.dashboards.revokes()
			if err := c.change(s, alice); err != nil {
				t.Fatal(err)
			}
			if _, err := s.access.Check(t.Context(), alice.Credential()); !errors.Is(err, application.ErrRevoked) {
				t.Fatalf("alice's token after %s: %v, want ErrRevoked", c.name, err)
			}
			if _, err := s.access.Check(t.Context(), bob.Credential()); err != nil {
				t.Fatalf("bob's token after alice's %s: %v", c.name, err)
			}
			if s.dashboards.revokes() != revokes+1 {
				t.Fatalf("the hub was asked to close sockets %d times, want once", s.dashboards.revokes()-revokes)
			}
		})
	}
}

func TestUnlockLetsInAgainButOldTokensStayDead(t *testing.T) {
	t.Parallel()
	s := newSessions(t)
	clock := &fixedClock{now: time.Now()}
	old := s.token(t, "alice")
	if _, err := (application.LockEmployee{Employees: s.employees, Clock: clock, Sync: s.sync}).Execute(t.Context(), "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.login.Execute(t.Context(), "alice", "alice's password", "192.0.2.1"); !errors.Is(err, employee.ErrLocked) {
		t.Fatalf("login while locked = %v, want ErrLocked", err)
	}
	if _, err := (application.UnlockEmployee{Employees: s.employees, Clock: clock, Sync: s.sync}).Execute(t.Context(), "alice"); err != nil {
		t.Fatal(err)
	}
	fresh := s.token(t, "alice")
	if _, err := s.access.Check(t.Context(), fresh.Credential()); err != nil {
		t.Fatalf("a token after the unlock: %v", err)
	}
	if _, err := s.access.Check(t.Context(), old.Credential()); !errors.Is(err, application.ErrRevoked) {
		t.Fatalf("a token from before the lock, after the unlock: %v, want ErrRevoked", err)
	}
}

func TestAccountChangesOfNobodyOrBadInputChangeNothing(t *testing.T) {
	t.Parallel()
	s := newSessions(t)
	clock := &fixedClock{now: time.Now()}
	alice := s.token(t, "alice")
	before, _ := s.employees.Changes(t.Context())
	if _, err := (application.LockEmployee{Employees: s.employees, Clock: clock, Sync: s.sync}).Execute(t.Context(), "nobody"); !errors.Is(err, employee.ErrNotFound) {
		t.Fatalf("lock nobody = %v, want ErrNotFound", err)
	}
	if _, err := (application.DeleteEmployee{Employees: s.employees, Sync: s.sync}).Execute(t.Context(), "nobody"); !errors.Is(err, employee.ErrNotFound) {
		t.Fatalf("delete nobody = %v, want ErrNotFound", err)
	}
	if _, err := (application.ChangePassword{Employees: s.employees, Hasher: plainHasher{}, Clock: clock, Sync: s.sync}).Execute(t.Context(), "alice", "short"); !errors.Is(err, employee.ErrInvalid) {
		t.Fatalf("a short password = %v, want ErrInvalid", err)
	}
	if after, _ := s.employees.Changes(t.Context()); after != before {
		t.Fatalf("refused changes moved the change counter from %d to %d", before, after)
	}
	if _, err := s.access.Check(t.Context(), alice.Credential()); err != nil {
		t.Fatalf("alice's token after refused changes: %v", err)
	}
}
