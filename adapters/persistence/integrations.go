package persistence

import (
	"context"
	"database/sql"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/integration"
)

var _ application.IntegrationRepository = (*IntegrationRepository)(nil)

// integrationRow is the integrations table.
type integrationRow struct {
	bun.BaseModel `bun:"table:integrations"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Name      string    `bun:"name,notnull"`
	ShopID    int64     `bun:"shop_id,nullzero"`
	KeyHash   string    `bun:"key_hash,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	RevokedAt time.Time `bun:"revoked_at,nullzero"`
}

func (r *integrationRow) toDomain() integration.Integration {
	return integration.Integration{ID: r.ID, Name: r.Name, ShopID: r.ShopID, KeyHash: r.KeyHash, CreatedAt: utc(r.CreatedAt), RevokedAt: utc(r.RevokedAt)}
}

// IntegrationRepository stores the publishers. A key is looked up on every publish, so a
// revoked one is refused at once on every instance, without a change counter.
type IntegrationRepository struct{ db *bun.DB }

// NewIntegrationRepository returns the repository on db.
func NewIntegrationRepository(db *bun.DB) *IntegrationRepository {
	return &IntegrationRepository{db: db}
}

// Add implements application.IntegrationRepository; the partial unique index on live names
// refuses a second live integration of one name.
func (r *IntegrationRepository) Add(ctx context.Context, i integration.Integration) (integration.Integration, error) {
	row := &integrationRow{Name: i.Name, ShopID: i.ShopID, KeyHash: i.KeyHash, CreatedAt: i.CreatedAt}
	if _, err := r.db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return integration.Integration{}, integrationErrors.translate(err, "add integration "+i.Name)
	}
	return row.toDomain(), nil
}

// ByKeyHash implements application.IntegrationRepository.
func (r *IntegrationRepository) ByKeyHash(ctx context.Context, hash string) (integration.Integration, error) {
	row := new(integrationRow)
	err := r.db.NewSelect().Model(row).Where("key_hash = ? AND revoked_at IS NULL", hash).Scan(ctx)
	if err != nil {
		return integration.Integration{}, integrationErrors.translate(err, "integration by key")
	}
	return row.toDomain(), nil
}

// List implements application.IntegrationRepository.
func (r *IntegrationRepository) List(ctx context.Context) ([]integration.Integration, error) {
	var rows []integrationRow
	if err := r.db.NewSelect().Model(&rows).Order("id ASC").Scan(ctx); err != nil {
		return nil, failed(err, "list integrations")
	}
	out := make([]integration.Integration, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}

// Revoke implements application.IntegrationRepository.
func (r *IntegrationRepository) Revoke(ctx context.Context, name string, at time.Time) (integration.Integration, error) {
	row := new(integrationRow)
	err := r.db.RunInTx(ctx, &sql.TxOptions{}, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Model(row).Set("revoked_at = ?", at).
			Where("name = ? AND revoked_at IS NULL", name).Returning("*").Exec(ctx)
		if err != nil {
			return err
		}
		if row.ID == 0 {
			return sql.ErrNoRows
		}
		return nil
	})
	if err != nil {
		return integration.Integration{}, integrationErrors.translate(err, "revoke integration "+name)
	}
	return row.toDomain(), nil
}
