package application

import (
	"context"
	"time"
)

// PasswordChecks bounds the password comparisons that run at once. A bcrypt comparison costs
// tens of milliseconds of CPU by design; unbounded, a login flood would take every core and
// delay the alerts the service exists to deliver. A check waits at most Wait for a slot and is
// then refused with ErrLoginBusy.
type PasswordChecks struct {
	slots chan struct{}
	wait  time.Duration
}

// NewPasswordChecks allows n comparisons at once (at least one), each waiting at most wait.
func NewPasswordChecks(n int, wait time.Duration) *PasswordChecks {
	return &PasswordChecks{slots: make(chan struct{}, max(n, 1)), wait: wait}
}

// acquire takes a slot; release gives it back.
func (p *PasswordChecks) acquire(ctx context.Context) (release func(), err error) {
	select {
	case p.slots <- struct{}{}:
		return p.release, nil
	default:
	}
	timer := time.NewTimer(p.wait)
	defer timer.Stop()
	select {
	case p.slots <- struct{}{}:
		return p.release, nil
	case <-timer.C:
		return nil, &RetryAfterError{Err: ErrLoginBusy, After: time.Second}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *PasswordChecks) release() { <-p.slots }
