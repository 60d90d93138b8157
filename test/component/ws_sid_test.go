package component_test

import (
	"net/http"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/orderalert/orderalert/application"
)

// TestSidsAreUniqueWithinOneAdminAccount: two admin accounts that both open a dashboard named
// shop-tv have two dashboards — both stay open and both ring — while the same account opening
// shop-tv again replaces its older socket with 4509 (do not reconnect), and only that one.
func TestSidsAreUniqueWithinOneAdminAccount(t *testing.T) {
	t.Parallel()
	var create application.CreateEmployee
	s := start(t, t.TempDir()+"/orderalert.db", nil, fx.Populate(&create))
	const secondPass = "second admin's password"
	if _, err := create.Execute(t.Context(), "二号店长", "second", secondPass, application.Workplace{}); err != nil {
		t.Fatal(err)
	}
	r := s.call(t, http.MethodPost, "/admin/employee/login", nil, map[string]string{"username": "second", "password": secondPass})
	expect(t, r, http.StatusOK, 1)
	first, second := s.adminHeader(t), http.Header{"Token": {decode[struct{ Token string }](t, r).Token}}
	user := s.userHeader(t, 7)

	mine := s.connect(t, first, "shop-tv", -1)
	theirs := s.connect(t, second, "shop-tv", -1)
	waitAttached(t, s, []*dashboard{mine, theirs})
	if err := s.payNewOrder(t, user); err != nil {
		t.Fatal(err)
	}
	want := mine.next(t, 5*time.Second)
	if got := theirs.next(t, 5*time.Second); got != want {
		t.Fatalf("the other account's shop-tv got %+v, want %+v", got, want)
	}

	again := s.connect(t, first, "shop-tv", -1)
	if code := mine.closedWith(t, 5*time.Second); code != 4509 {
		t.Fatalf("the first account's older shop-tv: close %d, want 4509", code)
	}
	waitAttached(t, s, []*dashboard{again, theirs})
	if err := s.payNewOrder(t, user); err != nil {
		t.Fatal(err)
	}
	want = again.next(t, 5*time.Second)
	if got := theirs.next(t, 5*time.Second); got != want {
		t.Fatalf("after the first account reopened shop-tv, the other's got %+v, want %+v", got, want)
	}
}
