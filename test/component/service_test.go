package component_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	httpadapter "github.com/orderalert/orderalert/adapters/http"
	"github.com/orderalert/orderalert/adapters/hub"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/test/pgtest"
	"github.com/orderalert/orderalert/test/wechatpaytest"
)

// Identities of the tests. The merchant and app ids are the configured ones.
const (
	mchID        = "1900000109"
	appID        = "wxd678efh567hg6787"
	adminPass    = "first admin's password"
	reminderWait = 2 * time.Second
)

// The services' JWT secrets, known to the tests so that they can forge tokens.
var (
	adminSecret = []byte("component-admin-secret-0123456789abcdef")
	userSecret  = []byte("component-user-secret-0123456789abcdefg")
)

// service is one running orderalert, with what a test needs to talk to it.
type service struct {
	app      *fiber.App
	hub      *hub.Hub
	logs     *logBuffer
	db       *bun.DB
	base     string
	contract *contract
	tokens   application.Tokens
	wechat   *wechatpaytest.Platform
	stop     func() // stops the service before the test ends, as for a restart; once only
}

// onEveryDatabase runs test against a service on SQLite and one on PostgreSQL; extra adjusts
// their graph.
func onEveryDatabase(t *testing.T, test func(t *testing.T, s *service), extra ...fx.Option) {
	t.Helper()
	for name, url := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, start(t, url(t), nil, extra...))
		})
	}
}

// start runs the real fx graph on port 0; change adjusts the configuration, extra the graph.
func start(t *testing.T, databaseURL string, change func(*bootstrap.Config), extra ...fx.Option) *service {
	t.Helper()
	platform := wechatpaytest.NewPlatform(t)
	cfg := bootstrap.DefaultConfig()
	cfg.HTTPAddr, cfg.DatabaseURL, cfg.DataDir = "127.0.0.1:0", databaseURL, t.TempDir()
	cfg.AdminJWTSecret, cfg.UserJWTSecret = string(adminSecret), string(userSecret)
	cfg.AdminInitialPassword, cfg.AdminTokenTTL, cfg.UserTokenTTL = adminPass, time.Hour, time.Hour
	cfg.ReminderCooldown = reminderWait
	cfg.WeChatPayAPIv3Key, cfg.WeChatPayPublicKeyID = platform.APIv3Key, platform.KeyID
	cfg.WeChatPayPublicKey, cfg.WeChatPayMchID, cfg.WeChatPayAppID = platform.WritePublicKey(t), mchID, appID
	cfg.AllowedOrigins = []string{"https://dash.example"}
	cfg.WSPingInterval, cfg.WSWriteTimeout = time.Second, 2*time.Second
	if change != nil {
		change(&cfg)
	}
	var (
		server *httpadapter.Server
		tokens application.Tokens
		db     *bun.DB
		h      *hub.Hub
	)
	logs := &logBuffer{}
	opts := append([]fx.Option{bootstrap.Serve(cfg, slog.New(slog.NewTextHandler(logs, nil))), fx.Populate(&server, &tokens, &db, &h)}, extra...)
	app := fxtest.New(t, opts...)
	app.RequireStart()
	stop := sync.OnceFunc(app.RequireStop)
	t.Cleanup(stop)
	base := "http://" + server.Addr().String()
	return &service{app: server.App, hub: h, logs: logs, db: db, base: base, contract: newContract(t, base), tokens: tokens, wechat: platform, stop: stop}
}

// reply is a decoded envelope.
type reply struct {
	Status int
	Header http.Header
	Code   int             `json:"code"`
	Msg    *string         `json:"msg"`
	Data   json.RawMessage `json:"data"`
	Raw    string
}

func (r reply) msg() string {
	if r.Msg == nil {
		return ""
	}
	return *r.Msg
}

// call sends one request, validates the answer against the spec and decodes its envelope.
// body is JSON-encoded unless it is a string, []byte or io.Reader, sent as is.
func (s *service) call(t *testing.T, method, path string, header http.Header, body any) reply {
	t.Helper()
	status, got, raw, err := s.exchange(t, method, path, header, body)
	if err != nil {
		t.Fatal(err)
	}
	r := reply{Status: status, Header: got, Raw: string(raw)}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("%s %s → %d: not the envelope: %q", method, path, status, raw)
	}
	return r
}

// send sends one request and validates the answer against the spec; it may run on any goroutine.
func (s *service) send(t *testing.T, method, path string, header http.Header, body any) (int, []byte, error) {
	status, _, raw, err := s.exchange(t, method, path, header, body)
	return status, raw, err
}

// exchange is send that also returns the response's header.
func (s *service) exchange(t *testing.T, method, path string, header http.Header, body any) (int, http.Header, []byte, error) {
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		reader = strings.NewReader(b)
	case []byte:
		reader = bytes.NewReader(b)
	case io.Reader: // of unknown length: sent chunked
		reader = b
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return 0, nil, nil, err
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, s.base+path, reader)
	if err != nil {
		return 0, nil, nil, err
	}
	if reader != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, nil, err
	}
	s.contract.check(t, req, resp, raw)
	return resp.StatusCode, resp.Header, raw, nil
}

// expect fails unless the reply has the status and envelope code.
func expect(t *testing.T, r reply, status, code int) {
	t.Helper()
	if r.Status != status || r.Code != code {
		t.Fatalf("got %d code %d (%s), want %d code %d", r.Status, r.Code, r.Raw, status, code)
	}
}

func decode[T any](t *testing.T, r reply) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Data, &v); err != nil {
		t.Fatalf("data %s: %v", r.Data, err)
	}
	return v
}

func (s *service) userHeader(t *testing.T, userID int64) http.Header {
	t.Helper()
	tok, err := s.tokens.Issue(application.RoleUser, application.Claims{Subject: userID})
	if err != nil {
		t.Fatal(err)
	}
	return http.Header{"Authentication": {tok.Value}}
}

func (s *service) adminHeader(t *testing.T) http.Header {
	t.Helper()
	r := s.call(t, http.MethodPost, "/admin/employee/login", nil, map[string]string{"username": "admin", "password": adminPass})
	expect(t, r, http.StatusOK, 1)
	return http.Header{"Token": {decode[struct{ Token string }](t, r).Token}}
}

// count is the number of rows of table, read straight from the database.
func (s *service) count(t *testing.T, table string) int {
	t.Helper()
	n, err := s.db.NewSelect().TableExpr(table).Count(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

type submitted struct {
	ID          int64   `json:"id"`
	OrderNumber string  `json:"orderNumber"`
	OrderAmount float64 `json:"orderAmount"`
	OrderTime   string  `json:"orderTime"`
}

// submit places an order of userID for amount yuan.
func (s *service) submit(t *testing.T, userID int64, amount string) submitted {
	t.Helper()
	r := s.call(t, http.MethodPost, "/user/order/submit", s.userHeader(t, userID), `{"amount":`+amount+`,"payMethod":1,"remark":"少放辣"}`)
	expect(t, r, http.StatusOK, 1)
	return decode[submitted](t, r)
}

type alertFrame struct {
	ID          int64  `json:"id"`
	Type        int    `json:"type"`
	OrderID     int64  `json:"orderId"`
	OrderNumber string `json:"orderNumber"`
	Content     string `json:"content"`
	CreatedAt   string `json:"createdAt"`
}

func (s *service) alerts(t *testing.T, admin http.Header) []alertFrame {
	t.Helper()
	r := s.call(t, http.MethodGet, "/admin/alerts?afterId=0&limit=1000", admin, nil)
	expect(t, r, http.StatusOK, 1)
	return decode[[]alertFrame](t, r)
}

// logBuffer keeps what the service logs, for tests that read it.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
