package wire_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/orderalert/orderalert/api/wire"
	"github.com/orderalert/orderalert/domain/alert"
)

// TestANewOrderFrameListsWhatWasOrdered: a new-order alert with items carries them, each amount
// a JSON number with two decimals; any other frame has no items field at all (the frames of
// TestAlertIsTheWireObject are the same bytes as before items existed).
func TestANewOrderFrameListsWhatWasOrdered(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 27, 6, 23, 13, 0, time.UTC)
	a := alert.NewOrder(1, 45, "1732699999123", at,
		alert.Item{Name: "宫保鸡丁", Number: 2, Amount: 1800}, alert.Item{Name: `"<米饭>"`, Number: 1, Amount: 5})
	a.ID = 123
	want := `{"id":123,"type":1,"shopId":1,"orderId":45,"orderNumber":"1732699999123","content":"订单号:1732699999123","source":null,"createdAt":"2026-11-27T06:23:13Z","ack":null,` +
		`"items":[{"name":"宫保鸡丁","number":2,"amount":18.00},{"name":"\"\u003c米饭\u003e\"","number":1,"amount":0.05}]}`
	if got := string(wire.Alert(a)); got != want {
		t.Fatalf("Alert = %s\nwant    %s", got, want)
	}
	plain := alert.NewOrder(1, 45, "1732699999123", at)
	plain.ID = 123
	if got := string(wire.Alert(plain)); strings.Contains(got, "items") {
		t.Fatalf("an alert without items: %s", got)
	}
	if got := string(wire.Alert(alert.AckEvent(a, alert.Ack{At: at}))); strings.Contains(got, "items") {
		t.Fatalf("an ack event of an alert with items: %s", got)
	}
}

// TestTheLargestFrame is the frame of an order at every limit (100 items of 50 three-byte
// characters): valid JSON of about 20 KB, far under the 64 KiB the socket's send buffer and
// the write buffers' pool are sized for.
func TestTheLargestFrame(t *testing.T) {
	t.Parallel()
	items := make([]alert.Item, 100)
	for i := range items {
		items[i] = alert.Item{Name: strings.Repeat("辣", 50), Number: 99, Amount: 100_000_00}
	}
	a := alert.NewOrder(1<<40, 1<<40, "17326999991231234", time.Now(), items...)
	a.ID = 1 << 50
	frame := wire.Alert(a)
	var v struct{ Items []json.RawMessage }
	if err := json.Unmarshal(frame, &v); err != nil || len(v.Items) != 100 {
		t.Fatalf("%d items, %v", len(v.Items), err)
	}
	if len(frame) > 24<<10 {
		t.Fatalf("the largest frame is %d bytes", len(frame))
	}
	t.Logf("the largest new-order frame is %d bytes", len(frame))
}
