// Package customer is a user of the mini-program, known by the openid WeChat gives that user for
// the shop's app (jscode2session). A customer is created on first login; orders name it by id.
package customer

import (
	"errors"
	"fmt"
	"time"
	"unicode"
)

// Customer is one mini-program user.
type Customer struct {
	ID        int64
	OpenID    string
	CreatedAt time.Time
}

// MaxCodeLength bounds a wx.login code; WeChat's are 32 characters.
const MaxCodeLength = 128

// ErrInvalidCode is a login code that cannot be one: empty, too long, or with spaces or control
// characters (it goes into a query to WeChat).
var ErrInvalidCode = errors.New("invalid login code")

// CheckCode refuses what is not worth asking WeChat about.
func CheckCode(code string) error {
	if code == "" || len(code) > MaxCodeLength {
		return fmt.Errorf("%w: a code has 1 to %d characters", ErrInvalidCode, MaxCodeLength)
	}
	for _, r := range code {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return fmt.Errorf("%w: a code is printable ASCII without spaces", ErrInvalidCode)
		}
	}
	return nil
}

// ErrNotFound is a customer id no login ever created (tokens minted by the CLI name such ids).
var ErrNotFound = errors.New("customer not found")
