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

var (
	_ application.Tokens         = (*Tokens)(nil)
	_ application.TicketVerifier = (*Tokens)(nil)
)

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

// claims are sky-take-out's: empId for staff, userId for customers.
type claims struct {
	EmpID  *int64 `json:"empId,omitempty"`
	UserID *int64 `json:"userId,omitempty"`
	jwt.RegisteredClaims
}

// Issue implements application.Tokens.
func (t *Tokens) Issue(role application.Role, subject int64) (application.Token, error) {
	if subject <= 0 {
		return application.Token{}, fmt.Errorf("issue %s token: subject %d", role, subject)
	}
	now := t.cfg.Now()
	c := claims{RegisteredClaims: jwt.RegisteredClaims{IssuedAt: jwt.NewNumericDate(now)}}
	ttl := t.cfg.AdminTTL
	switch role {
	case application.RoleAdmin:
		c.EmpID = &subject
	case application.RoleUser:
		c.UserID, ttl = &subject, t.cfg.UserTTL
	case application.RoleTicket:
		id, err := randomID()
		if err != nil {
			return application.Token{}, err
		}
		c.EmpID, ttl = &subject, t.cfg.TicketTTL
		c.Audience, c.ID = jwt.ClaimStrings{TicketAudience}, id
	default:
		return application.Token{}, fmt.Errorf("issue token: unknown role %d", role)
	}
	expires := now.Add(ttl)
	c.ExpiresAt = jwt.NewNumericDate(expires)
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.secret(role))
	if err != nil {
		return application.Token{}, fmt.Errorf("sign %s token: %w", role, err)
	}
	return application.Token{Value: signed, ExpiresAt: expires}, nil
}

// Verify implements application.Tokens.
func (t *Tokens) Verify(role application.Role, token string) (int64, error) {
	c, err := t.parse(role, token)
	if err != nil {
		return 0, err
	}
	return c.subject, nil
}

// VerifyTicket implements application.TicketVerifier.
func (t *Tokens) VerifyTicket(token string) (application.Ticket, error) {
	c, err := t.parse(application.RoleTicket, token)
	if err != nil {
		return application.Ticket{}, err
	}
	if c.ID == "" || c.ExpiresAt == nil {
		return application.Ticket{}, fmt.Errorf("%w: ticket without id", application.ErrUnauthenticated)
	}
	return application.Ticket{EmpID: c.subject, ID: c.ID, ExpiresAt: c.ExpiresAt.Time}, nil
}

// verified are a token's claims after every check, with the subject of its role.
type verified struct {
	claims
	subject int64
}

func (t *Tokens) parse(role application.Role, token string) (verified, error) {
	if token == "" || len(token) > maxTokenLength {
		return verified{}, fmt.Errorf("%w: no %s token", application.ErrUnauthenticated, role)
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
		return verified{}, fmt.Errorf("%w: %s token: %w", application.ErrUnauthenticated, role, err)
	}
	subject := c.EmpID
	switch {
	case role == application.RoleUser:
		subject = c.UserID
	case role == application.RoleAdmin && slices.Contains(c.Audience, TicketAudience):
		return verified{}, fmt.Errorf("%w: a WebSocket ticket is not an admin token", application.ErrUnauthenticated)
	}
	if subject == nil || *subject <= 0 {
		return verified{}, fmt.Errorf("%w: %s token names no %s", application.ErrUnauthenticated, role, role)
	}
	return verified{claims: c, subject: *subject}, nil
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
		return "", fmt.Errorf("ticket id: %w", err)
	}
	return hex.EncodeToString(b), nil
}
