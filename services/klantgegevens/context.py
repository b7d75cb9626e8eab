"""What every use case of klantgegevens needs, built once per process by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from contracts.events import make_event
from contracts.events.klantgegevens import HuishoudenGewijzigd
from sds.runtime.app import UnitOfWork
from sds.runtime.auth import AuthContext
from sds.runtime.errors import PermissionDenied
from sds.runtime.verwerkingenlog import Verwerkingenlog
from services.klantgegevens.brp import PersonenBron
from services.klantgegevens.domain import (
    SCOPE_LEZEN,
    SCOPE_REGISTREREN,
    SCOPE_SCHRIJVEN,
    Bereik,
    bereik,
    samenstelling,
)
from services.klantgegevens.settings import KlantgegevensSettings

API_PREFIX = "/klantgegevens/api/v1"
SOURCE = "urn:nld:sociaal-domein:klantgegevens"


@dataclass
class Klantgegevens:
    settings: KlantgegevensSettings
    log: Verwerkingenlog
    bron: PersonenBron | None
    eigen_dossier: bool

    @property
    def sleutel(self) -> bytes:
        return self.log.sleutel

    def url(self, kind: str, uuid: str) -> str:
        return f"{self.settings.public_base_url.rstrip('/')}{API_PREFIX}/{kind}/{uuid}"

    def lees_bereik(self, ctx: AuthContext) -> Bereik:
        reach = bereik(ctx, SCOPE_LEZEN)
        if not reach.alles and ctx.grants("klantgegevens", SCOPE_REGISTREREN):
            reach = Bereik(alles=False, kolommen=reach.kolommen, clusters=reach.clusters, zonder_grondslag=True)
        if reach.leeg:
            raise PermissionDenied("Deze applicatie mag geen klantgegevens lezen.")
        return reach

    def schrijf_bereik(self, ctx: AuthContext) -> Bereik:
        reach = bereik(ctx, SCOPE_SCHRIJVEN)
        if not reach.alles and ctx.grants("klantgegevens", SCOPE_REGISTREREN):
            reach = Bereik(alles=False, kolommen=reach.kolommen, clusters=reach.clusters, zonder_grondslag=True)
        if reach.leeg:
            raise PermissionDenied("Deze applicatie mag geen klantgegevens schrijven.")
        return reach

    async def huishouden_gewijzigd(self, uow: UnitOfWork, uuid: str, wijziging: str, rollen: list[str]) -> None:
        shape = samenstelling(rollen)
        url = self.url("huishoudens", uuid)
        data = HuishoudenGewijzigd.model_validate({
            "huishouden": url, "wijziging": wijziging, "aantalLeden": shape.aantal,
            "samenstelling": {"ouders": shape.ouders, "partners": shape.partners, "kinderen": shape.kinderen,
                              "overig": shape.overig}})
        await uow.record(make_event("nl.sociaal-domein.klantgegevens.huishouden-gewijzigd", data, source=SOURCE,
                                    subject=uuid, dataref=url))


async def _klantgegevens(request: Request) -> Klantgegevens:
    # async: FastAPI runs a plain def dependency in a worker thread, which costs more than this lookup.
    return request.app.state.klantgegevens  # type: ignore[no-any-return]


Kg = Annotated[Klantgegevens, Depends(_klantgegevens)]
