"""What every use case of notificaties needs, built once per process by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import httpx
from fastapi import Depends, Request

from services.notificaties.settings import NotificatiesSettings

API_PREFIX = "/notificaties/api/v1"


@dataclass
class Notificaties:
    settings: NotificatiesSettings
    # The client of the callbackUrl check.
    http: httpx.AsyncClient

    def url(self, kind: str, uuid: str) -> str:
        return f"{self.settings.public_base_url.rstrip('/')}{API_PREFIX}/{kind}/{uuid}"


async def _notificaties(request: Request) -> Notificaties:
    # async: FastAPI runs a plain def dependency in a worker thread, which costs more than this lookup.
    return request.app.state.notificaties  # type: ignore[no-any-return]


Nrc = Annotated[Notificaties, Depends(_notificaties)]
