package http

import (
	"errors"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/orderalert/orderalert/domain/order"
)

// FuzzSubmitDecoding feeds arbitrary bodies to the submit decoder: it must never panic, every
// refusal must be a badRequest or an order.ErrInvalid (a 400, never a 500), and whatever it
// accepts must be an order the domain accepts too.
func FuzzSubmitDecoding(f *testing.F) {
	for _, seed := range []string{
		`{"amount":42.5,"payMethod":1,"remark":"少放辣"}`,
		`{"amount":"42.50","estimatedDeliveryTime":"2026-11-27 12:00:00","deliveryStatus":0,"tablewareStatus":0}`,
		`{"amount":1e3}`, `{"amount":-1}`, `{"amount":null}`, `{"amount":[1]}`, `[]`, `{`, ``, `{"amount":1} x`,
		`{"amount":100000.00,"tablewareNumber":99,"packAmount":1000,"addressBookId":9223372036854775807}`,
	} {
		f.Add([]byte(seed))
	}
	app := fiber.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		c := app.AcquireCtx(&fasthttp.RequestCtx{})
		defer app.ReleaseCtx(c)
		c.Request().SetBody(body)
		var req submitRequest
		err := decodeJSON(c, &req)
		var d order.Draft
		if err == nil {
			d, err = req.draft(7)
		}
		var bad badRequest
		if err != nil {
			if !errors.As(err, &bad) && !errors.Is(err, order.ErrInvalid) {
				t.Fatalf("refusal %v is not a 400", err)
			}
			return
		}
		if _, err := order.New(d, "1", time.Now()); err != nil && !errors.Is(err, order.ErrInvalid) {
			t.Fatalf("accepted draft refused oddly: %v", err)
		}
	})
}

// FuzzPositiveID: only canonical positive int64 ids pass, and nothing panics.
func FuzzPositiveID(f *testing.F) {
	for _, seed := range []string{"1", "0", "-1", "abc", "99999999999999999999", "9223372036854775807", "+5", " 5", "1e3"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		id, err := positiveID(raw, "id")
		if err == nil && id <= 0 {
			t.Fatalf("positiveID(%q) = %d", raw, id)
		}
	})
}
