package order

import "strconv"

// Status is sky-take-out's order status; the numbers are on the wire and in the database.
type Status int

// The order statuses of sky-take-out.
const (
	StatusPendingPayment     Status = 1 // 待付款
	StatusToBeConfirmed      Status = 2 // 待接单
	StatusConfirmed          Status = 3 // 已接单
	StatusDeliveryInProgress Status = 4 // 派送中
	StatusCompleted          Status = 5 // 已完成
	StatusCancelled          Status = 6 // 已取消
)

// Valid reports whether s is one of the six known statuses.
func (s Status) Valid() bool { return s >= StatusPendingPayment && s <= StatusCancelled }

// Remindable reports whether a customer may remind the shop of an order in this status: it has been
// paid and is not yet delivered.
func (s Status) Remindable() bool {
	return s == StatusToBeConfirmed || s == StatusConfirmed || s == StatusDeliveryInProgress
}

// PayStatus is sky-take-out's payment status.
type PayStatus int

// The payment statuses of sky-take-out.
const (
	PayStatusUnpaid PayStatus = 0
	PayStatusPaid   PayStatus = 1
	PayStatusRefund PayStatus = 2
)

// Valid reports whether p is one of the three known payment statuses.
func (p PayStatus) Valid() bool { return p >= PayStatusUnpaid && p <= PayStatusRefund }

// PayMethod is how the customer pays: 1 WeChat, 2 Alipay, as in sky-take-out.
type PayMethod int

// The payment methods of sky-take-out.
const (
	PayMethodWeChat PayMethod = 1
	PayMethodAlipay PayMethod = 2
)

// Valid reports whether m is a known payment method.
func (m PayMethod) Valid() bool { return m == PayMethodWeChat || m == PayMethodAlipay }

var statusNames = map[Status]string{
	StatusPendingPayment: "PENDING_PAYMENT", StatusToBeConfirmed: "TO_BE_CONFIRMED",
	StatusConfirmed: "CONFIRMED", StatusDeliveryInProgress: "DELIVERY_IN_PROGRESS",
	StatusCompleted: "COMPLETED", StatusCancelled: "CANCELLED",
}

// String is the status's sky-take-out constant name, for logs and test names.
func (s Status) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return "STATUS_" + strconv.Itoa(int(s))
}
