package persistence

import (
	"context"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/shop"
)

var _ application.ShopRepository = (*ShopRepository)(nil)

// shopRow is the shops table.
type shopRow struct {
	bun.BaseModel `bun:"table:shops"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Name      string    `bun:"name,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

func (r *shopRow) toDomain() shop.Shop {
	return shop.Shop{ID: r.ID, Name: r.Name, CreatedAt: utc(r.CreatedAt)}
}

// ShopRepository stores shops.
type ShopRepository struct{ db *bun.DB }

// NewShopRepository returns the repository on db.
func NewShopRepository(db *bun.DB) *ShopRepository { return &ShopRepository{db: db} }

// Add implements application.ShopRepository.
func (r *ShopRepository) Add(ctx context.Context, s shop.Shop) (shop.Shop, error) {
	row := &shopRow{Name: s.Name, CreatedAt: s.CreatedAt}
	if _, err := r.db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return shop.Shop{}, shopErrors.translate(err, "add shop "+s.Name)
	}
	return row.toDomain(), nil
}

// Get implements application.ShopRepository.
func (r *ShopRepository) Get(ctx context.Context, id int64) (shop.Shop, error) {
	row := &shopRow{ID: id}
	if err := r.db.NewSelect().Model(row).WherePK().Scan(ctx); err != nil {
		return shop.Shop{}, shopErrors.translate(err, "shop "+strconv.FormatInt(id, 10))
	}
	return row.toDomain(), nil
}

// List implements application.ShopRepository.
func (r *ShopRepository) List(ctx context.Context) ([]shop.Shop, error) {
	var rows []shopRow
	if err := r.db.NewSelect().Model(&rows).Order("id ASC").Scan(ctx); err != nil {
		return nil, failed(err, "list shops")
	}
	shops := make([]shop.Shop, len(rows))
	for i := range rows {
		shops[i] = rows[i].toDomain()
	}
	return shops, nil
}
