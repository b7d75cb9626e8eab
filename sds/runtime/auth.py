"""The auth context: who is calling and what they may see, as the gateway resolved it.

Outside callers present a JWT-ZGW token to the gateway. The gateway looks the client up and
forwards what it resolved to the service as a short-lived token signed with the suite's
internal secret (header ``X-SDS-Auth``). A service trusts nothing else: a bare header that any
caller could set is refused, and so is a call without one.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from pydantic import BaseModel, Field

from sds.runtime.errors import NotAuthenticated, PermissionDenied

AUTH_HEADER = "x-sds-auth"
_ALGORITHM = "HS256"
_AUDIENCE = "sds-services"
_TTL_SECONDS = 120

VERTROUWELIJKHEID = (
    "openbaar",
    "beperkt_openbaar",
    "intern",
    "zaakvertrouwelijk",
    "vertrouwelijk",
    "confidentieel",
    "geheim",
    "zeer_geheim",
)


class AuthContext(BaseModel):
    client_id: str
    user_id: str = ""
    user_representation: str = ""
    # component -> scopes, e.g. {"zaken": ["zaken.lezen", "zaken.aanmaken"]}
    scopes: dict[str, list[str]] = Field(default_factory=dict)
    kolommen: list[str] = Field(default_factory=list)
    clusters: list[str] = Field(default_factory=list)
    max_vertrouwelijkheidaanduiding: str = "openbaar"
    heeft_alle_autorisaties: bool = False

    def has_scope(self, component: str, scope: str) -> bool:
        return self.heeft_alle_autorisaties or scope in self.scopes.get(component, [])

    def require_scope(self, component: str, scope: str) -> None:
        if not self.has_scope(component, scope):
            raise PermissionDenied(f"Deze applicatie heeft de scope '{scope}' niet.")

    def may_see_vertrouwelijkheid(self, aanduiding: str) -> bool:
        if self.heeft_alle_autorisaties:
            return True
        return VERTROUWELIJKHEID.index(aanduiding) <= VERTROUWELIJKHEID.index(
            self.max_vertrouwelijkheidaanduiding
        )


def sign_auth_context(ctx: AuthContext, secret: str, *, now: float | None = None) -> str:
    issued = int(now if now is not None else time.time())
    claims: dict[str, Any] = {
        "aud": _AUDIENCE,
        "iat": issued,
        "exp": issued + _TTL_SECONDS,
        "ctx": ctx.model_dump(),
    }
    return jwt.encode(claims, secret, algorithm=_ALGORITHM)


def verify_auth_context(token: str, secret: str) -> AuthContext:
    try:
        claims = jwt.decode(token, secret, algorithms=[_ALGORITHM], audience=_AUDIENCE)
        return AuthContext.model_validate(claims["ctx"])
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise NotAuthenticated("De autorisatiecontext van de gateway is ongeldig.") from exc


def current_auth(request: Request) -> AuthContext:
    """The verified auth context of this request (set by the service's auth middleware)."""
    ctx = getattr(request.state, "auth", None)
    if ctx is None:
        raise NotAuthenticated("Authenticatiegegevens ontbreken.")
    return ctx


Auth = Annotated[AuthContext, Depends(current_auth)]
