package component_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/test/pgtest"
)

type shopView struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type kindView struct {
	Code           int    `json:"code"`
	Name           string `json:"name"`
	SpeechTemplate string `json:"speechTemplate"`
	Builtin        bool   `json:"builtin"`
}

// addShopEmployee creates an account of shop shopID, as `orderalert admin create --shop N` does.
func addShopEmployee(t *testing.T, databaseURL, username string, shopID int64) {
	t.Helper()
	err := asTheCLI(t, databaseURL, func(uc application.CreateEmployee) error {
		_, err := uc.Execute(context.Background(), username, username, username+"'s password", application.Workplace{ShopID: shopID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestShopsAPI: platform staff list and create shops, a shop's employee may not; everyone reads
// the kinds, including one the CLI created while the server ran; every answer matches the spec.
func TestShopsAPI(t *testing.T) {
	t.Parallel()
	for name, newURL := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := newURL(t)
			s := start(t, url, nil)
			platform := s.adminHeader(t)

			r := s.call(t, http.MethodGet, "/admin/shops", platform, nil)
			expect(t, r, http.StatusOK, 1)
			if shops := decode[[]shopView](t, r); len(shops) != 1 || shops[0].ID != 1 || shops[0].Name != "默认门店" {
				t.Fatalf("a new deployment's shops = %+v, want shop 1 默认门店 alone", shops)
			}
			r = s.call(t, http.MethodPost, "/admin/shops", platform, map[string]string{"name": "二号店"})
			expect(t, r, http.StatusCreated, 1)
			if created := decode[shopView](t, r); created.ID != 2 || created.Name != "二号店" {
				t.Fatalf("POST /admin/shops = %+v, want shop 2 二号店", created)
			}
			for _, bad := range []string{`{}`, `{"name":""}`, `{"name":"` + strings.Repeat("店", 65) + `"}`} {
				r = s.call(t, http.MethodPost, "/admin/shops", platform, bad)
				if expect(t, r, http.StatusBadRequest, 0); !chinese(r.msg()) {
					t.Errorf("POST /admin/shops %s: msg %q, want a Chinese message", bad, r.msg())
				}
			}
			if n := s.count(t, "shops"); n != 2 {
				t.Fatalf("shops after two refusals = %d, want 2: a refused request changes nothing", n)
			}

			addShopEmployee(t, url, "cashier", 2)
			cashier := s.login(t, "cashier", "cashier's password")
			r = s.call(t, http.MethodGet, "/admin/shops", cashier, nil)
			if expect(t, r, http.StatusForbidden, 0); r.msg() != "仅平台人员可操作" {
				t.Errorf("a shop employee's GET /admin/shops: msg %q", r.msg())
			}
			r = s.call(t, http.MethodPost, "/admin/shops", cashier, map[string]string{"name": "私开的店"})
			expect(t, r, http.StatusForbidden, 0)
			if n := s.count(t, "shops"); n != 2 {
				t.Fatalf("shops after a shop employee's POST = %d, want 2", n)
			}

			err := asTheCLI(t, url, func(uc application.CreateAlertKind) error {
				_, err := uc.Execute(context.Background(), 10, "客房服务", "", "客房服务，房间{orderNumber}")
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			r = s.call(t, http.MethodGet, "/admin/alert-kinds", cashier, nil)
			expect(t, r, http.StatusOK, 1)
			kinds := decode[[]kindView](t, r)
			got := fmt.Sprint(kinds)
			want := "[{1 来单提醒 您有新的外卖订单，订单号{orderNumber} true} {2 客户催单 顾客催单，订单号{orderNumber}，请尽快处理 true} {10 客房服务 客房服务，房间{orderNumber} false}]"
			if got != want {
				t.Fatalf("GET /admin/alert-kinds = %s\nwant %s", got, want)
			}
		})
	}
}

// TestShopScopeOnREST: an order of shop 2 rings shop 2's alerts only; its employee reads them
// and its orders, and gets another shop's order as an unknown id and another shop's alerts as
// 403; platform staff narrow with ?shopId=.
func TestShopScopeOnREST(t *testing.T) {
	t.Parallel()
	for name, newURL := range pgtest.Databases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := newURL(t)
			s := start(t, url, nil)
			platform, user := s.adminHeader(t), s.userHeader(t, 7)
			expect(t, s.call(t, http.MethodPost, "/admin/shops", platform, map[string]string{"name": "二号店"}), http.StatusCreated, 1)
			addShopEmployee(t, url, "cashier", 2)
			cashier := s.login(t, "cashier", "cashier's password")

			r := s.call(t, http.MethodPost, "/user/order/submit", user, `{"amount":9.5,"shopId":9}`)
			if expect(t, r, http.StatusNotFound, 0); r.msg() != "门店不存在" {
				t.Fatalf("submit to shop 9: msg %q, want 门店不存在", r.msg())
			}
			own := s.paidIn(t, user, 1)
			theirs := s.paidIn(t, user, 2)

			shopsOf := func(admin http.Header, query string) []int64 {
				t.Helper()
				r := s.call(t, http.MethodGet, "/admin/alerts?afterId=0"+query, admin, nil)
				expect(t, r, http.StatusOK, 1)
				var got []int64
				for _, a := range decode[[]struct {
					ShopID  int64 `json:"shopId"`
					OrderID int64 `json:"orderId"`
				}](t, r) {
					got = append(got, a.ShopID*1000+a.OrderID)
				}
				return got
			}
			if got, want := fmt.Sprint(shopsOf(cashier, "")), fmt.Sprint([]int64{2000 + theirs}); got != want {
				t.Errorf("shop 2's employee reads alerts %s (shop*1000+order), want %s", got, want)
			}
			if got, want := fmt.Sprint(shopsOf(cashier, "&shopId=2")), fmt.Sprint([]int64{2000 + theirs}); got != want {
				t.Errorf("shop 2's employee naming shop 2 reads %s, want %s", got, want)
			}
			if got, want := fmt.Sprint(shopsOf(platform, "&shopId=1")), fmt.Sprint([]int64{1000 + own}); got != want {
				t.Errorf("platform staff naming shop 1 read %s, want %s", got, want)
			}
			if got, want := fmt.Sprint(shopsOf(platform, "")), fmt.Sprint([]int64{1000 + own, 2000 + theirs}); got != want {
				t.Errorf("platform staff read %s, want %s", got, want)
			}
			for _, q := range []string{"?shopId=1", "?shopId=2&shopId=1"} {
				r = s.call(t, http.MethodGet, "/admin/alerts"+q, cashier, nil)
				if expect(t, r, http.StatusForbidden, 0); r.msg() != "无权访问该门店" {
					t.Errorf("shop 2's employee GET /admin/alerts%s: msg %q", q, r.msg())
				}
			}
			r = s.call(t, http.MethodGet, "/admin/alerts?shopId=x", platform, nil)
			expect(t, r, http.StatusBadRequest, 0)

			r = s.call(t, http.MethodGet, fmt.Sprintf("/admin/order/details/%d", own), cashier, nil)
			if expect(t, r, http.StatusNotFound, 0); r.msg() != "订单不存在" {
				t.Errorf("another shop's order: msg %q, want exactly an unknown id's 订单不存在", r.msg())
			}
			expect(t, s.call(t, http.MethodPut, "/admin/order/confirm", cashier, map[string]int64{"id": own}), http.StatusNotFound, 0)
			r = s.call(t, http.MethodGet, fmt.Sprintf("/admin/order/details/%d", theirs), cashier, nil)
			expect(t, r, http.StatusOK, 1)
			if got := decode[struct{ ShopID int64 }](t, r).ShopID; got != 2 {
				t.Errorf("shop 2's order detail says shopId %d", got)
			}
			expect(t, s.call(t, http.MethodPut, "/admin/order/confirm", cashier, map[string]int64{"id": theirs}), http.StatusOK, 1)
			r = s.call(t, http.MethodGet, fmt.Sprintf("/admin/order/details/%d", own), platform, nil)
			if expect(t, r, http.StatusOK, 1); decode[struct{ Status int }](t, r).Status != 2 {
				t.Errorf("shop 1's order changed status after shop 2's refused confirm: %s", r.Raw)
			}
		})
	}
}

// paidIn submits and pays an order of shop shopID and returns its id.
func (s *service) paidIn(t *testing.T, user http.Header, shopID int64) int64 {
	t.Helper()
	r := s.call(t, http.MethodPost, "/user/order/submit", user, fmt.Sprintf(`{"amount":12.5,"shopId":%d}`, shopID))
	expect(t, r, http.StatusOK, 1)
	o := decode[submitted](t, r)
	body, _ := json.Marshal(map[string]any{"orderNumber": o.OrderNumber, "payMethod": 1})
	expect(t, s.call(t, http.MethodPut, "/user/order/payment", user, body), http.StatusOK, 1)
	return o.ID
}
