"""Intake's verwerkingenlog: every aanvraag and signaal read or written leaves a record per household, person or
address it is about, by pseudonym only, with the lawful reason and the trace it was asked under."""

from __future__ import annotations

import json
from typing import Any

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select

from sds.runtime.verwerkingenlog import DEV_PSEUDONIEM_SLEUTEL, pseudoniem
from services.intake.models import verwerkingen
from tests.intake.test_signalen import PARTNER, TEAM, Intake, headers, running_intake, signaal

SLEUTEL = DEV_PSEUDONIEM_SLEUTEL.encode()
HUISHOUDEN = "http://testserver/klantgegevens/api/v1/huishoudens/7d7c0e0c-6c4a-4f3e-9a39-2e7b8c0f1a11"
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


async def _log(intake: Intake) -> list[Any]:
    async with intake.app.state.db.transaction() as session:
        return list((await session.execute(select(verwerkingen).order_by(verwerkingen.c.id))).all())


async def test_een_aanvraag_indienen_en_lezen_staat_in_de_log(tmp_path: Any) -> None:
    async with running_intake(tmp_path) as intake:
        body = {"ingediendDoor": "medewerker", "huishouden": HUISHOUDEN,
                "vragen": [{"leefgebied": "huishouden"}, {"leefgebied": "opvoeden"}]}
        r = await intake.post("/aanvragen", body)
        assert r.status_code == 201, r.text
        aanvraag = r.json()
        r = await intake.client.get(aanvraag["url"], headers={**headers(), "traceparent": TRACEPARENT})
        assert r.status_code == 200, r.text
        r = await intake.client.get(f"{aanvraag['url'].rsplit('/', 2)[0]}/aanvragen", headers=headers())
        assert r.status_code == 200 and r.json()["count"] == 1, r.text

        log = await _log(intake)
        assert [(x.verwerkingsactiviteit, x.handeling) for x in log] == [
            ("aanvraag-indienen", "schrijven"), ("aanvraag-raadplegen", "lezen"), ("aanvraag-raadplegen", "lezen")]
        assert {x.betrokkene for x in log} == {pseudoniem(HUISHOUDEN, SLEUTEL)}
        assert {x.grondslag for x in log} == {"aanvraag:wmo,jeugd"}
        assert {x.client_id for x in log} == {"test-alles"}
        assert log[1].trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
        assert HUISHOUDEN not in str([tuple(x) for x in log])


async def test_een_signaal_melden_en_lezen_staat_in_de_log_per_adres(tmp_path: Any) -> None:
    async with running_intake(tmp_path) as intake:
        r = await intake.post("/signalen", signaal(0, postcode="1234AB", huisnummer=5), PARTNER)
        assert r.status_code == 201, r.text
        r = await intake.client.get(r.json()["url"], headers=headers(TEAM))
        assert r.status_code == 200, r.text
        r = await intake.client.get("http://testserver/intake/api/v1/signalen", headers=headers(TEAM))
        assert r.status_code == 200 and r.json()["count"] == 1, r.text

        log = await _log(intake)
        acts = [(x.verwerkingsactiviteit, x.handeling, x.client_id) for x in log]
        assert acts[0] == ("signaal-ontvangen", "schrijven", "woningcorporatie-1")
        assert acts[-2:] == [("signaal-raadplegen", "lezen", "vroegsignalering")] * 2
        assert {x.grondslag for x in log} == {"signaal:huurachterstand"}
        assert len({x.betrokkene for x in log}) == 1
        assert all("1234" not in x.betrokkene for x in log)


async def test_een_geweigerde_lezing_wordt_geteld_en_gemeld_maar_is_geen_verwerking(
        tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    labels = {"service": "intake", "method": "GET", "route": "/intake/api/v1/signalen/{uuid}", "status": "403"}
    async with running_intake(tmp_path) as intake:
        r = await intake.post("/signalen", signaal(0), PARTNER)
        assert r.status_code == 201, r.text
        before = len(await _log(intake))
        refused = REGISTRY.get_sample_value("sds_http_refused_total", labels) or 0.0
        capsys.readouterr()
        r = await intake.client.get(r.json()["url"], headers=headers(PARTNER))
        assert r.status_code == 403, r.text
        assert len(await _log(intake)) == before
        assert REGISTRY.get_sample_value("sds_http_refused_total", labels) == refused + 1
        # The service's JSON log lines go to stderr; the security line is one of them, under its own logger.
        lines = [json.loads(x) for x in capsys.readouterr().err.splitlines() if x.startswith("{")]
        [line] = [x for x in lines if x["logger"] == "sds.security"]
        assert (line["event"], line["status"], line["clientId"], line["route"]) == (
            "toegang-geweigerd", 403, "woningcorporatie-1", labels["route"])

