package bootstrap

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/orderalert/orderalert/application"
	"github.com/orderalert/orderalert/domain/alert"
)

// countingKinds knows kind 1 and counts the reads.
type countingKinds struct {
	application.AlertKindRepository
	reads int
}

func (k *countingKinds) Get(_ context.Context, code alert.Type) (alert.Kind, error) {
	k.reads++
	if code != 1 {
		return alert.Kind{}, errors.New("no such kind")
	}
	return alert.Kind{Code: 1, Name: "来单提醒"}, nil
}

// TestAPushNamesItsKindReadingItOnce: kinds never change once created, so a name is read once;
// a kind that cannot be read is pushed as 提醒 and read again the next time.
func TestAPushNamesItsKindReadingItOnce(t *testing.T) {
	t.Parallel()
	kinds := &countingKinds{}
	payload := pushPayload(kinds)
	kindOf := func(a alert.Alert) string {
		var p struct{ Kind string }
		if err := json.Unmarshal(payload(a, false), &p); err != nil {
			t.Fatal(err)
		}
		return p.Kind
	}
	for range 3 {
		if got := kindOf(alert.Alert{ID: 1, Type: 1}); got != "来单提醒" {
			t.Fatalf("kind %q", got)
		}
	}
	if kinds.reads != 1 {
		t.Fatalf("%d reads of kind 1, want 1", kinds.reads)
	}
	for range 2 {
		if got := kindOf(alert.Alert{ID: 2, Type: 9}); got != "提醒" {
			t.Fatalf("an unreadable kind is pushed as %q", got)
		}
	}
	if kinds.reads != 3 {
		t.Fatalf("%d reads, want the unreadable kind read each time", kinds.reads)
	}
}
