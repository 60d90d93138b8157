package botstandin

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// maxBody is what a stand-in reads of a request: more than any bot takes.
const maxBody = 1 << 20

// Message is one accepted message.
type Message struct {
	Text     string // the bots' text content, decoded; empty for the webhook
	Delivery string // the X-Orderalert-Delivery header
	Body     []byte // the raw body as received
	Header   http.Header
	// The webhook's fields, as received.
	Reason string
	Alert  json.RawMessage
	Alerts []json.RawMessage
}

// Server is one stand-in.
type Server struct {
	URL    string // the channel's URL, as the shop would paste it
	Secret string // the channel's secret; empty for WeCom

	svc     service
	release chan struct{}

	mu        sync.Mutex
	now       func() time.Time
	accepted  []Message
	refused   []string
	requests  int
	injected  []answer
	hang      bool
	perMinute int
	sentAt    []time.Time
}

// service is what differs between the four.
type service struct {
	// verify checks a request as the service would, and reads its message.
	verify func(r *http.Request, body []byte, now time.Time) (Message, *answer)
	// refusal is the service's answer to an error with code (the bots') and msg.
	refusal func(code int, msg string) answer
	ok      answer
	limited answer
}

// answer is a response, with why for the record when it is a refusal.
type answer struct {
	status int
	header http.Header
	body   []byte
	why    string
}

func start(t testing.TB, svc service) *Server {
	t.Helper()
	s := &Server{svc: svc, release: make(chan struct{}), now: time.Now}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	// Runs before srv.Close (cleanups run last first): Close waits for hung handlers.
	t.Cleanup(func() { close(s.release) })
	s.URL = srv.URL
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	now, hang := s.now(), s.hang
	var injected *answer
	if len(s.injected) > 0 {
		injected, s.injected = &s.injected[0], s.injected[1:]
	}
	s.mu.Unlock()
	if hang {
		select {
		case <-r.Context().Done():
		case <-s.release:
		}
		return
	}
	if injected != nil {
		write(w, *injected)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		s.refuse(w, answer{status: http.StatusRequestEntityTooLarge, why: "reading the body: " + err.Error()})
		return
	}
	msg, refusal := s.svc.verify(r, body, now)
	if refusal != nil {
		s.refuse(w, *refusal)
		return
	}
	msg.Delivery, msg.Body, msg.Header = r.Header.Get("X-Orderalert-Delivery"), body, r.Header.Clone()
	if !s.accept(msg, now) {
		s.refuse(w, s.svc.limited)
		return
	}
	write(w, s.svc.ok)
}

// accept records msg unless the rate is reached.
func (s *Server) accept(msg Message, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.perMinute > 0 {
		recent := s.sentAt[:0]
		for _, at := range s.sentAt {
			if now.Sub(at) < time.Minute {
				recent = append(recent, at)
			}
		}
		s.sentAt = recent
		if len(recent) >= s.perMinute {
			return false
		}
	}
	s.sentAt = append(s.sentAt, now)
	s.accepted = append(s.accepted, msg)
	return true
}

func (s *Server) refuse(w http.ResponseWriter, a answer) {
	s.mu.Lock()
	s.refused = append(s.refused, a.why)
	s.mu.Unlock()
	write(w, a)
}

func write(w http.ResponseWriter, a answer) {
	for k, v := range a.header {
		w.Header()[k] = v
	}
	if len(a.body) > 0 && w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	status := a.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(a.body)
}
