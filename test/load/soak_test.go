package load

import (
	"strings"
	"testing"
)

func TestSoakSocketCountsEachAlertOnce(t *testing.T) {
	t.Parallel()
	s := &soakSocket{}
	for _, i := range []int{0, 3, 64, 130, 3} {
		s.mark(i)
	}
	if s.received != 4 || s.dups != 1 {
		t.Fatalf("received %d, duplicated %d; want 4 and 1", s.received, s.dups)
	}
	if got := s.missing([]int{0, 1, 2, 3, 64, 65, 130, 200}); got != 4 {
		t.Fatalf("missing = %d, want 4 (1, 2, 65, 200)", got)
	}
}

func TestFlatnessFlagsGrowth(t *testing.T) {
	t.Parallel()
	first := SoakSample{RSSKiB: 300 << 10, Goroutines: 20000}
	cases := []struct {
		name string
		last SoakSample
		flat bool
	}{
		{"steady", SoakSample{RSSKiB: 320 << 10, Goroutines: 20010}, true},
		{"RSS grew", SoakSample{RSSKiB: 340 << 10, Goroutines: 20000}, false},
		{"goroutines grew", SoakSample{RSSKiB: 300 << 10, Goroutines: 20500}, false},
		{"unknown figures", SoakSample{Goroutines: -1}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			flat, verdict := Flatness(first, c.last, 0.10, 16<<10, 0.01)
			if flat != c.flat {
				t.Fatalf("flat = %v, want %v: %s", flat, c.flat, verdict)
			}
			if !c.flat && !strings.Contains(verdict, "GROWING") {
				t.Fatalf("verdict %q does not say what grew", verdict)
			}
		})
	}
}

func TestDeliveredNeedsEveryFrameAndEverySocket(t *testing.T) {
	t.Parallel()
	if ok, v := Delivered(SoakSample{Sent: 10, Received: 100, Open: 10}, 10); !ok {
		t.Fatalf("a clean soak failed: %s", v)
	}
	for _, bad := range []SoakSample{{Lost: 1, Open: 10}, {Duplicated: 1, Open: 10}, {Open: 9}} {
		if ok, v := Delivered(bad, 10); ok {
			t.Fatalf("%+v passed: %s", bad, v)
		}
	}
}

func TestFlatnessForgivesWarmUpOfASmallProcess(t *testing.T) {
	t.Parallel()
	// 46 -> 51 MiB is 12 % of a 500-socket server, within the 16 MiB of cache warm-up.
	if flat, v := Flatness(SoakSample{RSSKiB: 46 << 10, Goroutines: -1}, SoakSample{RSSKiB: 51 << 10, Goroutines: -1}, 0.10, 16<<10, 0.01); !flat {
		t.Fatal(v)
	}
	if flat, v := Flatness(SoakSample{RSSKiB: 46 << 10, Goroutines: -1}, SoakSample{RSSKiB: 70 << 10, Goroutines: -1}, 0.10, 16<<10, 0.01); flat {
		t.Fatal(v)
	}
}
