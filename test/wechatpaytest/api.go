package wechatpaytest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Answer is what the API stand-in answers every call (prepay, close, query).
type Answer int

// The stand-in's answers.
const (
	// AnswerAsWeChat answers from the trades the stand-in holds, as WeChat Pay would: a prepay
	// 200 {"prepay_id":"wx…"} (400 ORDERPAID once paid), a close 204 (400 ORDERPAID once paid),
	// a query the trade; each signed.
	AnswerAsWeChat       Answer = iota
	AnswerOrderPaid             // 400 ORDERPAID
	AnswerOutTradeNoUsed        // 400 OUT_TRADE_NO_USED
	AnswerServerError           // 500 SYSTEM_ERROR
	AnswerHang                  // nothing until the client gives up
	AnswerForged                // a 2xx signed with another key, as a man in the middle would
	AnswerUserPaying            // 202 USER_PAYING, signed: WeChat's answer to a close while the customer pays
)

// PrepayCall is one JSAPI prepay the stand-in received, after its checks passed.
type PrepayCall struct {
	AppID, MchID, Description, OutTradeNo, TimeExpire, NotifyURL string
	Total                                                        int64
	Currency, OpenID                                             string
	PrepayID                                                     string // what it answered, if a prepay
}

// API is a local stand-in of WeChat Pay's merchant API: JSAPI prepay (POST
// /v3/pay/transactions/jsapi), close-order (POST …/out-trade-no/{no}/close) and query (GET
// …/out-trade-no/{no}?mchid=…). It checks every request as WeChat Pay does (the merchant's
// Authorization signature with its public key, a timestamp within five minutes, the mchid and
// serial, the body's required fields) and signs its 2xx answers with the platform's key. A
// request that fails a check is answered 401 SIGN_ERROR or 400 PARAM_ERROR and recorded in
// Refusals. It keeps a trade per out_trade_no, which Pay pays as the customer would in WeChat.
type API struct {
	URL      string
	platform *Platform
	merchant *Merchant
	forger   *Platform // another key, for AnswerForged

	mu       sync.Mutex
	answer   Answer
	calls    []PrepayCall
	closes   []string
	queries  []string
	refusals []string
	trades   map[string]*trade
}

// NewAPI starts the stand-in for merchant, signing with platform; it stops with the test.
func NewAPI(t testing.TB, platform *Platform, merchant *Merchant) *API {
	t.Helper()
	a := &API{platform: platform, merchant: merchant, forger: NewPlatform(t), trades: map[string]*trade{}}
	srv := httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(srv.Close)
	a.URL = srv.URL
	return a
}

// Answer sets what the following calls are answered.
func (a *API) Answer(answer Answer) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.answer = answer
}

// Calls returns the prepays received so far, in order.
func (a *API) Calls() []PrepayCall {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]PrepayCall(nil), a.calls...)
}

// Refusals returns why requests were refused; a correct client has none.
func (a *API) Refusals() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.refusals...)
}

func (a *API) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	number, action, byNumber := strings.Cut(strings.TrimPrefix(r.URL.Path, outTradeNoPath), "/")
	var serve func(http.ResponseWriter, *http.Request, []byte, Answer)
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v3/pay/transactions/jsapi":
		serve = a.prepay
	case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, outTradeNoPath) && byNumber && action == "close":
		serve = func(w http.ResponseWriter, r *http.Request, body []byte, answer Answer) {
			a.close(w, r, number, body, answer)
		}
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, outTradeNoPath) && !byNumber:
		serve = func(w http.ResponseWriter, r *http.Request, _ []byte, answer Answer) { a.query(w, r, number, answer) }
	default:
		a.refuse(w, http.StatusNotFound, "RESOURCE_NOT_EXISTS", r.Method+" "+r.URL.Path)
		return
	}
	if reason := a.checkAuthorization(r, body); reason != "" {
		a.refuse(w, http.StatusUnauthorized, "SIGN_ERROR", reason)
		return
	}
	a.mu.Lock()
	answer := a.answer
	a.mu.Unlock()
	serve(w, r, body, answer)
}

// forced answers a call that passed its checks with the failure the test asked for; it is
// called only for an answer other than AnswerAsWeChat and AnswerForged.
func (a *API) forced(w http.ResponseWriter, r *http.Request, answer Answer) {
	switch answer {
	case AnswerOrderPaid:
		writeError(w, http.StatusBadRequest, "ORDERPAID", "该订单已支付")
	case AnswerOutTradeNoUsed:
		writeError(w, http.StatusBadRequest, "OUT_TRADE_NO_USED", "商户订单号重复")
	case AnswerServerError:
		writeError(w, http.StatusInternalServerError, "SYSTEM_ERROR", "系统错误")
	case AnswerHang:
		<-r.Context().Done()
	case AnswerUserPaying:
		a.signed(w, a.platform, http.StatusAccepted, `{"code":"USER_PAYING","message":"用户支付中"}`)
	}
}

// outTradeNoPath is where the calls about one order, by the merchant's number, begin.
const outTradeNoPath = "/v3/pay/transactions/out-trade-no/"

func (a *API) prepay(w http.ResponseWriter, r *http.Request, body []byte, answer Answer) {
	call, reason := a.checkPrepay(body)
	if reason != "" {
		a.refuse(w, http.StatusBadRequest, "PARAM_ERROR", reason)
		return
	}
	a.mu.Lock()
	if answer.failure() {
		a.calls = append(a.calls, call)
		a.mu.Unlock()
		a.forced(w, r, answer)
		return
	}
	code := a.hold(call)
	if code == "" {
		call.PrepayID = "wx" + time.Now().In(chinaTime).Format("20060102150405") + strconv.Itoa(len(a.calls)) + call.OutTradeNo
	}
	a.calls = append(a.calls, call)
	a.mu.Unlock()
	switch {
	case code != "":
		writeError(w, http.StatusBadRequest, code, code)
	default:
		a.signed(w, a.signer(answer), http.StatusOK, `{"prepay_id":"`+call.PrepayID+`"}`)
	}
}

// checkAuthorization checks the merchant's signature of METHOD\nURI\ntimestamp\nnonce\nbody\n.
func (a *API) checkAuthorization(r *http.Request, body []byte) string {
	scheme, params, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || scheme != SignatureType {
		return "no " + SignatureType + " Authorization"
	}
	fields := map[string]string{}
	for _, kv := range strings.Split(params, ",") {
		k, v, _ := strings.Cut(kv, "=")
		fields[k] = strings.Trim(v, `"`)
	}
	ts, err := strconv.ParseInt(fields["timestamp"], 10, 64)
	switch {
	case fields["mchid"] != a.merchant.MchID:
		return "mchid " + fields["mchid"] + " is not the merchant's"
	case fields["serial_no"] != a.merchant.Serial:
		return "serial_no " + fields["serial_no"] + " is not the merchant certificate's"
	case err != nil || time.Since(time.Unix(ts, 0)).Abs() >= 5*time.Minute:
		return "timestamp " + fields["timestamp"] + " is not within 5 minutes of now"
	case fields["nonce_str"] == "":
		return "no nonce_str"
	}
	message := r.Method + "\n" + r.URL.RequestURI() + "\n" + fields["timestamp"] + "\n" + fields["nonce_str"] + "\n" + string(body) + "\n"
	if verify(&a.merchant.Key.PublicKey, message, fields["signature"]) != nil {
		return "the signature does not verify with the merchant's public key"
	}
	return ""
}

func (a *API) checkPrepay(body []byte) (PrepayCall, string) {
	var req struct {
		AppID       string `json:"appid"`
		MchID       string `json:"mchid"`
		Description string `json:"description"`
		OutTradeNo  string `json:"out_trade_no"`
		TimeExpire  string `json:"time_expire"`
		NotifyURL   string `json:"notify_url"`
		Amount      struct {
			Total    int64  `json:"total"`
			Currency string `json:"currency"`
		} `json:"amount"`
		Payer struct {
			OpenID string `json:"openid"`
		} `json:"payer"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return PrepayCall{}, "the body is not JSON"
	}
	call := PrepayCall{
		AppID: req.AppID, MchID: req.MchID, Description: req.Description, OutTradeNo: req.OutTradeNo,
		TimeExpire: req.TimeExpire, NotifyURL: req.NotifyURL, Total: req.Amount.Total,
		Currency: req.Amount.Currency, OpenID: req.Payer.OpenID,
	}
	switch {
	case call.MchID != a.merchant.MchID:
		return call, "mchid " + call.MchID + " is not the signer's"
	case call.AppID == "" || call.Description == "" || call.OutTradeNo == "" || call.NotifyURL == "" || call.OpenID == "":
		return call, "appid, description, out_trade_no, notify_url and payer.openid are required"
	case call.Total <= 0:
		return call, "amount.total must be positive"
	}
	if _, err := time.Parse(time.RFC3339, call.TimeExpire); call.TimeExpire != "" && err != nil {
		return call, "time_expire is not RFC 3339"
	}
	return call, ""
}

// signed answers status with body signed by p as WeChat Pay signs its answers.
func (a *API) signed(w http.ResponseWriter, p *Platform, status int, body string) {
	h := p.header(testingT{}, &settings{now: time.Now(), serial: a.platform.KeyID, signer: p.PrivateKey}, []byte(body))
	for k, v := range h {
		w.Header()[k] = v
	}
	if body == "" {
		w.Header().Del("Content-Type")
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (a *API) refuse(w http.ResponseWriter, status int, code, reason string) {
	a.mu.Lock()
	a.refusals = append(a.refusals, reason)
	a.mu.Unlock()
	writeError(w, status, code, reason)
}

// writeError answers an error as WeChat Pay does: unsigned, {"code","message"}.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"code":%q,"message":%q}`, code, message)
}

// testingT lets the handler, which runs outside the test's goroutine, use the helpers that take
// a testing.TB: they fail only when crypto/rand does, and then it panics (the server answers 500).
type testingT struct{ testing.TB }

func (testingT) Helper() {}

func (testingT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
