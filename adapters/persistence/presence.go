package persistence

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
)

var (
	_ application.PresenceStore  = (*Presence)(nil)
	_ application.ScreenPresence = (*Presence)(nil)
)

// Presence keeps the screens of every instance in the presence and instances tables.
type Presence struct{ db *bun.DB }

// NewPresence returns the presence in db.
func NewPresence(db *bun.DB) *Presence { return &Presence{db: db} }

type presenceRow struct {
	bun.BaseModel `bun:"table:presence"`

	InstanceID     string     `bun:"instance_id,pk"`
	AdminID        int64      `bun:"admin_id,pk"`
	SID            string     `bun:"sid,pk"`
	EmployeeName   string     `bun:"employee_name,notnull"`
	ShopID         *int64     `bun:"shop_id"`
	ShopIDs        *string    `bun:"shop_ids"`
	ConnectedAt    time.Time  `bun:"connected_at,notnull"`
	DisconnectedAt *time.Time `bun:"disconnected_at"`
	Audio          *bool      `bun:"audio"`
	Visible        *bool      `bun:"visible"`
}

// applyChunk bounds the rows of one INSERT, whatever the batch after a reconnect storm.
const applyChunk = 500

// Heartbeat implements application.PresenceStore.
func (p *Presence) Heartbeat(ctx context.Context, instance string) error {
	now := dbNow(p.db)
	_, err := p.db.NewRaw(`INSERT INTO instances (id, started_at, seen_at) VALUES (?, `+now+`, `+now+`)
		ON CONFLICT (id) DO UPDATE SET seen_at = EXCLUDED.seen_at`, instance).Exec(ctx)
	if err != nil {
		return failed(err, "heartbeat instance "+instance)
	}
	return nil
}

// Apply implements application.PresenceStore. The names are read in the same transaction, with
// one query for the batch.
func (p *Presence) Apply(ctx context.Context, instance string, changes []application.PresenceChange) error {
	if len(changes) == 0 {
		return nil
	}
	err := p.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		names, err := employeeNames(ctx, tx, changes)
		if err != nil {
			return err
		}
		rows := make([]presenceRow, 0, len(changes))
		for _, c := range changes {
			rows = append(rows, rowOf(instance, names[c.Screen.EmployeeID], c))
		}
		for start := 0; start < len(rows); start += applyChunk {
			chunk := rows[start:min(start+applyChunk, len(rows))]
			if _, err := tx.NewInsert().Model(&chunk).
				On("CONFLICT (instance_id, admin_id, sid) DO UPDATE").
				Set("employee_name = EXCLUDED.employee_name, shop_id = EXCLUDED.shop_id, shop_ids = EXCLUDED.shop_ids").
				Set("connected_at = EXCLUDED.connected_at, disconnected_at = EXCLUDED.disconnected_at").
				Set("audio = EXCLUDED.audio, visible = EXCLUDED.visible").
				Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return failed(err, fmt.Sprintf("write %d presence changes of instance %s", len(changes), instance))
	}
	return nil
}

func employeeNames(ctx context.Context, tx bun.Tx, changes []application.PresenceChange) (map[int64]string, error) {
	ids := make([]int64, 0, len(changes))
	for _, c := range changes {
		ids = append(ids, c.Screen.EmployeeID)
	}
	var found []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
	}
	if err := tx.NewRaw("SELECT id, name FROM employees WHERE id IN (?)", bun.List(ids)).Scan(ctx, &found); err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(found))
	for _, e := range found {
		names[e.ID] = e.Name
	}
	return names, nil
}

func rowOf(instance, name string, c application.PresenceChange) presenceRow {
	s := c.Screen
	r := presenceRow{
		InstanceID: instance, AdminID: s.EmployeeID, SID: s.SID, EmployeeName: name,
		ConnectedAt: s.ConnectedAt.UTC(), Audio: s.Audio, Visible: s.Visible,
	}
	if s.ShopID != 0 {
		r.ShopID = &s.ShopID
	}
	if len(s.ShopIDs) > 0 {
		list := shopList(s.ShopIDs)
		r.ShopIDs = &list
	}
	if c.DisconnectedAt != nil {
		at := c.DisconnectedAt.UTC()
		r.DisconnectedAt = &at
	}
	return r
}

// shopList writes shop ids as ',3,5,': every id between commas, so that LIKE '%,3,%' finds one.
func shopList(ids []int64) string {
	var b strings.Builder
	b.WriteByte(',')
	for _, id := range ids {
		b.WriteString(strconv.FormatInt(id, 10))
		b.WriteByte(',')
	}
	return b.String()
}

// Forget implements application.PresenceStore.
func (p *Presence) Forget(ctx context.Context, instance string) error {
	err := p.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewRaw("DELETE FROM presence WHERE instance_id = ?", instance).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewRaw("DELETE FROM instances WHERE id = ?", instance).Exec(ctx)
		return err
	})
	if err != nil {
		return failed(err, "forget the presence of instance "+instance)
	}
	return nil
}

// Prune implements application.PresenceStore. Each statement stands alone: one that fails
// leaves the others' work done, and the next prune does the rest. Rows of an instance that never
// heartbeat are old by their own connected_at.
func (p *Presence) Prune(ctx context.Context, olderThan time.Duration) error {
	cutoff := dbAgo(p.db, olderThan)
	for _, q := range []string{
		"DELETE FROM presence WHERE disconnected_at < " + cutoff,
		"DELETE FROM presence WHERE instance_id IN (SELECT id FROM instances WHERE seen_at < " + cutoff + ")",
		"DELETE FROM presence WHERE connected_at < " + cutoff + " AND instance_id NOT IN (SELECT id FROM instances)",
		"DELETE FROM instances WHERE seen_at < " + cutoff,
	} {
		if _, err := p.db.NewRaw(q).Exec(ctx); err != nil {
			return failed(err, "prune presence")
		}
	}
	return nil
}
