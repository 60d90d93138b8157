package wechatpaytest

import (
	"encoding/json"
	"testing"
)

// field is one member of an object.
type field struct {
	key   string
	value any
}

// object is a JSON object that keeps its fields in order, as WeChat Pay writes them.
type object []field

func (o object) without(keys []string) object {
	out := object{}
	for _, f := range o {
		keep := true
		for _, k := range keys {
			keep = keep && f.key != k
		}
		if keep {
			out = append(out, f)
		}
	}
	return out
}

// MarshalJSON writes the fields in order.
func (o object) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, f := range o {
		if i > 0 {
			b = append(b, ',')
		}
		k, err := json.Marshal(f.key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}

func marshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("wechatpaytest: %v", err)
	}
	return b
}
