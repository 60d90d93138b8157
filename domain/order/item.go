package order

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of what one order may list (DESIGN §16): enough for any take-out order, small enough
// that the new-order alert that copies them stays a modest frame.
const (
	MaxItems          = 100
	MaxItemNameLength = 50 // characters, after trimming
	MaxItemNumber     = 99
)

// Item is one line of what was ordered, as sky-take-out's order_detail keeps it: the dish's
// name, how many, and the line's amount. orderalert has no cart or menu: it keeps what the
// customer's client sent, for the shop to read, and never sums it (the order's amount also
// holds packing and delivery).
type Item struct {
	Name   string
	Number int
	Amount Money
}

// checkItems returns the customer's list as the order keeps it — names trimmed, nil for none,
// never the caller's slice — or ErrInvalid naming the first line that breaks a rule, in the
// Chinese the mini-program shows its customer.
func checkItems(items []Item) ([]Item, error) {
	if len(items) > MaxItems {
		return nil, fmt.Errorf("%w: items 最多 %d 项，收到 %d 项", ErrInvalid, MaxItems, len(items))
	}
	if len(items) == 0 {
		return nil, nil
	}
	kept := make([]Item, len(items))
	for i, it := range items {
		it.Name = strings.TrimSpace(it.Name)
		if err := it.check(); err != nil {
			return nil, fmt.Errorf("%w: items[%d].%w", ErrInvalid, i, err)
		}
		kept[i] = it
	}
	return kept, nil
}

// check is the rules of one trimmed line; its error names the field.
func (it Item) check() error {
	switch n := utf8.RuneCountInString(it.Name); {
	case !utf8.ValidString(it.Name):
		return fmt.Errorf("name 不是合法的 UTF-8 文本")
	case n < 1 || n > MaxItemNameLength:
		return fmt.Errorf("name 应为 1–%d 个字符，收到 %d 个", MaxItemNameLength, n)
	case strings.IndexFunc(it.Name, breaksALine) >= 0:
		// The dashboard shows one line per item; a stored NUL is also what PostgreSQL refuses.
		return fmt.Errorf("name 不能含有控制字符或换行")
	case it.Number < 1 || it.Number > MaxItemNumber:
		return fmt.Errorf("number 应在 1–%d，收到 %d", MaxItemNumber, it.Number)
	case it.Amount < 0 || it.Amount > MaxAmount:
		return fmt.Errorf("amount 应在 0–%s，收到 %s", MaxAmount, it.Amount)
	}
	return nil
}

// breaksALine reports a control character (C0, DEL, C1: NUL, tab, newline…) or a Unicode line
// or paragraph separator.
func breaksALine(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// Equal reports whether o and p hold the same values, as == did before an Order held a slice
// of items: no items and an empty list are the same.
func (o Order) Equal(p Order) bool {
	if !slices.Equal(o.Items, p.Items) {
		return false
	}
	o.Items, p.Items = nil, nil
	return reflect.DeepEqual(o, p)
}
