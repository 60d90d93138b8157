package contract

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/orderalert/orderalert/domain/shop"
)

// Shops is the suite of application.ShopRepository.
func Shops(t *testing.T, backend Backend) {
	t.Run("a fresh deployment has shop 1", func(t *testing.T) { t.Parallel(); testDefaultShop(t, backend(t)()) })
	t.Run("Add numbers shops, which another instance reads at once", func(t *testing.T) { t.Parallel(); testAddShop(t, backend(t)) })
	t.Run("an unknown shop is ErrNotFound", func(t *testing.T) { t.Parallel(); testUnknownShop(t, backend(t)()) })
	t.Run("race: 10 instances adding shops get 10 distinct ids", func(t *testing.T) { t.Parallel(); testAddShopsRacing(t, backend(t)) })
}

func testDefaultShop(t *testing.T, s Store) {
	got, err := s.Shops.Get(t.Context(), shop.Default)
	if err != nil || got.ID != 1 || got.Name != "默认门店" || got.CreatedAt.IsZero() {
		t.Fatalf("Get(1) = %+v, %v", got, err)
	}
	all, err := s.Shops.List(t.Context())
	if err != nil || len(all) != 1 || all[0].ID != 1 {
		t.Fatalf("List = %+v, %v; want shop 1 alone", all, err)
	}
}

func addShop(t *testing.T, s Store, name string) shop.Shop {
	t.Helper()
	sh, err := shop.New(name, baseTime)
	if err != nil {
		t.Fatal(err)
	}
	added, err := s.Shops.Add(t.Context(), sh)
	if err != nil {
		t.Fatalf("Add(%s): %v", name, err)
	}
	return added
}

// testAddShop: no instance keeps a copy of the shops, so one added by the CLI is another
// instance's at once.
func testAddShop(t *testing.T, open func() Store) {
	s, other := open(), open()
	a, b := addShop(t, s, "西湖店"), addShop(t, s, "滨江店")
	if a.ID != 2 || b.ID != 3 || a.Name != "西湖店" || !a.CreatedAt.Equal(baseTime) {
		t.Fatalf("added %+v and %+v; want ids 2 and 3", a, b)
	}
	if got, err := other.Shops.Get(t.Context(), b.ID); err != nil || got != b {
		t.Fatalf("Get(%d) = %+v, %v; want %+v", b.ID, got, err, b)
	}
	all, _ := other.Shops.List(t.Context())
	if ids := shopIDs(all); !slices.Equal(ids, []int64{1, 2, 3}) {
		t.Fatalf("List = %v", ids)
	}
}

func testUnknownShop(t *testing.T, s Store) {
	for _, id := range []int64{0, -1, 2, 1 << 40} {
		if _, err := s.Shops.Get(t.Context(), id); !errors.Is(err, shop.ErrNotFound) {
			t.Errorf("Get(%d) = %v, want ErrNotFound", id, err)
		}
	}
}

func testAddShopsRacing(t *testing.T, open func() Store) {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		ids []int64
	)
	for range 10 {
		s := open()
		wg.Go(func() {
			sh, _ := shop.New("分店", baseTime)
			added, err := s.Shops.Add(t.Context(), sh)
			if err != nil {
				t.Errorf("Add: %v", err)
				return
			}
			mu.Lock()
			ids = append(ids, added.ID)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(ids)
	if len(slices.Compact(slices.Clone(ids))) != 10 {
		t.Fatalf("ids %v are not 10 distinct ones", ids)
	}
	all, _ := open().Shops.List(t.Context())
	if len(all) != 11 {
		t.Fatalf("List has %d shops, want 11", len(all))
	}
}

func shopIDs(shops []shop.Shop) []int64 {
	ids := make([]int64, len(shops))
	for i, s := range shops {
		ids[i] = s.ID
	}
	return ids
}
