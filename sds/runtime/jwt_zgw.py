"""JWT-ZGW bearer tokens: what outside callers present to the gateway.

HS256, signed with the client's own secret, with the claims ``iss``, ``client_id``, ``iat``,
``user_id`` and ``user_representation``. The gateway verifies them; clients, tests and the CLI
make them with ``encode_jwt_zgw``. Kept here (not in the gateway) so a caller can make a token
without importing the gateway.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt

ALGORITHM = "HS256"


class JwtZgwError(Exception):
    """The token is not a valid JWT-ZGW token; the message is safe to show the caller."""


@dataclass(frozen=True, slots=True)
class ZgwClaims:
    client_id: str
    user_id: str
    user_representation: str
    iat: int


def encode_jwt_zgw(client_id: str, secret: str, *, user_id: str = "", user_representation: str = "",
                   iat: float | None = None, extra: dict[str, Any] | None = None) -> str:
    claims: dict[str, Any] = {
        "iss": client_id,
        "client_id": client_id,
        "iat": int(time.time() if iat is None else iat),
        "user_id": user_id,
        "user_representation": user_representation,
        **(extra or {}),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def unverified_client_id(token: str) -> str:
    """The client a token claims to come from, to look up the secret that must have signed it."""
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise JwtZgwError("Het token is geen geldige JWT.") from exc
    if header.get("alg") != ALGORITHM:
        raise JwtZgwError(f"Het token moet met {ALGORITHM} ondertekend zijn.")
    # Older ZGW clients put the client id only in `iss`.
    client_id = claims.get("client_id") or claims.get("iss")
    if not isinstance(client_id, str) or not client_id:
        raise JwtZgwError("Het token noemt geen client_id.")
    return client_id


def decode_jwt_zgw(token: str, secret: str, *, max_age: int, leeway: int = 0,
                   now: float | None = None) -> ZgwClaims:
    """Verify signature and age. ``iat`` is required: without it a stolen token would never expire."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM],
            # Times are checked below against `now`, so one clock decides (and tests can set it).
            options={"require": ["iat"], "verify_aud": False, "verify_iat": False, "verify_exp": False,
                     "verify_nbf": False},
        )
    except jwt.MissingRequiredClaimError as exc:
        raise JwtZgwError("Het token mist de claim 'iat'.") from exc
    except jwt.InvalidSignatureError as exc:
        raise JwtZgwError("De handtekening van het token is ongeldig.") from exc
    except jwt.PyJWTError as exc:
        raise JwtZgwError("Het token is geen geldige JWT.") from exc
    current = time.time() if now is None else now
    iat = claims["iat"]
    if not isinstance(iat, int | float) or isinstance(iat, bool):
        raise JwtZgwError("De claim 'iat' moet een getal zijn.")
    if iat > current + leeway:
        raise JwtZgwError("Het token is uitgegeven in de toekomst ('iat').")
    if current - iat > max_age + leeway:
        raise JwtZgwError("Het token is verlopen ('iat' is te oud).")
    exp = claims.get("exp")
    if isinstance(exp, int | float) and current > exp + leeway:
        raise JwtZgwError("Het token is verlopen ('exp').")
    nbf = claims.get("nbf")
    if isinstance(nbf, int | float) and current + leeway < nbf:
        raise JwtZgwError("Het token is nog niet geldig ('nbf').")
    client_id = claims.get("client_id") or claims.get("iss")
    if not isinstance(client_id, str) or not client_id:
        raise JwtZgwError("Het token noemt geen client_id.")
    return ZgwClaims(
        client_id=client_id,
        user_id=str(claims.get("user_id") or ""),
        user_representation=str(claims.get("user_representation") or ""),
        iat=int(iat),
    )
