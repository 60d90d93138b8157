package auth_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/auth"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/test/contract"
)

func TestLoginThrottleContract(t *testing.T) {
	t.Parallel()
	contract.LoginThrottle(t, func(_ *testing.T, failures int, per time.Duration, clock application.Clock) application.LoginThrottle {
		return auth.NewLoginThrottle(failures, per, clock)
	})
}

// TestLoginThrottleForgetsIdleKeys: a guess from each of 1,000 addresses at 1,000 usernames
// leaves 2,000 budgets; once they have refilled, the next attempt after the sweep interval
// leaves only those in use.
func TestLoginThrottleForgetsIdleKeys(t *testing.T) {
	t.Parallel()
	clock := contract.NewClock()
	th := auth.NewLoginThrottle(5, time.Minute, clock)
	for i := range 1000 {
		settle, err := th.Admit(application.LoginAttempt{Username: fmt.Sprint("user-", i), ClientIP: fmt.Sprintf("10.1.%d.%d", i/250, i%250+1)})
		if err != nil {
			t.Fatal(err)
		}
		settle(application.LoginFailed)
	}
	if n := th.Len(); n != 2000 {
		t.Fatalf("%d budgets after 1,000 failures from 1,000 addresses, want 2,000", n)
	}
	// Pending and partly spent budgets are kept: a sweep must not reset a guesser's count.
	clock.Advance(time.Minute - time.Second)
	held, err := th.Admit(application.LoginAttempt{Username: "user-0", ClientIP: "10.1.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Minute)
	settle, err := th.Admit(application.LoginAttempt{Username: "someone", ClientIP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	if n := th.Len(); n != 4 {
		t.Fatalf("%d budgets after the sweep, want 4: the pending attempt's two and the new one's", n)
	}
	held(application.LoginAbandoned)
	settle(application.LoginFailed)
}
