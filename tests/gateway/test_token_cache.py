"""The verified-token cache saves work without stretching what a token is worth."""

from __future__ import annotations

import time

import jwt
import pytest

from gateway.applicaties import Applicatie, InMemoryApplicatieStore, bootstrap_applicatie
from gateway.authn import TokenVerifier
from sds.runtime.auth import verify_auth_context
from sds.runtime.errors import NotAuthenticated
from sds.runtime.jwt_zgw import encode_jwt_zgw

SECRET = "client-secret-0123456789-abcdefghijklm"
INTERNAL = "internal-secret-0123456789-abcdefghijk"
T0 = float(int(time.time()))


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


class CountingStore(InMemoryApplicatieStore):
    def __init__(self, *applicaties: Applicatie) -> None:
        super().__init__(applicaties)
        self.lookups = 0

    async def get(self, client_id: str) -> Applicatie | None:
        self.lookups += 1
        return await super().get(client_id)

    def remove(self, client_id: str) -> None:
        del self._by_client_id[client_id]


def _verifier(store: CountingStore, clock: Clock, **kwargs: object) -> TokenVerifier:
    options: dict = {"internal_secret": INTERNAL, "max_age": 3600, "leeway": 30, "cache_size": 100,
                     "cache_seconds": 60.0, **kwargs}
    return TokenVerifier(store, clock=clock, **options)


def _bearer(client_id: str = "beheer", iat: float = T0) -> str:
    return "Bearer " + encode_jwt_zgw(client_id, SECRET, iat=iat)


async def test_a_cached_token_is_not_verified_again() -> None:
    store, clock = CountingStore(bootstrap_applicatie("beheer", SECRET)), Clock()
    # The forwarded context is checked below against the real clock: start the fake one at now,
    # not at import time, which may be minutes ago in a long test run.
    clock.now = float(int(time.time()))
    verifier = _verifier(store, clock)
    first = await verifier.resolve(_bearer(iat=clock.now))
    clock.now += 5
    second = await verifier.resolve(_bearer(iat=clock.now - 5))
    assert store.lookups == 1
    assert second.header == first.header
    assert verify_auth_context(second.header.decode(), INTERNAL).heeft_alle_autorisaties


async def test_the_cache_honours_the_maximum_age() -> None:
    store, clock = CountingStore(bootstrap_applicatie("beheer", SECRET)), Clock()
    verifier = _verifier(store, clock, cache_seconds=10_000.0)
    token = _bearer(iat=T0 - 3600)  # valid for leeway (30 s) more
    await verifier.resolve(token)
    clock.now += 31
    with pytest.raises(NotAuthenticated, match="verlopen"):
        await verifier.resolve(token)


async def test_a_removed_client_loses_access_once_its_entry_is_stale() -> None:
    store, clock = CountingStore(bootstrap_applicatie("beheer", SECRET)), Clock()
    verifier = _verifier(store, clock)
    token = _bearer()
    await verifier.resolve(token)
    store.remove("beheer")
    clock.now += 30
    await verifier.resolve(token)  # still within cache_seconds
    clock.now += 31
    with pytest.raises(NotAuthenticated, match="onbekend"):
        await verifier.resolve(token)


async def test_the_forwarded_context_is_signed_again_before_services_would_refuse_it() -> None:
    store, clock = CountingStore(bootstrap_applicatie("beheer", SECRET)), Clock()
    verifier = _verifier(store, clock, cache_seconds=300.0)
    token = _bearer()
    first = (await verifier.resolve(token)).header
    clock.now += 90
    later = (await verifier.resolve(token)).header
    assert later != first
    assert store.lookups == 1
    # Services check the internal token's exp against the real clock; compare issue times instead.

    assert jwt.decode(later, options={"verify_signature": False})["iat"] == int(T0 + 90)


async def test_the_cache_is_bounded() -> None:
    store, clock = CountingStore(bootstrap_applicatie("beheer", SECRET)), Clock()
    verifier = _verifier(store, clock, cache_size=3)
    tokens = [_bearer(iat=T0 - i) for i in range(5)]
    for token in tokens:
        await verifier.resolve(token)
    assert len(verifier._cache) == 3
    await verifier.resolve(tokens[0])  # evicted: verified again
    assert store.lookups == 6
