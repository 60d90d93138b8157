package auth_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/orderalert/orderalert/application"
)

// FuzzVerify sends arbitrary tokens to Verify in every role. Nothing panics,
// every refusal is ErrUnauthenticated, and whatever is accepted is checked independently of the
// JWT library: an HS256 header, an HMAC-SHA256 signature under the role's own secret, an expiry
// still ahead, a positive subject in the role's claim, and the ws audience exactly on tickets.
//
// The clock is fixed and the secrets are constants, so the seeds one process makes are valid in
// every fuzzing worker.
func FuzzVerify(f *testing.F) {
	clock := now
	tokens := newTokens(f, &clock)
	for _, role := range []application.Role{application.RoleAdmin, application.RoleUser, application.RoleTicket} {
		tok, err := tokens.Issue(role, application.Claims{Subject: 42, Version: 1, Parent: "parent"})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok.Value)
		f.Add(tok.Value[:len(tok.Value)-1])
		f.Add(tok.Value + "=")
		f.Add(respelled(tok.Value))
		head, rest, _ := strings.Cut(tok.Value, ".")
		f.Add(head + "." + rest + ".x")
	}
	f.Add("")
	f.Add("..")
	f.Add("eyJhbGciOiJub25lIn0.eyJlbXBJZCI6MX0.")
	f.Add(strings.Repeat("a", 5000))

	f.Fuzz(func(t *testing.T, token string) {
		for _, role := range []application.Role{application.RoleAdmin, application.RoleUser, application.RoleTicket} {
			c, err := tokens.Verify(role, token)
			if err != nil {
				if !errors.Is(err, application.ErrUnauthenticated) {
					t.Fatalf("%s: refusal %v is not ErrUnauthenticated", role, err)
				}
				continue
			}
			checkGenuine(t, role, token, c.Subject)
			if role != application.RoleUser && (c.ID == "" || c.Version < 0 || !c.ExpiresAt.After(now)) {
				t.Fatalf("%s accepted without an id, a version or an expiry ahead: %+v", role, c)
			}
			if role == application.RoleTicket && c.Parent == "" {
				t.Fatalf("ticket accepted without its parent: %+v", c)
			}
		}
	})
}

// checkGenuine fails unless token, accepted in role for subject, is one the service signed.
func checkGenuine(t *testing.T, role application.Role, token string, subject int64) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("%s accepted %q: not three parts", role, token)
	}
	for _, p := range parts {
		if raw, err := base64.RawURLEncoding.DecodeString(p); err != nil || base64.RawURLEncoding.EncodeToString(raw) != p {
			t.Fatalf("%s accepted %q: %q is not canonical base64url", role, token, p)
		}
	}
	secret := adminSecret
	if role == application.RoleUser {
		secret = userSecret
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		t.Fatalf("%s accepted %q without the role's HMAC-SHA256 signature", role, token)
	}
	var header struct{ Alg string }
	var claims struct {
		EmpID, UserID *int64
		Exp           *jwt.NumericDate
		Aud           jwt.ClaimStrings
	}
	if !decodeSegment(parts[0], &header) || header.Alg != "HS256" || !decodeSegment(parts[1], &claims) {
		t.Fatalf("%s accepted %q: header %+v", role, token, header)
	}
	want := claims.EmpID
	if role == application.RoleUser {
		want = claims.UserID
	}
	switch {
	case want == nil || *want <= 0 || *want != subject:
		t.Fatalf("%s accepted %q for subject %d, claims %+v", role, token, subject, claims)
	case claims.Exp == nil || !claims.Exp.After(now):
		t.Fatalf("%s accepted %q without an expiry ahead", role, token)
	case slices.Contains(claims.Aud, "ws") != (role == application.RoleTicket):
		t.Fatalf("%s accepted %q with audience %v", role, token, claims.Aud)
	}
}

func decodeSegment(seg string, v any) bool {
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	return dec.Decode(v) == nil
}

// respelled is token with the last character of its signature changed in one of the two bits
// base64 does not use there: the same signature bytes, spelled differently.
func respelled(token string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, token[len(token)-1])
	return token[:len(token)-1] + string(alphabet[last^1])
}
