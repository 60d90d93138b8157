package contract

import (
	"errors"
	"testing"

	"github.com/orderalert/orderalert/domain/integration"
)

// Integrations is the suite of application.IntegrationRepository.
func Integrations(t *testing.T, backend Backend) {
	t.Run("a key is found by its hash until it is revoked", func(t *testing.T) { t.Parallel(); testIntegrationLifecycle(t, backend(t)()) })
	t.Run("one live integration per name; a revoked name may be given again", func(t *testing.T) { t.Parallel(); testIntegrationNames(t, backend(t)()) })
}

func newIntegration(t *testing.T, name string, shopID int64) (integration.Integration, string) {
	t.Helper()
	i, key, err := integration.New(name, shopID, baseTime)
	if err != nil {
		t.Fatal(err)
	}
	return i, key
}

func testIntegrationLifecycle(t *testing.T, s Store) {
	limited, key := newIntegration(t, "pms", 1)
	saved, err := s.Integrations.Add(t.Context(), limited)
	if err != nil || saved.ID <= 0 {
		t.Fatalf("Add = %+v, %v", saved, err)
	}
	anyShop, anyKey := newIntegration(t, "erp", 0)
	if _, err := s.Integrations.Add(t.Context(), anyShop); err != nil {
		t.Fatal(err)
	}
	got, err := s.Integrations.ByKeyHash(t.Context(), integration.HashKey(key))
	if err != nil || got.Name != "pms" || got.ShopID != 1 || !got.CreatedAt.Equal(baseTime) || !got.Live() {
		t.Fatalf("ByKeyHash = %+v, %v", got, err)
	}
	if got, err := s.Integrations.ByKeyHash(t.Context(), integration.HashKey(anyKey)); err != nil || got.ShopID != 0 {
		t.Fatalf("ByKeyHash of a key for any shop = %+v, %v; want shop 0", got, err)
	}
	if _, err := s.Integrations.ByKeyHash(t.Context(), integration.HashKey(key+"x")); !errors.Is(err, integration.ErrNotFound) {
		t.Fatalf("ByKeyHash of another key = %v, want ErrNotFound", err)
	}
	revoked, err := s.Integrations.Revoke(t.Context(), "pms", baseTime.Add(1e9))
	if err != nil || revoked.Live() || !revoked.RevokedAt.Equal(baseTime.Add(1e9)) {
		t.Fatalf("Revoke = %+v, %v", revoked, err)
	}
	if _, err := s.Integrations.ByKeyHash(t.Context(), integration.HashKey(key)); !errors.Is(err, integration.ErrNotFound) {
		t.Fatalf("ByKeyHash of a revoked key = %v, want ErrNotFound", err)
	}
	if _, err := s.Integrations.Revoke(t.Context(), "pms", baseTime); !errors.Is(err, integration.ErrNotFound) {
		t.Fatalf("revoking twice = %v, want ErrNotFound", err)
	}
	all, err := s.Integrations.List(t.Context())
	if err != nil || len(all) != 2 || all[0].Name != "pms" || all[0].Live() || all[1].Name != "erp" || !all[1].Live() {
		t.Fatalf("List = %+v, %v", all, err)
	}
}

func testIntegrationNames(t *testing.T, s Store) {
	first, _ := newIntegration(t, "sky", 1)
	if _, err := s.Integrations.Add(t.Context(), first); err != nil {
		t.Fatal(err)
	}
	second, secondKey := newIntegration(t, "sky", 1)
	if _, err := s.Integrations.Add(t.Context(), second); !errors.Is(err, integration.ErrNameTaken) {
		t.Fatalf("a second live sky = %v, want ErrNameTaken", err)
	}
	if _, err := s.Integrations.Revoke(t.Context(), "sky", baseTime); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Integrations.Add(t.Context(), second); err != nil {
		t.Fatalf("sky again after its revocation = %v", err)
	}
	if got, err := s.Integrations.ByKeyHash(t.Context(), integration.HashKey(secondKey)); err != nil || got.Name != "sky" {
		t.Fatalf("the new key = %+v, %v", got, err)
	}
}
