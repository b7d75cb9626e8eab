"""Prometheus metrics of the gateway, per upstream, on the registry ``/metrics`` serves."""

from __future__ import annotations

from typing import Any

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


class UpstreamMetrics:
    """The labelled children of one upstream, looked up once instead of on every request.

    ``Counter.labels()`` takes a lock and builds a label tuple each call; with a few methods and
    statuses per upstream, a dict of children is the same series for a fraction of the cost.
    """

    __slots__ = ("name", "duration", "_requests", "_errors", "_rejected")

    def __init__(self, name: str) -> None:
        self.name = name
        self.duration = UPSTREAM_DURATION.labels(name)
        self._requests: dict[tuple[str, int], Any] = {}
        self._errors: dict[str, Any] = {}
        self._rejected: dict[str, Any] = {}

    def request(self, method: str, status: int) -> Any:
        child = self._requests.get((method, status))
        if child is None:
            # Bounded: a method outside HTTP's known set never gets here (the server refuses it).
            child = self._requests[(method, status)] = UPSTREAM_REQUESTS.labels(self.name, method, str(status))
        return child

    def error(self, kind: str) -> Any:
        child = self._errors.get(kind)
        if child is None:
            child = self._errors[kind] = UPSTREAM_ERRORS.labels(self.name, kind)
        return child

    def rejected(self, reason: str) -> Any:
        child = self._rejected.get(reason)
        if child is None:
            child = self._rejected[reason] = REJECTED.labels(self.name, reason)
        return child
