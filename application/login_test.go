package application_test

import (
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/memory"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/employee"
)

// plainHasher keeps tests fast; bcrypt has its own tests in adapters/auth.
type plainHasher struct{ compared *int }

func (plainHasher) Hash(p string) (string, error) { return "hash:" + p, nil }

func (h plainHasher) Matches(hash, p string) bool {
	*h.compared++
	return hash == "hash:"+p
}

// fakeTokens signs nothing; it records what it issued.
type fakeTokens struct{}

func (fakeTokens) Issue(role application.Role, c application.Claims) (application.Token, error) {
	c.ExpiresAt = time.Now().Add(time.Hour)
	return application.Token{Value: role.String() + ":" + strconv.FormatInt(c.Subject, 10), Claims: c}, nil
}

func (fakeTokens) Verify(application.Role, string) (application.Claims, error) {
	return application.Claims{}, application.ErrUnauthenticated
}

func TestLoginAndFirstAdmin(t *testing.T) {
	t.Parallel()
	compared := 0
	employees, hasher, clock := &memory.Employees{}, plainHasher{compared: &compared}, &fixedClock{now: time.Now()}
	first := application.EnsureFirstAdmin{Employees: employees, Hasher: hasher, Clock: clock}
	if _, _, err := first.Execute(t.Context(), "", nil); !errors.Is(err, application.ErrNoAdmin) {
		t.Fatalf("no password and no generator = %v, want ErrNoAdmin", err)
	}
	created, generated, err := first.Execute(t.Context(), "", func() (string, error) { return "generated password", nil })
	if err != nil || !created || generated != "generated password" {
		t.Fatalf("first start = %v, %q, %v", created, generated, err)
	}
	if created, _, err := first.Execute(t.Context(), "another password", nil); err != nil || created {
		t.Fatalf("second start = %v, %v; want nothing created", created, err)
	}

	throttle := &recordingThrottle{}
	login := application.Login{
		Employees: employees, Hasher: hasher, Tokens: fakeTokens{}, DummyHash: "hash:dummy",
		Throttle: throttle, Checks: application.NewPasswordChecks(1, time.Second),
	}
	res, err := login.Execute(t.Context(), "admin", "generated password", "192.0.2.1")
	if err != nil || res.Employee.Username != "admin" || res.Token.Value != "admin:1" {
		t.Fatalf("login = %+v, %v", res, err)
	}
	compared = 0
	for _, c := range []struct{ user, password string }{{"admin", "wrong"}, {"ghost", "generated password"}} {
		if _, err := login.Execute(t.Context(), c.user, c.password, "192.0.2.1"); !errors.Is(err, employee.ErrBadCredentials) {
			t.Fatalf("login(%s, %s) = %v, want ErrBadCredentials", c.user, c.password, err)
		}
	}
	if compared != 2 {
		t.Fatalf("%d password comparisons for two failed logins: an unknown user must cost one too", compared)
	}
	want := []application.LoginOutcome{application.LoginSucceeded, application.LoginFailed, application.LoginFailed}
	if !slices.Equal(throttle.outcomes, want) || throttle.attempts[0] != (application.LoginAttempt{Username: "admin", ClientIP: "192.0.2.1"}) {
		t.Fatalf("throttle saw %+v settled %v, want outcomes %v", throttle.attempts, throttle.outcomes, want)
	}

	create := application.CreateEmployee{Employees: employees, Shops: memory.NewShops(time.Now()), Hasher: hasher, Clock: clock}
	if _, err := create.Execute(t.Context(), "Bob", "bob", "short", application.Workplace{}); !errors.Is(err, employee.ErrInvalid) {
		t.Fatalf("short password = %v, want ErrInvalid", err)
	}
	if _, err := create.Execute(t.Context(), "Admin 2", "admin", "long enough", application.Workplace{}); !errors.Is(err, employee.ErrUsernameTaken) {
		t.Fatalf("taken username = %v, want ErrUsernameTaken", err)
	}
}
