"""The auth context: who is calling and what they may see, as the gateway resolved it.

Outside callers present a JWT-ZGW token to the gateway. The gateway looks the client up and
forwards what it resolved to the service as a short-lived token signed with the suite's
internal secret (header ``X-SDS-Auth``). A service trusts nothing else: a bare header that any
caller could set is refused, and so is a call without one.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from pydantic import BaseModel, Field

from sds.runtime.errors import NotAuthenticated, PermissionDenied
from sds.runtime.scopes import BRC, KLANTGEGEVENS, ZRC, ZTC

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


class Autorisatie(BaseModel):
    """One grant of an applicatie, in the ZGW Autorisaties API shape, extended with catalogus and kolom.

    ``component`` is one of sds.runtime.scopes.COMPONENTS: the standard's ``ac nrc zrc ztc drc brc`` or
    one of the suite's own services. Without ``zaaktype``, ``catalogus`` or ``kolom`` it holds for the
    whole component; with one of them only for what belongs to it (ZGW: per zaaktype; the suite's
    extension: per catalogus, or per kolom — in this suite a catalogus per kolom). ``informatieobjecttype``
    and ``besluittype`` are the standard's narrowing for ``drc`` and ``brc``.
    """

    component: str
    scopes: list[str] = Field(default_factory=list)
    zaaktype: str | None = None
    informatieobjecttype: str | None = None
    besluittype: str | None = None
    catalogus: str | None = None
    kolom: str | None = None
    max_vertrouwelijkheidaanduiding: str | None = None


class AuthContext(BaseModel):
    client_id: str
    user_id: str = ""
    user_representation: str = ""
    heeft_alle_autorisaties: bool = False
    autorisaties: list[Autorisatie] = Field(default_factory=list)
    # The kolommen and clusters the applicatie serves (an external party: its own cluster only).
    kolommen: list[str] = Field(default_factory=list)
    clusters: list[str] = Field(default_factory=list)

    def grants(self, component: str, scope: str) -> list[Autorisatie]:
        """The grants that give ``scope`` on ``component``; a service narrows its queries by them."""
        return [a for a in self.autorisaties if a.component == component and scope in a.scopes]

    def has_scope(self, component: str, scope: str) -> bool:
        return self.heeft_alle_autorisaties or bool(self.grants(component, scope))

    def require_scope(self, component: str, scope: str) -> None:
        if not self.has_scope(component, scope):
            raise PermissionDenied(f"Deze applicatie heeft de scope '{scope}' niet.", code="permission_denied")


# Components whose grants the services narrow by kolom (a grant without one covers every kolom): a zaak's,
# a catalogus's and a besluit's kolom is that of its catalogus; klantgegevens reaches a person through a lawful
# reason in a kolom.
PER_KOLOM = frozenset({ZRC, ZTC, BRC, KLANTGEGEVENS})


def grens(ctx: AuthContext, cluster_kolommen: Mapping[str, Collection[str]] | None = None) -> list[str] | None:
    """The kolommen an applicatie limited to kolommen or clusters reaches at most (None: it is not limited).

    Its own kolommen when it names them (they lie in its clusters), else the kolommen of its clusters
    (``cluster_kolommen``: the archetype profile's). A limit nothing resolves (a cluster the profile does not
    know, or no profile) is empty: it reaches nothing rather than everything.
    """
    if ctx.heeft_alle_autorisaties or not (ctx.kolommen or ctx.clusters):
        return None
    if ctx.kolommen:
        return list(dict.fromkeys(ctx.kolommen))
    kolommen: dict[str, None] = {}
    for cluster in ctx.clusters:
        kolommen.update(dict.fromkeys((cluster_kolommen or {}).get(cluster, ())))
    return list(kolommen)


def begrens(ctx: AuthContext, cluster_kolommen: Mapping[str, Collection[str]] | None = None) -> AuthContext:
    """The context as a service acts on it: an applicatie limited to kolommen or clusters never reaches past them,
    whatever its grants say. The request pipeline of every service applies this to the context it verified, so
    the limit holds for a call that did not come through the gateway as well as for one that did.

    ``kolommen`` becomes the limit (``grens``). A grant naming a kolom outside it is dropped; a grant on a
    per-kolom component without a kolom becomes one grant per kolom of the limit (keeping its zaaktype,
    catalogus or besluittype), so a service that filters by the grants' kolom shows nothing of another kolom or
    cluster, and an empty limit leaves no per-kolom grant at all.
    """
    kolommen = grens(ctx, cluster_kolommen)
    if kolommen is None:
        return ctx
    autorisaties: list[Autorisatie] = []
    for grant in ctx.autorisaties:
        if grant.kolom is not None:
            if grant.kolom in kolommen:
                autorisaties.append(grant)
        elif grant.component in PER_KOLOM:
            autorisaties.extend(grant.model_copy(update={"kolom": kolom}) for kolom in kolommen)
        else:
            autorisaties.append(grant)
    return ctx.model_copy(update={"kolommen": kolommen, "autorisaties": autorisaties})


def vertrouwelijkheid_rank(aanduiding: str) -> int:
    """Position on the ZGW scale, openbaar (0) to zeer_geheim (7), for comparisons in queries."""
    return VERTROUWELIJKHEID.index(aanduiding)


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


async def current_auth(request: Request) -> AuthContext:
    """The verified auth context of this request (set by the service's auth middleware); async, so FastAPI
    does not hop to a worker thread for it on every request."""
    ctx = getattr(request.state, "auth", None)
    if ctx is None:
        raise NotAuthenticated("Authenticatiegegevens ontbreken.")
    return ctx


Auth = Annotated[AuthContext, Depends(current_auth)]
