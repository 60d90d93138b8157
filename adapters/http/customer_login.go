package http

import (
	"github.com/gofiber/fiber/v2"
)

// POST /user/user/login (DESIGN §16): the mini-program sends wx.login's code and gets
// sky-take-out's UserLoginVO, {id, openid, token}; the token goes in the authentication header.

type customerLoginRequest struct {
	Code string `json:"code"`
}

func (h *handlers) customerLogin(c *fiber.Ctx) error {
	var req customerLoginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Code == "" {
		return badRequestf("code 为必填项（wx.login 返回的 code）")
	}
	s, err := h.CustomerLogin.Execute(c.UserContext(), req.Code)
	if err != nil {
		return err
	}
	return ok(c, fiber.Map{"id": s.Customer.ID, "openid": s.Customer.OpenID, "token": s.Token.Value})
}
