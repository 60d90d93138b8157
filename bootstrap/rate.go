package bootstrap

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rate is a budget of N events per period, written as ORDERALERT_LOGIN_RATE takes it: "5/min",
// "10/s" or "100/h".
type Rate struct {
	N   int
	Per time.Duration
}

var ratePeriods = map[string]time.Duration{"s": time.Second, "min": time.Minute, "h": time.Hour}

// UnmarshalText parses "N/s", "N/min" or "N/h" with N a positive integer.
func (r *Rate) UnmarshalText(text []byte) error {
	n, unit, found := strings.Cut(strings.TrimSpace(string(text)), "/")
	count, err := strconv.Atoi(n)
	per, known := ratePeriods[unit]
	if !found || err != nil || count < 1 || !known {
		return fmt.Errorf("%q is not a rate: write N/s, N/min or N/h with N a positive integer, e.g. 5/min", text)
	}
	*r = Rate{N: count, Per: per}
	return nil
}

// String writes the rate as it is parsed.
func (r Rate) String() string {
	for unit, per := range ratePeriods {
		if per == r.Per {
			return strconv.Itoa(r.N) + "/" + unit
		}
	}
	return fmt.Sprintf("%d/%s", r.N, r.Per)
}
