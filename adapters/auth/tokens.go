package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/orderalert/orderalert/application"
)

var _ application.Tokens = (*Tokens)(nil)

// TicketAudience marks a WebSocket ticket.
const TicketAudience = "ws"

// MinSecretLength is the shortest HS256 secret accepted: 256 bits, the hash's size (RFC 7518 §3.2).
const MinSecretLength = 32

// maxTokenLength bounds the work spent on a header before any signature check.
const maxTokenLength = 4096

// Config holds the signing secrets and lifetimes.
type Config struct {
	AdminSecret, UserSecret []byte
	AdminTTL, UserTTL       time.Duration
	TicketTTL               time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Tokens issues and verifies the service's bearer tokens.
type Tokens struct {
	cfg Config
}

// NewTokens checks the configuration and returns the token service.
func NewTokens(cfg Config) (*Tokens, error) {
	if len(cfg.AdminSecret) < MinSecretLength || len(cfg.UserSecret) < MinSecretLength {
		return nil, fmt.Errorf("JWT secrets must have at least %d bytes", MinSecretLength)
	}
	if cfg.AdminTTL <= 0 || cfg.UserTTL <= 0 || cfg.TicketTTL <= 0 {
		return nil, errors.New("token lifetimes must be positive")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Tokens{cfg: cfg}, nil
}

// claims are sky-take-out's — empId for staff, userId for customers — with the registered jti
// and, for staff tokens and tickets, tv (the account's token version) and a ticket's pjti (its
// parent token's jti).
type claims struct {
	EmpID   *int64 `json:"empId,omitempty"`
	UserID  *int64 `json:"userId,omitempty"`
	Version *int64 `json:"tv,omitempty"`
	Parent  string `json:"pjti,omitempty"`
	// ShopID is the shop of a staff token's account, absent for platform staff: for front ends
	// that show it. What a request may see is decided from the account's current record.
	ShopID int64 `json:"shopId,omitempty"`
	jwt.RegisteredClaims
}

// Issue implements application.Tokens.
func (t *Tokens) Issue(role application.Role, c application.Claims) (application.Token, error) {
	if c.Subject <= 0 || c.Version < 0 {
		return application.Token{}, fmt.Errorf("issue %s token: subject %d, version %d", role, c.Subject, c.Version)
	}
	now := t.cfg.Now()
	jc := claims{RegisteredClaims: jwt.RegisteredClaims{IssuedAt: jwt.NewNumericDate(now)}}
	ttl := t.cfg.AdminTTL
	switch role {
	case application.RoleAdmin:
		jc.EmpID, jc.Version, jc.ShopID = &c.Subject, &c.Version, c.ShopID
	case application.RoleUser:
		jc.UserID, ttl = &c.Subject, t.cfg.UserTTL
	case application.RoleTicket:
		if c.Parent == "" {
			return application.Token{}, errors.New("issue ticket: no parent token")
		}
		jc.EmpID, jc.Version, jc.Parent, jc.ShopID, ttl = &c.Subject, &c.Version, c.Parent, c.ShopID, t.cfg.TicketTTL
		jc.Audience = jwt.ClaimStrings{TicketAudience}
	default:
		return application.Token{}, fmt.Errorf("issue token: unknown role %d", role)
	}
	if role != application.RoleUser {
		id, err := randomID()
		if err != nil {
			return application.Token{}, err
		}
		jc.ID = id
	}
	expires := now.Add(ttl)
	jc.ExpiresAt = jwt.NewNumericDate(expires)
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jc).SignedString(t.secret(role))
	if err != nil {
		return application.Token{}, fmt.Errorf("sign %s token: %w", role, err)
	}
	// The expiry as the token says it, in whole seconds.
	out := application.Claims{Subject: c.Subject, ID: jc.ID, ExpiresAt: jc.ExpiresAt.UTC()}
	if role != application.RoleUser {
		out.Version, out.Parent, out.ShopID = c.Version, jc.Parent, c.ShopID
	}
	return application.Token{Value: signed, Claims: out}, nil
}

// Verify implements application.Tokens.
func (t *Tokens) Verify(role application.Role, token string) (application.Claims, error) {
	if token == "" || len(token) > maxTokenLength {
		return application.Claims{}, fmt.Errorf("%w: no %s token", application.ErrUnauthenticated, role)
	}
	if !compactJWS(token) {
		return application.Claims{}, fmt.Errorf("%w: %s token holds a character outside base64url", application.ErrUnauthenticated, role)
	}
	opts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.cfg.Now),
		// One token, one spelling: without it the last character of the signature can take
		// four values, as base64's unused trailing bits are ignored.
		jwt.WithStrictDecoding(),
	}
	if role == application.RoleTicket {
		opts = append(opts, jwt.WithAudience(TicketAudience))
	}
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.secret(role), nil }, opts...)
	if err != nil {
		return application.Claims{}, fmt.Errorf("%w: %s token: %w", application.ErrUnauthenticated, role, err)
	}
	if err := c.check(role); err != nil {
		return application.Claims{}, fmt.Errorf("%w: %w", application.ErrUnauthenticated, err)
	}
	out := application.Claims{ID: c.ID, Parent: c.Parent, ExpiresAt: c.ExpiresAt.UTC()}
	if role == application.RoleUser {
		out.Subject = *c.UserID
	} else {
		out.Subject, out.Version, out.ShopID = *c.EmpID, *c.Version, c.ShopID
	}
	return out, nil
}

// compactJWS reports whether token holds only base64url characters and dots. Go's base64
// decoder skips '\r' and '\n' even in strict mode, so without this check a signed token with a
// line break inside would be accepted under a second spelling.
func compactJWS(token string) bool {
	for i := 0; i < len(token); i++ {
		switch b := token[i]; {
		case b >= 'A' && b <= 'Z', b >= 'a' && b <= 'z', b >= '0' && b <= '9', b == '-', b == '_', b == '.':
		default:
			return false
		}
	}
	return true
}

// check refuses claims that do not make a token of role: a ticket offered as an admin token,
// no subject of the role, and staff tokens without the id and version that let them be revoked
// (those issued before revocation existed: their holders log in again).
func (c claims) check(role application.Role) error {
	subject := c.EmpID
	if role == application.RoleUser {
		subject = c.UserID
	}
	switch {
	case role == application.RoleAdmin && slices.Contains(c.Audience, TicketAudience):
		return errors.New("a WebSocket ticket is not an admin token")
	case subject == nil || *subject <= 0:
		return fmt.Errorf("%s token names no %s", role, role)
	case role == application.RoleUser:
		return nil
	case c.ID == "" || c.Version == nil || *c.Version < 0:
		return fmt.Errorf("%s token without an id and version: log in again", role)
	case role == application.RoleTicket && c.Parent == "":
		return errors.New("ticket without its parent token")
	}
	return nil
}

func (t *Tokens) secret(role application.Role) []byte {
	if role == application.RoleUser {
		return t.cfg.UserSecret
	}
	return t.cfg.AdminSecret
}

func randomID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("token id: %w", err)
	}
	return hex.EncodeToString(b), nil
}
