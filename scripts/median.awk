# median(k): the median of v[k, 1..cnt[k]], the values a benchmark
# summary collected under key k (scripts/bench.sh, scripts/bench-flat.sh
# load this file with -f before their own program).
function median(k,   n, i, j, t, a) {
	n = cnt[k]
	for (i = 1; i <= n; i++) a[i] = v[k, i]
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j+1] = a[j]; a[j+1] = t }
	if (n % 2) return a[(n+1)/2]
	return (a[n/2] + a[n/2+1]) / 2
}
