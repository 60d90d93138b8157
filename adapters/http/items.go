package http

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/orderalert/orderalert/domain/order"
)

// itemRequest is one line of a submit's items (DESIGN §16), sky-take-out's order_detail as the
// mini-program has it in its cart: name, number and the line's amount in yuan.
type itemRequest struct {
	Name   string          `json:"name"`
	Number int             `json:"number"`
	Amount json.RawMessage `json:"amount"`
}

// orderItems reads the submit's lines; absent, null and [] are none. Only the amount's syntax
// is checked here; order.New owns every other rule, and the count.
func orderItems(lines []itemRequest) ([]order.Item, error) {
	if len(lines) == 0 {
		return nil, nil
	}
	items := make([]order.Item, len(lines))
	for i, l := range lines {
		m, err := parseYuan(l.Amount, fmt.Sprintf("items[%d].amount", i))
		if err != nil {
			return nil, err
		}
		items[i] = order.Item{Name: l.Name, Number: l.Number, Amount: m}
	}
	return items, nil
}

// yuanText is the text of an amount sent as a JSON number or string, "" when absent or null.
func yuanText(raw json.RawMessage) string {
	text := strings.TrimSpace(string(raw))
	if text == "null" {
		return ""
	}
	if unquoted, err := unquote(text); err == nil {
		return unquoted
	}
	return text
}
