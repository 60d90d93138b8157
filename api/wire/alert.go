package wire

import (
	"encoding/json"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
)

// alertJSON is an alert exactly as sky-take-out's front ends read it (type, orderId, content)
// plus id, shopId, orderNumber, source and createdAt.
type alertJSON struct {
	ID     int64 `json:"id"`
	Type   int   `json:"type"`
	ShopID int64 `json:"shopId"`
	// OrderID is null for a published alert that names no order.
	OrderID     *int64 `json:"orderId"`
	OrderNumber string `json:"orderNumber"`
	Content     string `json:"content"`
	// Source is the integration that published the alert, null for orderalert's own orders.
	Source    *string `json:"source"`
	CreatedAt string  `json:"createdAt"`
}

// Alert is the JSON object of one alert: a frame on the socket, an element of the history.
func Alert(a alert.Alert) json.RawMessage {
	v := alertJSON{
		ID: a.ID, Type: int(a.Type), ShopID: a.ShopID, OrderNumber: a.OrderNumber, Content: a.Content,
		CreatedAt: a.CreatedAt.UTC().Format(time.RFC3339),
	}
	if a.OrderID != 0 {
		v.OrderID = &a.OrderID
	}
	if a.Source != "" {
		v.Source = &a.Source
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // a struct of strings and numbers always encodes
	}
	return b
}

// Alerts is a list of alerts, each encoded as Alert does.
func Alerts(as []alert.Alert) []json.RawMessage {
	out := make([]json.RawMessage, len(as))
	for i, a := range as {
		out[i] = Alert(a)
	}
	return out
}
