package load

import (
	"bytes"
	"errors"
	"net"
	"slices"
	"strconv"
	"time"

	fws "github.com/fasthttp/websocket"
)

// orderID finds "orderId":<n> in a frame without decoding the whole JSON: the reader stamps the
// time first and must stay cheap.
func orderID(frame []byte) (int64, bool) {
	const key = `"orderId":`
	i := bytes.Index(frame, []byte(key))
	if i < 0 {
		return 0, false
	}
	rest := frame[i+len(key):]
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	id, err := strconv.ParseInt(string(rest[:end]), 10, 64)
	return id, err == nil
}

// waitForFrames returns once every reading socket has the frames its shop is owed, or drain
// has passed since the last progress.
func waitForFrames(sockets []*socket, owed map[int64]int, drain time.Duration) {
	last, lastTotal := time.Now(), int64(-1)
	for {
		var total int64
		done := true
		for _, s := range sockets {
			n := s.count.Load()
			total += n
			if n < int64(owed[s.shop]) {
				done = false
			}
		}
		if done {
			return
		}
		if total != lastTotal {
			last, lastTotal = time.Now(), total
		}
		if time.Since(last) > drain {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// tally closes the sockets, then matches every receipt to its payment.
func tally(res *Result, sockets []*socket, stalled int, sent map[int64]time.Time, shopOf map[int64]int64) {
	for _, s := range sockets[stalled:] {
		_ = s.conn.Close()
		<-s.closed
	}
	tallyReceipts(res, sockets[stalled:], sent, shopOf)
	for _, s := range sockets[:stalled] {
		if closedByServer(s.conn) {
			res.StalledClosed++
		}
	}
}

// tallyReceipts matches the reading sockets' receipts to the payments: each socket is owed the
// paid orders of its shop (shopOf: order id → shop; an order missing from it is shop 0's, the
// shop of every socket in a run without shops). A frame of another shop's order is Foreign.
func tallyReceipts(res *Result, sockets []*socket, sent map[int64]time.Time, shopOf map[int64]int64) {
	sentByShop := map[int64][]int64{}
	for id := range sent {
		sentByShop[shopOf[id]] = append(sentByShop[shopOf[id]], id)
	}
	var e2e []time.Duration
	for _, s := range sockets {
		seen := map[int64]int{}
		for _, r := range s.receipts {
			seen[r.orderID]++
			switch at, paid := sent[r.orderID]; {
			case seen[r.orderID] > 1:
				res.Duplicated++
			case shopOf[r.orderID] != s.shop:
				res.Foreign++
			case paid:
				e2e = append(e2e, r.at.Sub(at))
				res.Received++
			}
		}
		for _, id := range sentByShop[s.shop] {
			if seen[id] == 0 {
				res.Lost++
			}
		}
		res.Expected += len(sentByShop[s.shop])
	}
	res.E2Ep50, res.E2Ep90, res.E2Ep99 = percentile(e2e, 50), percentile(e2e, 90), percentile(e2e, 99)
	res.E2EMax = percentile(e2e, 100)
}

// closedByServer reads what a stalled socket left unread and reports whether the server ended it.
func closedByServer(c *fws.Conn) bool {
	_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			var ne net.Error
			timedOut := errors.As(err, &ne) && ne.Timeout()
			return !timedOut
		}
	}
}

// percentile is the p-th percentile in milliseconds (p = 100: the maximum).
func percentile(d []time.Duration, p int) float64 {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := min(len(s)-1, len(s)*p/100)
	return float64(s[i].Microseconds()) / 1000
}
