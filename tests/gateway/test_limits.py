"""Rate limit, body size limit and circuit breaker, through a real gateway in front of the echo upstream;
and the breaker's and bucket's arithmetic on a clock the test moves."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx

from gateway.app import create_app
from gateway.limits import CircuitBreaker, RateLimiter
from tests.gateway.conftest import bearer, gateway_settings, serve
from tests.gateway.upstream import seen


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = response.json()
    assert body["status"] == status
    return body


def _reached_upstream(response: httpx.Response) -> bool:
    return response.headers["x-request-id"] in seen


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=2.0, burst=3, clock=clock)
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a") == 0.5
    assert limiter.take("b") == 0.0  # per client
    clock.now += 0.5
    assert limiter.take("a") == 0.0
    assert limiter.take("a") == 0.5
    clock.now += 100
    assert [limiter.take("a") for _ in range(4)][-1] == 0.5  # refilled to the burst, no further


def test_circuit_breaker_opens_tries_once_and_closes() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=3, cooldown=10.0, clock=clock)
    breaker.failure()
    breaker.failure()
    breaker.success()  # not consecutive any more
    for _ in range(3):
        assert breaker.admit() == 0.0
        breaker.failure()
    assert breaker.state == "open"
    assert breaker.admit() == 10.0
    clock.now += 10
    assert breaker.admit() == 0.0  # the one trial
    assert breaker.state == "half-open"
    assert breaker.admit() > 0  # no second caller while it runs
    breaker.failure()
    assert breaker.state == "open" and breaker.admit() == 10.0
    clock.now += 10
    assert breaker.admit() == 0.0
    breaker.no_verdict()  # the trial's client left: the next request tries
    assert breaker.admit() == 0.0
    breaker.success()
    assert breaker.state == "closed" and breaker.admit() == 0.0


async def test_rate_limit_is_429_with_retry_after_and_recovers(upstream_url: str) -> None:
    # Half a token a second: the five requests below fit in the two seconds before one comes back, on a loaded
    # machine too.
    settings = gateway_settings(upstream_url, rate_limit_per_second=0.5, rate_limit_burst=3)
    with serve(create_app(settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=10, trust_env=False) as c:
            for _ in range(3):
                assert (await c.get("/zaken/api/v1/zaken", headers=bearer())).status_code == 200
            limited = await c.get("/zaken/api/v1/zaken", headers=bearer())
            _problem(limited, 429)
            assert limited.headers["retry-after"] == "2"
            assert not _reached_upstream(limited)
            # The Autorisaties API shares the client's bucket.
            _problem(await c.get("/autorisaties/api/v1/applicaties", headers=bearer()), 429)
            await asyncio.sleep(2.1)  # 0.5/s: one token back
            assert (await c.get("/zaken/api/v1/zaken", headers=bearer())).status_code == 200


async def test_a_body_over_the_limit_is_413_by_length_and_while_streaming(upstream_url: str) -> None:
    settings = gateway_settings(upstream_url, max_body_bytes=1000)
    with serve(create_app(settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=10, trust_env=False) as c:
            fits = await c.post("/intake/api/v1/upload", content=b"x" * 1000, headers=bearer())
            assert fits.status_code == 200 and fits.json()["size"] == 1000

            declared = await c.post("/intake/api/v1/upload", content=b"x" * 1001, headers=bearer())
            _problem(declared, 413)
            assert not _reached_upstream(declared)

            async def chunks(count: int) -> AsyncIterator[bytes]:
                for _ in range(count):
                    yield b"y" * 400

            small = await c.post("/intake/api/v1/upload", content=chunks(2), headers=bearer())
            assert small.status_code == 200 and small.json()["size"] == 800
            streamed = await c.post("/intake/api/v1/upload", content=chunks(5), headers=bearer())
            _problem(streamed, 413)
            assert not _reached_upstream(streamed)  # the upstream never got a whole request

            # The gateway's own API keeps to the same limit.
            own = await c.post("/autorisaties/api/v1/applicaties", content=b"{" + b" " * 2000 + b"}",
                               headers={**bearer(), "content-type": "application/json"})
            _problem(own, 413)
            own_streamed = await c.post("/autorisaties/api/v1/applicaties", content=chunks(5),
                                        headers={**bearer(), "content-type": "application/json"})
            _problem(own_streamed, 413)


async def test_circuit_breaker_opens_refuses_without_calling_tries_once_and_closes(upstream_url: str) -> None:
    settings = gateway_settings(upstream_url, breaker_failures=3, breaker_cooldown_seconds=0.5)
    with serve(create_app(settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=10, trust_env=False) as c:
            failing = {"status": 503}
            # A 500 is one request's failure, not the upstream's: it does not count.
            assert (await c.get("/zaken/api/v1/x", params={"status": 500}, headers=bearer())).status_code == 500
            for _ in range(3):
                response = await c.get("/zaken/api/v1/x", params=failing, headers=bearer())
                assert response.status_code == 503 and _reached_upstream(response)
            refused = await c.get("/zaken/api/v1/x", headers=bearer())
            _problem(refused, 503)
            assert "tijdelijk niet beschikbaar" in str(refused.json()["detail"])
            assert refused.headers["retry-after"] == "1"
            assert not _reached_upstream(refused)
            # Per upstream: intake is not affected.
            assert (await c.get("/intake/api/v1/x", headers=bearer())).status_code == 200

            await asyncio.sleep(0.55)
            # Half-open: one trial (slow, so a second request arrives while it runs) ...
            trial = asyncio.create_task(c.get("/zaken/api/v1/traag", params={"s": 0.3}, headers=bearer()))
            await asyncio.sleep(0.1)
            meanwhile = await c.get("/zaken/api/v1/x", headers=bearer())
            _problem(meanwhile, 503)
            assert not _reached_upstream(meanwhile)
            # ... whose success closes the circuit.
            assert (await trial).status_code == 200
            assert (await c.get("/zaken/api/v1/x", headers=bearer())).status_code == 200

            # A failed trial opens it again for another cool-down.
            for _ in range(3):
                await c.get("/zaken/api/v1/x", params=failing, headers=bearer())
            await asyncio.sleep(0.55)
            assert _reached_upstream(await c.get("/zaken/api/v1/x", params=failing, headers=bearer()))
            again = await c.get("/zaken/api/v1/x", headers=bearer())
            _problem(again, 503)
            assert not _reached_upstream(again)


async def test_an_unreachable_upstream_opens_its_circuit(upstream_url: str) -> None:
    from tests.gateway.conftest import closed_port

    settings = gateway_settings(upstream_url, breaker_failures=2, breaker_cooldown_seconds=30,
                                upstream_financien=f"http://127.0.0.1:{closed_port()}")
    with serve(create_app(settings)) as url:
        async with httpx.AsyncClient(base_url=url, timeout=10, trust_env=False) as c:
            assert [(await c.get("/financien/api/v1/b", headers=bearer())).status_code for _ in range(3)] == [
                502, 502, 503]
            assert (await c.get("/financien/api/v1/b", headers=bearer())).headers["retry-after"] == "30"
