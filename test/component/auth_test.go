package component_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

type route struct{ method, path, body string }

var (
	userRoutes = []route{
		{http.MethodPost, "/user/order/submit", `{"amount":1}`},
		{http.MethodPut, "/user/order/payment", `{"orderNumber":"1","payMethod":1}`},
		{http.MethodGet, "/user/order/reminder/1", ""},
		{http.MethodGet, "/user/order/orderDetail/1", ""},
	}
	adminRoutes = []route{
		{http.MethodGet, "/admin/alerts", ""},
		{http.MethodPost, "/admin/ws/ticket", ""},
		{http.MethodGet, "/admin/order/details/1", ""},
		{http.MethodPut, "/admin/order/confirm", `{"id":1}`},
	}
)

// TestEveryProtectedRouteRefusesABadCredential tries every kind of bad credential on every
// protected route: each is 401 and changes nothing.
func TestEveryProtectedRouteRefusesABadCredential(t *testing.T) {
	t.Parallel()
	onEveryDatabase(t, func(t *testing.T, s *service) {
		hour := time.Now().Add(time.Hour).Unix()
		ticket := s.call(t, http.MethodPost, "/admin/ws/ticket", s.adminHeader(t), nil)
		ticketValue := decode[struct{ Ticket string }](t, ticket).Ticket
		forged := map[string]string{
			"garbage":       "not-a-token",
			"alg none":      sign(t, jwt.SigningMethodNone, jwt.MapClaims{"empId": 1, "userId": 1, "exp": hour}, jwt.UnsafeAllowNoneSignatureType),
			"HS512":         sign(t, jwt.SigningMethodHS512, jwt.MapClaims{"empId": 1, "userId": 1, "exp": hour}, adminSecret),
			"wrong secret":  sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "userId": 1, "exp": hour}, []byte("a-secret-nobody-configured-0123456789")),
			"expired admin": sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "exp": time.Now().Add(-time.Minute).Unix()}, adminSecret),
			"expired user":  sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"userId": 7, "exp": time.Now().Add(-time.Minute).Unix()}, userSecret),
			"no expiry":     sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "userId": 7}, adminSecret),
			"a ticket":      ticketValue,
		}
		user, admin := s.userHeader(t, 7).Get("Authentication"), s.adminHeader(t).Get("Token")
		type authCase struct {
			name   string
			routes []route
			header http.Header
		}
		cases := []authCase{
			{"no credential on user routes", userRoutes, nil},
			{"no credential on admin routes", adminRoutes, nil},
			{"an admin token on user routes", userRoutes, http.Header{"Authentication": {admin}}},
			{"a user token on admin routes", adminRoutes, http.Header{"Token": {user}}},
			{"a user token as bearer on admin routes", adminRoutes, http.Header{"Authorization": {"Bearer " + user}}},
		}
		for name, tok := range forged {
			cases = append(cases,
				authCase{name + " on user routes", userRoutes, http.Header{"Authentication": {tok}}},
				authCase{name + " on admin routes", adminRoutes, http.Header{"Token": {tok}}})
		}
		for _, c := range cases {
			for _, rt := range c.routes {
				var body any
				if rt.body != "" {
					body = rt.body
				}
				r := s.call(t, rt.method, rt.path, c.header, body)
				if r.Status != http.StatusUnauthorized || r.Code != 0 || r.msg() == "" {
					t.Errorf("%s: %s %s = %d %s, want 401", c.name, rt.method, rt.path, r.Status, r.Raw)
				}
			}
		}
		if n := s.count(t, "orders"); n != 0 {
			t.Fatalf("refused requests created %d orders", n)
		}
		// The same credentials, well formed, are accepted in either header form.
		expect(t, s.call(t, http.MethodGet, "/admin/alerts", http.Header{"Authorization": {"Bearer " + admin}}, nil), http.StatusOK, 1)
		expect(t, s.call(t, http.MethodPost, "/user/order/submit", http.Header{"Authorization": {"Bearer " + user}}, `{"amount":1}`), http.StatusOK, 1)
	})
}

func sign(t *testing.T, method jwt.SigningMethod, claims jwt.MapClaims, key any) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
