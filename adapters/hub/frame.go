package hub

import (
	"encoding/json"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
)

// frame is an alert on the socket, exactly as sky-take-out's front ends read it (type, orderId,
// content) plus id, orderNumber and createdAt (api/asyncapi.yaml).
type frame struct {
	ID          int64  `json:"id"`
	Type        int    `json:"type"`
	OrderID     int64  `json:"orderId"`
	OrderNumber string `json:"orderNumber"`
	Content     string `json:"content"`
	CreatedAt   string `json:"createdAt"`
}

// heartbeatFrame is sent every ping interval to sockets that asked for it (?heartbeat=1):
// browsers cannot see WebSocket pings.
var heartbeatFrame = []byte(`{"type":0}`)

func encode(a alert.Alert) []byte {
	b, err := json.Marshal(frame{
		ID: a.ID, Type: int(a.Type), OrderID: a.OrderID, OrderNumber: a.OrderNumber,
		Content: a.Content, CreatedAt: a.CreatedAt.UTC().Format(time.RFC3339),
	})
	if err != nil {
		panic(err) // a struct of strings and numbers always encodes
	}
	return b
}
