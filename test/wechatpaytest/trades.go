package wechatpaytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// trade is what WeChat Pay holds for one out_trade_no: the prepay that created it and its state.
type trade struct {
	call          PrepayCall
	state         string // NOTPAY, SUCCESS, CLOSED
	transactionID string
}

// hold records call's trade, or says which code refuses it: a paid or closed trade cannot be
// prepaid again, nor can a trade of the same number at another amount or payer. a.mu is held.
func (a *API) hold(call PrepayCall) (code string) {
	t, ok := a.trades[call.OutTradeNo]
	switch {
	case !ok:
		a.trades[call.OutTradeNo] = &trade{call: call, state: "NOTPAY"}
	case t.state == "SUCCESS":
		return "ORDERPAID"
	case t.state == "CLOSED":
		return "ORDER_CLOSED"
	case t.call.Total != call.Total || t.call.OpenID != call.OpenID || t.call.AppID != call.AppID:
		return "OUT_TRADE_NO_USED"
	}
	return ""
}

// Pay pays the order numbered outTradeNo as its customer would in WeChat, and returns the
// transaction its notification reports. It fails as WeChat's client would: no prepay, a closed
// or paid trade, or one past its time_expire.
func (a *API) Pay(outTradeNo string) (Transaction, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	t, ok := a.trades[outTradeNo]
	if !ok {
		return Transaction{}, fmt.Errorf("no prepay for order %s", outTradeNo)
	}
	if t.state != "NOTPAY" {
		return Transaction{}, fmt.Errorf("order %s is %s", outTradeNo, t.state)
	}
	if expires, err := time.Parse(time.RFC3339, t.call.TimeExpire); err == nil && !time.Now().Before(expires) {
		return Transaction{}, fmt.Errorf("order %s expired at %s", outTradeNo, t.call.TimeExpire)
	}
	t.state = "SUCCESS"
	t.transactionID = "4200" + strconv.FormatInt(time.Now().UnixNano(), 10)
	return a.transactionOf(t), nil
}

// TradeState returns the state of the trade numbered outTradeNo: NOTPAY, SUCCESS, CLOSED, or ""
// when no prepay created it.
func (a *API) TradeState(outTradeNo string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if t, ok := a.trades[outTradeNo]; ok {
		return t.state
	}
	return ""
}

// Closes returns the order numbers closes were asked for, in order, refused ones included.
func (a *API) Closes() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.closes...)
}

func (a *API) transactionOf(t *trade) Transaction {
	return Transaction{
		OutTradeNo: t.call.OutTradeNo, TransactionID: t.transactionID, TradeState: t.state,
		MchID: t.call.MchID, AppID: t.call.AppID, TotalFen: t.call.Total,
	}
}

// close is close-order: 204 with a signed empty body, or 400 ORDERPAID once paid.
func (a *API) close(w http.ResponseWriter, r *http.Request, number string, body []byte, answer Answer) {
	var req struct {
		MchID string `json:"mchid"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.MchID != a.merchant.MchID {
		a.refuse(w, http.StatusBadRequest, "PARAM_ERROR", "the close's mchid is not the signer's")
		return
	}
	a.record(&a.closes, number)
	if answer.failure() {
		a.forced(w, r, answer)
		return
	}
	a.mu.Lock()
	t, ok := a.trades[number]
	state := ""
	if ok {
		if t.state != "SUCCESS" {
			t.state = "CLOSED"
		}
		state = t.state
	}
	a.mu.Unlock()
	switch {
	case !ok:
		writeError(w, http.StatusNotFound, "ORDER_NOT_EXIST", "订单不存在")
	case state == "SUCCESS":
		writeError(w, http.StatusBadRequest, "ORDERPAID", "该订单已支付")
	default:
		a.signed(w, a.signer(answer), http.StatusNoContent, "")
	}
}

// query answers the trade as WeChat Pay's query by out_trade_no does.
func (a *API) query(w http.ResponseWriter, r *http.Request, number string, answer Answer) {
	if r.URL.Query().Get("mchid") != a.merchant.MchID {
		a.refuse(w, http.StatusBadRequest, "PARAM_ERROR", "the query's mchid is not the signer's")
		return
	}
	a.record(&a.queries, number)
	if answer.failure() {
		a.forced(w, r, answer)
		return
	}
	a.mu.Lock()
	t, ok := a.trades[number]
	var tx Transaction
	if ok {
		tx = a.transactionOf(t)
	}
	a.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "ORDER_NOT_EXIST", "订单不存在")
		return
	}
	a.signed(w, a.signer(answer), http.StatusOK, string(marshal(testingT{}, transaction(tx, time.Now()))))
}

// failure reports whether the answer is a failure forced whatever the trades hold.
func (ans Answer) failure() bool { return ans != AnswerAsWeChat && ans != AnswerForged }

// signer is the key a 2xx answer is signed with: the platform's, or another for AnswerForged.
func (a *API) signer(answer Answer) *Platform {
	if answer == AnswerForged {
		return a.forger
	}
	return a.platform
}

// record appends number to one of the call lists.
func (a *API) record(calls *[]string, number string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	*calls = append(*calls, number)
}

// Queries returns the order numbers queries were asked for, in order.
func (a *API) Queries() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.queries...)
}
