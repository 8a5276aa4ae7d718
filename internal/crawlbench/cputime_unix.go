//go:build unix

package crawlbench

import (
	"syscall"
	"time"
)

// CPUTime returns the CPU time, user and system, that the process has
// used so far, and whether it could be read. A benchmark's site, crawler
// and embedded NATS server all run in the process, so the difference
// around a crawl is what the crawl cost the machine, whatever else runs
// on it.
func CPUTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
