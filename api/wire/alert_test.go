package wire_test

import (
	"encoding/json"
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
	// An ack's at is in UTC with milliseconds, whatever the zone it was taken in.
	byStaff := alert.Ack{AlertID: 123, By: alert.Actor{ID: 3, Name: "张三"}, SID: "front-desk", At: at.Add(48*time.Second + 250*time.Millisecond).In(time.FixedZone("CST", 8*3600))}
	ackedOwn := own
	ackedOwn.Ack = &byStaff
	eventOfPublished := alert.AckEvent(published, alert.Ack{By: alert.Actor{Name: "pms"}, At: at.Add(48 * time.Second)})
	eventOfPublished.ID = 130
	closedByUpgrade := alert.Reminder(1, 45, "1732699999123", at)
	closedByUpgrade.ID, closedByUpgrade.Ack = 9, &alert.Ack{AlertID: 9, At: at.Add(48 * time.Second)}
	for _, c := range []struct {
		a    alert.Alert
		want string
	}{
		{own, `{"id":123,"type":1,"shopId":1,"orderId":45,"orderNumber":"1732699999123","content":"订单号:1732699999123","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":null}`},
		{published, `{"id":124,"type":10,"shopId":3,"orderId":null,"orderNumber":"","content":"1203 加毛巾","source":"pms","createdAt":"2026-11-27T06:23:13Z","ack":null}`},
		{ackedOwn, `{"id":123,"type":1,"shopId":1,"orderId":45,"orderNumber":"1732699999123","content":"订单号:1732699999123","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":{"by":{"id":3,"name":"张三"},"sid":"front-desk","at":"2026-11-27T06:24:01.250Z"}}`},
		{alert.AckEvent(own, byStaff), `{"event":"ack","id":0,"alertId":123,"orderId":45,"shopId":1,"by":{"id":3,"name":"张三"},"sid":"front-desk","at":"2026-11-27T06:24:01.250Z"}`},
		{eventOfPublished, `{"event":"ack","id":130,"alertId":124,"orderId":null,"shopId":3,"by":{"id":null,"name":"pms"},"sid":null,"at":"2026-11-27T06:24:01.000Z"}`},
		{closedByUpgrade, `{"id":9,"type":2,"shopId":1,"orderId":45,"orderNumber":"1732699999123","content":"订单号:1732699999123","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":{"by":null,"sid":null,"at":"2026-11-27T06:24:01.000Z"}}`},
	} {
		if got := string(wire.Alert(c.a)); got != c.want {
			t.Errorf("Alert = %s\nwant    %s", got, c.want)
		}
	}
}

func TestAckIsTheAnswerOfAnAck(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 27, 6, 24, 1, 7_000_000, time.UTC)
	got, err := json.Marshal(wire.Ack(alert.Ack{AlertID: 123, By: alert.Actor{ID: 3, Name: "张三"}, At: at}))
	if want := `{"alertId":123,"by":{"id":3,"name":"张三"},"sid":null,"at":"2026-11-27T06:24:01.007Z"}`; err != nil || string(got) != want {
		t.Fatalf("Ack = %s, %v\nwant  %s", got, err, want)
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
