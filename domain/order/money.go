package order

import (
	"fmt"
	"strconv"
	"strings"
)

// Money is an amount in fen (1/100 yuan). sky-take-out keeps yuan as decimal(10,2); integer fen
// keeps every sum exact without floating point.
type Money int64

// MaxAmount is the largest order amount accepted: 100000.00 yuan.
const MaxAmount Money = 100_000_00

// ParseYuan reads a decimal yuan amount such as "12", "12.5" or "12.50" into fen. It accepts at
// most two decimals and no sign, exponent or spaces, so "1e3" and "-1" are errors, not surprises.
func ParseYuan(s string) (Money, error) {
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && (frac == "" || len(frac) > 2)) || !digits(whole) || !digits(frac) {
		return 0, fmt.Errorf("%w: amount %q is not a yuan amount with at most two decimals", ErrInvalid, s)
	}
	if len(whole) > 15 {
		return 0, fmt.Errorf("%w: amount %q is too large", ErrInvalid, s)
	}
	yuan, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: amount %q: %w", ErrInvalid, s, err)
	}
	fen := int64(0)
	if frac != "" {
		f, _ := strconv.Atoi(frac) // two digits at most, checked above
		if len(frac) == 1 {
			f *= 10
		}
		fen = int64(f)
	}
	return Money(yuan*100 + fen), nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// String renders the amount as yuan with exactly two decimals ("12.50"), the form of decimal(10,2).
func (m Money) String() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d.%02d", sign, m/100, m%100)
}
