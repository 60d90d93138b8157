package http

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderalert/orderalert/application"
)

// ClientCompat is how sky-take-out's REST routes answer (DESIGN §16, §20.11).
type ClientCompat struct {
	// SkyTakeOut answers the original sky-take-out clients as the Java service does, on
	// /user/**, /admin/employee/** and /admin/order/** only (ORDERALERT_CLIENT_COMPAT):
	// business failures as HTTP 200 with code 0, since their interceptors drop the body of any
	// other status; times as "yyyy-MM-dd HH:mm:ss" in Zone; order details with orderDetailList.
	SkyTakeOut bool
	// Zone is the zone of times written without one (ORDERALERT_TIMEZONE): read from requests
	// always, written in answers with SkyTakeOut. Nil is Asia/Shanghai's +08:00.
	Zone *time.Location
}

// withDefaults fills in the zone sky-take-out's times are in when none was configured.
func (cc ClientCompat) withDefaults() ClientCompat {
	if cc.Zone == nil {
		cc.Zone = time.FixedZone("CST", 8*60*60)
	}
	return cc
}

// compatPrefixes are the routes of sky-take-out's own clients that compat mode changes; never
// /notify/**, /api/**, /ws, frames or the endpoints of part two.
var compatPrefixes = []string{"/user/", "/admin/employee/", "/admin/order/"}

// rewritesStatus reports whether an answer of status to the endpoint route, caused by err, goes
// to a sky-take-out client as 200: every refusal but "log in (again)", which its interceptors
// handle by the 401 itself. A refused login (a wrong password, an invalid WeChat code) is a
// business failure, as the original answers it. Requests that matched no endpoint keep their
// status: the original's framework answers them 404 too.
func (cc ClientCompat) rewritesStatus(route string, status int, err error) bool {
	if !cc.SkyTakeOut || status < fiber.StatusBadRequest || status >= fiber.StatusInternalServerError || strings.HasSuffix(route, "/*") {
		return false
	}
	if !hasAnyPrefix(route, compatPrefixes) {
		return false
	}
	var fe *fiber.Error
	mustLogIn := errors.Is(err, application.ErrUnauthenticated) || (errors.As(err, &fe) && fe.Code == fiber.StatusUnauthorized)
	return status != fiber.StatusUnauthorized || !mustLogIn
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// style is how the handlers' answers are written: all of those with times or orders are on
// compat routes.
func (h *handlers) style() answerStyle {
	return answerStyle{skyTakeOut: h.compat.SkyTakeOut, local: h.compat.Zone}
}
