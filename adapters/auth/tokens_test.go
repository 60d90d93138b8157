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
		tok, err := tokens.Issue(issued, application.Claims{Subject: 42, Version: 3, Parent: "parent-jti"})
		if err != nil {
			t.Fatal(err)
		}
		for _, asked := range roles {
			c, err := tokens.Verify(asked, tok.Value)
			if issued == asked {
				if err != nil || c != tok.Claims || c.Subject != 42 {
					t.Errorf("%s token as %s = %+v, %v; want %+v", issued, asked, c, err, tok.Claims)
				}
				continue
			}
			if !errors.Is(err, application.ErrUnauthenticated) {
				t.Errorf("%s token accepted as %s (%+v, err %v)", issued, asked, c, err)
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
		tok, err := tokens.Issue(c.role, application.Claims{Subject: 7, Parent: "p"})
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
	admin := jwt.MapClaims{"empId": 1, "tv": 0, "jti": "j-1", "exp": exp.Unix()}
	cases := map[string]string{
		"alg none":              sign(t, jwt.SigningMethodNone, admin, jwt.UnsafeAllowNoneSignatureType),
		"HS512 with the secret": sign(t, jwt.SigningMethodHS512, admin, adminSecret),
		"another secret":        sign(t, jwt.SigningMethodHS256, admin, []byte("not-the-secret-not-the-secret-not-the")),
		"the user secret":       sign(t, jwt.SigningMethodHS256, admin, userSecret),
		"no expiry":             sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "tv": 0, "jti": "j-1"}, adminSecret),
		// Issued before tokens could be revoked: nothing to revoke them by.
		"no jti":        sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "tv": 0, "exp": exp.Unix()}, adminSecret),
		"no tv":         sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "jti": "j-1", "exp": exp.Unix()}, adminSecret),
		"tv as text":    sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "tv": "0", "jti": "j-1", "exp": exp.Unix()}, adminSecret),
		"tv below 0":    sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "tv": -1, "jti": "j-1", "exp": exp.Unix()}, adminSecret),
		"no empId":      sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"userId": 1, "exp": exp.Unix()}, adminSecret),
		"empId as text": sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": "1", "exp": exp.Unix()}, adminSecret),
		"empId zero":    sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 0, "exp": exp.Unix()}, adminSecret),
		"a ticket":      sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "tv": 0, "jti": "j-1", "pjti": "p", "aud": "ws", "exp": exp.Unix()}, adminSecret),
		"garbage":       "not.a.token",
		"empty":         "",
		"huge":          strings.Repeat("a", 10_000),
	}
	valid := sign(t, jwt.SigningMethodHS256, admin, adminSecret)
	parts := strings.Split(valid, ".")
	cases["tampered payload"] = parts[0] + "." + strings.TrimRight(parts[1], "=") + "x." + parts[2]
	cases["another spelling of the signature"] = respelled(valid)
	if c, err := tokens.Verify(application.RoleAdmin, valid); err != nil || c.Subject != 1 || c.ID != "j-1" {
		t.Fatalf("the control token is refused: %+v, %v", c, err)
	}
	for name, tok := range cases {
		if c, err := tokens.Verify(application.RoleAdmin, tok); !errors.Is(err, application.ErrUnauthenticated) {
			t.Errorf("%s: accepted as %+v (%v)", name, c, err)
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

func TestTokensCarryTheirIDAndVersionAndTicketsTheirParent(t *testing.T) {
	t.Parallel()
	clock := now
	tokens := newTokens(t, &clock)
	admin, err := tokens.Issue(application.RoleAdmin, application.Claims{Subject: 5, Version: 2})
	if err != nil || len(admin.ID) != 32 || admin.Version != 2 || admin.Parent != "" {
		t.Fatalf("Issue(admin) = %+v, %v", admin, err)
	}
	other, _ := tokens.Issue(application.RoleAdmin, application.Claims{Subject: 5, Version: 2})
	if other.ID == admin.ID {
		t.Fatal("two admin tokens share an id: logging one out would end the other")
	}
	a, err := tokens.Issue(application.RoleTicket, application.Claims{Subject: 5, Version: 2, Parent: admin.ID})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := tokens.Issue(application.RoleTicket, application.Claims{Subject: 5, Version: 2, Parent: admin.ID})
	ta, err := tokens.Verify(application.RoleTicket, a.Value)
	want := application.Credential{EmpID: 5, TokenID: admin.ID, Version: 2}
	if err != nil || len(ta.ID) != 32 || ta.ID == admin.ID || !ta.ExpiresAt.Equal(now.Add(time.Minute)) || ta.Credential() != want {
		t.Fatalf("Verify(ticket) = %+v (credential %+v), %v; want credential %+v", ta, ta.Credential(), err, want)
	}
	if tb, _ := tokens.Verify(application.RoleTicket, b.Value); tb.ID == ta.ID {
		t.Fatal("two tickets share an id: single use could not tell them apart")
	}
	if _, err := tokens.Issue(application.RoleTicket, application.Claims{Subject: 5}); err == nil {
		t.Fatal("a ticket without a parent token was issued")
	}
	if _, err := tokens.Verify(application.RoleTicket, admin.Value); !errors.Is(err, application.ErrUnauthenticated) {
		t.Fatalf("an admin token passed as a ticket: %v", err)
	}
	orphan := sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 5, "tv": 2, "jti": "t-1", "aud": "ws", "exp": now.Add(time.Minute).Unix()}, adminSecret)
	if _, err := tokens.Verify(application.RoleTicket, orphan); !errors.Is(err, application.ErrUnauthenticated) {
		t.Fatalf("a ticket without pjti: %v", err)
	}
}
