package http

import (
	"errors"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// TestDecodeJSONRefusesTextItCannotKeep: text that encoding/json would silently replace, or a
// database would alter, is a 400; every other text, escaped or not, passes.
func TestDecodeJSONRefusesTextItCannotKeep(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{ // body → accepted
		`{"remark":"少放辣 🍜"}`:                true,
		`{"remark":"\ud83c\udf5c"}`:         true, // a surrogate pair is one character
		`{"remark":"\\u0000 \\ud800"}`:      true, // escaped backslashes: plain text
		`{"remark":"\" OR 1=1 --\u0001"}`:   true,
		`{"remark":"\u20ac\u0041"}`:         true,
		`{"remark":"a\u0000b"}`:             false,
		`{"\u0000":1}`:                      false, // a name is text too
		`{"remark":"\ud800"}`:               false,
		`{"remark":"\udc00\ud800"}`:         false,
		`{"remark":"\ud800\u0041"}`:         false,
		`{"remark":"\ud800\ud800"}`:         false,
		`{"remark":"x\\\ud800"}`:            false, // an escaped backslash, then a lone surrogate
		"{\"remark\":\"a\xffb\"}":           false,
		"{\"remark\":\"\xed\xa0\x80\"}":     false, // a surrogate in CESU-8 bytes
		"{\"remark\":\"ok\"}\n\xff":         false,
		`{"remark":"ok","amount":"\ud83c"}`: false,
	}
	app := fiber.New()
	for body, accepted := range cases {
		c := app.AcquireCtx(&fasthttp.RequestCtx{})
		c.Request().SetBody([]byte(body))
		var v map[string]any
		err := decodeJSON(c, &v)
		app.ReleaseCtx(c)
		var bad badRequest
		switch {
		case accepted && err != nil:
			t.Errorf("%q refused: %v", body, err)
		case !accepted && !errors.As(err, &bad):
			t.Errorf("%q = %v, want a badRequest", body, err)
		}
	}
}
