"""What keeps one client or one upstream from taking the gateway down with it.

- ``RateLimiter``: a token bucket per client id, in memory. Only authenticated client ids get a
  bucket, so the table is as large as the number of applicaties, not of whatever callers send.
  Per gateway process: with several processes the limit a client sees is the sum of theirs.
- ``CircuitBreaker``: one per upstream. It counts consecutive *failures*: no usable answer (connect
  error, connect/read/write timeout, a broken or malformed answer) or an answer that says the
  upstream itself cannot serve (502, 503, 504). A 500 is not a failure of the upstream but of one
  request (the service answered, so it is up), and a 4xx is the caller's. After ``failures`` in a
  row the circuit opens: requests get 503 at once, without a call, for ``cooldown`` seconds. Then
  exactly one request goes through as a trial (half-open): a success closes the circuit, a failure
  opens it for another cool-down. A request that ends without a verdict (the client left, its body
  was too large, the gateway's own pool was full) hands the trial on to the next request.
- ``BodyTooLarge``: raised while a request body streams in and grows past the limit.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class BodyTooLarge(Exception):
    """The request body grew past the gateway's limit while it was being passed on."""


def retry_after(seconds: float) -> bytes:
    """A Retry-After value in whole seconds, never 0 (that would invite an immediate retry)."""
    return str(max(1, math.ceil(seconds))).encode()


class RateLimiter:
    __slots__ = ("rate", "burst", "clock", "_buckets")

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.clock = clock
        # client id -> [tokens left, when they were counted]
        self._buckets: dict[str, list[float]] = {}

    def take(self, client_id: str) -> float:
        """0.0 when the request may go; otherwise the seconds until the client has a token again."""
        now = self.clock()
        bucket = self._buckets.get(client_id)
        if bucket is None:
            self._buckets[client_id] = [self.burst - 1.0, now]
            return 0.0
        tokens = bucket[0] + (now - bucket[1]) * self.rate
        if tokens > self.burst:
            tokens = self.burst
        bucket[1] = now
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return 0.0
        bucket[0] = tokens
        return (1.0 - tokens) / self.rate


class CircuitBreaker:
    __slots__ = ("failures", "cooldown", "clock", "consecutive", "opened_at", "trial_running")

    def __init__(self, failures: int, cooldown: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.failures = failures
        self.cooldown = cooldown
        self.clock = clock
        self.consecutive = 0
        self.opened_at: float | None = None  # None: closed
        self.trial_running = False

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.trial_running or self.clock() >= self.opened_at + self.cooldown else "open"

    def admit(self) -> float:
        """0.0 when the request may call the upstream; otherwise seconds until it is worth trying again."""
        opened_at = self.opened_at
        if opened_at is None:
            return 0.0
        remaining = opened_at + self.cooldown - self.clock()
        if remaining > 0:
            return remaining
        if self.trial_running:
            # The trial decides soon; a second caller would add load to an upstream that may be down.
            return 1.0
        self.trial_running = True
        return 0.0

    def success(self) -> None:
        self.consecutive = 0
        self.opened_at = None
        self.trial_running = False

    def failure(self) -> None:
        if self.opened_at is not None:
            # A failed trial (or a failure of a request admitted before the circuit opened).
            self.opened_at = self.clock()
            self.trial_running = False
            return
        self.consecutive += 1
        if self.consecutive >= self.failures:
            self.opened_at = self.clock()

    def no_verdict(self) -> None:
        """The request ended without telling whether the upstream works: let the next one be the trial."""
        self.trial_running = False
