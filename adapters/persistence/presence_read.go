package persistence

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/shop"
)

// screenColumns are what Screens reads of a row, in screenRow's names.
const screenColumns = `p.instance_id, p.admin_id, p.sid, p.employee_name, p.shop_id, p.shop_ids,
	p.connected_at, p.audio, p.visible`

// Screens implements application.PresenceStore. Rows are joined to their instance: an
// instance's screens are listed only while its heartbeat is fresh by the database's clock.
func (p *Presence) Screens(ctx context.Context, scope shop.Scope, staleAfter time.Duration) ([]application.Screen, error) {
	q := p.db.NewSelect().ColumnExpr(screenColumns).TableExpr("presence AS p").
		Join("JOIN instances AS i ON i.id = p.instance_id").
		Where("p.disconnected_at IS NULL").
		Where("i.seen_at >= " + dbAgo(p.db, staleAfter)).
		OrderExpr("p.connected_at, p.instance_id, p.admin_id, p.sid")
	if !scope.All() {
		ids := scope.Shops()
		if len(ids) == 0 {
			return nil, nil // the zero scope sees nothing
		}
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.Where("p.shop_id IN (?)", bun.List(ids)).WhereOr("p.shop_id IS NULL AND p.shop_ids IS NULL")
			for _, id := range ids {
				q = q.WhereOr("p.shop_id IS NULL AND p.shop_ids LIKE ?", namedPattern(id))
			}
			return q
		})
	}
	var rows []screenRow
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, failed(err, "list presence")
	}
	screens := make([]application.Screen, 0, len(rows))
	for _, r := range rows {
		screens = append(screens, r.screen())
	}
	return screens, nil
}

// HadScreen implements application.ScreenPresence. Only the last state of a socket is kept, so
// "audio true or unknown" is the audio it reported last.
func (p *Presence) HadScreen(ctx context.Context, shopID int64, from, to time.Time, staleAfter time.Duration) (bool, error) {
	watching := "p.shop_id = ? OR (p.shop_id IS NULL AND p.shop_ids LIKE ?)"
	args := []any{shopID, namedPattern(shopID)}
	if shopID == 0 {
		watching, args = "p.shop_id IS NULL AND p.shop_ids IS NULL", nil
	}
	n, err := p.db.NewSelect().TableExpr("presence AS p").
		Join("JOIN instances AS i ON i.id = p.instance_id").
		Where(watching, args...).
		Where("p.audio IS NULL OR p.audio = ?", true).
		Where("p.connected_at <= ?", to.UTC()).
		Where("p.disconnected_at IS NULL OR p.disconnected_at >= ?", from.UTC()).
		Where("i.seen_at >= ?", from.Add(-staleAfter).UTC()).
		Limit(1).Count(ctx)
	if err != nil {
		return false, failed(err, "look for a screen of shop "+strconv.FormatInt(shopID, 10))
	}
	return n > 0, nil
}

// namedPattern finds shop id in a shop_ids list (shopList).
func namedPattern(id int64) string { return "%," + strconv.FormatInt(id, 10) + ",%" }

type screenRow struct {
	InstanceID   string    `bun:"instance_id"`
	AdminID      int64     `bun:"admin_id"`
	SID          string    `bun:"sid"`
	EmployeeName string    `bun:"employee_name"`
	ShopID       *int64    `bun:"shop_id"`
	ShopIDs      *string   `bun:"shop_ids"`
	ConnectedAt  time.Time `bun:"connected_at"`
	Audio        *bool     `bun:"audio"`
	Visible      *bool     `bun:"visible"`
}

func (r screenRow) screen() application.Screen {
	s := application.Screen{
		SID: r.SID, EmployeeID: r.AdminID, EmployeeName: r.EmployeeName, ConnectedAt: r.ConnectedAt.UTC(),
		Audio: r.Audio, Visible: r.Visible, Instance: r.InstanceID,
	}
	if r.ShopID != nil {
		s.ShopID = *r.ShopID
	}
	if r.ShopIDs != nil {
		for _, part := range strings.Split(strings.Trim(*r.ShopIDs, ","), ",") {
			if id, err := strconv.ParseInt(part, 10, 64); err == nil {
				s.ShopIDs = append(s.ShopIDs, id)
			}
		}
	}
	return s
}
