package component_test

import (
	"net/http"
	"strconv"
	"testing"
)

// TestAdminPath is the shop's path: login, the alert history, an order's details, taking it.
func TestAdminPath(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		for _, creds := range []map[string]string{
			{"username": "admin", "password": "wrong password"},
			{"username": "nobody", "password": adminPass},
		} {
			r := s.call(t, http.MethodPost, "/admin/employee/login", nil, creds)
			expect(t, r, http.StatusUnauthorized, 0)
			if r.msg() != "账号或密码错误" {
				t.Errorf("failed login %v: msg %q (wrong user and wrong password must read the same)", creds["username"], r.msg())
			}
		}
		r := s.call(t, http.MethodPost, "/admin/employee/login", nil, map[string]string{"username": "admin", "password": adminPass})
		expect(t, r, http.StatusOK, 1)
		login := decode[struct {
			ID       int64
			UserName string
			Name     string
			Token    string
		}](t, r)
		if login.ID <= 0 || login.UserName != "admin" || login.Name == "" || login.Token == "" {
			t.Fatalf("login = %+v", login)
		}
		admin := http.Header{"Token": {login.Token}}

		if got := s.alerts(t, admin); len(got) != 0 {
			t.Fatalf("alerts of a fresh shop = %+v", got)
		}
		first, second := s.submit(t, 7, "10"), s.submit(t, 8, "20.05")
		for _, o := range []submitted{first, second} {
			expect(t, s.call(t, http.MethodPut, "/user/order/payment", s.userHeader(t, 7+int64(o.OrderAmount/20)), map[string]any{"orderNumber": o.OrderNumber, "payMethod": 1}), http.StatusOK, 1)
		}
		r = s.call(t, http.MethodGet, "/admin/alerts?limit=1", admin, nil)
		newest := decode[[]alertFrame](t, r)
		if len(newest) != 1 || newest[0].OrderID != second.ID {
			t.Fatalf("newest alert = %+v, want the second order's", newest)
		}
		all := s.alerts(t, admin)
		r = s.call(t, http.MethodGet, "/admin/alerts?afterId="+strconv.FormatInt(all[0].ID, 10), admin, nil)
		if after := decode[[]alertFrame](t, r); len(after) != 1 || after[0] != all[1] {
			t.Fatalf("alerts after the first = %+v, want %+v", after, all[1:])
		}

		id := strconv.FormatInt(first.ID, 10)
		r = s.call(t, http.MethodGet, "/admin/order/details/"+id, admin, nil)
		expect(t, r, http.StatusOK, 1)
		if d := decode[orderDetail](t, r); d.Status != 2 || d.UserID != 7 || d.TransactionID == "" {
			t.Fatalf("admin detail = %+v", d)
		}
		r = s.call(t, http.MethodPut, "/admin/order/confirm", admin, map[string]any{"id": first.ID})
		expect(t, r, http.StatusOK, 1)
		if d := decode[orderDetail](t, r); d.Status != 3 {
			t.Fatalf("confirmed order = %+v", d)
		}
		r = s.call(t, http.MethodPut, "/admin/order/confirm", admin, map[string]any{"id": first.ID})
		expect(t, r, http.StatusConflict, 0)
		if r.msg() != "订单状态错误" {
			t.Errorf("confirm twice: msg %q", r.msg())
		}
		expect(t, s.call(t, http.MethodPut, "/admin/order/confirm", admin, map[string]any{"id": 987654}), http.StatusNotFound, 0)
		expect(t, s.call(t, http.MethodGet, "/admin/order/details/987654", admin, nil), http.StatusNotFound, 0)

		// A locked account (sky-take-out's status 0) cannot log in, with the right password.
		if _, err := s.db.NewRaw("UPDATE employees SET status = 0 WHERE username = 'admin'").Exec(t.Context()); err != nil {
			t.Fatal(err)
		}
		r = s.call(t, http.MethodPost, "/admin/employee/login", nil, map[string]string{"username": "admin", "password": adminPass})
		expect(t, r, http.StatusForbidden, 0)
		if r.msg() != "账号被锁定" {
			t.Errorf("locked account: msg %q", r.msg())
		}

		r = s.call(t, http.MethodPost, "/admin/ws/ticket", admin, nil)
		expect(t, r, http.StatusOK, 1)
		if ticket := decode[struct {
			Ticket    string
			ExpiresIn int
		}](t, r); ticket.Ticket == "" || ticket.ExpiresIn < 55 || ticket.ExpiresIn > 60 {
			t.Fatalf("ticket = %+v", ticket)
		}
	})
}
