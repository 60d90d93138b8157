package component_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/orderalert/orderalert/domain/integration"
)

// route is one protected operation of api/openapi.yaml, ready to call.
type route struct {
	method, path, body string
	role               string // the scheme that opens it: "userToken", "adminToken" or "integrationKey"
}

// sampleBodies are well-formed bodies of the protected operations that take one, by operationId,
// so that a refusal can only come from the credential.
var sampleBodies = map[string]string{
	"submitOrder":     `{"amount":1}`,
	"payOrder":        `{"orderNumber":"1","payMethod":1}`,
	"confirmOrder":    `{"id":1}`,
	"createShop":      `{"name":"二号店"}`,
	"publishAlert":    `{"type":1,"shopId":1,"orderNumber":"A-1"}`,
	"ackPublished":    `{"idempotencyKey":"pay-A-1"}`,
	"ackAlert":        `{"sid":"front-desk"}`,
	"subscribePush":   `{"endpoint":"https://fcm.googleapis.com/fcm/send/x","keys":{"p256dh":"BAAA","auth":"AAAA"}}`,
	"unsubscribePush": `{"endpoint":"https://fcm.googleapis.com/fcm/send/x"}`,
}

// publicOperations are the operations of api/openapi.yaml that need no credential, and why. A
// new route without `security` fails TestEveryRouteIsInTheSpecWithItsCredential until it is
// listed here: forgetting a route's credential must be a decision, not an accident.
var publicOperations = map[string]string{
	"POST /admin/employee/login": "it hands out the admin token",
	"POST /user/user/login":      "it hands out the customer token, vouched for by WeChat",
	"POST /notify/paySuccess":    "WeChat Pay's callback, verified by its platform signature",
	"GET /healthz":               "load balancers",
	"GET /readyz":                "load balancers",
	"GET /metrics":               "Prometheus (DESIGN §5)",
}

// notREST are the Fiber routes that api/openapi.yaml does not describe, and where they are.
var notREST = map[string]string{
	"GET /ws/:sid":           "api/asyncapi.yaml; its credentials are tested by TestSocketUpgradeChecks",
	"GET /sdk/orderalert.js": "docs/sdk.md; a public file, served as TestTheClientLibraryIsServedForAnyFrontEnd checks",
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// protectedRoutes reads every operation with a security requirement from api/openapi.yaml, path
// parameters set to 1, so that a new route is tested the moment it is published.
func protectedRoutes(t *testing.T) []route {
	t.Helper()
	var routes []route
	for path, item := range loadSpec(t).Paths.Map() {
		for method, op := range item.Operations() {
			if op.Security == nil || len(*op.Security) == 0 {
				if _, ok := publicOperations[method+" "+path]; !ok {
					t.Errorf("%s %s has no security requirement in api/openapi.yaml and is not in publicOperations", method, path)
				}
				continue
			}
			rt := route{method: method, path: pathParam.ReplaceAllString(path, "1")}
			for _, req := range *op.Security {
				for scheme := range req {
					if scheme == "userToken" || scheme == "adminToken" || scheme == "integrationKey" {
						rt.role = scheme
					}
				}
			}
			if rt.role == "" {
				t.Fatalf("%s %s: no userToken, adminToken or integrationKey scheme in its security", method, path)
			}
			if op.RequestBody != nil {
				body, ok := sampleBodies[op.OperationID]
				if !ok {
					t.Fatalf("%s %s (%s) takes a body: add a sample to sampleBodies", method, path, op.OperationID)
				}
				rt.body = body
			}
			routes = append(routes, rt)
		}
	}
	if len(routes) < 8 {
		t.Fatalf("only %d protected routes read from the spec: %+v", len(routes), routes)
	}
	slices.SortFunc(routes, func(a, b route) int { return strings.Compare(a.path+a.method, b.path+b.method) })
	return routes
}

// TestEveryRouteIsInTheSpecWithItsCredential: every route the Fiber app serves is published in
// api/openapi.yaml (or listed in notREST), so that protectedRoutes sees it; every published
// operation is served; and the spec protects every /user and /admin route but login.
func TestEveryRouteIsInTheSpecWithItsCredential(t *testing.T) {
	t.Parallel()
	s := start(t, t.TempDir()+"/orderalert.db", nil)
	spec := loadSpec(t)
	published := map[string]bool{}
	for path, item := range spec.Paths.Map() {
		for method := range item.Operations() {
			published[method+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, r := range s.app.GetRoutes(true) {
		if r.Method == http.MethodHead { // Fiber adds HEAD to every GET
			continue
		}
		key := r.Method + " " + r.Path
		served[key] = true
		if _, ok := notREST[key]; ok {
			continue
		}
		if openapi := regexp.MustCompile(`:(\w+)`).ReplaceAllString(key, "{$1}"); !published[openapi] {
			t.Errorf("the app serves %s, which api/openapi.yaml does not describe", key)
		}
	}
	for op := range published {
		if !served[regexp.MustCompile(`\{(\w+)\}`).ReplaceAllString(op, ":$1")] {
			t.Errorf("api/openapi.yaml describes %s, which the app does not serve", op)
		}
	}
	protectedRoutes(t) // every published route has a credential or is listed as public
}

// badCredentials are every kind of credential that must open nothing, by name: each is refused
// on every protected route and on /ws, in every header and as ?ticket=.
func badCredentials(t *testing.T, s *service) map[string]string {
	t.Helper()
	hour := time.Now().Add(time.Hour).Unix()
	both := jwt.MapClaims{"empId": 1, "userId": 7, "exp": hour}
	past := time.Now().Add(-time.Minute).Unix()
	return map[string]string{
		"garbage":             "not-a-token",
		"three empty parts":   "..",
		"a truncated token":   s.userHeader(t, 7).Get("Authentication")[:40],
		"alg none":            sign(t, jwt.SigningMethodNone, both, jwt.UnsafeAllowNoneSignatureType),
		"alg none as ticket":  sign(t, jwt.SigningMethodNone, jwt.MapClaims{"empId": 1, "aud": "ws", "jti": "x", "exp": hour}, jwt.UnsafeAllowNoneSignatureType),
		"HS512":               sign(t, jwt.SigningMethodHS512, both, adminSecret),
		"wrong secret":        sign(t, jwt.SigningMethodHS256, both, []byte("a-secret-nobody-configured-0123456789")),
		"wrong secret ticket": sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "aud": "ws", "jti": "y", "exp": hour}, []byte("a-secret-nobody-configured-0123456789")),
		"expired admin":       sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "exp": past}, adminSecret),
		"expired user":        sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"userId": 7, "exp": past}, userSecret),
		"expired ticket":      sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "aud": "ws", "jti": "old", "exp": past}, adminSecret),
		"no expiry":           sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 1, "userId": 7}, adminSecret),
		"subject zero":        sign(t, jwt.SigningMethodHS256, jwt.MapClaims{"empId": 0, "userId": 0, "exp": hour}, adminSecret),
	}
}

// TestEveryProtectedRouteRefusesABadCredential tries every kind of bad credential, in every
// header, on every protected route of api/openapi.yaml: each is 401 and changes nothing.
func TestEveryProtectedRouteRefusesABadCredential(t *testing.T) {
	t.Parallel()
	routes := protectedRoutes(t)
	onEveryDatabase(t, func(t *testing.T, s *service) {
		ticket := s.ticket(t, s.adminHeader(t))
		user, admin := s.userHeader(t, 7).Get("Authentication"), s.adminHeader(t).Get("Token")
		type authCase struct {
			name string
			role string // the routes it is tried on
			cred string // "" sends no credential
		}
		cases := []authCase{
			{"no credential", "userToken", ""},
			{"no credential", "adminToken", ""},
			{"an admin token", "userToken", admin},
			{"a user token", "adminToken", user},
			{"a ticket", "userToken", ticket},
			{"a ticket", "adminToken", ticket},
		}
		revoked, live := s.integrationKey(t, "revoked", 0), s.integrationKey(t, "live", 0)
		s.revokeIntegration(t, "revoked")
		cases = append(cases,
			authCase{"no credential", "integrationKey", ""}, authCase{"an admin token", "integrationKey", admin},
			authCase{"a user token", "integrationKey", user}, authCase{"a ticket", "integrationKey", ticket},
			authCase{"a revoked key", "integrationKey", revoked}, authCase{"a key with one character changed", "integrationKey", changeLast(live)},
			authCase{"a key's hash", "integrationKey", integration.HashKey(live)})
		for name, tok := range badCredentials(t, s) {
			cases = append(cases, authCase{name, "userToken", tok}, authCase{name, "adminToken", tok}, authCase{name, "integrationKey", tok})
		}
		header := map[string]string{"userToken": "Authentication", "adminToken": "Token", "integrationKey": "Authorization"}
		tried := 0
		for _, c := range cases {
			forms := []http.Header{nil}
			if c.cred != "" {
				forms = []http.Header{{header[c.role]: {c.cred}}, {"Authorization": {"Bearer " + c.cred}}}
			}
			for _, form := range forms {
				for _, rt := range routes {
					if rt.role != c.role {
						continue
					}
					var body any
					if rt.body != "" {
						body = rt.body
					}
					r := s.call(t, rt.method, rt.path, form, body)
					tried++
					if r.Status != http.StatusUnauthorized || r.Code != 0 || r.msg() == "" {
						t.Errorf("%s (%v) on %s %s = %d %s, want 401", c.name, form, rt.method, rt.path, r.Status, truncate([]byte(r.Raw)))
					}
				}
			}
		}
		t.Logf("%d refused calls on %d routes", tried, len(routes))
		if n := s.count(t, "orders"); n != 0 {
			t.Fatalf("refused requests created %d orders", n)
		}
		if n := s.count(t, "order_alerts"); n != 0 {
			t.Fatalf("refused requests published %d alerts", n)
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
