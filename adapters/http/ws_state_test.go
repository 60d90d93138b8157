package http

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/application"
)

// screenRecorder is a TrackedScreen that records the states it is told.
type screenRecorder struct{ states []string }

func (r *screenRecorder) State(audio, visible bool) {
	r.states = append(r.states, map[bool]string{true: "1", false: "0"}[audio]+map[bool]string{true: "1", false: "0"}[visible])
}
func (*screenRecorder) Closed() {}

func TestStateMessages(t *testing.T) {
	t.Parallel()
	padded := `{"type":"state","audio":true,"visible":true,"pad":"` + strings.Repeat("x", 250) + `"}`
	cases := []struct {
		name    string
		events  bool
		message string
		want    []string // states handed on
		refused *application.CloseReason
	}{
		{"the SDK's message", true, `{"type":"state","audio":true,"visible":false}`, []string{"10"}, nil},
		{"without events=1", false, `{"type":"state","audio":true,"visible":false}`, nil, nil},
		{"malformed JSON", true, `{"type":"state"`, nil, nil},
		{"a string for a boolean", true, `{"type":"state","audio":"true","visible":false}`, nil, nil},
		{"visible missing", true, `{"type":"state","audio":true}`, nil, nil},
		{"another type", true, `{"type":"hello","audio":true,"visible":true}`, nil, nil},
		{"over 256 bytes", true, padded, nil, &application.CloseStateTooBig},
		{"over 256 bytes without events=1", false, padded, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rec := &screenRecorder{}
			r := &stateReader{events: c.events, screen: rec}
			_, err := r.read([]byte(c.message), time.Now())
			var bad *violation
			switch {
			case c.refused == nil && err != nil:
				t.Fatalf("refused: %v", err)
			case c.refused != nil && (!errors.As(err, &bad) || bad.reason != *c.refused):
				t.Fatalf("err %v, want %v", err, *c.refused)
			}
			if strings.Join(rec.states, ",") != strings.Join(c.want, ",") {
				t.Errorf("states %v, want %v", rec.states, c.want)
			}
		})
	}
}

func TestTheEleventhStateWithinTenSecondsIsRefused(t *testing.T) {
	t.Parallel()
	rec := &screenRecorder{}
	r := &stateReader{events: true, screen: rec}
	start := time.Date(2026, 12, 3, 4, 0, 0, 0, time.UTC)
	state := []byte(`{"type":"state","audio":true,"visible":true}`)
	for i := range 10 {
		if _, err := r.read(state, start.Add(time.Duration(i)*100*time.Millisecond)); err != nil {
			t.Fatalf("state %d: %v", i+1, err)
		}
	}
	var bad *violation
	if _, err := r.read(state, start.Add(9*time.Second)); !errors.As(err, &bad) || bad.reason != application.CloseTooManyStates {
		t.Fatalf("the 11th state within 10 s: %v", err)
	}
	r = &stateReader{events: true, screen: rec}
	for i := range 30 { // one a second, as the SDK sends them, forever
		if _, err := r.read(state, start.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatalf("state %d at one a second: %v", i+1, err)
		}
	}
}
