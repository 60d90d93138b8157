package wire

import (
	"time"
	"unicode/utf8"

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

// MaxPushContent is the longest content a push carries, in characters.
const MaxPushContent = 200

// Push is the payload of a's push, kind being its kind's name.
func Push(a alert.Alert, kind string, renotify bool) []byte {
	content := a.Content
	if utf8.RuneCountInString(content) > MaxPushContent {
		content = string([]rune(content)[:MaxPushContent-1]) + "…"
	}
	return marshal(pushJSON{
		ID: a.ID, Type: int(a.Type), ShopID: a.ShopID, Kind: kind, Content: content,
		CreatedAt: a.CreatedAt.UTC().Format(time.RFC3339), Renotify: renotify,
	})
}
