-- wrk report for bench/catalogue.py: one parseable line with the percentiles (milliseconds).
done = function(summary, latency, requests)
  local erreurs = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "RESULTAT p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f max_ms=%.3f requetes=%d duree_s=%.3f erreurs=%d non2xx=%d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, summary.duration / 1e6, erreurs, summary.errors.status))
end
