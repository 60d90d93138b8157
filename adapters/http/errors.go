package http

import (
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/employee"
	"github.com/orderalert/orderalert/domain/order"
	"github.com/orderalert/orderalert/domain/push"
	"github.com/orderalert/orderalert/domain/shop"
)

// errorRule maps one error to a status and the message the original front ends show. detail
// appends the error's own text, for input errors whose cause the caller must see.
type errorRule struct {
	err    error
	status int
	msg    string
	detail bool
}

// errorTable is the one place where errors become HTTP answers; handlers just return them.
var errorTable = []errorRule{
	{order.ErrNotFound, fiber.StatusNotFound, "订单不存在", false},
	{alert.ErrNotFound, fiber.StatusNotFound, "提醒不存在", false},
	{alert.ErrInvalidAck, fiber.StatusBadRequest, "参数错误", true},
	{shop.ErrNotFound, fiber.StatusNotFound, "门店不存在", false},
	{shop.ErrForbidden, fiber.StatusForbidden, "无权访问该门店", false},
	{shop.ErrInvalid, fiber.StatusBadRequest, "门店参数错误", true},
	{application.ErrPlatformOnly, fiber.StatusForbidden, "仅平台人员可操作", false},
	{alert.ErrUnknownKind, fiber.StatusBadRequest, "未知的提醒类型", true},
	{alert.ErrInvalidKind, fiber.StatusBadRequest, "提醒类型参数错误", true},
	{alert.ErrKindTaken, fiber.StatusConflict, "提醒类型编码已存在", false},
	{application.ErrIdempotencyConflict, fiber.StatusConflict, "幂等键已用于另一条提醒", false},
	{application.ErrTooManyPublishes, fiber.StatusTooManyRequests, "发布提醒过于频繁，请稍后再试", false},
	{order.ErrStatus, fiber.StatusConflict, "订单状态错误", false},
	{application.ErrProviderPaid, fiber.StatusConflict, "订单已支付", false},
	{application.ErrTradeNumberUsed, fiber.StatusConflict, "该订单号已在微信支付用于另一笔交易，请联系商家", false},
	{application.ErrPaymentExpired, fiber.StatusConflict, "订单已超过支付时限，请重新下单", false},
	{application.ErrPayerUnknown, fiber.StatusBadRequest, "该用户未通过小程序登录，无法发起微信支付", false},
	{order.ErrReminderTooFrequent, fiber.StatusTooManyRequests, "催单过于频繁，请稍后再试", false},
	{order.ErrDuplicateNumber, fiber.StatusServiceUnavailable, "订单号生成冲突，请重试", false},
	{order.ErrInvalid, fiber.StatusBadRequest, "参数错误", true},
	{employee.ErrBadCredentials, fiber.StatusUnauthorized, "账号或密码错误", false},
	{employee.ErrLocked, fiber.StatusForbidden, "账号被锁定", false},
	{employee.ErrInvalid, fiber.StatusBadRequest, "参数错误", true},
	{push.ErrInvalid, fiber.StatusBadRequest, "推送订阅无效", true},
	{application.ErrInvalidInput, fiber.StatusBadRequest, "参数错误", true},
	// Revoked before unauthenticated, which it is too: the client must log in again.
	{application.ErrRevoked, fiber.StatusUnauthorized, "登录已失效，请重新登录", false},
	{application.ErrBadKey, fiber.StatusUnauthorized, "集成密钥无效或已吊销", false},
	{application.ErrLoginCodeRefused, fiber.StatusUnauthorized, "微信登录凭证无效或已使用，请重新登录", false},
	{application.ErrLoginCodeBlocked, fiber.StatusUnauthorized, "微信拦截了该账号的登录（风险账号），请联系微信客服", false},
	{application.ErrLoginThrottled, fiber.StatusTooManyRequests, "登录过于频繁，请一分钟后再试", false},
	{application.ErrUnauthenticated, fiber.StatusUnauthorized, "未登录或登录已过期", false},
	{application.ErrNotImplemented, fiber.StatusNotImplemented, "暂不支持", true},
	{application.ErrTooManyAttempts, fiber.StatusTooManyRequests, "登录失败次数过多，请稍后再试", false},
	{application.ErrLoginBusy, fiber.StatusServiceUnavailable, "登录请求过多，请稍后再试", false},
	// Refused socket upgrades: 429 when the admin has too many dashboards open (close one), 503
	// when this instance cannot take one (a balancer or the client tries another).
	{errForeignOrigin, fiber.StatusForbidden, "不允许的来源", false},
	{errAdminFull, fiber.StatusTooManyRequests, "该账号打开的看板过多，请关闭不用的看板后重试", true},
	{errInstanceFull, fiber.StatusServiceUnavailable, "看板连接数已达上限，请连接其他实例或稍后重试", false},
	{errDraining, fiber.StatusServiceUnavailable, "服务正在停止，请连接其他实例", false},
	// The database first: ErrDatabaseUnavailable is also an ErrUnavailable.
	{application.ErrDatabaseUnavailable, fiber.StatusServiceUnavailable, "数据库暂时不可用，请稍后重试", false},
	{application.ErrPaymentUnavailable, fiber.StatusServiceUnavailable, "微信支付暂时不可用，请稍后重试", false},
	{application.ErrUnavailable, fiber.StatusServiceUnavailable, "服务暂时不可用，请稍后重试", false},
}

// retryAfter is the Retry-After of a 503, in seconds: long enough for a dropped database
// connection to be replaced, short enough that a waiting customer is not kept long.
const retryAfter = "2"

// badRequest is input the handler could not decode.
type badRequest struct{ reason string }

func (e badRequest) Error() string { return e.reason }

func badRequestf(reason string) error { return badRequest{reason: reason} }

// errorHandler is Fiber's ErrorHandler: every error a handler returns is answered here.
func errorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		var bad badRequest
		if errors.As(err, &bad) {
			return fail(c, fiber.StatusBadRequest, "参数错误："+bad.reason, nil)
		}
		var retry *application.RetryAfterError
		if errors.As(err, &retry) {
			c.Set(fiber.HeaderRetryAfter, retryAfterSeconds(retry.After))
		}
		for _, rule := range errorTable {
			if errors.Is(err, rule.err) {
				msg := rule.msg
				if rule.detail {
					msg += "：" + detail(err, rule.err)
				}
				if rule.status == fiber.StatusServiceUnavailable {
					// Temporary: the client may try again; the operator needs the cause.
					if retry == nil {
						c.Set(fiber.HeaderRetryAfter, retryAfter)
					}
					requestLog(c, log).Warn("request refused for now", "method", c.Method(), "path", c.Path(), "err", err)
				}
				return fail(c, rule.status, msg, nil)
			}
		}
		var fe *fiber.Error
		if errors.As(err, &fe) && fe.Code == fiber.StatusRequestEntityTooLarge {
			drainOversized(c)
		}
		if errors.As(err, &fe) && fe.Code < fiber.StatusInternalServerError {
			return fail(c, fe.Code, fiberMessage(fe), nil)
		}
		requestLog(c, log).Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
		return fail(c, fiber.StatusInternalServerError, "服务器内部错误", nil)
	}
}

// retryAfterSeconds is a Retry-After value: whole seconds, rounded up, at least one.
func retryAfterSeconds(d time.Duration) string {
	return strconv.FormatInt(max(int64((d+time.Second-1)/time.Second), 1), 10)
}

// detail is the error's text after its sentinel's, which is the specific cause.
func detail(err, sentinel error) string {
	text := err.Error()
	if _, after, found := strings.Cut(text, sentinel.Error()+": "); found {
		return after
	}
	return text
}

// fiberMessage is the msg of a *fiber.Error: its own when a handler gave one, else a Chinese
// one for its status — never Fiber's English default ("Forbidden", "Upgrade Required").
func fiberMessage(fe *fiber.Error) string {
	switch fe.Code {
	case fiber.StatusNotFound:
		return "接口不存在"
	case fiber.StatusMethodNotAllowed:
		return "请求方法不被允许"
	case fiber.StatusRequestEntityTooLarge:
		return "请求体过大"
	case fiber.StatusForbidden:
		return "禁止访问"
	case fiber.StatusUpgradeRequired:
		return "请使用 WebSocket 连接"
	}
	if fe.Message == utils.StatusMessage(fe.Code) {
		return "请求错误"
	}
	return fe.Message
}
