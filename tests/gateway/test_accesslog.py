"""The gateway's request line: the shape of the suite's JSON log, written in batches."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from collections.abc import Iterator

import pytest

from gateway.accesslog import AccessLog
from sds.runtime.logging import JsonFormatter
from sds.runtime.tracing import TraceContext, request_id_var, trace_var

TRACE = TraceContext("a" * 32, "b" * 16)


@pytest.fixture(autouse=True)
def info_level() -> Iterator[None]:
    logger = logging.getLogger("sds.gateway")
    level = logger.level
    logger.setLevel(logging.INFO)
    yield
    logger.setLevel(level)


def _line(access_log: AccessLog, buffer: io.StringIO, **overrides: object) -> dict:
    values: dict = {"method": "GET", "upstream": "zaken", "status": 200, "elapsed": 0.0123456,
                    "client_id": "gemeente", "request_id": "verzoek-1", "trace": TRACE, **overrides}
    access_log.write(*values.values())
    access_log.flush()
    return json.loads(buffer.getvalue().splitlines()[-1])


def test_the_line_has_the_json_formatters_keys_order_and_time_format() -> None:
    buffer = io.StringIO()
    logger = logging.getLogger("sds.gateway")
    entry = _line(AccessLog("gateway", logger, stream=buffer), buffer)

    record = logger.makeRecord("sds.gateway", logging.INFO, __file__, 1, "GET /zaken 200", (), None, extra={
        "method": "GET", "upstream": "zaken", "status": 200, "durationMs": 12.35, "clientId": "gemeente"})
    rid, trace = request_id_var.set("verzoek-1"), trace_var.set(TRACE)
    try:
        reference = json.loads(JsonFormatter("gateway").format(record))
    finally:
        request_id_var.reset(rid)
        trace_var.reset(trace)

    assert list(entry) == list(reference)
    assert {k: v for k, v in entry.items() if k != "time"} == {k: v for k, v in reference.items() if k != "time"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["time"])
    assert entry["time"][:16] == reference["time"][:16]


def test_nothing_is_written_below_the_loggers_level() -> None:
    buffer = io.StringIO()
    logger = logging.getLogger("sds.gateway.test-stil")
    logger.setLevel(logging.WARNING)
    access_log = AccessLog("gateway", logger, stream=buffer)
    access_log.write("GET", "zaken", 200, 0.01, None, "verzoek-2", TRACE)
    access_log.flush()
    assert buffer.getvalue() == ""


async def test_lines_are_written_together_soon_after_or_when_the_buffer_is_full() -> None:
    buffer = io.StringIO()
    access_log = AccessLog("gateway", logging.getLogger("sds.gateway"), stream=buffer, flush_interval=0.05,
                           max_buffer=10_000)
    for index in range(3):
        access_log.write("GET", "zaken", 200, 0.01, None, f"verzoek-{index}", TRACE)
    assert buffer.getvalue() == ""  # not yet: one write for the batch
    await asyncio.sleep(0.15)
    assert len(buffer.getvalue().splitlines()) == 3

    while len(buffer.getvalue()) < 10_000 + 3 * 400:
        access_log.write("GET", "zaken", 200, 0.01, None, "verzoek-vol", TRACE)
    # Flushed by size, before the timer.
    assert all(json.loads(line)["upstream"] == "zaken" for line in buffer.getvalue().splitlines())
    access_log.flush()


def test_uvicorn_builds_no_access_line_of_its_own_in_the_gateway() -> None:
    from gateway.app import create_app
    from gateway.settings import GatewaySettings

    access = logging.getLogger("uvicorn.access")
    # Start from a process where nothing else hung a handler on it (pytest's log capture does, when an earlier
    # test ran uvicorn servers in threads of this process).
    kept, access.handlers = access.handlers, []
    try:
        create_app(GatewaySettings(env="dev"))
        # uvicorn's httptools protocol formats its access line whenever this is True.
        assert access.hasHandlers() is False
        assert access.propagate is False
    finally:
        access.handlers = kept
