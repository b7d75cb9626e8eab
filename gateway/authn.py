"""From a JWT-ZGW bearer token to the signed auth context the services verify.

A client sends the same token for many requests, so a verified token is kept for a short
while (bounded LRU) together with the ``x-sds-auth`` value already signed for it: the hot path
is one dict lookup instead of two HMACs, a JSON parse and a pydantic validation. The cache
never outlives the token's maximum age, and a client removed from the store loses access
within ``cache_seconds``.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass

from gateway.applicaties import ApplicatieStore
from sds.runtime.auth import AuthContext, sign_auth_context
from sds.runtime.errors import NotAuthenticated
from sds.runtime.jwt_zgw import JwtZgwError, decode_jwt_zgw, unverified_client_id

# The signed context lives 120 s (sds.runtime.auth); re-sign well before a service would refuse it.
_RESIGN_AFTER_SECONDS = 60.0


@dataclass(slots=True)
class Resolved:
    ctx: AuthContext
    header: bytes
    signed_at: float
    valid_until: float


class TokenVerifier:
    def __init__(self, store: ApplicatieStore, *, internal_secret: str, max_age: int, leeway: int,
                 cache_size: int, cache_seconds: float, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.internal_secret = internal_secret
        self.max_age = max_age
        self.leeway = leeway
        self.cache_size = cache_size
        self.cache_seconds = cache_seconds
        self.clock = clock
        self._cache: OrderedDict[str, Resolved] = OrderedDict()

    async def resolve(self, authorization: str | None) -> Resolved:
        """The auth context for an ``Authorization`` header value; ``NotAuthenticated`` otherwise."""
        token = _bearer_token(authorization)
        now = self.clock()
        cached = self._cache.get(token)
        if cached is not None:
            if now < cached.valid_until:
                self._cache.move_to_end(token)
                if now - cached.signed_at > _RESIGN_AFTER_SECONDS:
                    cached.header = sign_auth_context(cached.ctx, self.internal_secret, now=now).encode()
                    cached.signed_at = now
                return cached
            del self._cache[token]
        resolved = await self._verify(token, now)
        if self.cache_size:
            self._cache[token] = resolved
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return resolved

    def forget_clients(self, client_ids: Collection[str]) -> None:
        """Drop the verified tokens of these clients: their applicatie changed or is gone.

        A scan of the cache, which only an applicatie's change pays for, so the hot path keeps
        its one lookup by token.
        """
        for token in [t for t, r in self._cache.items() if r.ctx.client_id in client_ids]:
            del self._cache[token]

    async def _verify(self, token: str, now: float) -> Resolved:
        try:
            client_id = unverified_client_id(token)
            applicatie = await self.store.get(client_id)
            if applicatie is None or not applicatie.secret:
                # Same answer as a bad signature: an outsider learns nothing about which clients exist.
                # An applicatie registered without a secret (as the standard's API does) signs nothing
                # until one is set.
                raise NotAuthenticated("Het token is ongeldig of de applicatie is onbekend.")
            claims = decode_jwt_zgw(token, applicatie.secret, max_age=self.max_age, leeway=self.leeway,
                                    now=now)
        except JwtZgwError as exc:
            raise NotAuthenticated(str(exc)) from exc
        if claims.client_id != client_id:
            raise NotAuthenticated("Het token is ongeldig of de applicatie is onbekend.")
        ctx = applicatie.auth_context(user_id=claims.user_id, user_representation=claims.user_representation)
        header = sign_auth_context(ctx, self.internal_secret, now=now).encode()
        expires = claims.iat + self.max_age + self.leeway
        return Resolved(ctx=ctx, header=header, signed_at=now,
                        valid_until=min(expires, now + self.cache_seconds))


def _bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise NotAuthenticated("Authenticatiegegevens ontbreken: stuur een JWT-ZGW token als Bearer.")
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise NotAuthenticated("De Authorization header moet de vorm 'Bearer <token>' hebben.")
    return token
