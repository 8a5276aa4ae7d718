//go:build !unix

package crawlbench

import "time"

// CPUTime reports that the process's CPU time cannot be read here.
func CPUTime() (time.Duration, bool) { return 0, false }
