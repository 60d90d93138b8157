package contract

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/orderalert/orderalert/domain/alert"
)

// Kinds is the suite of application.AlertKindRepository.
func Kinds(t *testing.T, backend Backend) {
	t.Run("kinds 1 and 2 are built in", func(t *testing.T) { t.Parallel(); testBuiltinKinds(t, backend(t)()) })
	t.Run("Add stores a kind, which another instance reads at once", func(t *testing.T) { t.Parallel(); testAddKind(t, backend(t)) })
	t.Run("race: of 10 instances adding one code exactly one wins", func(t *testing.T) { t.Parallel(); testAddKindRacing(t, backend(t)) })
}

func testBuiltinKinds(t *testing.T, s Store) {
	kinds, err := s.Kinds.List(t.Context())
	if err != nil || len(kinds) != 2 {
		t.Fatalf("List = %+v, %v; want the two built-in kinds", kinds, err)
	}
	newOrder, reminder := kinds[0], kinds[1]
	if newOrder.Code != 1 || newOrder.Name != "来单提醒" || newOrder.Content("A-1") != "订单号:A-1" ||
		newOrder.Speech("A-1", "") != "您有新的外卖订单，订单号A-1" {
		t.Errorf("kind 1 = %+v", newOrder)
	}
	if reminder.Code != 2 || reminder.Name != "客户催单" || reminder.Content("A-1") != "订单号:A-1" ||
		reminder.Speech("A-1", "") != "顾客催单，订单号A-1，请尽快处理" {
		t.Errorf("kind 2 = %+v", reminder)
	}
	if _, err := s.Kinds.Get(t.Context(), 3); !errors.Is(err, alert.ErrUnknownKind) {
		t.Errorf("Get(3) = %v, want ErrUnknownKind", err)
	}
}

func roomService(t *testing.T) alert.Kind {
	t.Helper()
	k, err := alert.NewKind(10, "客房服务", "房间{orderNumber}", "客房服务，{content}", baseTime)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testAddKind(t *testing.T, open func() Store) {
	s, other := open(), open()
	want := roomService(t)
	if _, err := s.Kinds.Add(t.Context(), want); err != nil {
		t.Fatal(err)
	}
	got, err := other.Kinds.Get(t.Context(), 10)
	if err != nil || got.Name != want.Name || got.ContentTemplate != want.ContentTemplate ||
		got.SpeechTemplate != want.SpeechTemplate || !got.CreatedAt.Equal(baseTime) {
		t.Fatalf("Get(10) = %+v, %v; want %+v", got, err, want)
	}
	if _, err := s.Kinds.Add(t.Context(), want); !errors.Is(err, alert.ErrKindTaken) {
		t.Fatalf("Add of a taken code = %v, want ErrKindTaken", err)
	}
	if kinds, _ := s.Kinds.List(t.Context()); len(kinds) != 3 || kinds[2].Code != 10 {
		t.Fatalf("List = %+v", kinds)
	}
}

func testAddKindRacing(t *testing.T, open func() Store) {
	var (
		wg         sync.WaitGroup
		won, taken atomic.Int32
		k          = roomService(t)
	)
	for range 10 {
		s := open()
		wg.Go(func() {
			_, err := s.Kinds.Add(t.Context(), k)
			switch {
			case err == nil:
				won.Add(1)
			case errors.Is(err, alert.ErrKindTaken):
				taken.Add(1)
			default:
				t.Errorf("Add: %v", err)
			}
		})
	}
	wg.Wait()
	if won.Load() != 1 || taken.Load() != 9 {
		t.Fatalf("%d won and %d were told the code is taken; want 1 and 9", won.Load(), taken.Load())
	}
}
