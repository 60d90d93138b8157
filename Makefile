# The README's two commands are `go run ./cmd/orderalert serve` and `make test`.
GOLANGCI_LINT_VERSION := v2.15.0
GOBIN ?= $(shell go env GOPATH)/bin

.PHONY: test lint run bench soak fuzz

# Every test, with the race detector, on SQLite and on PostgreSQL (ORDERALERT_TEST_POSTGRES_URL,
# default postgres://postgres@127.0.0.1:5432/postgres). PostgreSQL tests skip when it is
# unreachable, except under CI=true, where they fail.
test:
	go test -race -count=1 ./...

# Every fuzz target in the repository (found by name, so none is forgotten), each for FUZZTIME;
# -fuzz takes one target per run. About two and a half minutes with the default.
#
# Fuzzing runs on Go 1.27.3, which the go command fetches from the module proxy (76 MB, once per
# machine): Go 1.26's fuzz coordinator can report its own -fuzztime deadline as a failure of the
# target, "context deadline exceeded" with no failing input (go.dev/issue/75804, fixed in 1.27).
# The module itself stays on the machine's Go; only this target changes toolchain.
FUZZTIME ?= 10s
FUZZ_GOTOOLCHAIN ?= go1.27.3
fuzz:
	@set -e; for file in $$(grep -rl --include='*_test.go' '^func Fuzz' . | sort); do \
		for target in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
			echo "== $$target ($$(dirname $$file), $(FUZZTIME))"; \
			GOTOOLCHAIN=$(FUZZ_GOTOOLCHAIN) go test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) $$(dirname $$file); \
		done; \
	done

lint:
	test -x $(GOBIN)/golangci-lint && $(GOBIN)/golangci-lint version | grep -q $(GOLANGCI_LINT_VERSION:v%=%) \
		|| go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	$(GOBIN)/golangci-lint run ./...

run:
	go run ./cmd/orderalert serve

# The load cases of DESIGN §11 against orderalert (SQLite, and PostgreSQL when reachable) and the
# seed baseline, one table on stdout (docs/BENCHMARKS.md records one). Takes a few minutes.
bench:
	go run ./test/load/bench

# Hold SOAK_SOCKETS dashboard sockets on a fresh orderalert (SQLite; SOAK_POSTGRES=postgres://…
# for PostgreSQL) for SOAK_DURATION while SOAK_RATE alerts a second flow; report every
# SOAK_EVERY; fail on a lost or duplicated frame or on RSS or goroutines growing in the second half.
SOAK_SOCKETS ?= 10000
SOAK_DURATION ?= 10m
SOAK_RATE ?= 2
SOAK_EVERY ?= 1m
SOAK_POSTGRES ?=
soak:
	go run ./test/load/soak -sockets $(SOAK_SOCKETS) -duration $(SOAK_DURATION) -rate $(SOAK_RATE) \
		-every $(SOAK_EVERY) -postgres '$(SOAK_POSTGRES)'
