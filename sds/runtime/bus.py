"""The connection to NATS JetStream, with the suite's one stream."""

from __future__ import annotations

import asyncio
import logging

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

log = logging.getLogger("sds.bus")

STREAM = "SDS"
STREAM_SUBJECTS = ["sds.>"]
# Nats-Msg-Id de-duplication window: a relay that crashed after publishing republishes its rows
# well within this time, and JetStream drops the second copy.
DUPLICATE_WINDOW_SECONDS = 120.0


class Bus:
    def __init__(self, nc: Client) -> None:
        self.nc = nc
        self.js: JetStreamContext = nc.jetstream(publish_async_max_pending=20_000)

    @classmethod
    async def connect(cls, url: str, *, name: str, max_wait: float | None = None) -> Bus:
        """Connect, retrying until NATS answers (or ``max_wait`` seconds); reconnect forever after.

        ``url`` may name several servers of a cluster, separated by commas: the client connects to any of them,
        learns the others from the cluster, and reconnects to any that is up when its server goes."""
        servers = [part.strip() for part in url.split(",") if part.strip()]
        delay, waited = 0.1, 0.0
        while True:
            try:
                nc = await nats.connect(
                    servers, name=name, allow_reconnect=True, max_reconnect_attempts=-1,
                    reconnect_time_wait=0.25, connect_timeout=2, ping_interval=5, max_outstanding_pings=3,
                    error_cb=_log_error, disconnected_cb=_disconnected, reconnected_cb=_reconnected,
                )
                return cls(nc)
            except Exception as exc:  # NoServersError, OSError, TimeoutError: NATS not there yet
                if max_wait is not None and waited >= max_wait:
                    raise
                log.warning("NATS not reachable yet (%s); retrying", type(exc).__name__)
                await asyncio.sleep(delay)
                waited += delay
                delay = min(delay * 2, 2.0)

    async def ensure_stream(self, name: str = STREAM, subjects: list[str] | None = None, *,
                            replicas: int = 1) -> None:
        """Create the stream unless it exists. ``replicas``: on how many servers of a JetStream cluster it is kept
        (1 on one server; 3 on a cluster, so it survives the loss of any one of them)."""
        config = StreamConfig(
            name=name, subjects=subjects or STREAM_SUBJECTS, storage=StorageType.FILE,
            retention=RetentionPolicy.LIMITS, discard=DiscardPolicy.OLD,
            duplicate_window=DUPLICATE_WINDOW_SECONDS, num_replicas=replicas,
        )
        for attempt in range(20):
            try:
                try:
                    await self.js.stream_info(name)
                    return
                except NotFoundError:
                    await self.js.add_stream(config)
                    return
            except Exception:
                # JetStream may still be recovering its store right after a restart.
                if attempt == 19:
                    raise
                await asyncio.sleep(0.25)

    @property
    def is_connected(self) -> bool:
        return self.nc.is_connected

    async def close(self) -> None:
        if not self.nc.is_closed:
            await self.nc.close()


async def _log_error(exc: Exception) -> None:
    log.warning("NATS error: %s", exc)


async def _disconnected() -> None:
    log.warning("NATS disconnected")


async def _reconnected() -> None:
    log.info("NATS reconnected")
