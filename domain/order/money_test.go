package order_test

import (
	"errors"
	"testing"

	"github.com/orderalert/orderalert/domain/order"
)

func TestParseYuan(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want order.Money
		ok   bool
	}{
		{"12", 1200, true},
		{"12.5", 1250, true},
		{"12.50", 1250, true},
		{"0.01", 1, true},
		{"100000.00", 100_000_00, true},
		{"", 0, false},
		{".5", 0, false},
		{"12.", 0, false},
		{"12.345", 0, false},
		{"-1", 0, false},
		{"+1", 0, false},
		{"1e3", 0, false},
		{" 1", 0, false},
		{"1,5", 0, false},
		{"9999999999999999999", 0, false},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			t.Parallel()
			got, err := order.ParseYuan(c.in)
			if c.ok != (err == nil) {
				t.Fatalf("ParseYuan(%q) error = %v, want ok=%v", c.in, err, c.ok)
			}
			if !c.ok && !errors.Is(err, order.ErrInvalid) {
				t.Fatalf("ParseYuan(%q) error %v is not ErrInvalid", c.in, err)
			}
			if got != c.want {
				t.Fatalf("ParseYuan(%q) = %d, want %d", c.in, got, c.want)
			}
		})
	}
}

func TestMoneyString(t *testing.T) {
	t.Parallel()
	for m, want := range map[order.Money]string{0: "0.00", 1: "0.01", 1250: "12.50", 100_000_00: "100000.00", -5: "-0.05"} {
		if got := m.String(); got != want {
			t.Errorf("Money(%d).String() = %q, want %q", m, got, want)
		}
	}
}
