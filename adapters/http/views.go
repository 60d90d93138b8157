package http

import (
	"time"

	"github.com/orderalert/orderalert/domain/order"
)

// yuan is an amount on the wire: a JSON number with two decimals (42.50), as sky-take-out's
// BigDecimal serialises, written from integer fen without floating point.
type yuan order.Money

// MarshalJSON implements json.Marshaler.
func (y yuan) MarshalJSON() ([]byte, error) { return []byte(order.Money(y).String()), nil }

// timestamp is an optional instant on the wire: RFC 3339 in UTC, or null; for the original
// sky-take-out clients, their "yyyy-MM-dd HH:mm:ss" in the configured zone (local set).
type timestamp struct {
	at    time.Time
	local *time.Location
}

// MarshalJSON implements json.Marshaler.
func (t timestamp) MarshalJSON() ([]byte, error) {
	switch {
	case t.at.IsZero():
		return []byte("null"), nil
	case t.local != nil:
		return []byte(`"` + t.at.In(t.local).Format(time.DateTime) + `"`), nil
	}
	return []byte(`"` + t.at.UTC().Format(time.RFC3339) + `"`), nil
}

// answerStyle is how one answer is written for its client: as documented, or for the original
// sky-take-out clients (skyTakeOut) with their local times and their orderDetailList.
type answerStyle struct {
	skyTakeOut bool
	local      *time.Location // the zone of local times, with skyTakeOut
}

func (w answerStyle) of(t time.Time) timestamp {
	if !w.skyTakeOut {
		return timestamp{at: t}
	}
	return timestamp{at: t, local: w.local}
}

// orderView is an order as both front ends read it, in sky-take-out's camelCase.
type orderView struct {
	ID                    int64     `json:"id"`
	Number                string    `json:"number"`
	Status                int       `json:"status"`
	PayStatus             int       `json:"payStatus"`
	UserID                int64     `json:"userId"`
	ShopID                int64     `json:"shopId"`
	AddressBookID         int64     `json:"addressBookId"`
	OrderTime             timestamp `json:"orderTime"`
	CheckoutTime          timestamp `json:"checkoutTime"`
	PayMethod             int       `json:"payMethod"`
	Amount                yuan      `json:"amount"`
	Remark                string    `json:"remark"`
	Phone                 string    `json:"phone"`
	Address               string    `json:"address"`
	Consignee             string    `json:"consignee"`
	CancelReason          string    `json:"cancelReason"`
	RejectionReason       string    `json:"rejectionReason"`
	CancelTime            timestamp `json:"cancelTime"`
	EstimatedDeliveryTime timestamp `json:"estimatedDeliveryTime"`
	DeliveryStatus        int       `json:"deliveryStatus"`
	PackAmount            int       `json:"packAmount"`
	TablewareNumber       int       `json:"tablewareNumber"`
	TablewareStatus       int       `json:"tablewareStatus"`
	// Items is what was ordered, [] when nothing was listed; for the original sky-take-out
	// clients it is OrderDetailList instead. One of the two is nil.
	Items           *[]itemView        `json:"items,omitempty"`
	OrderDetailList *[]orderDetailView `json:"orderDetailList,omitempty"`
}

// itemView is one line of what was ordered, as order details write it (alerts are api/wire's,
// in the same shape).
type itemView struct {
	Name   string `json:"name"`
	Number int    `json:"number"`
	Amount yuan   `json:"amount"`
}

// newItemViews is never nil, so that an order without items has "items": [].
func newItemViews(items []order.Item) []itemView {
	views := make([]itemView, len(items))
	for i, it := range items {
		views[i] = itemView{Name: it.Name, Number: it.Number, Amount: yuan(it.Amount)}
	}
	return views
}

// orderDetailView is one line of what was ordered as sky-take-out's OrderDetail: orderalert
// keeps no dishes, set meals, flavours or images, nor a row per line, so those are null.
type orderDetailView struct {
	ID         *int64  `json:"id"`
	Name       string  `json:"name"`
	OrderID    int64   `json:"orderId"`
	DishID     *int64  `json:"dishId"`
	SetmealID  *int64  `json:"setmealId"`
	DishFlavor *string `json:"dishFlavor"`
	Number     int     `json:"number"`
	Amount     yuan    `json:"amount"`
	Image      *string `json:"image"`
}

func newOrderDetailViews(o order.Order) []orderDetailView {
	views := make([]orderDetailView, len(o.Items))
	for i, it := range o.Items {
		views[i] = orderDetailView{Name: it.Name, OrderID: o.ID, Number: it.Number, Amount: yuan(it.Amount)}
	}
	return views
}

// adminOrderView adds what only the shop sees: the payment's transaction id for reconciliation
// and when the customer last reminded.
type adminOrderView struct {
	orderView
	TransactionID  string    `json:"transactionId"`
	LastRemindedAt timestamp `json:"lastRemindedAt"`
}

func newOrderView(o order.Order, w answerStyle) orderView {
	v := orderView{
		ID: o.ID, Number: o.Number, Status: int(o.Status), PayStatus: int(o.PayStatus), UserID: o.UserID, ShopID: o.ShopID,
		AddressBookID: o.AddressBookID, OrderTime: w.of(o.OrderTime), CheckoutTime: w.of(o.CheckoutTime),
		PayMethod: int(o.PayMethod), Amount: yuan(o.Amount), Remark: o.Remark, Phone: o.Phone,
		Address: o.Address, Consignee: o.Consignee, CancelReason: o.CancelReason,
		RejectionReason: o.RejectionReason, CancelTime: w.of(o.CancelTime),
		EstimatedDeliveryTime: w.of(o.EstimatedDeliveryTime), DeliveryStatus: o.DeliveryStatus,
		PackAmount: o.PackAmount, TablewareNumber: o.TablewareNumber, TablewareStatus: o.TablewareStatus,
	}
	if w.skyTakeOut {
		details := newOrderDetailViews(o)
		v.OrderDetailList = &details
	} else {
		items := newItemViews(o.Items)
		v.Items = &items
	}
	return v
}

func newAdminOrderView(o order.Order, w answerStyle) adminOrderView {
	return adminOrderView{orderView: newOrderView(o, w), TransactionID: o.TransactionID, LastRemindedAt: w.of(o.LastRemindedAt)}
}
