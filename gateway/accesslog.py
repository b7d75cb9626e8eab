"""The gateway's one JSON line per proxied request, without the logging machinery's per-call cost.

Through ``logging`` the line cost ~8 % of the gateway's CPU in bench/gateway_overhead: a stack walk
for the caller, a LogRecord, the handler lock, a generic formatter and a flushed write to stderr
(a syscall) for every request. Here the line is one ``json.dumps`` of a dict in the shape of
``sds.runtime.logging.JsonFormatter`` (same keys, same order, same time format), and lines are
written to stderr together: at most ``flush_interval`` later, or as soon as ``max_buffer`` bytes
wait. The logger's level still decides whether lines are written at all. What a crash (SIGKILL)
can lose is the last ``flush_interval`` of lines; a normal shutdown flushes.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import logging
import sys
import time
from datetime import UTC, datetime
from typing import IO

from sds.runtime.tracing import TraceContext


class AccessLog:
    def __init__(self, service: str, logger: logging.Logger, *, stream: IO[str] | None = None,
                 flush_interval: float = 0.05, max_buffer: int = 64 * 1024) -> None:
        self.service = service
        self.logger = logger
        self._stream = stream
        self.flush_interval = flush_interval
        self.max_buffer = max_buffer
        self._lines: list[str] = []
        self._size = 0
        self._timer: asyncio.TimerHandle | None = None
        self._second = -1
        self._second_text = ""
        atexit.register(self.flush)

    def _time(self, now: float) -> str:
        # isoformat(timespec="milliseconds") in UTC, with the date part made once per second.
        second = int(now)
        if second != self._second:
            self._second = second
            self._second_text = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return f"{self._second_text}.{int((now - second) * 1000):03d}+00:00"

    def write(self, method: str, upstream: str, status: int, elapsed: float, client_id: str | None,
              request_id: str, trace: TraceContext) -> None:
        if not self.logger.isEnabledFor(logging.INFO):
            return
        line = json.dumps({
            "time": self._time(time.time()),
            "level": "INFO",
            "service": self.service,
            "logger": self.logger.name,
            # The first path segment only: paths and query strings may carry personal data; the
            # service logs its route template under the same request id.
            "message": f"{method} /{upstream} {status}",
            "requestId": request_id,
            "traceId": trace.trace_id,
            "spanId": trace.span_id,
            "method": method,
            "upstream": upstream,
            "status": status,
            "durationMs": round(elapsed * 1000, 2),
            "clientId": client_id,
        }, ensure_ascii=False) + "\n"
        self._lines.append(line)
        self._size += len(line)
        if self._size >= self.max_buffer:
            self.flush()
        elif self._timer is None:
            try:
                self._timer = asyncio.get_running_loop().call_later(self.flush_interval, self.flush)
            except RuntimeError:  # no loop (a synchronous caller): nothing would flush later
                self.flush()

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._lines:
            return
        text = "".join(self._lines)
        self._lines.clear()
        self._size = 0
        # Looked up at write time, like logging.StreamHandler's default: a redirected stderr counts.
        stream = self._stream or sys.stderr
        try:
            stream.write(text)
            stream.flush()
        except (OSError, ValueError):
            pass  # stderr closed at shutdown: as logging does, never fail the caller over a log line
