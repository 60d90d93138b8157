package order

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/orderalert/orderalert/domain/shop"
)

// Order is a customer's take-out order. Optional times are zero when unset.
type Order struct {
	ID     int64
	Number string
	ShopID int64 // the shop that serves it (shop.Default when the customer named none)
	Status Status
	UserID int64

	AddressBookID int64
	OrderTime     time.Time
	CheckoutTime  time.Time
	PayMethod     PayMethod
	PayStatus     PayStatus
	Amount        Money
	TransactionID string

	Remark    string
	Phone     string
	Address   string
	Consignee string

	CancelReason          string
	RejectionReason       string
	CancelTime            time.Time
	EstimatedDeliveryTime time.Time
	DeliveryStatus        int
	PackAmount            int
	TablewareNumber       int
	TablewareStatus       int

	// LastRemindedAt is when the customer last reminded the shop; the store compares it with its
	// own clock to enforce the cooldown.
	LastRemindedAt time.Time

	// Prepay is the payment provider's prepay of the order (WeChat Pay JSAPI), zero until one is
	// created.
	Prepay Prepay

	// Items is what was ordered, nil when the customer's client listed nothing. It is fixed when
	// the order is placed.
	Items []Item
}

// Draft is what a customer submits; New turns it into a pending order.
type Draft struct {
	ShopID                int64 // 0: shop.Default; the use case checks that it exists
	UserID                int64
	AddressBookID         int64
	PayMethod             PayMethod
	Amount                Money
	Remark                string
	Phone                 string
	Address               string
	Consignee             string
	EstimatedDeliveryTime time.Time
	DeliveryStatus        int
	PackAmount            int
	TablewareNumber       int
	TablewareStatus       int
	Items                 []Item // at most MaxItems; none is fine
}

// New validates a draft and returns the order awaiting payment, numbered number, placed at now.
func New(d Draft, number string, now time.Time) (Order, error) {
	switch {
	case d.UserID <= 0:
		return Order{}, fmt.Errorf("%w: user id %d", ErrInvalid, d.UserID)
	case d.ShopID < 0:
		return Order{}, fmt.Errorf("%w: shop id %d", ErrInvalid, d.ShopID)
	case d.Amount <= 0 || d.Amount > MaxAmount:
		return Order{}, fmt.Errorf("%w: amount %s must be above 0 and at most %s", ErrInvalid, d.Amount, MaxAmount)
	case !d.PayMethod.Valid():
		return Order{}, fmt.Errorf("%w: pay method %d is neither 1 (WeChat) nor 2 (Alipay)", ErrInvalid, d.PayMethod)
	case number == "":
		return Order{}, fmt.Errorf("%w: empty order number", ErrInvalid)
	}
	for _, f := range []struct {
		name, value string
		max         int
	}{{"remark", d.Remark, 100}, {"phone", d.Phone, 32}, {"address", d.Address, 255}, {"consignee", d.Consignee, 32}} {
		if n := utf8.RuneCountInString(f.value); n > f.max {
			return Order{}, fmt.Errorf("%w: %s has %d characters, at most %d are kept", ErrInvalid, f.name, n, f.max)
		}
		// Text that a database would alter (PostgreSQL holds no NUL; bun drops it) is refused
		// rather than stored differently from what the customer wrote.
		if !utf8.ValidString(f.value) || strings.ContainsRune(f.value, 0) {
			return Order{}, fmt.Errorf("%w: %s holds invalid UTF-8 or a NUL character", ErrInvalid, f.name)
		}
	}
	items, err := checkItems(d.Items)
	if err != nil {
		return Order{}, err
	}
	shopID := d.ShopID
	if shopID == 0 {
		shopID = shop.Default
	}
	return Order{
		Number:                number,
		ShopID:                shopID,
		Status:                StatusPendingPayment,
		UserID:                d.UserID,
		AddressBookID:         d.AddressBookID,
		OrderTime:             now,
		PayMethod:             d.PayMethod,
		PayStatus:             PayStatusUnpaid,
		Amount:                d.Amount,
		Remark:                d.Remark,
		Phone:                 d.Phone,
		Address:               d.Address,
		Consignee:             d.Consignee,
		EstimatedDeliveryTime: d.EstimatedDeliveryTime,
		DeliveryStatus:        d.DeliveryStatus,
		PackAmount:            d.PackAmount,
		TablewareNumber:       d.TablewareNumber,
		TablewareStatus:       d.TablewareStatus,
		Items:                 items,
	}, nil
}
