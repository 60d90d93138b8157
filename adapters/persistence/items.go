package persistence

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/orderalert/orderalert/domain/alert"
	"github.com/orderalert/orderalert/domain/order"
)

// lines is what was ordered in an items column (orders.items, order_alerts.items): JSON text in
// the API's shape, [{"name":"宫保鸡丁","number":2,"amount":18.00}], amounts written from fen and
// read back exactly. No lines is NULL.
type lines []line

type line struct {
	Name   string `json:"name"`
	Number int    `json:"number"`
	Amount yuan   `json:"amount"`
}

// Value implements driver.Valuer.
func (l lines) Value() (driver.Value, error) {
	if len(l) == 0 {
		return nil, nil
	}
	b, err := json.Marshal([]line(l))
	if err != nil {
		return nil, fmt.Errorf("items column: %w", err)
	}
	return string(b), nil
}

// Scan implements sql.Scanner. A value that is not such a list fails the read: a row is never
// shown with part of what was ordered.
func (l *lines) Scan(src any) error {
	var raw []byte
	switch v := src.(type) {
	case nil:
		*l = nil
		return nil
	case []byte:
		raw = v
	case string:
		raw = []byte(v)
	default:
		return fmt.Errorf("items column: cannot read %T", src)
	}
	var read []line
	if err := json.Unmarshal(raw, &read); err != nil {
		return fmt.Errorf("items column: %w", err)
	}
	*l = read
	return nil
}

// MarshalJSON writes fen as yuan with two decimals, a JSON number.
func (y yuan) MarshalJSON() ([]byte, error) { return []byte(order.Money(y).String()), nil }

// UnmarshalJSON reads what MarshalJSON wrote, exactly.
func (y *yuan) UnmarshalJSON(b []byte) error {
	m, err := order.ParseYuan(string(b))
	if err != nil {
		return err
	}
	*y = yuan(m)
	return nil
}

// linesOf and itemsOf map a column's lines to an order's or an alert's items and back; no
// lines is nil either way.
func linesOf[T any](items []T, toLine func(T) line) lines {
	if len(items) == 0 {
		return nil
	}
	l := make(lines, len(items))
	for i, it := range items {
		l[i] = toLine(it)
	}
	return l
}

func itemsOf[T any](l lines, toItem func(line) T) []T {
	if len(l) == 0 {
		return nil
	}
	items := make([]T, len(l))
	for i, it := range l {
		items[i] = toItem(it)
	}
	return items
}

func orderLines(items []order.Item) lines {
	return linesOf(items, func(it order.Item) line { return line{Name: it.Name, Number: it.Number, Amount: yuan(it.Amount)} })
}

func (l lines) orderItems() []order.Item {
	return itemsOf(l, func(it line) order.Item {
		return order.Item{Name: it.Name, Number: it.Number, Amount: order.Money(it.Amount)}
	})
}

func alertLines(items []alert.Item) lines {
	return linesOf(items, func(it alert.Item) line { return line{Name: it.Name, Number: it.Number, Amount: yuan(it.Amount)} })
}

func (l lines) alertItems() []alert.Item {
	return itemsOf(l, func(it line) alert.Item {
		return alert.Item{Name: it.Name, Number: it.Number, Amount: int64(it.Amount)}
	})
}
