package persistence

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/channel"
)

var _ application.ChannelRepository = (*ChannelRepository)(nil)

// channelRow is the escalation_channels table.
type channelRow struct {
	bun.BaseModel `bun:"table:escalation_channels"`

	ID        int64     `bun:"id,pk,autoincrement"`
	ShopID    int64     `bun:"shop_id,notnull"`
	Kind      string    `bun:"kind,notnull"`
	URL       string    `bun:"url,notnull"`
	Secret    string    `bun:"secret,nullzero"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

func (r *channelRow) toDomain() channel.Channel {
	return channel.Channel{ID: r.ID, ShopID: r.ShopID, Kind: channel.Kind(r.Kind), URL: r.URL, Secret: r.Secret, CreatedAt: utc(r.CreatedAt)}
}

// ChannelRepository keeps the shops' escalation channels.
type ChannelRepository struct {
	db *bun.DB
}

// NewChannelRepository returns the channels in db.
func NewChannelRepository(db *bun.DB) *ChannelRepository { return &ChannelRepository{db: db} }

// Add implements application.ChannelRepository.
func (r *ChannelRepository) Add(ctx context.Context, c channel.Channel) (channel.Channel, error) {
	row := &channelRow{ShopID: c.ShopID, Kind: string(c.Kind), URL: c.URL, Secret: c.Secret, CreatedAt: c.CreatedAt}
	if _, err := r.db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return channel.Channel{}, failed(err, fmt.Sprintf("add a %s channel to shop %d", c.Kind, c.ShopID))
	}
	return row.toDomain(), nil
}

// List implements application.ChannelRepository.
func (r *ChannelRepository) List(ctx context.Context) ([]channel.Channel, error) {
	var rows []channelRow
	if err := r.db.NewSelect().Model(&rows).Order("id ASC").Scan(ctx); err != nil {
		return nil, failed(err, "list channels")
	}
	out := make([]channel.Channel, len(rows))
	for i := range rows {
		out[i] = rows[i].toDomain()
	}
	return out, nil
}

// Remove implements application.ChannelRepository.
func (r *ChannelRepository) Remove(ctx context.Context, id int64) (channel.Channel, error) {
	row := new(channelRow)
	err := r.db.NewDelete().Model(row).Where("id = ?", id).Returning("*").Scan(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return channel.Channel{}, fmt.Errorf("channel %d: %w", id, channel.ErrNotFound)
	case err != nil:
		return channel.Channel{}, failed(err, fmt.Sprintf("remove channel %d", id))
	}
	return row.toDomain(), nil
}
