package component_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// orderedLine is one item as every endpoint writes it; Amount is kept as written, so that
// 18.00 is told from 18.
type orderedLine struct {
	Name   string      `json:"name"`
	Number int         `json:"number"`
	Amount json.Number `json:"amount"`
}

var wantLines = []orderedLine{{"宫保鸡丁", 2, "18.00"}, {"米饭", 2, "2.00"}, {`"招牌" <酸梅汤>`, 1, "0.00"}}

// TestWhatWasOrderedReachesTheShop is DESIGN §16's items end to end: the customer submits the
// lines with the order and pays; the dashboard's frame, the alert history, a resumed socket's
// replay and both order details list them. An order placed without items has "items": [] in
// its details and no items field in its frame.
func TestWhatWasOrderedReachesTheShop(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		alice, admin := s.userHeader(t, 7), s.adminHeader(t)
		live := s.connect(t, admin, "counter", -1)
		r := s.call(t, http.MethodPost, "/user/order/submit", alice,
			`{"amount":40,"payMethod":1,"items":[{"name":" 宫保鸡丁 ","number":2,"amount":18.00},{"name":"米饭","number":2,"amount":"2"},{"name":"\"招牌\" <酸梅汤>","number":1,"amount":0}]}`)
		expect(t, r, http.StatusOK, 1)
		o := decode[submitted](t, r)
		expect(t, s.call(t, http.MethodPut, "/user/order/payment", alice, map[string]any{"orderNumber": o.OrderNumber, "payMethod": 1}), http.StatusOK, 1)

		raw := live.nextRaw(t, 5*time.Second)
		checkFrame(t, "alert", raw)
		frame := linesOf(t, raw)
		if frame.Type != 1 || frame.OrderID != o.ID {
			t.Fatalf("frame %s, want the payment of order %d", raw, o.ID)
		}
		sameLines(t, "the frame", frame.Items)
		if !strings.Contains(string(raw), `"amount":18.00`) {
			t.Errorf("the frame's amounts are not yuan with two decimals: %s", raw)
		}

		history := s.call(t, http.MethodGet, "/admin/alerts", admin, nil)
		expect(t, history, http.StatusOK, 1)
		alerts := decode[[]json.RawMessage](t, history)
		if len(alerts) != 1 || string(alerts[0]) != string(raw) {
			t.Fatalf("GET /admin/alerts = %s, want the frame %s", history.Data, raw)
		}
		resumed := s.connect(t, admin, "kitchen", 0)
		if replayed := resumed.nextRaw(t, 5*time.Second); string(replayed) != string(raw) {
			t.Fatalf("the replay %s, want the frame %s", replayed, raw)
		}

		id := strconv.FormatInt(o.ID, 10)
		for path, header := range map[string]http.Header{"/user/order/orderDetail/" + id: alice, "/admin/order/details/" + id: admin} {
			r := s.call(t, http.MethodGet, path, header, nil)
			expect(t, r, http.StatusOK, 1)
			sameLines(t, path, linesOf(t, r.Data).Items)
		}

		plain := s.submit(t, 7, "12")
		expect(t, s.call(t, http.MethodPut, "/user/order/payment", alice, map[string]any{"orderNumber": plain.OrderNumber, "payMethod": 1}), http.StatusOK, 1)
		if raw := live.nextRaw(t, 5*time.Second); strings.Contains(string(raw), "items") {
			t.Errorf("the frame of an order without items: %s", raw)
		}
		r = s.call(t, http.MethodGet, "/admin/order/details/"+strconv.FormatInt(plain.ID, 10), admin, nil)
		if !strings.Contains(r.Raw, `"items":[]`) {
			t.Errorf("the details of an order without items: %s", r.Raw)
		}
		for _, none := range []string{`"items":null`, `"items":[]`} {
			r := s.call(t, http.MethodPost, "/user/order/submit", alice, `{"amount":1,`+none+`}`)
			expect(t, r, http.StatusOK, 1)
			d := s.call(t, http.MethodGet, "/user/order/orderDetail/"+strconv.FormatInt(decode[submitted](t, r).ID, 10), alice, nil)
			if !strings.Contains(d.Raw, `"items":[]`) {
				t.Errorf("submitted with %s: details %s", none, d.Raw)
			}
		}
	})
}

// TestBadItemsAreRefusedAndPlaceNoOrder: each line that breaks a rule is a 400 with code 0
// and a Chinese message naming it, and no order is placed.
func TestBadItemsAreRefusedAndPlaceNoOrder(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		alice := s.userHeader(t, 7)
		line := `{"name":"宫保鸡丁","number":2,"amount":18.00}`
		many := strings.TrimSuffix(strings.Repeat(line+",", 101), ",")
		cases := []struct{ name, items, msg string }{
			{"101 items", "[" + many + "]", "参数错误：items 最多 100 项，收到 101 项"},
			{"number 0", `[` + line + `,{"name":"米饭","number":0,"amount":2}]`, "参数错误：items[1].number 应在 1–99，收到 0"},
			{"a name of 51 characters", `[{"name":"` + strings.Repeat("辣", 51) + `","number":1,"amount":2}]`, "参数错误：items[0].name 应为 1–50 个字符，收到 51 个"},
			{"amount -1", `[{"name":"米饭","number":1,"amount":-1}]`, "参数错误：items[0].amount 应为不小于 0、最多两位小数的金额，收到 -1"},
			{"amount 1.234", `[{"name":"米饭","number":1,"amount":1.234}]`, "参数错误：items[0].amount 应为不小于 0、最多两位小数的金额，收到 1.234"},
			{"no amount", `[{"name":"米饭","number":1}]`, "参数错误：缺少必填字段 items[0].amount"},
			{"a line break in a name", `[{"name":"米\n饭","number":1,"amount":2}]`, "参数错误：items[0].name 不能含有控制字符或换行"},
			{"items not a list", `{"name":"米饭"}`, "参数错误：字段 items 的类型错误，应为 数组"},
		}
		for _, c := range cases {
			r := s.call(t, http.MethodPost, "/user/order/submit", alice, fmt.Sprintf(`{"amount":40,"items":%s}`, c.items))
			if r.Status != http.StatusBadRequest || r.Code != 0 || r.msg() != c.msg {
				t.Errorf("%s: %d code %d msg %q, want 400 code 0 msg %q", c.name, r.Status, r.Code, r.msg(), c.msg)
			}
		}
		if n := s.count(t, "orders"); n != 0 {
			t.Fatalf("%d orders placed by refused submits", n)
		}
	})
}

type withLines struct {
	Type    int           `json:"type"`
	OrderID int64         `json:"orderId"`
	Items   []orderedLine `json:"items"`
}

func linesOf(t *testing.T, raw []byte) withLines {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var v withLines
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return v
}

func sameLines(t *testing.T, where string, got []orderedLine) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(wantLines) {
		t.Errorf("%s lists %+v, want %+v", where, got, wantLines)
	}
}
