package escalation_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/orderalert/orderalert/adapters/escalation"
	"github.com/orderalert/orderalert/test/botstandin"
)

// The credentials of the stand-ins, long enough to be credentials (see TestErrorsNeverCarryCredentials).
const (
	weComKey       = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
	dingTalkToken  = "1b2f6d4e9a8c7b6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d"
	dingTalkSecret = "SEC8f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5"
	feishuSecret   = "qQ2xFeishuSecretForTests9z"
	webhookSecret  = "webhook-secret-for-tests"
)

// created is 12:03 in UTC+8, the default zone of the text.
var created = time.Date(2025, 12, 3, 4, 3, 0, 0, time.UTC)

// bot is one kind with its stand-in.
type bot struct {
	kind  escalation.Kind
	start func(t *testing.T) *botstandin.Server
}

var bots = []bot{
	{escalation.Webhook, func(t *testing.T) *botstandin.Server { return botstandin.NewWebhook(t, webhookSecret) }},
	{escalation.WeCom, func(t *testing.T) *botstandin.Server { return botstandin.NewWeCom(t, weComKey) }},
	{escalation.DingTalk, func(t *testing.T) *botstandin.Server {
		return botstandin.NewDingTalk(t, dingTalkToken, dingTalkSecret)
	}},
	{escalation.Feishu, func(t *testing.T) *botstandin.Server { return botstandin.NewFeishu(t, feishuSecret) }},
}

// signedBots are the kinds whose requests carry a timestamp the service judges.
var signedBots = []bot{bots[2], bots[3]}

func item(id int64, number string) escalation.Item {
	return escalation.Item{
		AlertJSON:   []byte(fmt.Sprintf(`{"id":%d,"type":1,"orderNumber":%q,"content":"订单号:%s"}`, id, number, number)),
		ID:          id,
		KindName:    "新订单",
		OrderNumber: number,
		Content:     "订单号:" + number,
		CreatedAt:   created.Add(time.Duration(id-1) * time.Minute),
	}
}

func message(items ...escalation.Item) escalation.Message {
	return escalation.Message{
		Reason:   escalation.ReasonUnacknowledged,
		ShopName: "幸福小馆",
		Items:    items,
		At:       created.Add(2*time.Minute + 10*time.Second),
	}
}

func channel(k escalation.Kind, s *botstandin.Server) escalation.Channel {
	return escalation.Channel{ID: 7, ShopID: 1, Kind: k, URL: s.URL, Secret: s.Secret}
}

func body(t *testing.T, k escalation.Kind, m escalation.Message) []byte {
	t.Helper()
	b, err := escalation.Body(k, m)
	if err != nil {
		t.Fatalf("Body(%s): %v", k, err)
	}
	return b
}

// send makes one attempt of delivery 42 of m on s.
func send(t *testing.T, sender *escalation.Sender, k escalation.Kind, s *botstandin.Server, m escalation.Message) escalation.Result {
	t.Helper()
	return sender.Send(context.Background(), channel(k, s), 42, body(t, k, m))
}

func quickSender() *escalation.Sender {
	return &escalation.Sender{Client: &http.Client{Timeout: 200 * time.Millisecond}}
}

func expect(t *testing.T, r escalation.Result, o escalation.Outcome) {
	t.Helper()
	if r.Outcome != o {
		t.Fatalf("outcome %v (status %d, code %d, %v), want %v", r.Outcome, r.Status, r.Code, r.Err, o)
	}
	if (o == escalation.Sent) != (r.Err == nil) {
		t.Fatalf("outcome %v with error %v", r.Outcome, r.Err)
	}
}

func formatMillis(at time.Time) string { return strconv.FormatInt(at.UnixMilli(), 10) }

// redirector answers every request with a 307 to target.
func redirector(t *testing.T, target string) string {
	t.Helper()
	srv := httptest.NewServer(http.RedirectHandler(target, http.StatusTemporaryRedirect))
	t.Cleanup(srv.Close)
	return srv.URL + "/hop"
}
