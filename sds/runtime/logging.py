"""JSON log lines with the service name, request id and trace id on each."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from sds.runtime.tracing import request_id_var, trace_var

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = request_id_var.get()
        if rid:
            entry["requestId"] = rid
        trace = trace_var.get()
        if trace:
            entry["traceId"] = trace.trace_id
            entry["spanId"] = trace.span_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(service: str, level: str = "INFO") -> None:
    """Route the root logger (and uvicorn's) through one JSON handler on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # httpx logs every request at INFO with its full URL (query strings included): too much, and risky.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Database drivers log statements with their parameters at DEBUG (aiosqlite) or INFO (SQLAlchemy echo);
    # parameters are where BSNs and names are, so those loggers stay quiet whatever the service's level.
    for name in ("aiosqlite", "asyncpg", "sqlalchemy.engine", "sqlalchemy.pool"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # The access log repeats what the request middleware already logs, with query strings.
    access = logging.getLogger("uvicorn.access")
    access.disabled = True
    access.propagate = False  # so uvicorn does not format a line that is then dropped
