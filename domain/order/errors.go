package order

import "errors"

// Domain errors. Adapters translate their own failures into these, and the HTTP adapter maps them to
// statuses in one table; match them with errors.Is.
var (
	// ErrNotFound: no such order, or one the caller may not see (other users' orders look absent).
	ErrNotFound = errors.New("order not found")
	// ErrStatus: the order's status does not allow the operation (订单状态错误).
	ErrStatus = errors.New("order status does not allow this")
	// ErrReminderTooFrequent: the order was reminded less than the cooldown ago.
	ErrReminderTooFrequent = errors.New("order reminded too recently")
	// ErrDuplicateNumber: another order already has this number.
	ErrDuplicateNumber = errors.New("order number already exists")
	// ErrInvalid: the order's data breaks a rule (amount out of range, unknown pay method, …).
	ErrInvalid = errors.New("invalid order")
)
