// Package shop is one deployment serving many shops (a hotel chain, a spa chain, a take-out SaaS):
// every order, alert and employee belongs to one shop, and platform staff see every shop. A
// deployment with one shop never needs to know shops exist: shop 1 is created with the schema.
package shop

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// Default is the shop created with the schema; what names no shop belongs to it.
const Default int64 = 1

// Errors of the shop domain; match them with errors.Is.
var (
	// ErrNotFound: no shop has this id (门店不存在). A shop the caller may not see answers the same.
	ErrNotFound = errors.New("shop not found")
	// ErrInvalid: the shop's data breaks a rule.
	ErrInvalid = errors.New("invalid shop")
	// ErrForbidden: the caller may act only for its own shop, and named another.
	ErrForbidden = errors.New("another shop")
)

// Shop is one shop of the deployment.
type Shop struct {
	ID        int64
	Name      string
	CreatedAt time.Time
}

// MaxNameLength is the longest shop name kept, in characters.
const MaxNameLength = 64

// New checks a new shop's name.
func New(name string, now time.Time) (Shop, error) {
	if n := utf8.RuneCountInString(name); n == 0 || n > MaxNameLength {
		return Shop{}, fmt.Errorf("%w: a name has 1 to %d characters, not %d", ErrInvalid, MaxNameLength, n)
	}
	if !utf8.ValidString(name) {
		return Shop{}, fmt.Errorf("%w: the name is not valid UTF-8", ErrInvalid)
	}
	return Shop{Name: name, CreatedAt: now}, nil
}
