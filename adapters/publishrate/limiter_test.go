package publishrate_test

import (
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/publishrate"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestAKeyGetsItsRateAndNoMore(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)}
	l := publishrate.New(5, time.Second, c.now)
	for i := range 5 {
		if ok, _ := l.Allow("pms", 1); !ok {
			t.Fatalf("publish %d of a burst of 5 refused", i+1)
		}
	}
	ok, wait := l.Allow("pms", 1)
	if ok || wait <= 0 || wait > 200*time.Millisecond {
		t.Fatalf("the 6th publish in a second = %v, retry after %v; want refused for about 200 ms", ok, wait)
	}
	if ok, _ := l.Allow("erp", 1); !ok {
		t.Fatal("another key of the shop was refused: keys have their own budgets")
	}
	c.t = c.t.Add(200 * time.Millisecond)
	if ok, _ := l.Allow("pms", 1); !ok {
		t.Fatal("refused after the wait it was told")
	}
}

func TestAShopIsCappedOverAllItsKeys(t *testing.T) {
	c := &clock{t: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)}
	l := publishrate.New(2, time.Second, c.now)
	allowed := 0
	for i := range 20 { // 20 keys of one shop, 2 each: the shop's 8 pass
		for range 2 {
			if ok, _ := l.Allow(string(rune('a'+i)), 1); ok {
				allowed++
			}
		}
	}
	if allowed != 2*publishrate.ShopFactor {
		t.Fatalf("one shop took %d publishes in an instant, want its cap %d", allowed, 2*publishrate.ShopFactor)
	}
	if ok, _ := l.Allow("a-new-key", 2); !ok {
		t.Fatal("another shop was refused: shops have their own caps")
	}
	// A key refused by its shop's cap kept its own budget.
	c.t = c.t.Add(time.Second / 8)
	if ok, _ := l.Allow("t", 1); !ok {
		t.Fatal("key t, refused only by the shop's cap, has no budget left")
	}
}
