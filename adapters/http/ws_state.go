package http

import (
	"encoding/json"
	"time"

	"github.com/orderalert/orderalert/application"
)

// The rules of a ?events=1 socket's state messages (api/asyncapi.yaml): a page reports its
// state about once a second, in a few dozen bytes. The tracker writes at most once a second
// and keeps the last state, so quicker ones are coalesced; a socket is closed only past
// maxStates in stateWindow, which a page reporting after each change cannot reach.
const (
	maxStateMessage = 256
	maxStates       = 10
	stateWindow     = 10 * time.Second
)

// stateMessage is what a page sends: {"type":"state","audio":true,"visible":false}.
type stateMessage struct {
	Type    string `json:"type"`
	Audio   *bool  `json:"audio"`
	Visible *bool  `json:"visible"`
}

// stateReader reads one socket's data messages as state messages. Only the read loop calls it.
type stateReader struct {
	events bool // only a ?events=1 socket reports its state
	screen application.TrackedScreen
	recent [maxStates]time.Time // when the last maxStates state messages came, a ring
	next   int
}

// read takes one data message: a state is handed to the tracker, which never blocks; anything
// else is ignored. It returns a violation when the message breaks the socket's rules.
func (r *stateReader) read(payload []byte, now time.Time) (ignored string, err error) {
	if !r.events {
		return "a data message on a socket without events", nil
	}
	if len(payload) > maxStateMessage {
		return "", refuse(application.CloseStateTooBig, "a state message over 256 bytes")
	}
	var m stateMessage
	if json.Unmarshal(payload, &m) != nil || m.Type != "state" || m.Audio == nil || m.Visible == nil {
		return "a data message that is not a state", nil
	}
	// The oldest of the last maxStates: within the window, this one is one too many.
	if oldest := r.recent[r.next]; !oldest.IsZero() && now.Sub(oldest) < stateWindow {
		return "", refuse(application.CloseTooManyStates, "over 10 state messages in 10 s")
	}
	r.recent[r.next], r.next = now, (r.next+1)%maxStates
	r.screen.State(*m.Audio, *m.Visible)
	return "", nil
}
