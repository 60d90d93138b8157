package persistence

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// orderRow is the orders table. Optional columns are nullzero: the domain's zero value is NULL.
type orderRow struct {
	bun.BaseModel `bun:"table:orders"`

	ID                    int64     `bun:"id,pk,autoincrement"`
	Number                string    `bun:"number,notnull"`
	ShopID                int64     `bun:"shop_id,notnull"`
	Status                int       `bun:"status,notnull"`
	UserID                int64     `bun:"user_id,notnull"`
	AddressBookID         int64     `bun:"address_book_id,nullzero"`
	OrderTime             time.Time `bun:"order_time,notnull"`
	CheckoutTime          time.Time `bun:"checkout_time,nullzero"`
	PayMethod             int       `bun:"pay_method,notnull"`
	PayStatus             int       `bun:"pay_status,notnull"`
	Amount                yuan      `bun:"amount,notnull"`
	TransactionID         string    `bun:"transaction_id,nullzero"`
	Remark                string    `bun:"remark,nullzero"`
	Phone                 string    `bun:"phone,nullzero"`
	Address               string    `bun:"address,nullzero"`
	Consignee             string    `bun:"consignee,nullzero"`
	CancelReason          string    `bun:"cancel_reason,nullzero"`
	RejectionReason       string    `bun:"rejection_reason,nullzero"`
	CancelTime            time.Time `bun:"cancel_time,nullzero"`
	EstimatedDeliveryTime time.Time `bun:"estimated_delivery_time,nullzero"`
	DeliveryStatus        int       `bun:"delivery_status,notnull"`
	PackAmount            int       `bun:"pack_amount,notnull"`
	TablewareNumber       int       `bun:"tableware_number,notnull"`
	TablewareStatus       int       `bun:"tableware_status,notnull"`
	LastRemindedAt        time.Time `bun:"last_reminded_at,nullzero"`
	PrepayID              string    `bun:"prepay_id,nullzero"`
	PrepayExpiresAt       time.Time `bun:"prepay_expires_at,nullzero"`
	Items                 lines     `bun:"items"`
}

func toOrderRow(o order.Order) *orderRow {
	return &orderRow{
		ID: o.ID, Number: o.Number, ShopID: o.ShopID, Status: int(o.Status), UserID: o.UserID,
		AddressBookID: o.AddressBookID, OrderTime: o.OrderTime, CheckoutTime: o.CheckoutTime,
		PayMethod: int(o.PayMethod), PayStatus: int(o.PayStatus), Amount: yuan(o.Amount),
		TransactionID: o.TransactionID, Remark: o.Remark, Phone: o.Phone, Address: o.Address,
		Consignee: o.Consignee, CancelReason: o.CancelReason, RejectionReason: o.RejectionReason,
		CancelTime: o.CancelTime, EstimatedDeliveryTime: o.EstimatedDeliveryTime,
		DeliveryStatus: o.DeliveryStatus, PackAmount: o.PackAmount,
		TablewareNumber: o.TablewareNumber, TablewareStatus: o.TablewareStatus,
		LastRemindedAt: o.LastRemindedAt, PrepayID: o.Prepay.ID, PrepayExpiresAt: o.Prepay.ExpiresAt,
		Items: orderLines(o.Items),
	}
}

func (r *orderRow) toDomain() order.Order {
	return order.Order{
		ID: r.ID, Number: r.Number, ShopID: r.ShopID, Status: order.Status(r.Status), UserID: r.UserID,
		AddressBookID: r.AddressBookID, OrderTime: utc(r.OrderTime), CheckoutTime: utc(r.CheckoutTime),
		PayMethod: order.PayMethod(r.PayMethod), PayStatus: order.PayStatus(r.PayStatus),
		Amount: order.Money(r.Amount), TransactionID: r.TransactionID, Remark: r.Remark,
		Phone: r.Phone, Address: r.Address, Consignee: r.Consignee, CancelReason: r.CancelReason,
		RejectionReason: r.RejectionReason, CancelTime: utc(r.CancelTime),
		EstimatedDeliveryTime: utc(r.EstimatedDeliveryTime), DeliveryStatus: r.DeliveryStatus,
		PackAmount: r.PackAmount, TablewareNumber: r.TablewareNumber,
		TablewareStatus: r.TablewareStatus, LastRemindedAt: utc(r.LastRemindedAt),
		Prepay: order.Prepay{ID: r.PrepayID, ExpiresAt: utc(r.PrepayExpiresAt)},
		Items:  r.Items.orderItems(),
	}
}

// alertRow is the order_alerts table.
type alertRow struct {
	bun.BaseModel `bun:"table:order_alerts"`

	ID             int64     `bun:"id,pk,autoincrement"`
	Type           int       `bun:"type,notnull"`
	ShopID         int64     `bun:"shop_id,notnull"`
	Source         string    `bun:"source,nullzero"`
	IdempotencyKey string    `bun:"idempotency_key,nullzero"`
	OrderID        int64     `bun:"order_id,nullzero"`
	OrderNumber    string    `bun:"order_number,nullzero"`
	Content        string    `bun:"content,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`

	// An event row (event = 'ack') records an ack of alert_id; an alert row keeps its own ack.
	Event     string    `bun:"event,nullzero"`
	AlertID   int64     `bun:"alert_id,nullzero"`
	AckAt     time.Time `bun:"ack_at,nullzero"`
	AckByID   int64     `bun:"ack_by_id,nullzero"`
	AckByName string    `bun:"ack_by_name,nullzero"`
	AckSID    string    `bun:"ack_sid,nullzero"`

	Items lines `bun:"items"` // a new-order alert's copy of its order's items
}

func toAlertRow(a alert.Alert) *alertRow {
	r := &alertRow{
		ID: a.ID, Type: int(a.Type), ShopID: a.ShopID, Source: a.Source, IdempotencyKey: a.IdempotencyKey,
		OrderID: a.OrderID, OrderNumber: a.OrderNumber, Content: a.Content, CreatedAt: a.CreatedAt, Event: a.Event,
		Items: alertLines(a.Items),
	}
	if k := a.Ack; k != nil {
		if a.IsEvent() {
			r.AlertID = k.AlertID
		}
		r.AckAt, r.AckByID, r.AckByName, r.AckSID = k.At, k.By.ID, k.By.Name, k.SID
	}
	return r
}

func (r *alertRow) toDomain() alert.Alert {
	a := alert.Alert{
		ID: r.ID, Type: alert.Type(r.Type), ShopID: r.ShopID, Source: r.Source, IdempotencyKey: r.IdempotencyKey,
		OrderID: r.OrderID, OrderNumber: r.OrderNumber, Content: r.Content, CreatedAt: utc(r.CreatedAt), Event: r.Event,
		Items: r.Items.alertItems(),
	}
	if !r.AckAt.IsZero() {
		of := r.ID
		if r.Event != "" {
			of = r.AlertID
		}
		a.Ack = &alert.Ack{AlertID: of, By: alert.Actor{ID: r.AckByID, Name: r.AckByName}, SID: r.AckSID, At: utc(r.AckAt)}
	}
	return a
}

// utc gives every time read back one location, so that equal instants compare equal.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// yuan stores fen in a decimal(10,2) column as the exact text "12.50". PostgreSQL returns the
// same text; SQLite's NUMERIC affinity returns 12.5 as a float64, which has the precision to
// round-trip any two-decimal amount below 10^13 and is formatted back to text, never computed on.
type yuan order.Money

// Value implements driver.Valuer.
func (y yuan) Value() (driver.Value, error) { return order.Money(y).String(), nil }

// Scan implements sql.Scanner.
func (y *yuan) Scan(src any) error {
	var text string
	switch v := src.(type) {
	case []byte:
		text = string(v)
	case string:
		text = v
	case int64:
		text = strconv.FormatInt(v, 10)
	case float64:
		text = strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return fmt.Errorf("amount: cannot read %T", src)
	}
	m, err := order.ParseYuan(text)
	if err != nil {
		return fmt.Errorf("amount column: %w", err)
	}
	*y = yuan(m)
	return nil
}
