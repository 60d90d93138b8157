package shop_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/domain/shop"
)

func TestScope(t *testing.T) {
	t.Parallel()
	var zero shop.Scope
	if zero.Includes(1) || zero.All() {
		t.Fatal("the zero scope must see nothing")
	}
	if !shop.Everything().Includes(42) {
		t.Fatal("Everything must see every shop")
	}
	s := shop.Only(3, 1, 3)
	if !s.Includes(1) || !s.Includes(3) || s.Includes(2) || len(s.Shops()) != 2 {
		t.Fatalf("Only(3, 1, 3) = %v", s.Shops())
	}
}

func TestNarrow(t *testing.T) {
	t.Parallel()
	own := shop.Only(2)
	if n, err := own.Narrow(nil); err != nil || !n.Includes(2) || n.Includes(1) {
		t.Fatalf("naming nothing keeps the scope: %v %v", n.Shops(), err)
	}
	if n, err := own.Narrow([]int64{2}); err != nil || !n.Includes(2) {
		t.Fatalf("naming the own shop: %v %v", n.Shops(), err)
	}
	if _, err := own.Narrow([]int64{2, 3}); !errors.Is(err, shop.ErrForbidden) {
		t.Fatalf("naming another shop = %v, want ErrForbidden", err)
	}
	n, err := shop.Everything().Narrow([]int64{5, 7})
	if err != nil || n.All() || !n.Includes(5) || !n.Includes(7) || n.Includes(1) {
		t.Fatalf("platform naming shops: %v %v", n.Shops(), err)
	}
}

func TestNewShopChecksTheName(t *testing.T) {
	t.Parallel()
	if _, err := shop.New("", time.Now()); !errors.Is(err, shop.ErrInvalid) {
		t.Fatalf("empty name = %v", err)
	}
	if _, err := shop.New(strings.Repeat("店", 65), time.Now()); !errors.Is(err, shop.ErrInvalid) {
		t.Fatalf("long name = %v", err)
	}
	if s, err := shop.New("西湖店", time.Now()); err != nil || s.Name != "西湖店" {
		t.Fatalf("New = %+v, %v", s, err)
	}
}
