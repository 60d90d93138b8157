package http

import "github.com/gofiber/fiber/v2"

// envelope is sky-take-out's response shape on every JSON answer: code 1 success, 0 failure,
// msg a message for people (null on success), data the result. The mini-program looks only at
// code, so the HTTP status is for everyone else: proxies, logs and API clients.
type envelope struct {
	Code int     `json:"code"`
	Msg  *string `json:"msg"`
	Data any     `json:"data"`
}

func ok(c *fiber.Ctx, data any) error {
	return c.JSON(envelope{Code: 1, Data: data})
}

func fail(c *fiber.Ctx, status int, msg string, data any) error {
	return c.Status(status).JSON(envelope{Code: 0, Msg: &msg, Data: data})
}
