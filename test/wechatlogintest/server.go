// Package wechatlogintest is a local stand-in of WeChat's jscode2session, checking what WeChat
// checks (the app id and secret, the grant type, one code) and answering as it does: HTTP 200
// with errcode in the body. Codes choose the answer: "bad…" 40029, "used…" 40163, "blocked…"
// 40226, "quota…" 45011, "busy…" -1, "down…" HTTP 500, "slow…" no answer until the request
// ends; any other code is a user whose openid is derived from the code.
package wechatlogintest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Server is the stand-in.
type Server struct {
	URL           string
	AppID, Secret string

	mu    sync.Mutex
	codes []string // every code asked about, in order
}

// New starts a stand-in for the app appID with secret.
func New(t testing.TB, appID, secret string) *Server {
	s := &Server{AppID: appID, Secret: secret}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// OpenIDOf is the openid the stand-in gives code.
func OpenIDOf(code string) string {
	sum := sha256.Sum256([]byte(code))
	return "o" + hex.EncodeToString(sum[:13])
}

// Codes are the codes asked about, in order.
func (s *Server) Codes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.codes...)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if r.Method != http.MethodGet || r.URL.Path != "/sns/jscode2session" {
		http.NotFound(w, r)
		return
	}
	code := q.Get("js_code")
	s.mu.Lock()
	s.codes = append(s.codes, code)
	s.mu.Unlock()
	switch {
	case q.Get("appid") != s.AppID || len(q["appid"]) != 1:
		answer(w, map[string]any{"errcode": 40013, "errmsg": "invalid appid"})
	case q.Get("secret") != s.Secret:
		answer(w, map[string]any{"errcode": 40125, "errmsg": "invalid appsecret"})
	case q.Get("grant_type") != "authorization_code":
		answer(w, map[string]any{"errcode": 40002, "errmsg": "invalid grant_type"})
	case len(q["js_code"]) != 1 || code == "":
		answer(w, map[string]any{"errcode": 41008, "errmsg": "missing code"})
	case strings.HasPrefix(code, "bad"):
		answer(w, map[string]any{"errcode": 40029, "errmsg": "invalid code"})
	case strings.HasPrefix(code, "used"):
		answer(w, map[string]any{"errcode": 40163, "errmsg": "code been used"})
	case strings.HasPrefix(code, "blocked"):
		answer(w, map[string]any{"errcode": 40226, "errmsg": "code blocked"})
	case strings.HasPrefix(code, "quota"):
		answer(w, map[string]any{"errcode": 45011, "errmsg": "api minute-quota reach limit mustslower retry next minute"})
	case strings.HasPrefix(code, "busy"):
		answer(w, map[string]any{"errcode": -1, "errmsg": "system error"})
	case strings.HasPrefix(code, "down"):
		http.Error(w, "bad gateway", http.StatusInternalServerError)
	case strings.HasPrefix(code, "slow"):
		<-r.Context().Done()
	default: // WeChat's successful answer carries no errcode
		answer(w, map[string]any{"openid": OpenIDOf(code), "session_key": "never-sent-to-the-client"})
	}
}

func answer(w http.ResponseWriter, v map[string]any) {
	w.Header().Set("Content-Type", "text/plain") // WeChat's, whatever the body
	_ = json.NewEncoder(w).Encode(v)
}
