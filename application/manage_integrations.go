package application

import (
	"context"
	"fmt"

	"github.com/orderalert/orderalert/domain/integration"
)

// CreateIntegration adds a publisher (`orderalert integration create`) and returns its key,
// which is never shown again.
type CreateIntegration struct {
	Integrations IntegrationRepository
	Shops        ShopRepository
	Clock        Clock
}

// Execute checks the shop (0: any shop) and stores the integration with its key's hash.
func (uc CreateIntegration) Execute(ctx context.Context, name string, shopID int64) (integration.Integration, string, error) {
	i, key, err := integration.New(name, shopID, uc.Clock.Now())
	if err != nil {
		return integration.Integration{}, "", err
	}
	if shopID != 0 {
		if _, err := uc.Shops.Get(ctx, shopID); err != nil {
			return integration.Integration{}, "", fmt.Errorf("create integration %s: %w", name, err)
		}
	}
	saved, err := uc.Integrations.Add(ctx, i)
	if err != nil {
		return integration.Integration{}, "", fmt.Errorf("create integration %s: %w", name, err)
	}
	return saved, key, nil
}

// ListIntegrations lists every integration, revoked ones too; keys are never listed.
type ListIntegrations struct {
	Integrations IntegrationRepository
}

// Execute returns them in id order.
func (uc ListIntegrations) Execute(ctx context.Context) ([]integration.Integration, error) {
	return uc.Integrations.List(ctx)
}

// RevokeIntegration ends an integration's key at once: its next publish is 401. A new key for
// the same name keeps the name's idempotency keys.
type RevokeIntegration struct {
	Integrations IntegrationRepository
	Clock        Clock
}

// Execute revokes the live integration named name.
func (uc RevokeIntegration) Execute(ctx context.Context, name string) (integration.Integration, error) {
	i, err := uc.Integrations.Revoke(ctx, name, uc.Clock.Now())
	if err != nil {
		return integration.Integration{}, fmt.Errorf("revoke integration %s: %w", name, err)
	}
	return i, nil
}
