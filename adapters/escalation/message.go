package escalation

import (
	"encoding/json"
	"time"

	"github.com/orderalert/orderalert/application"
)

// Why a message is sent (the webhook's "reason"): the schedule's reasons.
const (
	ReasonUnacknowledged = application.ReasonUnacknowledged
	ReasonNoScreen       = application.ReasonNoScreen
)

// Item is one alert as the message shows it.
type Item struct {
	AlertJSON   json.RawMessage // the alert's wire JSON, embedded as-is in the webhook body
	ID          int64
	KindName    string // 新订单, 顾客催单, …
	OrderNumber string
	Content     string
	CreatedAt   time.Time
}

// Message is one delivery: one alert, or several merged because the channel's rate was
// reached.
type Message struct {
	Reason   string // ReasonUnacknowledged or ReasonNoScreen
	ShopName string
	Items    []Item
	Timezone *time.Location // for the human text; nil is UTC+8, as ORDERALERT_TIMEZONE's default
	// At is when the message is composed, for "已 N 分钟无人处理". It is a field rather than
	// a clock so that Body stays a pure function of its input; zero leaves the minutes out.
	At time.Time
}
