package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// PrometheusPort is where the bench networks' nodes serve CometBFT's
// metrics (each node on its own loopback address).
const PrometheusPort = 26660

// PprofPort is where they serve Go's pprof (rpc.pprof_laddr).
const PprofPort = 6060

// metrics is one scrape of a node's Prometheus endpoint: series (name with
// its labels, as printed) to value.
type metrics map[string]float64

// scrape reads http://host:PrometheusPort/metrics, keeping the series whose
// name starts with one of the prefixes.
func scrape(ctx context.Context, host string, prefixes ...string) (metrics, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://%s:%d/metrics", host, PrometheusPort), nil)
	if err != nil {
		return nil, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("metrics of %s: %s", host, res.Status)
	}
	return parseMetrics(res.Body, prefixes...)
}

// parseMetrics reads Prometheus's text format (comments skipped).
func parseMetrics(r io.Reader, prefixes ...string) (metrics, error) {
	m := metrics{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		keep := len(prefixes) == 0
		for _, p := range prefixes {
			if strings.HasPrefix(line, p) {
				keep = true
				break
			}
		}
		if !keep {
			continue
		}
		// The value follows the last space (labels may hold spaces only
		// inside quotes, before it).
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			continue
		}
		m[line[:i]] = v
	}
	return m, sc.Err()
}

// sum adds the series named name whose labels include every one of
// labels (each as printed, e.g. `method="check_tx"`).
func (m metrics) sum(name string, labels ...string) float64 {
	var total float64
	for k, v := range m {
		if k != name && !strings.HasPrefix(k, name+"{") {
			continue
		}
		ok := true
		for _, l := range labels {
			if !strings.Contains(k, l) {
				ok = false
				break
			}
		}
		if ok {
			total += v
		}
	}
	return total
}

// delta is b - a for one sum.
func delta(a, b metrics, name string, labels ...string) float64 {
	return b.sum(name, labels...) - a.sum(name, labels...)
}

// Series the bench reads (CometBFT v1.0's names, namespace "cometbft").
const (
	mEvicted   = "cometbft_mempool_evicted_txs"
	mFailed    = "cometbft_mempool_failed_txs"
	mRejected  = "cometbft_mempool_rejected_txs"
	mRecheck   = "cometbft_mempool_recheck_times"
	mAlready   = "cometbft_mempool_already_received_txs"
	mBlockSum  = "cometbft_state_block_processing_time_sum"
	mBlockCnt  = "cometbft_state_block_processing_time_count"
	mABCITime  = "cometbft_abci_connection_method_timing_seconds_sum"
	mABCICount = "cometbft_abci_connection_method_timing_seconds_count"
)
