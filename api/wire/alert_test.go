package wire_test

import (
	"testing"
	"time"

	"github.com/orderalert/orderalert/api/wire"
	"github.com/orderalert/orderalert/domain/alert"
)

func TestAlertIsTheWireObject(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 27, 6, 23, 13, 0, time.UTC)
	own := alert.NewOrder(1, 45, "1732699999123", at)
	own.ID = 123
	published := alert.Alert{ID: 124, Type: 10, ShopID: 3, Source: "pms", Content: "1203 加毛巾", CreatedAt: at}
	for _, c := range []struct {
		a    alert.Alert
		want string
	}{
		{own, `{"id":123,"type":1,"shopId":1,"orderId":45,"orderNumber":"1732699999123","content":"订单号:1732699999123","source":null,"createdAt":"2026-11-27T06:23:13Z"}`},
		{published, `{"id":124,"type":10,"shopId":3,"orderId":null,"orderNumber":"","content":"1203 加毛巾","source":"pms","createdAt":"2026-11-27T06:23:13Z"}`},
	} {
		if got := string(wire.Alert(c.a)); got != c.want {
			t.Errorf("Alert = %s\nwant    %s", got, c.want)
		}
	}
}

// BenchmarkAlert is the one encoding an alert gets, shared by every socket.
func BenchmarkAlert(b *testing.B) {
	a := alert.Reminder(1, 45, "1732699999123", time.Now())
	a.ID = 123
	b.ReportAllocs()
	for b.Loop() {
		_ = wire.Alert(a)
	}
}
