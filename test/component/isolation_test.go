package component_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/orderalert/orderalert/test/pgtest"
)

// isolationSeedVariable replays one run of the isolation test: its seed is printed on failure.
const isolationSeedVariable = "ORDERALERT_ISOLATION_SEED"

// TestNobodyReceivesOrReadsAnotherShopsAlert is the isolation property of shops, on random
// deployments: random shops, employees of a shop and platform staff (some naming a subset of the
// shops with ?shopId=), sockets on every instance, random payments and reminders in random shops
// interleaved with sockets dropped and resumed with lastAlertId on another instance. Then nobody
// has received, live or in a replay, or can read in GET /admin/alerts (with and without ?shopId=),
// an alert of a shop it does not watch; everyone has all of its own, in increasing id order, once
// each; a shop's employee naming another shop is refused (403) on /ws and GET /admin/alerts, and
// another shop's order answers 404 to its detail and its confirmation.
//
// Two instances need a database they share: PostgreSQL. SQLite runs the same on one instance.
func TestNobodyReceivesOrReadsAnotherShopsAlert(t *testing.T) {
	t.Parallel()
	t.Run("SQLite, one instance", func(t *testing.T) {
		t.Parallel()
		isolation(t, filepath.Join(t.TempDir(), "orderalert.db"), 1)
	})
	t.Run("PostgreSQL, two instances", func(t *testing.T) {
		t.Parallel()
		isolation(t, pgtest.NewDatabase(t), 2)
	})
}

func isolation(t *testing.T, url string, instances int) {
	seed := isolationSeed(t)
	t.Logf("seed %d", seed)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("replay this run: %s=%d go test -race -count=1 -run '^%s$' ./test/component/", isolationSeedVariable, seed, t.Name())
		}
	})
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var running []*service
	for range instances {
		running = append(running, start(t, url, nil))
	}
	w := newWorld(t, rng, url, running)
	w.openSockets(t)
	w.publish(t, 60+rng.IntN(40))
	truth := w.truth(t)
	w.checkSockets(t, truth)
	w.checkHistory(t, truth)
	w.checkForeignOrders(t)
	w.checkForeignSockets(t)
}

// isolationSeed is the seed given in isolationSeedVariable, or a fresh one.
func isolationSeed(t *testing.T) uint64 {
	t.Helper()
	if v := os.Getenv(isolationSeedVariable); v != "" {
		seed, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", isolationSeedVariable, v, err)
		}
		return seed
	}
	return uint64(time.Now().UnixNano())
}
