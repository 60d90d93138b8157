package escalation

// Outcome is what the schedule does after an attempt. The zero value is none of them, so a
// Result left unset never reads as sent.
type Outcome int

// The outcomes of an attempt.
const (
	Sent             Outcome = iota + 1
	Retry                    // 5xx, 429, timeout, connection error, or an answer that could not be read
	RetryAfterWindow         // the bot's rate-limit code: try again once the rate's window has passed
	Permanent                // any other 4xx or bot error code, a redirect, an invalid channel
)

// String names the outcome for logs and metric labels.
func (o Outcome) String() string {
	switch o {
	case Sent:
		return "sent"
	case Retry:
		return "retry"
	case RetryAfterWindow:
		return "retry_after_window"
	case Permanent:
		return "permanent"
	}
	return "unknown"
}

// Result is the classified answer to one attempt.
type Result struct {
	Outcome Outcome
	Status  int   // the HTTP status, 0 when there was no answer
	Code    int   // the bot's errcode or code, 0 when it gave none
	Err     error // nil when sent; a short English description, never the url's key or token nor the secret
}
