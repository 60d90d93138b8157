package wire

import (
	"encoding/json"
	"time"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
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
	// Ack is null while the alert is open.
	Ack *ackJSON `json:"ack"`
	// Items is what was ordered, on a new-order alert whose order listed it; absent otherwise,
	// so that every other frame stays the bytes the original front ends were written against.
	Items []itemJSON `json:"items,omitempty"`
}

// itemJSON is one line of what was ordered, with the amount in yuan as the order's is.
type itemJSON struct {
	Name   string `json:"name"`
	Number int    `json:"number"`
	Amount yuan   `json:"amount"`
}

// yuan is fen written as a JSON number with two decimals (18.00), without floating point.
type yuan int64

// MarshalJSON implements json.Marshaler.
func (y yuan) MarshalJSON() ([]byte, error) { return []byte(order.Money(y).String()), nil }

// ackJSON is who acknowledged an alert, from which screen, when.
type ackJSON struct {
	By  *actorJSON `json:"by"` // null for alerts closed by the upgrade to acknowledgements
	SID *string    `json:"sid"`
	At  string     `json:"at"`
}

// AckJSON is the answer to an ack: the ack with the alert it holds for.
type AckJSON struct {
	AlertID int64 `json:"alertId"`
	ackJSON
}

// actorJSON is an employee, or an integration (id null, name the integration's).
type actorJSON struct {
	ID   *int64 `json:"id"`
	Name string `json:"name"`
}

// eventJSON is an ack event (DESIGN §14): it has event where an alert has type.
type eventJSON struct {
	Event   string `json:"event"`
	ID      int64  `json:"id"`
	AlertID int64  `json:"alertId"`
	// OrderID is null for an ack of a published alert that names no order.
	OrderID *int64 `json:"orderId"`
	ShopID  int64  `json:"shopId"`
	ackJSON
}

// AckTimeFormat is RFC 3339 in UTC with milliseconds, as DESIGN §18 fixes for acks.
const AckTimeFormat = "2006-01-02T15:04:05.000Z07:00"

// Ack is the JSON object of one acknowledgement.
func Ack(k alert.Ack) AckJSON { return AckJSON{AlertID: k.AlertID, ackJSON: ackOf(k)} }

func ackOf(k alert.Ack) ackJSON {
	v := ackJSON{At: k.At.UTC().Format(AckTimeFormat)}
	if k.By != (alert.Actor{}) {
		v.By = &actorJSON{Name: k.By.Name}
		if k.By.ID != 0 {
			v.By.ID = &k.By.ID
		}
	}
	if k.SID != "" {
		v.SID = &k.SID
	}
	return v
}

// Alert is the JSON object of one row of the log: an alert or an event, as a frame on the
// socket, an alert as an element of the history.
func Alert(a alert.Alert) json.RawMessage {
	if a.IsEvent() {
		return event(a)
	}
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
	if a.Ack != nil {
		k := ackOf(*a.Ack)
		v.Ack = &k
	}
	for _, it := range a.Items {
		v.Items = append(v.Items, itemJSON{Name: it.Name, Number: it.Number, Amount: yuan(it.Amount)})
	}
	return marshal(v)
}

func event(a alert.Alert) json.RawMessage {
	v := eventJSON{Event: a.Event, ID: a.ID, ShopID: a.ShopID}
	if a.OrderID != 0 {
		v.OrderID = &a.OrderID
	}
	if a.Ack != nil {
		v.AlertID, v.ackJSON = a.Ack.AlertID, ackOf(*a.Ack)
	}
	return marshal(v)
}

func marshal(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // structs of strings and numbers always encode
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
