package http

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

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
			d, err = req.draft(7, ClientCompat{}.withDefaults().Zone)
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
		keptExactly(t, body, req.Remark, req.Phone, req.Address, req.Consignee)
	})
}

// decodeBody runs decodeJSON on body as a handler does and fails the test if a refusal is not
// a 400.
func decodeBody(t *testing.T, app *fiber.App, body []byte, v any) error {
	t.Helper()
	c := app.AcquireCtx(&fasthttp.RequestCtx{})
	defer app.ReleaseCtx(c)
	c.Request().SetBody(body)
	err := decodeJSON(c, v)
	var bad badRequest
	if err != nil && !errors.As(err, &bad) {
		t.Fatalf("refusal %v is not a 400", err)
	}
	return err
}

// decodeAndCheck decodes body into req and runs its check, and reports whether both accepted
// it; every refusal must be a 400.
func decodeAndCheck(t *testing.T, app *fiber.App, body []byte, req interface{ check() error }) bool {
	t.Helper()
	if decodeBody(t, app, body, req) != nil {
		return false
	}
	err := req.check()
	var bad badRequest
	if err != nil && !errors.As(err, &bad) {
		t.Fatalf("refusal %v is not a 400", err)
	}
	return err == nil
}

// keptExactly fails unless every accepted text is one a database keeps as it is, and is what the
// body said: U+FFFD only where the body has it, not put there for bytes it could not read.
func keptExactly(t *testing.T, body []byte, texts ...string) {
	t.Helper()
	sentReplacement := bytes.Contains(body, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(body), []byte(`\ufffd`))
	for _, s := range texts {
		switch {
		case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
			t.Fatalf("accepted text %q that a database would alter", s)
		case strings.ContainsRune(s, utf8.RuneError) && !sentReplacement:
			t.Fatalf("accepted text %q holds U+FFFD the body %q did not send", s, body)
		}
	}
}

// FuzzLoginDecoding: a login body is refused with a 400 or gives a username and password that
// are present, within their limits and exactly as sent.
func FuzzLoginDecoding(f *testing.F) {
	for _, seed := range []string{
		`{"username":"admin","password":"first admin's password"}`, `{"username":"admin"}`, `{"username":1,"password":"x"}`,
		`{"username":"a\u0000b","password":"x"}`, `{"username":"\ud800","password":"x"}`, "{\"username\":\"\xff\",\"password\":\"x\"}",
		`{"username":"' OR 1=1 --","password":"x"}`, `{"username":"` + strings.Repeat("a", 65) + `","password":"x"}`, `null`, `{}`,
	} {
		f.Add([]byte(seed))
	}
	app := fiber.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		var req loginRequest
		if !decodeAndCheck(t, app, body, &req) {
			return
		}
		if req.Username == "" || req.Password == "" || len(req.Username) > 64 || len(req.Password) > 128 {
			t.Fatalf("accepted %q / %q", req.Username, req.Password)
		}
		keptExactly(t, body, req.Username, req.Password)
	})
}

// FuzzPaymentDecoding: a payment body is refused with a 400 or gives an order number of 1–50
// bytes, exactly as sent, and a pay method.
func FuzzPaymentDecoding(f *testing.F) {
	for _, seed := range []string{
		`{"orderNumber":"1764224593000123","payMethod":1}`, `{"orderNumber":"1"}`, `{"payMethod":1}`,
		`{"orderNumber":"'; DROP TABLE orders;--","payMethod":2}`, `{"orderNumber":"1","payMethod":"1"}`,
		`{"orderNumber":"1","payMethod":1.5}`, `{"orderNumber":"\ud83c\udf5c","payMethod":1}`, `{"orderNumber":"` + strings.Repeat("1", 51) + `","payMethod":1}`,
	} {
		f.Add([]byte(seed))
	}
	app := fiber.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		var req paymentRequest
		if !decodeAndCheck(t, app, body, &req) {
			return
		}
		if req.OrderNumber == "" || len(req.OrderNumber) > 50 || req.PayMethod == nil {
			t.Fatalf("accepted %+v", req)
		}
		keptExactly(t, body, req.OrderNumber)
	})
}

// FuzzConfirmDecoding: a confirm body is refused with a 400 or gives a positive id.
func FuzzConfirmDecoding(f *testing.F) {
	for _, seed := range []string{`{"id":1}`, `{"id":0}`, `{"id":-1}`, `{"id":"1"}`, `{"id":1.5}`, `{"id":1e3}`, `{"id":99999999999999999999}`, `{}`, `{"id":null}`} {
		f.Add([]byte(seed))
	}
	app := fiber.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		var req confirmRequest
		if decodeBody(t, app, body, &req) != nil {
			return
		}
		err := req.check()
		var bad badRequest
		switch {
		case err != nil && !errors.As(err, &bad):
			t.Fatalf("refusal %v is not a 400", err)
		case err == nil && (req.ID == nil || *req.ID <= 0):
			t.Fatalf("accepted id %v", req.ID)
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
