package http

import (
	"errors"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/orderalert/orderalert/application"
)

// FuzzPublishDecoding feeds arbitrary bodies to POST /api/alerts' decoder: it must never panic,
// every refusal must be a badRequest (a 400, never a 500), and what it accepts must carry the
// key and no field it was told is invalid.
func FuzzPublishDecoding(f *testing.F) {
	for _, seed := range []string{
		`{"type":1,"shopId":1,"orderId":123,"orderNumber":"A-123","content":"订单号:A-123","idempotencyKey":"pay-A-123"}`,
		`{"type":10,"content":"1208 房需要加床"}`, `{"type":1,"shopId":0}`, `{"type":1,"orderId":-1}`,
		`{"type":"1"}`, `{"type":1e30}`, `{"content":""}`, `{"type":1,"idempotencyKey":""}`, `[]`, `{`, ``, `null`,
	} {
		f.Add([]byte(seed))
	}
	app := fiber.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		c := app.AcquireCtx(&fasthttp.RequestCtx{})
		defer app.ReleaseCtx(c)
		c.Request().SetBody(body)
		var req publishRequest
		err := decodeJSON(c, &req)
		if err == nil {
			var pub application.Publication
			pub, err = req.publication("oa_live_key")
			if err == nil && (pub.Key != "oa_live_key" || pub.ShopID < 0 || pub.OrderID < 0 || (req.Content != nil && pub.Content == "")) {
				t.Fatalf("accepted %q as %+v", body, pub)
			}
		}
		var bad badRequest
		if err != nil && !errors.As(err, &bad) {
			t.Fatalf("%q: %v is not a 400", body, err)
		}
	})
}
