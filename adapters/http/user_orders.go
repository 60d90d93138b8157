package http

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/orderalert/orderalert/domain/order"
)

// submitRequest is sky-take-out's OrdersSubmitDTO plus the delivery contact; only amount is
// required.
type submitRequest struct {
	ShopID                *int64          `json:"shopId"` // absent: shop 1
	AddressBookID         int64           `json:"addressBookId"`
	PayMethod             *int            `json:"payMethod"`
	Remark                string          `json:"remark"`
	EstimatedDeliveryTime string          `json:"estimatedDeliveryTime"`
	DeliveryStatus        *int            `json:"deliveryStatus"`
	TablewareNumber       int             `json:"tablewareNumber"`
	TablewareStatus       *int            `json:"tablewareStatus"`
	PackAmount            int             `json:"packAmount"`
	Amount                json.RawMessage `json:"amount"`
	Consignee             string          `json:"consignee"`
	Phone                 string          `json:"phone"`
	Address               string          `json:"address"`
	Items                 []itemRequest   `json:"items"` // absent, null or []: none
}

// draft is the order r asks for; a time written without a zone is in zone.
func (r submitRequest) draft(userID int64, zone *time.Location) (order.Draft, error) {
	amount, err := parseAmount(r.Amount)
	if err != nil {
		return order.Draft{}, err
	}
	items, err := orderItems(r.Items)
	if err != nil {
		return order.Draft{}, err
	}
	d := order.Draft{
		UserID: userID, AddressBookID: r.AddressBookID, PayMethod: order.PayMethodWeChat, Amount: amount,
		Remark: r.Remark, Phone: r.Phone, Address: r.Address, Consignee: r.Consignee,
		DeliveryStatus: 1, TablewareNumber: r.TablewareNumber, TablewareStatus: 1, PackAmount: r.PackAmount,
		Items: items,
	}
	if r.PayMethod != nil {
		d.PayMethod = order.PayMethod(*r.PayMethod)
	}
	if r.ShopID != nil {
		if *r.ShopID <= 0 {
			return order.Draft{}, badRequestf("shopId 必须是正整数")
		}
		d.ShopID = *r.ShopID
	}
	if err := oneOf("deliveryStatus", r.DeliveryStatus, &d.DeliveryStatus); err != nil {
		return order.Draft{}, err
	}
	if err := oneOf("tablewareStatus", r.TablewareStatus, &d.TablewareStatus); err != nil {
		return order.Draft{}, err
	}
	if r.AddressBookID < 0 || r.TablewareNumber < 0 || r.TablewareNumber > 99 || r.PackAmount < 0 || r.PackAmount > 1000 {
		return order.Draft{}, badRequestf("addressBookId、packAmount 不能为负，tablewareNumber 应在 0–99")
	}
	if r.EstimatedDeliveryTime != "" {
		t, err := parseTime(r.EstimatedDeliveryTime, zone)
		if err != nil {
			return order.Draft{}, err
		}
		d.EstimatedDeliveryTime = t
	}
	return d, nil
}

// oneOf reads a 0/1 flag of sky-take-out's (deliveryStatus, tablewareStatus).
func oneOf(name string, v *int, into *int) error {
	if v == nil {
		return nil
	}
	if *v != 0 && *v != 1 {
		return badRequestf(fmt.Sprintf("%s 只能是 0 或 1，收到 %d", name, *v))
	}
	*into = *v
	return nil
}

// parseAmount reads yuan from a JSON number or string, exactly: 42.5, 42.50 and "42.50" all
// give 4250 fen.
func parseAmount(raw json.RawMessage) (order.Money, error) { return parseYuan(raw, "amount") }

// parseYuan reads the amount field, sent as a JSON number or string, refusing it absent, null,
// negative or with more than two decimals.
func parseYuan(raw json.RawMessage, field string) (order.Money, error) {
	text := yuanText(raw)
	if text == "" {
		return 0, badRequestf("缺少必填字段 " + field)
	}
	m, err := order.ParseYuan(text)
	if err != nil {
		return 0, badRequestf(field + " 应为不小于 0、最多两位小数的金额，收到 " + truncate(text, 32))
	}
	return m, nil
}

func unquote(text string) (string, error) {
	var s string
	err := json.Unmarshal([]byte(text), &s)
	return s, err
}

// parseTime reads RFC 3339, or sky-take-out's "yyyy-MM-dd HH:mm:ss", which carries no zone, in
// zone (ORDERALERT_TIMEZONE).
func parseTime(s string, zone *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.ParseInLocation(time.DateTime, s, zone); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, badRequestf("estimatedDeliveryTime 应为 RFC 3339 或 \"yyyy-MM-dd HH:mm:ss\"，收到 " + truncate(s, 40))
}

func (h *handlers) submitOrder(c *fiber.Ctx) error {
	var req submitRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	d, err := req.draft(userID(c), h.compat.Zone)
	if err != nil {
		return err
	}
	o, err := h.Submit.Execute(c.UserContext(), d)
	if err != nil {
		return err
	}
	return ok(c, fiber.Map{"id": o.ID, "orderNumber": o.Number, "orderAmount": yuan(o.Amount), "orderTime": h.style().of(o.OrderTime)})
}

type paymentRequest struct {
	OrderNumber string `json:"orderNumber"`
	PayMethod   *int   `json:"payMethod"`
}

func (r paymentRequest) check() error {
	if r.OrderNumber == "" || len(r.OrderNumber) > 50 || r.PayMethod == nil {
		return badRequestf("orderNumber 和 payMethod 为必填项")
	}
	return nil
}

func (h *handlers) payOrder(c *fiber.Ctx) error {
	var req paymentRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := req.check(); err != nil {
		return err
	}
	p, err := h.Pay.Execute(c.UserContext(), userID(c), req.OrderNumber, order.PayMethod(*req.PayMethod))
	if err != nil {
		return err
	}
	if r := p.Request; r != nil {
		// sky-take-out's OrderPaymentVO, plus package and appId: exactly what wx.requestPayment takes.
		return ok(c, fiber.Map{
			"nonceStr": r.NonceStr, "paySign": r.PaySign, "timeStamp": r.TimeStamp, "signType": r.SignType,
			"packageStr": r.Package, "package": r.Package, "appId": r.AppID,
		})
	}
	o := p.Order
	return ok(c, fiber.Map{"orderNumber": o.Number, "status": int(o.Status), "payStatus": int(o.PayStatus), "checkoutTime": h.style().of(o.CheckoutTime)})
}

func (h *handlers) remindOrder(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := h.Remind.Execute(c.UserContext(), id, userID(c)); err != nil {
		return err
	}
	return ok(c, nil)
}

func (h *handlers) userOrderDetail(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	o, err := h.GetOrder.ForUser(c.UserContext(), id, userID(c))
	if err != nil {
		return err
	}
	return ok(c, newOrderView(o, h.style()))
}
