package persistence

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// settingRow is the settings table.
type settingRow struct {
	bun.BaseModel `bun:"table:settings"`

	Name  string `bun:"name,pk"`
	Value string `bun:"value,notnull"`
}

// Secrets keeps generated secrets in the database, so that every instance and every restart
// signs and verifies with the same ones.
type Secrets struct{ db *bun.DB }

// NewSecrets returns the secret store in db.
func NewSecrets(db *bun.DB) *Secrets { return &Secrets{db: db} }

// Secret returns the secret called name, generating and storing it on first use. Instances that
// ask at once all get the value of whichever stored it first.
func (s *Secrets) Secret(ctx context.Context, name string, generate func() (string, error)) (string, error) {
	row := &settingRow{Name: name}
	err := s.db.NewSelect().Model(row).WherePK().Scan(ctx)
	if err == nil {
		return row.Value, nil
	}
	if !isNoRows(err) {
		return "", failed(err, "read secret "+name)
	}
	if row.Value, err = generate(); err != nil {
		return "", fmt.Errorf("generate secret %s: %w", name, err)
	}
	if _, err := s.db.NewInsert().Model(row).On("CONFLICT (name) DO NOTHING").Exec(ctx); err != nil {
		return "", failed(err, "store secret "+name)
	}
	if err := s.db.NewSelect().Model(row).WherePK().Scan(ctx); err != nil {
		return "", failed(err, "read secret "+name)
	}
	return row.Value, nil
}
