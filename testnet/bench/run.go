package bench

import (
	"fmt"
	"testing"
	"time"
)

// runOrder is one round's segments: the reference jcredit workload first
// (its saturation rate sets the round's limited rate), then kvstore, then
// the other jcredit workloads.
func runOrder(o Options) []Workload {
	out := []Workload{o.Workloads[0], KVStore}
	return append(out, o.Workloads[1:]...)
}

// Run measures o's rounds as subtests of t and returns the result (also
// when a segment failed: its failures are in the result and the subtest is
// marked failed).
func Run(t *testing.T, o Options) *Result {
	if err := o.validate(); err != nil {
		t.Fatal(err)
	}
	r := &Result{Options: o, Started: time.Now(), Cores: coreCount(), CPUModel: cpuModel()}
	ref := o.Workloads[0]
	for round := 1; round <= o.Rounds; round++ {
		var refRate float64
		for _, wl := range runOrder(o) {
			var rateFor func(float64) float64
			switch {
			case wl == ref:
				rateFor = func(sat float64) float64 { refRate = o.RateFraction * sat; return refRate }
			case wl == KVStore:
				rateFor = func(sat float64) float64 {
					if refRate > 0 {
						return refRate
					}
					return o.RateFraction * sat
				}
			default:
				rateFor = func(sat float64) float64 { return o.RateFraction * sat }
			}
			var prof *profileSpec
			if o.ProfileInRounds && o.Profile > 0 && round == 1 {
				prof = &profileSpec{node: 1, duration: o.Profile, dir: o.OutDir, prefix: profilePrefix(o.OutDir, wl)}
			}
			t.Run(fmt.Sprintf("round%d/%s", round, wl), func(t *testing.T) {
				r.Segments = append(r.Segments, runSegment(t, o, round, wl, rateFor, prof))
			})
		}
	}
	if o.Profile > 0 && !o.ProfileInRounds {
		// Profiling segments: saturation only, not in the medians.
		po := o
		po.Saturate = max(o.Profile, 5*time.Second)
		for _, wl := range []Workload{ref, KVStore} {
			prof := &profileSpec{node: 1, duration: o.Profile, dir: o.OutDir, prefix: profilePrefix(o.OutDir, wl)}
			t.Run(fmt.Sprintf("profile/%s", wl), func(t *testing.T) {
				r.Profiles = append(r.Profiles, runSegment(t, po, 0, wl, nil, prof))
			})
		}
	}
	r.Finished = time.Now()
	return r
}
