package alert

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Errors of alert kinds; match them with errors.Is.
var (
	// ErrUnknownKind: no kind has this code.
	ErrUnknownKind = errors.New("unknown alert kind")
	// ErrInvalidKind: a kind's data breaks a rule.
	ErrInvalidKind = errors.New("invalid alert kind")
	// ErrKindTaken: a kind with this code exists.
	ErrKindTaken = errors.New("alert kind code taken")
)

// The codes an operator may give a kind of its own; 1 and 2 are built in.
const (
	MinCustomCode Type = 3
	MaxCustomCode Type = 99
)

// Kind is what an alert type means: its name on the dashboard, the content written when a
// publisher sends none, and the sentence the dashboard speaks. Templates may hold
// {orderNumber} and {content}.
type Kind struct {
	Code            Type
	Name            string
	ContentTemplate string
	SpeechTemplate  string
	CreatedAt       time.Time
}

// NewKind checks a kind an operator creates. An empty content template is the built-in
// kinds' (订单号:{orderNumber}).
func NewKind(code Type, name, contentTemplate, speechTemplate string, now time.Time) (Kind, error) {
	if contentTemplate == "" {
		contentTemplate = "订单号:{orderNumber}"
	}
	k := Kind{Code: code, Name: name, ContentTemplate: contentTemplate, SpeechTemplate: speechTemplate, CreatedAt: now}
	switch {
	case code < MinCustomCode || code > MaxCustomCode:
		return Kind{}, fmt.Errorf("%w: code %d is not between %d and %d", ErrInvalidKind, code, MinCustomCode, MaxCustomCode)
	case !textOK(name, 1, 32):
		return Kind{}, fmt.Errorf("%w: a name has 1 to 32 characters", ErrInvalidKind)
	case !textOK(contentTemplate, 1, MaxContentLength):
		return Kind{}, fmt.Errorf("%w: a content template has 1 to %d characters", ErrInvalidKind, MaxContentLength)
	case !textOK(speechTemplate, 1, 200):
		return Kind{}, fmt.Errorf("%w: a speech template has 1 to 200 characters", ErrInvalidKind)
	}
	return k, nil
}

func textOK(s string, minLen, maxLen int) bool {
	n := utf8.RuneCountInString(s)
	return utf8.ValidString(s) && n >= minLen && n <= maxLen && !strings.ContainsRune(s, 0)
}

// Content fills the kind's content template for an order number (an omitted content).
func (k Kind) Content(orderNumber string) string {
	return fill(k.ContentTemplate, orderNumber, "")
}

// Speech fills the speech template with an alert's order number and content.
func (k Kind) Speech(orderNumber, content string) string {
	return fill(k.SpeechTemplate, orderNumber, content)
}

func fill(template, orderNumber, content string) string {
	return strings.NewReplacer("{orderNumber}", orderNumber, "{content}", content).Replace(template)
}
