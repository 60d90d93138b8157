package wechatpay_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/test/wechatpaytest"
)

// FuzzOpen sends Open a valid notification with its headers and body mutated. Open must never
// panic, every error must wrap exactly one of the two sentinels, and no body but the one signed
// may be accepted.
//
// Each fuzzing worker is a process with a platform of its own, so seeds made by one are forged
// for another: there only refusals are expected. The seeds run in the process that made them, by
// go test, where the valid one must be accepted.
func FuzzOpen(f *testing.F) {
	p := wechatpaytest.NewPlatform(f)
	n := notifications(f, p)
	header, body := p.Notification(f, paid)
	serial, ts, nonce, sig := header.Get("Wechatpay-Serial"), header.Get("Wechatpay-Timestamp"), header.Get("Wechatpay-Nonce"), header.Get("Wechatpay-Signature")

	f.Add(serial, ts, nonce, sig, body)
	f.Add(serial, ts, nonce, sig, flip(body, len(body)/2))
	f.Add(serial, ts, nonce, sig, body[:len(body)-1])
	f.Add(serial, ts, nonce, sig, append(bytes.Clone(body), ' '))
	f.Add(" "+serial, "0"+ts, nonce+" ", sig+"\n", body) // the same values, differently written
	f.Add(serial+"0", ts, nonce, sig, body)
	f.Add(serial, ts+"0", nonce, sig, body)
	f.Add(serial, ts, nonce, sig[:len(sig)-4], body)
	// The body's first byte moved into the nonce: the same signed message, another body.
	f.Add(serial, ts, nonce+"\n"+string(body[:1]), sig, body[1:])

	f.Fuzz(func(t *testing.T, s, timestamp, nonce, signature string, b []byte) {
		h := header.Clone()
		h.Set("Wechatpay-Serial", s)
		h.Set("Wechatpay-Timestamp", timestamp)
		h.Set("Wechatpay-Nonce", nonce)
		h.Set("Wechatpay-Signature", signature)
		got, err := n.Open(context.Background(), h, b)
		checkSentinels(t, err)
		switch {
		case err == nil && !bytes.Equal(b, body):
			t.Fatalf("accepted a body that was not signed: %q", b)
		case err == nil && got != notice(paid):
			t.Fatalf("Open = %+v, want %+v", got, notice(paid))
		case err != nil && s == serial && timestamp == ts && nonce == header.Get("Wechatpay-Nonce") && signature == sig && bytes.Equal(b, body):
			t.Fatalf("the valid notification was refused: %v", err)
		}
	})
}

// fuzzAPIv3Key replaces the random APIv3 key in FuzzSignedBody, so that the ciphertexts of the
// seeds, made in one process, still decrypt in the fuzzing workers.
const fuzzAPIv3Key = "fuzz-apiv3-key-0123456789abcdef!"

// FuzzSignedBody sends Open bodies that the platform signs: WeChat Pay sending something odd.
// Open must never panic (the SDK would, on some of them) and never call such a notification
// unauthenticated, only unreadable. Signing makes each run slow: fuzz it on its own.
func FuzzSignedBody(f *testing.F) {
	p := wechatpaytest.NewPlatform(f)
	p.APIv3Key = fuzzAPIv3Key
	n := notifications(f, p)
	_, body := p.Notification(f, paid)
	_, noResource := p.Notification(f, paid, wechatpaytest.WithoutBodyField("resource"))
	_, noAmount := p.Notification(f, paid, wechatpaytest.WithoutTransactionField("amount"))

	f.Add(body)
	f.Add(noResource)
	f.Add(noAmount)
	f.Add(bytes.Replace(body, []byte(`"nonce":"`), []byte(`"nonce":"x`), 1))
	f.Add([]byte(`{"resource":null}`))
	f.Add([]byte(`null`))

	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := n.Open(context.Background(), p.SignedHeader(t, b), b)
		checkSentinels(t, err)
		if errors.Is(err, application.ErrUnauthenticated) {
			t.Fatalf("a body signed now by the platform was refused as unauthenticated: %v", err)
		}
	})
}

func checkSentinels(t *testing.T, err error) {
	t.Helper()
	if err != nil && errors.Is(err, application.ErrUnauthenticated) == errors.Is(err, application.ErrInvalidInput) {
		t.Fatalf("error %v wraps both sentinels or neither", err)
	}
}

func notice(tx wechatpaytest.Transaction) application.PaymentNotice {
	return application.PaymentNotice{
		OutTradeNo: tx.OutTradeNo, TransactionID: tx.TransactionID, TradeState: tx.TradeState,
		MchID: tx.MchID, AppID: tx.AppID, TotalFen: tx.TotalFen,
	}
}

func flip(b []byte, i int) []byte {
	b = bytes.Clone(b)
	b[i] ^= 1
	return b
}
