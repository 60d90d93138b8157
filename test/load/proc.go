package load

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// procStat is a process's memory and CPU, read from /proc.
type procStat struct {
	rssKiB, peakKiB int64
	cpuSeconds      float64
}

// clockTicks is the kernel's USER_HZ, which Linux fixes at 100 for /proc/*/stat.
const clockTicks = 100

func readProc(pid int) (procStat, error) {
	var s procStat
	if pid == 0 {
		return s, nil
	}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		switch fields[0] {
		case "VmRSS:":
			s.rssKiB, _ = strconv.ParseInt(fields[1], 10, 64)
		case "VmHWM:":
			s.peakKiB, _ = strconv.ParseInt(fields[1], 10, 64)
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, err
	}
	// The command name may hold spaces; the fields after its closing parenthesis are fixed.
	rest := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
	utime, _ := strconv.ParseFloat(rest[11], 64)
	stime, _ := strconv.ParseFloat(rest[12], 64)
	s.cpuSeconds = (utime + stime) / clockTicks
	return s, nil
}
