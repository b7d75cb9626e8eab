"""Applicaties: the clients the gateway knows, with their secret and what they may do.

For now the only applicatie is the bootstrap client from the settings, which has all
authorisations (it is how an operator sets up the rest). The verifier asks an
``ApplicatieStore`` by client id, so a store backed by the Autorisaties API's own table can
replace the in-memory one without touching authentication.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sds.runtime.auth import AuthContext, Autorisatie


@dataclass(frozen=True)
class Applicatie:
    client_id: str
    secret: str
    label: str = ""
    heeft_alle_autorisaties: bool = False
    autorisaties: tuple[Autorisatie, ...] = ()
    kolommen: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()

    def auth_context(self, *, user_id: str = "", user_representation: str = "") -> AuthContext:
        return AuthContext(
            client_id=self.client_id,
            user_id=user_id,
            user_representation=user_representation,
            heeft_alle_autorisaties=self.heeft_alle_autorisaties,
            autorisaties=list(self.autorisaties),
            kolommen=list(self.kolommen),
            clusters=list(self.clusters),
        )


class ApplicatieStore(Protocol):
    async def get(self, client_id: str) -> Applicatie | None: ...


class InMemoryApplicatieStore:
    def __init__(self, applicaties: Iterable[Applicatie] = ()) -> None:
        self._by_client_id = {app.client_id: app for app in applicaties}

    async def get(self, client_id: str) -> Applicatie | None:
        return self._by_client_id.get(client_id)

    def add(self, applicatie: Applicatie) -> None:
        self._by_client_id[applicatie.client_id] = applicatie


def bootstrap_applicatie(client_id: str, secret: str) -> Applicatie:
    return Applicatie(client_id=client_id, secret=secret, label="Bootstrap-applicatie",
                      heeft_alle_autorisaties=True)
