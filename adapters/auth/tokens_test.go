package auth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/orderalert/orderalert/adapters/auth"
	"github.com/orderalert/orderalert/application"
)

var (
	adminSecret = []byte("admin-secret-admin-secret-admin-secret")
	userSecret  = []byte("user-secret-user-secret-user-secret-xx")
	now         = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
)

func newTokens(t testing.TB, clock *time.Time) *auth.Tokens {
	t.Helper()
	tokens, err := auth.NewTokens(auth.Config{
		AdminSecret: adminSecret, UserSecret: userSecret,
		AdminTTL: 12 * time.Hour, UserTTL: 2 * time.Hour, TicketTTL: time.Minute,
		Now: func() time.Time { return *clock },
	})
	if err != nil {
		t.Fatal(err)
	}
	return tokens
}

func TestEachTokenOpensItsOwnRoleOnly(t *testing.T) {
	t.Parallel()
	clock := now
	tokens := newTokens(t, &clock)
	roles := []application.Role{application.RoleAdmin, application.RoleUser, application.RoleTicket}
	for _, issued := range roles {
		tok, err := tokens.Issue(issued, 42)
		if err != nil {
			t.Fatal(err)
		}
		for _, asked := range roles {
			subject, err := tokens.Verify(asked, tok.Value)
			if issued == asked {
				if err != nil || subject != 42 {
					t.Errorf("%s token as %s = %d, %v; want 42", issued, asked, subject, err)
				}
				continue
			}
			if !errors.Is(err, application.ErrUnauthenticated) {
				t.Errorf("%s token accepted as %s (subject %d, err %v)", issued, asked, subject, err)
			}
		}
	}
}

func TestTokensExpire(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		role     application.Role
		lifetime time.Duration
	}{{application.RoleAdmin, 12 * time.Hour}, {application.RoleUser, 2 * time.Hour}, {application.RoleTicket, time.Minute}} {
		clock := now
		tokens := newTokens(t, &clock)
		tok, err := tokens.Issue(c.role, 7)
		if err != nil || !tok.ExpiresAt.Equal(now.Add(c.lifetime)) {
			t.Fatalf("Issue(%s) = %+v, %v", c.role, tok, err)
		}
		clock = now.Add(c.lifetime + time.Second)
		if _, err := tokens.Verify(c.role, tok.Value); !errors.Is(err, application.ErrUnauthenticated) {
			t.Errorf("expired %s token: %v", c.role, err)
		}
	}
}

func TestForgedTokensAreRefused(t *testing.T) {
	t.Parallel()
	clock := now
	tokens := newTokens(t, &clock)
	exp := jwt.NewNumericDate(now.Add(time.Hour))
	admin := jwt.MapClaims{"empId": 1, "exp": exp.Unix()}
	cases := map[string]string{
		"alg none":              sign(t, jwt.SigningMethodNone, admin, jwt.UnsafeAllowNoneSignatureType),
		"HS512 with the secret": sign(t, jwt.SigningMethodHS512, admin, adminSecret),
		"another secret":        sign(t, jwt.SigningMethodHS256, admin, []byte("not-the-secret-not-the-secret-not-the")),
		"the user secret":       sign(t, jwt.SigningMethodHS256, admin, userSecret),
		"no expiry":             sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1}, adminSecret),
		"no empId":              sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"userId": 1, "exp": exp.Unix()}, adminSecret),
		"empId as text":         sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": "1", "exp": exp.Unix()}, adminSecret),
		"empId zero":            sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 0, "exp": exp.Unix()}, adminSecret),
		"a ticket":              sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "aud": "ws", "exp": exp.Unix()}, adminSecret),
		"garbage":               "not.a.token",
		"empty":                 "",
		"huge":                  strings.Repeat("a", 10_000),
	}
	valid := sign(t, jwt.SigningMethodHS256, admin, adminSecret)
	parts := strings.Split(valid, ".")
	cases["tampered payload"] = parts[0] + "." + strings.TrimRight(parts[1], "=") + "x." + parts[2]
	cases["another spelling of the signature"] = respelled(valid)
	if id, err := tokens.Verify(application.RoleAdmin, valid); err != nil || id != 1 {
		t.Fatalf("the control token is refused: %d, %v", id, err)
	}
	for name, tok := range cases {
		if id, err := tokens.Verify(application.RoleAdmin, tok); !errors.Is(err, application.ErrUnauthenticated) {
			t.Errorf("%s: accepted as employee %d (%v)", name, id, err)
		}
	}
}

func TestConfigurationIsChecked(t *testing.T) {
	t.Parallel()
	short := auth.Config{AdminSecret: []byte("short"), UserSecret: userSecret, AdminTTL: time.Hour, UserTTL: time.Hour, TicketTTL: time.Minute}
	if _, err := auth.NewTokens(short); err == nil {
		t.Error("a 5-byte secret was accepted")
	}
	noTTL := auth.Config{AdminSecret: adminSecret, UserSecret: userSecret}
	if _, err := auth.NewTokens(noTTL); err == nil {
		t.Error("zero lifetimes were accepted")
	}
}

func sign(t *testing.T, method jwt.SigningMethod, c jwt.MapClaims, key any) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, c).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTicketsCarryAnIDAndExpiry(t *testing.T) {
	t.Parallel()
	clock := now
	tokens := newTokens(t, &clock)
	a, err := tokens.Issue(application.RoleTicket, 5)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := tokens.Issue(application.RoleTicket, 5)
	ta, err := tokens.VerifyTicket(a.Value)
	if err != nil || ta.EmpID != 5 || len(ta.ID) != 32 || !ta.ExpiresAt.Equal(now.Add(time.Minute)) {
		t.Fatalf("VerifyTicket = %+v, %v", ta, err)
	}
	if tb, _ := tokens.VerifyTicket(b.Value); tb.ID == ta.ID {
		t.Fatal("two tickets share an id: single use could not tell them apart")
	}
	admin, _ := tokens.Issue(application.RoleAdmin, 5)
	if _, err := tokens.VerifyTicket(admin.Value); !errors.Is(err, application.ErrUnauthenticated) {
		t.Fatalf("an admin token passed as a ticket: %v", err)
	}
}
