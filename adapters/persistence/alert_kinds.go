package persistence

import (
	"context"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

var _ application.AlertKindRepository = (*AlertKindRepository)(nil)

// alertKindRow is the alert_kinds table.
type alertKindRow struct {
	bun.BaseModel `bun:"table:alert_kinds"`

	Code            int       `bun:"code,pk"`
	Name            string    `bun:"name,notnull"`
	ContentTemplate string    `bun:"content_template,notnull"`
	SpeechTemplate  string    `bun:"speech_template,notnull"`
	CreatedAt       time.Time `bun:"created_at,notnull"`
}

func (r *alertKindRow) toDomain() alert.Kind {
	return alert.Kind{
		Code: alert.Type(r.Code), Name: r.Name, ContentTemplate: r.ContentTemplate,
		SpeechTemplate: r.SpeechTemplate, CreatedAt: utc(r.CreatedAt),
	}
}

// AlertKindRepository stores alert kinds.
type AlertKindRepository struct{ db *bun.DB }

// NewAlertKindRepository returns the repository on db.
func NewAlertKindRepository(db *bun.DB) *AlertKindRepository { return &AlertKindRepository{db: db} }

// Add implements application.AlertKindRepository.
func (r *AlertKindRepository) Add(ctx context.Context, k alert.Kind) (alert.Kind, error) {
	row := &alertKindRow{
		Code: int(k.Code), Name: k.Name, ContentTemplate: k.ContentTemplate,
		SpeechTemplate: k.SpeechTemplate, CreatedAt: k.CreatedAt,
	}
	if _, err := r.db.NewInsert().Model(row).Exec(ctx); err != nil {
		return alert.Kind{}, kindErrors.translate(err, "add alert kind "+strconv.Itoa(int(k.Code)))
	}
	return row.toDomain(), nil
}

// Get implements application.AlertKindRepository.
func (r *AlertKindRepository) Get(ctx context.Context, code alert.Type) (alert.Kind, error) {
	row := &alertKindRow{Code: int(code)}
	if err := r.db.NewSelect().Model(row).WherePK().Scan(ctx); err != nil {
		return alert.Kind{}, kindErrors.translate(err, "alert kind "+strconv.Itoa(int(code)))
	}
	return row.toDomain(), nil
}

// List implements application.AlertKindRepository.
func (r *AlertKindRepository) List(ctx context.Context) ([]alert.Kind, error) {
	var rows []alertKindRow
	if err := r.db.NewSelect().Model(&rows).Order("code ASC").Scan(ctx); err != nil {
		return nil, failed(err, "list alert kinds")
	}
	kinds := make([]alert.Kind, len(rows))
	for i := range rows {
		kinds[i] = rows[i].toDomain()
	}
	return kinds, nil
}
