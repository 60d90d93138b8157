package auth

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"

	"github.com/orderalert/orderalert/application"
)

var _ application.PasswordHasher = Bcrypt{}

// Bcrypt hashes passwords with bcrypt at Cost (bcrypt.DefaultCost when zero).
type Bcrypt struct {
	Cost int
}

// Hash implements application.PasswordHasher.
func (b Bcrypt) Hash(password string) (string, error) {
	cost := b.Cost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if errors.Is(err, bcrypt.ErrPasswordTooLong) {
		return "", errors.New("password longer than bcrypt's 72 bytes")
	}
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// Matches implements application.PasswordHasher.
func (Bcrypt) Matches(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}
