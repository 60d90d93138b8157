package hub

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
)

func TestEncodeIsTheWireFrame(t *testing.T) {
	t.Parallel()
	a := alert.NewOrder(45, "1732699999123", time.Date(2026, 11, 27, 6, 23, 13, 0, time.UTC))
	a.ID = 123
	want := `{"id":123,"type":1,"orderId":45,"orderNumber":"1732699999123","content":"订单号:1732699999123","createdAt":"2026-11-27T06:23:13Z"}`
	if got := string(encode(a)); got != want {
		t.Fatalf("encode = %s\nwant     %s", got, want)
	}
	if !json.Valid(heartbeatFrame) {
		t.Fatal("the heartbeat frame is not JSON")
	}
}

// BenchmarkEncode is the one encoding an alert gets, shared by every socket.
func BenchmarkEncode(b *testing.B) {
	a := alert.Reminder(45, "1732699999123", time.Now())
	a.ID = 123
	b.ReportAllocs()
	for b.Loop() {
		_ = encode(a)
	}
}
