package http

import (
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestWSSlotsAreExactUnderConcurrency: 200 concurrent reservations by 4 admins, 10 per admin
// and 25 in total allowed: exactly 25 succeed, none of the admins gets more than 10, and
// releasing them all leaves nothing counted.
func TestWSSlotsAreExactUnderConcurrency(t *testing.T) {
	t.Parallel()
	slots := newWSSlots(25, 10, time.Minute)
	var (
		wg                      sync.WaitGroup
		mu                      sync.Mutex
		won                     []*wsSlot
		adminFull, instanceFull atomic.Int32
		start                   = make(chan struct{})
	)
	for i := range 200 {
		wg.Go(func() {
			<-start
			slot, err := slots.reserve(int64(i%4), "sid-"+strconv.Itoa(i))
			switch {
			case err == nil:
				mu.Lock()
				won = append(won, slot)
				mu.Unlock()
			case errors.Is(err, errAdminFull):
				adminFull.Add(1)
			case errors.Is(err, errInstanceFull):
				instanceFull.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	if len(won) != 25 || int(adminFull.Load()+instanceFull.Load()) != 175 {
		t.Fatalf("%d reserved, %d refused per admin, %d as full; want 25 and 175 refused", len(won), adminFull.Load(), instanceFull.Load())
	}
	for admin := range int64(4) {
		if _, n := slots.counts(admin); n > 10 {
			t.Errorf("admin %d has %d slots, over its 10", admin, n)
		}
	}
	for _, s := range won {
		if !s.claim() {
			t.Fatal("a fresh reservation could not be claimed")
		}
		s.release()
		s.release() // a second release does nothing
	}
	if total, _ := slots.counts(0); total != 0 || len(slots.sids)+len(slots.admins)+len(slots.named) != 0 {
		t.Fatalf("%d slots (%d sids, %d admins, %d names) counted after every release", total, len(slots.sids), len(slots.admins), len(slots.named))
	}
}

// TestWSSlotsOfOneSIDAreOneDashboard: sockets of one admin with one sid share a slot, since the
// hub keeps only the newest; the slot is free when the last of them ends.
func TestWSSlotsOfOneSIDAreOneDashboard(t *testing.T) {
	t.Parallel()
	slots := newWSSlots(2, 2, time.Minute)
	first := mustReserve(t, slots, 1, "page")
	second := mustReserve(t, slots, 1, "page")
	other := mustReserve(t, slots, 1, "other-page")
	if slots.full("page") || !slots.full("new-page") {
		t.Fatal("full: an open sid may reconnect, a new one may not")
	}
	if _, err := slots.reserve(2, "page"); !errors.Is(err, errInstanceFull) {
		t.Fatalf("another admin's page on a full instance = %v, want errInstanceFull", err)
	}
	if _, err := slots.reserve(1, "third-page"); !errors.Is(err, errAdminFull) {
		t.Fatalf("a third page = %v, want errAdminFull", err)
	}
	first.release()
	if total, _ := slots.counts(1); total != 2 {
		t.Fatalf("%d dashboards after the replaced socket ended, want 2", total)
	}
	second.release()
	other.release()
	if total, _ := slots.counts(1); total != 0 {
		t.Fatalf("%d dashboards after all ended, want 0", total)
	}
}

// TestAnUnclaimedWSSlotExpires: a slot whose handler never runs is released after the claim
// window; a handler that comes later cannot claim it, and releasing it again changes nothing.
func TestAnUnclaimedWSSlotExpires(t *testing.T) {
	t.Parallel()
	slots := newWSSlots(1, 1, 20*time.Millisecond)
	late := mustReserve(t, slots, 1, "lost-upgrade")
	deadline := time.Now().Add(5 * time.Second)
	for total, _ := slots.counts(1); total != 0; total, _ = slots.counts(1) {
		if time.Now().After(deadline) {
			t.Fatal("the unclaimed slot was not released")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if late.claim() {
		t.Fatal("an expired slot was claimed")
	}
	next := mustReserve(t, slots, 1, "next")
	late.release()
	if total, _ := slots.counts(1); total != 1 {
		t.Fatalf("%d dashboards after releasing an expired slot, want the 1 live", total)
	}
	if !next.claim() {
		t.Fatal("a fresh slot could not be claimed")
	}
	next.expire() // what the watchdog does past the window: a claimed slot stays
	if total, _ := slots.counts(1); total != 1 {
		t.Fatalf("a claimed slot expired: %d dashboards", total)
	}
	next.release()
}

func mustReserve(t *testing.T, slots *wsSlots, admin int64, sid string) *wsSlot {
	t.Helper()
	s, err := slots.reserve(admin, sid)
	if err != nil {
		t.Fatalf("reserve(%d, %s) = %v", admin, sid, err)
	}
	return s
}
