package load

import "fmt"

// Flatness judges a soak's server figures: between two samples (the soak command takes the
// one in the middle of the run and the last), RSS may grow by rssGrowth (a fraction) or rssSlackKiB, whichever is
// more, and the goroutine count by goroutineGrowth plus a handful for calls in flight. The
// slack is warm-up, not a leak: SQLite's page cache fills up to 2 MiB per pooled connection (8)
// as the database grows, which on a small soak is a large fraction of the process. A leak per
// frame or per minute shows as growth past both.
func Flatness(first, last SoakSample, rssGrowth float64, rssSlackKiB int64, goroutineGrowth float64) (flat bool, verdict string) {
	flat = true
	rss := "RSS unknown"
	if first.RSSKiB > 0 && last.RSSKiB > 0 {
		limit := max(float64(first.RSSKiB)*(1+rssGrowth), float64(first.RSSKiB+rssSlackKiB))
		ok := float64(last.RSSKiB) <= limit
		flat = flat && ok
		rss = fmt.Sprintf("RSS %.1f -> %.1f MiB (%+.1f%%, limit %.1f MiB) %s", float64(first.RSSKiB)/1024,
			float64(last.RSSKiB)/1024, 100*float64(last.RSSKiB-first.RSSKiB)/float64(first.RSSKiB), limit/1024, okWord(ok))
	}
	gor := "goroutines unknown"
	if first.Goroutines >= 0 && last.Goroutines >= 0 {
		limit := float64(first.Goroutines)*(1+goroutineGrowth) + goroutineSlack
		ok := float64(last.Goroutines) <= limit
		flat = flat && ok
		gor = fmt.Sprintf("goroutines %d -> %d (limit %.0f) %s", first.Goroutines, last.Goroutines, limit, okWord(ok))
	}
	return flat, rss + "; " + gor
}

// goroutineSlack covers the calls and timers that happen to be in flight at a sample.
const goroutineSlack = 20

func okWord(ok bool) string {
	if ok {
		return "flat"
	}
	return "GROWING"
}

// Delivered judges the final count: every alert on every socket once, no socket closed.
func Delivered(final SoakSample, sockets int) (ok bool, verdict string) {
	ok = final.Lost == 0 && final.Duplicated == 0 && final.Open == sockets
	verdict = fmt.Sprintf("%d alerts x %d sockets: %d frames received, %d lost, %d duplicated, %d of %d sockets open",
		final.Sent, sockets, final.Received, final.Lost, final.Duplicated, final.Open, sockets)
	return ok, verdict
}
