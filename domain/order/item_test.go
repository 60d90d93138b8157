package order_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/orderalert/orderalert/domain/order"
)

func draftWith(items ...order.Item) order.Draft {
	return order.Draft{UserID: 7, PayMethod: order.PayMethodWeChat, Amount: 4250, Items: items}
}

func TestNewKeepsWhatWasOrdered(t *testing.T) {
	t.Parallel()
	items := []order.Item{{Name: " 宫保鸡丁\u3000", Number: 2, Amount: 1800}, {Name: "米饭", Number: 1, Amount: 0}}
	o, err := order.New(draftWith(items...), "1", now)
	if err != nil {
		t.Fatal(err)
	}
	want := []order.Item{{Name: "宫保鸡丁", Number: 2, Amount: 1800}, {Name: "米饭", Number: 1, Amount: 0}}
	if len(o.Items) != 2 || o.Items[0] != want[0] || o.Items[1] != want[1] {
		t.Fatalf("Items = %+v, want %+v (names trimmed)", o.Items, want)
	}
	items[1].Name = "changed by the caller"
	if o.Items[1].Name != "米饭" {
		t.Fatal("the order shares the draft's slice")
	}
	for name, none := range map[string][]order.Item{"nil": nil, "empty": {}} {
		if o, err := order.New(draftWith(none...), "1", now); err != nil || o.Items != nil {
			t.Errorf("%s items: Items = %#v, %v; want nil", name, o.Items, err)
		}
	}
	full := make([]order.Item, order.MaxItems)
	for i := range full {
		full[i] = order.Item{Name: strings.Repeat("辣", order.MaxItemNameLength), Number: order.MaxItemNumber, Amount: order.MaxAmount}
	}
	if o, err := order.New(draftWith(full...), "1", now); err != nil || len(o.Items) != order.MaxItems {
		t.Fatalf("100 items at every limit: %d items, %v", len(o.Items), err)
	}
}

func TestNewRefusesItemsThatBreakARule(t *testing.T) {
	t.Parallel()
	ok := order.Item{Name: "宫保鸡丁", Number: 2, Amount: 1800}
	with := func(change func(*order.Item)) []order.Item {
		bad := ok
		change(&bad)
		return []order.Item{ok, ok, ok, bad}
	}
	cases := []struct {
		name  string
		items []order.Item
		want  string // the detail the customer sees
	}{
		{"101 items", make([]order.Item, order.MaxItems+1), "items 最多 100 项，收到 101 项"},
		{"number 0", with(func(i *order.Item) { i.Number = 0 }), "items[3].number 应在 1–99，收到 0"},
		{"number 100", with(func(i *order.Item) { i.Number = 100 }), "items[3].number 应在 1–99，收到 100"},
		{"no name", with(func(i *order.Item) { i.Name = "" }), "items[3].name 应为 1–50 个字符，收到 0 个"},
		{"a name of spaces", with(func(i *order.Item) { i.Name = " \u3000 " }), "items[3].name 应为 1–50 个字符，收到 0 个"},
		{"a name of 51 characters", with(func(i *order.Item) { i.Name = strings.Repeat("辣", 51) }), "items[3].name 应为 1–50 个字符，收到 51 个"},
		{"a line break in a name", with(func(i *order.Item) { i.Name = "宫保\n鸡丁" }), "items[3].name 不能含有控制字符或换行"},
		{"a NUL in a name", with(func(i *order.Item) { i.Name = "宫保\x00鸡丁" }), "items[3].name 不能含有控制字符或换行"},
		{"a line separator in a name", with(func(i *order.Item) { i.Name = "宫保\u2028鸡丁" }), "items[3].name 不能含有控制字符或换行"},
		{"invalid UTF-8 in a name", with(func(i *order.Item) { i.Name = "宫保\xff" }), "items[3].name 不是合法的 UTF-8 文本"},
		{"a negative amount", with(func(i *order.Item) { i.Amount = -1 }), "items[3].amount 应在 0–100000.00，收到 -0.01"},
		{"an amount over the maximum", with(func(i *order.Item) { i.Amount = order.MaxAmount + 1 }), "items[3].amount 应在 0–100000.00，收到 100000.01"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := order.New(draftWith(c.items...), "1", now)
			if !errors.Is(err, order.ErrInvalid) {
				t.Fatalf("New = %v, want ErrInvalid", err)
			}
			if got := strings.TrimPrefix(err.Error(), order.ErrInvalid.Error()+": "); got != c.want {
				t.Fatalf("detail %q, want %q", got, c.want)
			}
		})
	}
}

func TestEqualComparesItems(t *testing.T) {
	t.Parallel()
	a, err := order.New(draftWith(order.Item{Name: "米饭", Number: 1, Amount: 200}), "1", now)
	if err != nil {
		t.Fatal(err)
	}
	same, b := a, a
	same.Items = []order.Item{{Name: "米饭", Number: 1, Amount: 200}} // another slice, equal lines
	b.Items = []order.Item{{Name: "米饭", Number: 2, Amount: 200}}
	if !a.Equal(same) || a.Equal(b) {
		t.Fatalf("Equal: a.Equal(same) = %v, a.Equal(b) = %v", a.Equal(same), a.Equal(b))
	}
	none, empty := a, a
	none.Items, empty.Items = nil, []order.Item{}
	if !none.Equal(empty) {
		t.Fatal("no items and an empty list differ")
	}
	b = a
	b.Remark = "多放辣"
	if a.Equal(b) {
		t.Fatal("Equal ignores the other fields")
	}
}
