"""Prometheus metrics for HTTP traffic; other runtime parts register theirs on the same registry."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response

HTTP_REQUESTS = Counter(
    "sds_http_requests_total", "HTTP requests handled", ["service", "method", "route", "status"]
)
# Refused attempts (401, 403), apart from the verwerkingenlog, which records only what was processed.
HTTP_REFUSED = Counter(
    "sds_http_refused_total", "Requests refused for missing or insufficient authorisation (401, 403)",
    ["service", "method", "route", "status"]
)
HTTP_DURATION = Histogram(
    "sds_http_request_duration_seconds",
    "HTTP request duration",
    ["service", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


async def metrics_endpoint(_request: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
