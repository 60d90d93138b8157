package botstandin

import (
	"net/http"
	"time"
)

// Messages returns the messages accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.accepted...)
}

// Refused returns why each refused request was refused, in order (injected failures are not
// refusals and are not listed).
func (s *Server) Refused() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.refused...)
}

// Requests counts every request received, whatever its answer.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// FailNext answers the next n requests with status and the service's error body for code
// (the bots' errcode or code; the webhook ignores it), before looking at them, as a service
// that is down or refusing would. FailNext(1, 200, 310000) is a bot's refusal in HTTP 200.
func (s *Server) FailNext(n, status, code int) {
	a := s.svc.refusal(code, "injected failure")
	a.status = status
	s.inject(n, a)
}

// AnswerNext answers the next n requests with status and body as given, for answers no
// service should give (an HTML error page in a 200).
func (s *Server) AnswerNext(n, status int, body string) {
	s.inject(n, answer{status: status, body: []byte(body), header: http.Header{"Content-Type": {"text/html"}}})
}

func (s *Server) inject(n int, a answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.injected = append(s.injected, a)
	}
}

// LimitPerMinute makes the stand-in refuse, with the service's rate-limit answer, a message
// past n accepted in the last minute of its clock, as the bots do past 20; 0 removes the
// limit.
func (s *Server) LimitPerMinute(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.perMinute = n
}

// Hang makes every request wait, unanswered, until its client gives up or the test ends.
func (s *Server) Hang(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hang = on
}

// SetNow sets the stand-in's clock, which judges timestamps and the rate; nil is time.Now.
func (s *Server) SetNow(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}
