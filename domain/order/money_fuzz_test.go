package order_test

import (
	"errors"
	"regexp"
	"testing"

	"github.com/orderalert/orderalert/domain/order"
)

var yuanSyntax = regexp.MustCompile(`^[0-9]{1,15}(\.[0-9]{1,2})?$`)

// FuzzParseYuan: ParseYuan accepts exactly plain decimals with at most two decimals and 15
// digits before the point, never panics, refuses with ErrInvalid, and what it reads renders back
// to the same amount.
func FuzzParseYuan(f *testing.F) {
	for _, seed := range []string{"0", "12", "12.5", "12.50", "100000.00", "1e3", "-1", "+1", " 1", "1.", ".5", "1.005", "٣", "999999999999999", "9999999999999999", "00.01"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := order.ParseYuan(s)
		if err != nil {
			if !errors.Is(err, order.ErrInvalid) {
				t.Fatalf("ParseYuan(%q): %v is not ErrInvalid", s, err)
			}
			if yuanSyntax.MatchString(s) {
				t.Fatalf("ParseYuan refused the plain amount %q: %v", s, err)
			}
			return
		}
		if !yuanSyntax.MatchString(s) || m < 0 {
			t.Fatalf("ParseYuan accepted %q as %d", s, m)
		}
		if again, err := order.ParseYuan(m.String()); err != nil || again != m {
			t.Fatalf("%q → %d → %q → %d, %v", s, m, m.String(), again, err)
		}
	})
}
