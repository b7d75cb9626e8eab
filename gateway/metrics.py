"""Prometheus metrics of the gateway, per upstream, on the registry ``/metrics`` serves."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

UPSTREAM_REQUESTS = Counter(
    "sds_gateway_upstream_requests_total", "Requests the gateway passed to an upstream, by its answer",
    ["upstream", "method", "status"],
)
UPSTREAM_DURATION = Histogram(
    "sds_gateway_upstream_duration_seconds", "Time from request in to last response byte out, per upstream",
    ["upstream"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
UPSTREAM_ERRORS = Counter(
    "sds_gateway_upstream_errors_total", "Upstream calls that failed in transport (no usable answer)",
    ["upstream", "kind"],  # kind: connect, timeout, pool, protocol, stream
)
REJECTED = Counter(
    "sds_gateway_rejected_total", "Requests refused by the gateway before reaching an upstream",
    ["upstream", "reason"],
)
