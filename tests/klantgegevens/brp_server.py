"""A small BRP test server: ``POST /personen`` of the Haal Centraal BRP Personen API 2.x, on a free port.

It answers RaadpleegMetBurgerservicenummer from a dict of synthetic persons, checks the API key, and records
the requests it got, so a test can see what the adapter asked for.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tests.support.natsserver import free_port

API_KEY = "brp-test-sleutel"


def persoon(bsn: str, geslachtsnaam: str, *, voornamen: str = "Proef", geboortedatum: str | None = "1975-06-07",
            postcode: str = "9999ZZ") -> dict[str, Any]:
    geboorte = ({"datum": {"type": "Datum", "datum": geboortedatum, "langFormaat": geboortedatum}}
                if geboortedatum else {"datum": {"type": "JaarDatum", "jaar": 1975, "langFormaat": "1975"}})
    return {
        "burgerservicenummer": bsn,
        "naam": {"voornamen": voornamen, "geslachtsnaam": geslachtsnaam, "voorletters": voornamen[:1] + "."},
        "geboorte": geboorte,
        "verblijfplaats": {"type": "Adres", "verblijfadres": {
            "officieleStraatnaam": "Proeflaan", "korteStraatnaam": "Proeflaan", "huisnummer": 3,
            "postcode": postcode, "woonplaats": "Proefstad"}},
    }


class BrpTestServer:
    def __init__(self) -> None:
        self.personen: dict[str, dict[str, Any]] = {}
        self.requests: list[dict[str, Any]] = []
        self.fail_with: int | None = None
        self.port = free_port()
        app = FastAPI()

        @app.post("/haalcentraal/api/brp/personen")
        async def personen(request: Request) -> JSONResponse:
            if request.headers.get("x-api-key") != API_KEY:
                return JSONResponse({"status": 401, "title": "Niet geauthenticeerd."}, status_code=401)
            body = await request.json()
            self.requests.append(body)
            if self.fail_with:
                return JSONResponse({"status": self.fail_with, "title": "Fout."}, status_code=self.fail_with)
            if body.get("type") != "RaadpleegMetBurgerservicenummer" or not body.get("fields"):
                return JSONResponse({"status": 400, "title": "Ongeldige zoekvraag."}, status_code=400)
            found = [self.personen[b] for b in body.get("burgerservicenummer", []) if b in self.personen]
            return JSONResponse({"type": "RaadpleegMetBurgerservicenummer", "personen": found})

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/haalcentraal/api/brp"

    def start(self) -> BrpTestServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("BRP test server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
