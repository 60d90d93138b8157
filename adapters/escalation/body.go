package escalation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/orderalert/orderalert/domain/channel"
)

// The wire shapes of the four channels. Feishu's timestamp and sign are not here: they are
// added to a copy at each attempt (Sender.Send), since a stored one would go stale.
type (
	webhookBody struct {
		Event  string            `json:"event"`
		Alert  json.RawMessage   `json:"alert"`
		Alerts []json.RawMessage `json:"alerts"`
		Reason string            `json:"reason"`
	}
	// botText is WeCom's and DingTalk's text message; they share the shape.
	botText struct {
		MsgType string `json:"msgtype"`
		Text    struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	feishuText struct {
		MsgType string `json:"msg_type"`
		Content struct {
			Text string `json:"text"`
		} `json:"content"`
	}
)

// Body returns the body to store for the delivery, built once and frozen: a retry resends it.
//
// The webhook's body is {"event":"escalation","alert":…,"alerts":[…],"reason":…}: "alert" is
// the first item, and "alerts" lists every item, one element for a single alert too, so that
// a receiver reads one field whatever the rate did. The bots' bodies are text messages.
func Body(k Kind, m Message) ([]byte, error) {
	if err := m.check(k); err != nil {
		return nil, err
	}
	switch k {
	case Webhook:
		w := webhookBody{Event: "escalation", Alert: m.Items[0].AlertJSON, Reason: m.Reason}
		for _, it := range m.Items {
			w.Alerts = append(w.Alerts, it.AlertJSON)
		}
		return marshal(w)
	case WeCom, DingTalk:
		b := botText{MsgType: "text"}
		b.Text.Content = text(m)
		return marshal(b)
	case Feishu:
		b := feishuText{MsgType: "text"}
		b.Content.Text = text(m)
		return marshal(b)
	}
	_, err := channel.ParseKind(string(k))
	return nil, err
}

func (m Message) check(k Kind) error {
	if m.Reason != ReasonUnacknowledged && m.Reason != ReasonNoScreen {
		return fmt.Errorf("escalation message: unknown reason %q", m.Reason)
	}
	if len(m.Items) == 0 {
		return errors.New("escalation message: no alerts")
	}
	if k != Webhook {
		return nil
	}
	for _, it := range m.Items {
		if !json.Valid(it.AlertJSON) {
			return fmt.Errorf("escalation message: alert %d: its JSON is not valid", it.ID)
		}
	}
	return nil
}

// marshal is json.Marshal without HTML escaping: nobody renders these bodies as HTML, and
// "<" reads better in a receiver's log than "\u003c".
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("escalation body: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
