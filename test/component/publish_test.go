package component_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/clock"
	"github.com/orderalert/orderalert/adapters/persistence"
	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/bootstrap"
	"github.com/orderalert/orderalert/test/pgtest"
)

// integrationKey creates an integration, as `orderalert integration create` does, and returns
// its key.
func (s *service) integrationKey(t *testing.T, name string, shopID int64) string {
	t.Helper()
	uc := application.CreateIntegration{
		Integrations: persistence.NewIntegrationRepository(s.db), Shops: persistence.NewShopRepository(s.db), Clock: clock.System{},
	}
	_, key, err := uc.Execute(context.Background(), name, shopID)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func (s *service) revokeIntegration(t *testing.T, name string) {
	t.Helper()
	uc := application.RevokeIntegration{Integrations: persistence.NewIntegrationRepository(s.db), Clock: clock.System{}}
	if _, err := uc.Execute(context.Background(), name); err != nil {
		t.Fatal(err)
	}
}

// dashboardWith opens a dashboard socket with these query parameters besides the ticket.
func (s *service) dashboardWith(t *testing.T, admin http.Header, sid, query string) *dashboard {
	t.Helper()
	conn, resp, err := s.dial(sid, "ticket="+s.ticket(t, admin)+"&"+query, nil)
	if resp != nil {
		_ = resp.Body.Close()
	}
	if err != nil {
		t.Fatalf("dial /ws/%s?%s: %v", sid, query, err)
	}
	return listen(t, conn)
}

// changeLast is key with its last character replaced by another.
func changeLast(key string) string {
	if strings.HasSuffix(key, "a") {
		return key[:len(key)-1] + "b"
	}
	return key[:len(key)-1] + "a"
}

func bearerOf(key string) http.Header { return http.Header{"Authorization": {"Bearer " + key}} }

type publishedAlert struct {
	ID          int64   `json:"id"`
	Type        int     `json:"type"`
	ShopID      int64   `json:"shopId"`
	OrderID     *int64  `json:"orderId"`
	OrderNumber string  `json:"orderNumber"`
	Content     string  `json:"content"`
	Source      *string `json:"source"`
}

func (a publishedAlert) String() string {
	order, source := "null", "null"
	if a.OrderID != nil {
		order = strconv.FormatInt(*a.OrderID, 10)
	}
	if a.Source != nil {
		source = *a.Source
	}
	return fmt.Sprintf("type %d shop %d order %s %q %q source %s", a.Type, a.ShopID, order, a.OrderNumber, a.Content, source)
}

// TestPublishAnswersEveryCase: POST /api/alerts against every database — created, repeated,
// conflicting, refused for the key, the shop, the kind and the fields — each answer in the
// envelope and the spec, and only the first call publishing; the alert rings the shop's
// dashboard as a frame of the spec.
func TestPublishAnswersEveryCase(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		admin := s.adminHeader(t)
		expect(t, s.call(t, http.MethodPost, "/admin/shops", admin, map[string]string{"name": "二号店"}), http.StatusCreated, 1)
		socket := s.dashboardWith(t, admin, "shop-1", "shopId=1&lastAlertId=0")
		sky, anyShop := bearerOf(s.integrationKey(t, "sky", 1)), bearerOf(s.integrationKey(t, "pms", 0))

		paid := `{"type":1,"orderId":123,"orderNumber":"A-123","idempotencyKey":"pay-A-123"}`
		r := s.call(t, http.MethodPost, "/api/alerts", sky, paid)
		expect(t, r, http.StatusCreated, 1)
		first := decode[publishedAlert](t, r)
		if got := first.String(); got != `type 1 shop 1 order 123 "A-123" "订单号:A-123" source sky` {
			t.Fatalf("the published alert = %s", got)
		}
		raw := socket.nextRaw(t, 5*time.Second)
		checkFrame(t, "alert", raw)
		if id := frameID(t, raw); id != first.ID {
			t.Fatalf("the dashboard got frame %d, want the published %d", id, first.ID)
		}
		r = s.call(t, http.MethodPost, "/api/alerts", sky, paid)
		if again := decode[publishedAlert](t, r); r.Status != http.StatusOK || again.ID != first.ID || again.String() != first.String() {
			t.Fatalf("the repeated call answered %s, want the first alert %s", r.Data, first)
		}
		r = s.call(t, http.MethodPost, "/api/alerts", sky, strings.Replace(paid, `"orderId":123`, `"orderId":124`, 1))
		if expect(t, r, http.StatusConflict, 0); r.msg() != "幂等键已用于另一条提醒" {
			t.Errorf("the key with another body: msg %q", r.msg())
		}

		r = s.call(t, http.MethodPost, "/api/alerts", anyShop, `{"type":2,"shopId":2,"content":"1208 房需要加床"}`)
		expect(t, r, http.StatusCreated, 1)
		if got := decode[publishedAlert](t, r).String(); got != `type 2 shop 2 order null "" "1208 房需要加床" source pms` {
			t.Fatalf("an alert without order = %s", got)
		}

		refusals := []struct {
			header       http.Header
			body, msg    string
			status       int
			alsoDetailed bool
		}{
			{sky, `{"type":1,"shopId":2,"orderNumber":"A-1"}`, "无权访问该门店", http.StatusForbidden, false},
			{anyShop, `{"type":1,"shopId":9,"orderNumber":"A-1"}`, "门店不存在", http.StatusNotFound, false},
			{anyShop, `{"type":1,"orderNumber":"A-1"}`, "参数错误", http.StatusBadRequest, true},
			{sky, `{"type":50,"orderNumber":"A-1"}`, "未知的提醒类型", http.StatusBadRequest, true},
			{sky, `{"orderNumber":"A-1"}`, "参数错误", http.StatusBadRequest, true},
			{sky, `{"type":1,"content":"` + strings.Repeat("长", 101) + `"}`, "参数错误", http.StatusBadRequest, true},
			{sky, `{"type":1,"orderNumber":"` + strings.Repeat("9", 51) + `"}`, "参数错误", http.StatusBadRequest, true},
			{sky, `{"type":1}`, "参数错误", http.StatusBadRequest, true}, // 订单号: with no number
			{sky, `{"type":1,"orderId":-3}`, "参数错误", http.StatusBadRequest, true},
			{sky, `{"type":1,"idempotencyKey":""}`, "参数错误", http.StatusBadRequest, true},
			{sky, `{"type":1,`, "参数错误", http.StatusBadRequest, true},
			{bearerOf(changeLast(sky.Get("Authorization")[7:])), `{"type":1}`, "集成密钥无效或已吊销", http.StatusUnauthorized, false},
		}
		for _, c := range refusals {
			r := s.call(t, http.MethodPost, "/api/alerts", c.header, c.body)
			if r.Status != c.status || r.Code != 0 || !strings.HasPrefix(r.msg(), c.msg) || (c.alsoDetailed && r.msg() == c.msg) {
				t.Errorf("%.60s → %d %s, want %d %q (with its detail: %v)", c.body, r.Status, r.Raw, c.status, c.msg, c.alsoDetailed)
			}
		}
		s.revokeIntegration(t, "sky")
		r = s.call(t, http.MethodPost, "/api/alerts", sky, paid)
		if expect(t, r, http.StatusUnauthorized, 0); r.msg() != "集成密钥无效或已吊销" || r.Header.Get("WWW-Authenticate") != `Bearer realm="orderalert"` {
			t.Errorf("a revoked key: msg %q, WWW-Authenticate %q", r.msg(), r.Header.Get("WWW-Authenticate"))
		}
		// The longest order number the log keeps, on both databases.
		expect(t, s.call(t, http.MethodPost, "/api/alerts", anyShop, `{"type":1,"shopId":1,"orderNumber":"`+strings.Repeat("9", 50)+`"}`), http.StatusCreated, 1)
		if n := s.count(t, "order_alerts"); n != 3 {
			t.Fatalf("order_alerts has %d rows, want the 3 published: every refusal changes nothing", n)
		}
		if raw := socket.nextRaw(t, 5*time.Second); !strings.Contains(string(raw), strings.Repeat("9", 50)) {
			t.Fatalf("shop 1's socket got %s, want the alert with the 50-digit number (shop 2's is not its)", raw)
		}
		socket.quiet(t, 300*time.Millisecond)
	})
}

// TestPublishRateIsPerKeyAndNeverRefusesAReplay: past ORDERALERT_PUBLISH_RATE a key gets 429 with
// Retry-After; repeating an accepted idempotency key is still answered.
func TestPublishRateIsPerKeyAndNeverRefusesAReplay(t *testing.T) {
	t.Parallel()
	s := start(t, t.TempDir()+"/orderalert.db", func(c *bootstrap.Config) { c.PublishRate = bootstrap.Rate{N: 3, Per: time.Minute} })
	sky, other := bearerOf(s.integrationKey(t, "sky", 1)), bearerOf(s.integrationKey(t, "other", 1))
	for i := range 3 {
		expect(t, s.call(t, http.MethodPost, "/api/alerts", sky, fmt.Sprintf(`{"type":1,"orderNumber":"N-%d","idempotencyKey":"k-%d"}`, i, i)), http.StatusCreated, 1)
	}
	r := s.call(t, http.MethodPost, "/api/alerts", sky, `{"type":1,"orderNumber":"N-3","idempotencyKey":"k-3"}`)
	if expect(t, r, http.StatusTooManyRequests, 0); r.msg() != "发布提醒过于频繁，请稍后再试" {
		t.Errorf("over the rate: msg %q", r.msg())
	}
	if after, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || after < 1 || after > 20 {
		t.Errorf("Retry-After = %q, want about 20 s (3 a minute)", r.Header.Get("Retry-After"))
	}
	expect(t, s.call(t, http.MethodPost, "/api/alerts", sky, `{"type":1,"orderNumber":"N-0","idempotencyKey":"k-0"}`), http.StatusOK, 1)
	expect(t, s.call(t, http.MethodPost, "/api/alerts", other, `{"type":1,"orderNumber":"N-9"}`), http.StatusCreated, 1)
	if n := s.count(t, "order_alerts"); n != 4 {
		t.Fatalf("order_alerts has %d rows, want 4", n)
	}
}

// TestTwentyIdenticalPublishesOnTwoInstancesMakeOneAlert (DESIGN §13), three rounds: the same call 20 times at
// once, spread over two instances of one PostgreSQL: one 201, nineteen 200 with the same alert,
// one row, and one frame on each instance's dashboard.
func TestTwentyIdenticalPublishesOnTwoInstancesMakeOneAlert(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	a, b := start(t, url, nil), start(t, url, nil)
	key := bearerOf(a.integrationKey(t, "sky", 1))
	onA, onB := a.connect(t, a.adminHeader(t), "on-a", -1), b.connect(t, b.adminHeader(t), "on-b", -1)
	waitAttached(t, a, []*dashboard{onA})
	waitAttached(t, b, []*dashboard{onB})

	const calls, rounds = 20, 3
	for round := range rounds { // each round a new key, so that a lucky interleaving cannot pass alone
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			statuses = map[int]int{}
			ids      = map[int64]bool{}
			start    = make(chan struct{})
		)
		body := fmt.Sprintf(`{"type":1,"orderId":7,"orderNumber":"A-7","idempotencyKey":"pay-A-7-%d"}`, round)
		for i := range calls {
			s := []*service{a, b}[i%2]
			wg.Go(func() {
				<-start
				status, raw, err := s.send(t, http.MethodPost, "/api/alerts", key, body)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					statuses[-1]++
					return
				}
				statuses[status]++
				ids[frameIDOfEnvelope(t, raw)] = true
			})
		}
		close(start)
		wg.Wait()
		if statuses[http.StatusCreated] != 1 || statuses[http.StatusOK] != calls-1 || len(ids) != 1 {
			t.Fatalf("round %d: %d racing calls answered %v with alert ids %v; want one 201, %d 200, one alert", round, calls, statuses, ids, calls-1)
		}
		if n := a.count(t, "order_alerts"); n != round+1 {
			t.Fatalf("round %d: order_alerts has %d rows, want %d", round, n, round+1)
		}
		for name, d := range map[string]*dashboard{"A": onA, "B": onB} {
			if f := d.next(t, 5*time.Second); !ids[f.ID] {
				t.Fatalf("round %d: dashboard on %s got %+v", round, name, f)
			}
		}
	}
	onA.quiet(t, 500*time.Millisecond)
	onB.quiet(t, 500*time.Millisecond)
}

func frameIDOfEnvelope(t *testing.T, raw []byte) int64 {
	t.Helper()
	i := strings.Index(string(raw), `"data":`)
	if i < 0 {
		t.Errorf("not the envelope with data: %s", raw)
		return 0
	}
	return frameID(t, raw[i+len(`"data":`):len(raw)-1])
}
