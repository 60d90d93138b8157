package load

import "time"

// Config is one load run.
type Config struct {
	Server     string // base URL, e.g. http://127.0.0.1:8080
	AdminToken string // admin JWT: tickets for the sockets
	UserToken  string // user JWT: orders and payments
	PID        int    // the server's process, for /proc figures; 0 skips them
	Sockets    int    // N dashboards
	Stalled    int    // of which this many never read
	Alerts     int    // M payments
	Rate       int    // R payments per second; 0: as fast as Payers concurrent callers go
	Payers     int    // concurrent callers when Rate is 0
	Drain      time.Duration
	// Shops, when set, spreads the run over shops (shops.go): each socket is one shop
	// employee's, each order is placed in one shop, and a socket is owed its shop's alerts
	// only. Without it every socket is AdminToken's and owed every alert.
	Shops []Shop
}

// Result is what a run measured. Latencies are in milliseconds.
type Result struct {
	Sockets, Stalled, Alerts, Rate int
	Shops                          int `json:"shops,omitempty"`

	ConnectSeconds float64 `json:"connect_s"`
	HTTPp50        float64 `json:"http_p50_ms"`
	HTTPp99        float64 `json:"http_p99_ms"`
	E2Ep50         float64 `json:"e2e_p50_ms"`
	E2Ep90         float64 `json:"e2e_p90_ms"`
	E2Ep99         float64 `json:"e2e_p99_ms"`
	E2EMax         float64 `json:"e2e_max_ms"`
	Expected       int     `json:"frames_expected"`
	Received       int     `json:"frames_received"`
	Lost           int     `json:"frames_lost"`
	Duplicated     int     `json:"frames_duplicated"`
	// Foreign is frames of another shop's alert: each one breaks isolation.
	Foreign       int     `json:"frames_foreign"`
	StalledClosed int     `json:"stalled_closed"`
	IdleRSSKiB    int64   `json:"idle_rss_kib"`
	ConnectedRSS  int64   `json:"connected_rss_kib"`
	PeakRSSKiB    int64   `json:"peak_rss_kib"`
	KiBPerSocket  float64 `json:"kib_per_socket"`
	CPUSeconds    float64 `json:"cpu_s"`
	CPUPerFrameUS float64 `json:"cpu_us_per_frame"`
	// ClientCPU is the load tool's own CPU seconds over the same span: on a shared machine
	// what it takes the server does not have.
	ClientCPU float64 `json:"client_cpu_s"`
}
