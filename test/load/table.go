package load

import (
	"fmt"
	"strings"
)

// Row is one named result of a table.
type Row struct {
	Name   string
	Result Result
}

// Table renders results as a Markdown table.
func Table(rows []Row) string {
	var b strings.Builder
	b.WriteString("| run | N | stalled | M | R/s | connect s | HTTP p50/p99 ms | e2e p50/p90/p99/max ms | expected | lost | dup | stalled closed | KiB/socket | peak RSS MiB | CPU s | µs/frame | load tool CPU s |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		x := r.Result
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %.1f | %.1f / %.1f | %.1f / %.1f / %.1f / %.1f | %d | %d | %d | %d | %.1f | %.0f | %.2f | %.1f | %.2f |\n",
			r.Name, x.Sockets, x.Stalled, x.Alerts, x.Rate, x.ConnectSeconds, x.HTTPp50, x.HTTPp99,
			x.E2Ep50, x.E2Ep90, x.E2Ep99, x.E2EMax, x.Expected, x.Lost, x.Duplicated, x.StalledClosed,
			x.KiBPerSocket, float64(x.PeakRSSKiB)/1024, x.CPUSeconds, x.CPUPerFrameUS, x.ClientCPU)
	}
	return b.String()
}
