package pushtest

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Message is one push the stand-in accepted: what the browser's service worker would receive.
type Message struct {
	Subscription string // the subscription's id (the endpoint's last path element)
	Payload      []byte // decrypted
	TTL          int
	Urgency      string
	Topic        string
	Subject      string // the VAPID JWT's sub
}

// Subscription is a test browser's push subscription, as PushSubscription.toJSON() writes it.
type Subscription struct {
	Endpoint string `json:"endpoint"`
	Keys     struct {
		P256dh string `json:"p256dh"`
		Auth   string `json:"auth"`
	} `json:"keys"`
}

type browser struct {
	key  *ecdh.PrivateKey
	auth []byte
}

// Service is the stand-in. Answer sets what the next pushes to a subscription are answered.
type Service struct {
	URL string

	mu        sync.Mutex
	vapidKey  string // the application server key every JWT must carry, once told
	browsers  map[string]browser
	answers   map[string]int // subscription id → status to answer instead of 201
	messages  []Message
	refusals  []string
	published chan struct{}
	held      chan struct{} // while not nil, pushes wait for it to close before they are answered
	arrived   int           // pushes received, answered or not
}

// New starts a stand-in that stops with the test.
func New(t testing.TB) *Service {
	t.Helper()
	s := &Service{browsers: map[string]browser{}, answers: map[string]int{}, published: make(chan struct{}, 1)}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// ExpectKey makes every push carry this VAPID public key (base64url, the server's).
func (s *Service) ExpectKey(publicKey string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vapidKey = publicKey
}

// Subscribe makes a new test browser and returns its subscription.
func (s *Service) Subscribe(t testing.TB) Subscription {
	t.Helper()
	key, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	auth := make([]byte, 16)
	if _, err := rand.Read(auth); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	id := "sub" + strconv.Itoa(len(s.browsers)+1)
	s.browsers[id] = browser{key: key, auth: auth}
	s.mu.Unlock()
	var sub Subscription
	sub.Endpoint = s.URL + "/push/" + id
	sub.Keys.P256dh = base64.RawURLEncoding.EncodeToString(key.PublicKey().Bytes())
	sub.Keys.Auth = base64.RawURLEncoding.EncodeToString(auth)
	return sub
}

// JSON is the subscription as the page POSTs it.
func (sub Subscription) JSON() string {
	b, _ := json.Marshal(map[string]any{"endpoint": sub.Endpoint, "expirationTime": nil, "keys": sub.Keys})
	return string(b)
}

// ID is the subscription's id in Messages.
func (sub Subscription) ID() string { return sub.Endpoint[strings.LastIndex(sub.Endpoint, "/")+1:] }

// Answer makes the pushes to sub answered status (404 or 410: the subscription is gone; 429, 500…).
func (s *Service) Answer(sub Subscription, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers[sub.ID()] = status
}

// Hold makes the following pushes wait, unanswered, until Release: a push service that is slow
// to answer, for a test that kills the sender in the middle of a push. A push whose sender went
// away meanwhile is not accepted, as a push service keeps no message it could not acknowledge.
func (s *Service) Hold() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.held = make(chan struct{})
}

// Release lets the held pushes be answered, and answers the following ones at once.
func (s *Service) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.held != nil {
		close(s.held)
		s.held = nil
	}
}

// Arrived is how many pushes reached the stand-in, answered or not.
func (s *Service) Arrived() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.arrived
}

// Messages returns what was accepted so far, in order.
func (s *Service) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Refusals returns why pushes were refused; a correct sender has none.
func (s *Service) Refusals() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.refusals...)
}

// WaitFor waits until n messages were accepted, or fails the test after within.
func (s *Service) WaitFor(t testing.TB, n int, within time.Duration) []Message {
	t.Helper()
	deadline := time.After(within)
	for {
		if m := s.Messages(); len(m) >= n {
			return m
		}
		select {
		case <-s.published:
		case <-deadline:
			t.Fatalf("the push service accepted %d messages in %v, want %d (refused: %q)", len(s.Messages()), within, n, s.Refusals())
		}
	}
}

func (s *Service) serve(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutPrefix(r.URL.Path, "/push/")
	body, err := io.ReadAll(io.LimitReader(r.Body, 8192))
	if !ok || r.Method != http.MethodPost || err != nil {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.arrived++
	b, known := s.browsers[id]
	status, answered := s.answers[id]
	key, held := s.vapidKey, s.held
	s.mu.Unlock()
	if held != nil {
		select {
		case <-held:
		case <-r.Context().Done():
			return // the sender went away: nothing was delivered
		}
	}
	if !known {
		s.refuse(w, http.StatusNotFound, "no subscription "+id)
		return
	}
	m, reason := s.check(r, body, b, key)
	if reason != "" {
		s.refuse(w, http.StatusBadRequest, reason)
		return
	}
	if answered {
		w.WriteHeader(status)
		return
	}
	m.Subscription = id
	s.mu.Lock()
	s.messages = append(s.messages, m)
	s.mu.Unlock()
	select {
	case s.published <- struct{}{}:
	default:
	}
	w.Header().Set("Location", s.URL+"/message/"+strconv.Itoa(len(s.messages)))
	w.WriteHeader(http.StatusCreated)
}

// check is what a push service checks of one message, and its decryption.
func (s *Service) check(r *http.Request, body []byte, b browser, key string) (Message, string) {
	subject, reason := checkVAPID(r.Header.Get("Authorization"), s.URL, key)
	if reason != "" {
		return Message{}, reason
	}
	ttl, err := strconv.Atoi(r.Header.Get("TTL"))
	switch {
	case err != nil || ttl < 0:
		return Message{}, "TTL " + strconv.Quote(r.Header.Get("TTL")) + " is not a number of seconds"
	case r.Header.Get("Content-Encoding") != "aes128gcm":
		return Message{}, "Content-Encoding is not aes128gcm"
	case len(r.Header.Get("Topic")) > 32:
		return Message{}, "Topic is longer than 32 characters"
	}
	switch u := r.Header.Get("Urgency"); u {
	case "", "very-low", "low", "normal", "high":
	default:
		return Message{}, "Urgency " + strconv.Quote(u) + " is not one of RFC 8030's"
	}
	payload, err := decrypt(body, b.key, b.auth)
	if err != nil {
		return Message{}, fmt.Sprintf("the body does not decrypt with the subscription's keys: %v", err)
	}
	return Message{Payload: payload, TTL: ttl, Urgency: r.Header.Get("Urgency"), Topic: r.Header.Get("Topic"), Subject: subject}, ""
}

func (s *Service) refuse(w http.ResponseWriter, status int, reason string) {
	s.mu.Lock()
	s.refusals = append(s.refusals, reason)
	s.mu.Unlock()
	http.Error(w, reason, status)
}
