package order

import (
	"fmt"
	"time"
)

// NewNumber forms an order number the way sky-take-out does — the millisecond timestamp — followed
// by three digits of the given randomness, because two orders in the same millisecond are common
// at dinner time and the number must be unique (the store still refuses a duplicate).
func NewNumber(now time.Time, random uint32) string {
	return fmt.Sprintf("%d%03d", now.UnixMilli(), random%1000)
}
