package wire

import (
	"time"

	"github.com/orderalert/orderalert/domain/alert"
)

// pushJSON is what a dashboard's service worker receives in a push (DESIGN §20.10): no items,
// no customer data beyond the content, small enough for any push service.
type pushJSON struct {
	ID        int64  `json:"id"`
	Type      int    `json:"type"`
	ShopID    int64  `json:"shopId"`
	Kind      string `json:"kind"`
	Content   string `json:"content"`
	CreatedAt string `json:"createdAt"`
	// Renotify is true when an escalation pushes the alert again: the notification with its tag
	// is shown, and sounds, anew.
	Renotify bool `json:"renotify"`
}

// Push is the payload of a's push, kind being its kind's name. The content is an alert's, at
// most alert.MaxContentLength characters, so the payload stays far below 2 KiB.
func Push(a alert.Alert, kind string, renotify bool) []byte {
	return marshal(pushJSON{
		ID: a.ID, Type: int(a.Type), ShopID: a.ShopID, Kind: kind, Content: a.Content,
		CreatedAt: a.CreatedAt.UTC().Format(time.RFC3339), Renotify: renotify,
	})
}
