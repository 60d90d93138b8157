package http

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/orderalert/orderalert/application"
)

// wechatReply is WeChat Pay's acknowledgement format, not the envelope: SUCCESS stops its
// retries, FAIL with a 4xx or 5xx status makes it retry (for up to a day).
type wechatReply struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// paySuccess receives WeChat Pay's payment notification. Each outcome gets the reply that makes
// WeChat Pay stop or keep retrying correctly (DESIGN §5): forged → 401, not ours → 400 plus an
// error log to reconcile, database unavailable → 503 and any other failure → 500 so that it
// retries, anything applied → 200.
func (h *handlers) paySuccess(c *fiber.Ctx) error {
	header := http.Header{}
	c.Request().Header.VisitAll(func(k, v []byte) { header.Add(string(k), string(v)) })
	body := append([]byte(nil), c.Body()...) // fasthttp reuses its buffer after the handler
	outcome, n, err := h.Notification.Execute(c.UserContext(), header, body)
	reqLog := requestLog(c, h.log)
	log := reqLog.With("out_trade_no", n.OutTradeNo, "transaction_id", n.TransactionID)
	switch {
	case errors.Is(err, application.ErrUnauthenticated):
		reqLog.Warn("payment notification failed verification", "err", err)
		return reply(c, fiber.StatusUnauthorized, "FAIL", "签名验证失败")
	case errors.Is(err, application.ErrNotImplemented):
		reqLog.Error("payment notification received but WeChat Pay is not configured", "err", err)
		return reply(c, fiber.StatusNotImplemented, "FAIL", "未配置微信支付")
	case errors.Is(err, application.ErrInvalidInput):
		reqLog.Error("verified payment notification is unreadable", "err", err)
		return reply(c, fiber.StatusBadRequest, "FAIL", "通知内容无法解析")
	case errors.Is(err, application.ErrNotificationRejected):
		log.Error("payment notification rejected: reconcile by hand", "reason", err)
		return reply(c, fiber.StatusBadRequest, "FAIL", "订单信息不符")
	case errors.Is(err, application.ErrUnavailable):
		log.Warn("payment notification not applied: database unavailable; WeChat Pay will retry", "err", err)
		c.Set(fiber.HeaderRetryAfter, retryAfter)
		return reply(c, fiber.StatusServiceUnavailable, "FAIL", "数据库暂时不可用，请稍后重试")
	case err != nil:
		log.Error("payment notification failed; WeChat Pay will retry", "err", err)
		return reply(c, fiber.StatusInternalServerError, "FAIL", "系统繁忙，请稍后重试")
	}
	logOutcome(log, outcome)
	return reply(c, fiber.StatusOK, "SUCCESS", "成功")
}

func logOutcome(log *slog.Logger, outcome application.NotificationOutcome) {
	switch outcome {
	case application.PaymentConfirmed:
		log.Info("order paid")
	case application.PaymentAlreadyPaid:
		log.Info("repeated payment notification ignored")
	case application.PaymentNotSuccessful:
		log.Info("payment notification without success ignored")
	case application.PaymentAfterCancel:
		log.Error("order paid after it was cancelled: refund needed")
	}
}

func reply(c *fiber.Ctx, status int, code, message string) error {
	return c.Status(status).JSON(wechatReply{Code: code, Message: message})
}
