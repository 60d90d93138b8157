// Package clock is the application's Clock on the system's time.
package clock

import (
	"time"

	"github.com/orderalert/orderalert/application"
)

var _ application.Clock = System{}

// System reads the system clock.
type System struct{}

// Now returns the current time in UTC, truncated to the microsecond that PostgreSQL keeps, so
// that a time written and read back compares equal.
func (System) Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
