package auth

import (
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/orderalert/orderalert/application"
)

var _ application.LoginThrottle = (*LoginThrottle)(nil)

// Bounds of the throttle's memory. Keys are created only for attempts that pass both budgets
// and compare a password, which application.PasswordChecks bounds to a few dozen a second, and
// a key whose budget has refilled is forgotten; the cap is a backstop against a botnet.
const (
	maxThrottleKeys = 50_000
	sweepEvery      = time.Minute
	// knownFor is how long an address that logged in as a user stays exempt from that user's
	// budget: a week covers a shop's days off.
	knownFor = 7 * 24 * time.Hour
)

// LoginThrottle is application.LoginThrottle in memory, for one instance: with several
// instances behind a balancer each counts its own share. Each username and each client address
// has a token bucket from golang.org/x/time/rate holding `failures` failures that refills over
// `per`; only failures take a token, so a bucket is read (TokensAt) before the password is
// compared and charged (AllowN) after it failed, and the attempts in between are counted as
// pending so that concurrent guesses cannot spend the same token.
//
// Why both keys, and the exemption: a budget per address alone lets a botnet guess one account
// from many addresses; a budget per username alone lets anyone lock the shop out by failing
// five times a minute. Both are counted, and a username's budget does not refuse an address
// that logged in as that user within knownFor (OWASP's "device cookie" idea, keyed by address):
// the shop's own connection keeps working while someone elsewhere guesses, and is itself held
// to its address's budget.
type LoginThrottle struct {
	limit rate.Limit
	burst int
	clock application.Clock

	mu        sync.Mutex
	users     map[string]*budget
	addrs     map[string]*budget
	known     map[knownPair]time.Time // address and username that logged in → exempt until
	lastSweep time.Time
}

type budget struct {
	lim     *rate.Limiter
	pending int // admitted attempts not settled yet
}

type knownPair struct{ username, addr string }

// NewLoginThrottle allows `failures` failed logins per `per` for each username and each client
// address, refilling evenly (5 per minute: one more every 12 s).
func NewLoginThrottle(failures int, per time.Duration, clock application.Clock) *LoginThrottle {
	return &LoginThrottle{
		limit: rate.Limit(float64(failures) / per.Seconds()), burst: failures, clock: clock,
		users: map[string]*budget{}, addrs: map[string]*budget{}, known: map[knownPair]time.Time{},
	}
}

// Admit implements application.LoginThrottle.
func (t *LoginThrottle) Admit(a application.LoginAttempt) (func(application.LoginOutcome), error) {
	now := t.clock.Now()
	pair := knownPair{username: a.Username, addr: addressKey(a.ClientIP)}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sweep(now)
	trusted := t.known[pair].After(now)
	wait := t.wait(t.addrs[pair.addr], now)
	if !trusted {
		wait = max(wait, t.wait(t.users[pair.username], now))
	}
	if wait == 0 && len(t.users)+len(t.addrs) >= maxThrottleKeys {
		wait = t.refill(1) // fail closed: an attack this wide must not switch counting off
	}
	if wait > 0 {
		return nil, &application.RetryAfterError{Err: application.ErrTooManyAttempts, After: wait}
	}
	charged := []*budget{t.take(t.addrs, pair.addr)}
	if !trusted {
		charged = append(charged, t.take(t.users, pair.username))
	}
	var once sync.Once
	return func(outcome application.LoginOutcome) {
		once.Do(func() { t.settle(pair, charged, outcome) })
	}, nil
}

func (t *LoginThrottle) settle(pair knownPair, charged []*budget, outcome application.LoginOutcome) {
	now := t.clock.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, b := range charged {
		b.pending--
		if outcome == application.LoginFailed {
			b.lim.AllowN(now, 1)
		}
	}
	if outcome == application.LoginSucceeded && len(t.known) < maxThrottleKeys {
		t.known[pair] = now.Add(knownFor)
	}
}

// wait is how long until b has a token that no pending attempt holds; zero if it has one now.
func (t *LoginThrottle) wait(b *budget, now time.Time) time.Duration {
	if b == nil {
		return 0
	}
	free := b.lim.TokensAt(now) - float64(b.pending)
	if free >= 1 {
		return 0
	}
	return t.refill(1 - free)
}

func (t *LoginThrottle) refill(tokens float64) time.Duration {
	return time.Duration(tokens / float64(t.limit) * float64(time.Second))
}

func (t *LoginThrottle) take(m map[string]*budget, key string) *budget {
	b := m[key]
	if b == nil {
		b = &budget{lim: rate.NewLimiter(t.limit, t.burst)}
		m[key] = b
	}
	b.pending++
	return b
}

// sweep forgets, at most once a minute or when the cap is reached, every budget that is full
// again (it would behave exactly like a new one) and every exemption that has expired.
func (t *LoginThrottle) sweep(now time.Time) {
	if now.Sub(t.lastSweep) < sweepEvery && len(t.users)+len(t.addrs) < maxThrottleKeys {
		return
	}
	t.lastSweep = now
	for _, m := range []map[string]*budget{t.users, t.addrs} {
		for k, b := range m {
			if b.pending == 0 && b.lim.TokensAt(now) >= float64(t.burst) {
				delete(m, k)
			}
		}
	}
	for k, until := range t.known {
		if !until.After(now) {
			delete(t.known, k)
		}
	}
}

// Len is the number of usernames and addresses with a budget in use, for tests of the bound.
func (t *LoginThrottle) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.users) + len(t.addrs)
}

// addressKey counts an IPv6 client by its /64, which one subscriber usually holds whole, and
// an IPv4 client (also when mapped into IPv6) by its address.
func addressKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap()
	if addr.Is4() {
		return addr.String()
	}
	prefix, err := addr.Prefix(64)
	if err != nil {
		return addr.String()
	}
	return prefix.String()
}
