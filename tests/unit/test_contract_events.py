"""Every event type has a model, a schema on disk and a sample that passes both; bad events do not.

The samples are what a producer of each type would send. Validation runs with jsonschema against the
checked-in files, because that is what a consumer outside the suite has.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from contracts.envelope import CloudEvent, subject_for
from contracts.events import EVENT_TYPES, UnknownEventType, make_event, parse_data
from contracts.events.zaken import ZaakGeopend

SCHEMAS = Path(__file__).resolve().parents[2] / "contracts" / "schemas"
BASE = "https://gemeente.example/api"
HH = f"{BASE}/klantgegevens/api/v1/huishoudens/6f1c0e0e-4b0c-4f3e-9a55-2b8f6c3d1a10"
ZAAK = f"{BASE}/zaken/api/v1/zaken/0b7a3c2e-9d4f-4b1a-8c6e-1f2d3e4a5b6c"
ZAAKTYPE = f"{BASE}/catalogi/api/v1/zaaktypen/5e6f7a8b-1c2d-4e3f-9a0b-c1d2e3f4a5b6"
AANVRAAG = f"{BASE}/intake/api/v1/aanvragen/7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
AANBIEDER = f"{BASE}/financien/api/v1/aanbieders/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
TOEWIJZING = f"{BASE}/financien/api/v1/toewijzingen/2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"
PRODUCT = {"productcategorie": "45", "productcode": "45A01"}
OMVANG = {"volume": 3, "eenheid": "uur", "frequentie": "per-week"}
BESLUIT = f"{BASE}/besluiten/api/v1/besluiten/3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f"
BESLUITTYPE = f"{BASE}/catalogi/api/v1/besluittypen/4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f8a"
IOTYPE = f"{BASE}/catalogi/api/v1/informatieobjecttypen/6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c"
INFORMATIEOBJECT = "https://drc.gemeente.example/documenten/api/v1/enkelvoudiginformatieobjecten/5e6f7a8b-9c0d-4e1f-8a2b"

SAMPLES: dict[str, dict[str, Any]] = {
    "nl.sociaal-domein.intake.aanvraag-ingediend": {
        "aanvraag": AANVRAAG, "huishouden": HH, "kolommen": ["wmo", "schuldhulp"],
        "ingediendDoor": "medewerker", "registratiedatum": "2026-11-02"},
    "nl.sociaal-domein.intake.aanvraag-getrieerd": {
        "aanvraag": AANVRAAG, "huishouden": HH, "integraal": False, "regie": "per-cluster",
        "zaken": [{"kolommen": ["schuldhulp"], "cluster": "inkomen", "zaaktype": ZAAKTYPE, "integraal": False,
                   "regisseur": True}],
        "delegaties": [{"cluster": "zorg", "kolommen": ["wmo"], "partij": "zorgverzekeraar-noord"}],
        "redenen": [{"code": "vragen-in-meerdere-clusters", "kolom": None}]},
    "nl.sociaal-domein.intake.aanvraag-afgerond": {
        "aanvraag": AANVRAAG, "huishouden": HH, "kolommen": ["wmo"], "uitkomst": "zaken-geopend",
        "registratiedatum": "2026-11-02", "einddatum": "2026-11-09"},
    "nl.sociaal-domein.intake.signaal-ontvangen": {
        "signaal": f"{BASE}/intake/api/v1/signalen/3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f", "huishouden": None,
        "partnersoort": "woningcorporatie", "signaalsoort": "huurachterstand", "crisis": False,
        "registratiedatum": "2026-11-02"},
    "nl.sociaal-domein.intake.termijn-overschreden": {
        "aanvraag": AANVRAAG, "kolom": "wmo", "termijnsoort": "onderzoek", "termijn": "P42D",
        "startdatum": "2026-09-01", "uiterlijkeEinddatum": "2026-10-13"},
    "nl.overheid.zaken.zaak-geopend": {
        "aanvraag": AANVRAAG, "zaak": ZAAK, "zaaktype": ZAAKTYPE,
        "catalogus": f"{BASE}/catalogi/api/v1/catalogussen/4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
        "kolommen": ["schuldhulp"], "cluster": "inkomen", "integraal": False, "huishouden": HH,
        "vertrouwelijkheidaanduiding": "vertrouwelijk", "registratiedatum": "2026-11-03",
        "startdatum": "2026-11-03"},
    "nl.overheid.zaken.status-gezet": {
        "zaak": ZAAK, "zaaktype": ZAAKTYPE, "status": f"{BASE}/zaken/api/v1/statussen/1",
        "statustype": f"{BASE}/catalogi/api/v1/statustypen/1",
        "datumStatusGezet": "2026-11-04T10:00:00+01:00", "isEindstatus": False},
    "nl.overheid.zaken.resultaat-vastgesteld": {
        "zaak": ZAAK, "zaaktype": ZAAKTYPE, "huishouden": HH, "kolom": "wmo",
        "resultaat": f"{BASE}/zaken/api/v1/resultaten/1",
        "resultaattype": f"{BASE}/catalogi/api/v1/resultaattypen/1", "uitkomst": "toegekend",
        "toekenningen": [{"product": PRODUCT, "omvang": OMVANG, "begindatum": "2026-12-01",
                          "einddatum": "2027-11-30", "aanbieder": AANBIEDER}]},
    "nl.overheid.zaken.zaak-afgesloten": {
        "zaak": ZAAK, "zaaktype": ZAAKTYPE, "huishouden": HH, "kolommen": ["wmo"],
        "resultaattype": f"{BASE}/catalogi/api/v1/resultaattypen/1", "einddatum": "2026-11-20"},
    "nl.overheid.zaken.zaak-gemuteerd": {
        "zaak": ZAAK, "zaaktype": ZAAKTYPE, "actie": "bijgewerkt", "velden": ["omschrijving"], "huishouden": HH},
    "nl.overheid.zaken.besluit-aangemaakt": {
        "besluit": BESLUIT, "besluittype": BESLUITTYPE, "zaak": ZAAK, "datum": "2026-11-20",
        "ingangsdatum": "2026-12-01", "vervaldatum": "2027-12-01", "vervalreden": "tijdelijk"},
    "nl.overheid.zaken.besluit-gewijzigd": {
        "besluit": BESLUIT, "besluittype": BESLUITTYPE, "zaak": ZAAK, "vorigeZaak": f"{BASE}/zaken/api/v1/zaken/2",
        "ingangsdatum": "2026-12-01", "vervaldatum": None, "vervalreden": None, "velden": ["zaak"]},
    "nl.overheid.zaken.besluit-verwijderd": {"besluit": BESLUIT, "besluittype": BESLUITTYPE, "zaak": ZAAK},
    "nl.overheid.zaken.besluitinformatieobject-aangemaakt": {
        "besluitinformatieobject": f"{BASE}/besluiten/api/v1/besluitinformatieobjecten/1", "besluit": BESLUIT,
        "besluittype": BESLUITTYPE, "informatieobject": INFORMATIEOBJECT},
    "nl.overheid.zaken.besluitinformatieobject-verwijderd": {
        "besluitinformatieobject": f"{BASE}/besluiten/api/v1/besluitinformatieobjecten/1", "besluit": BESLUIT,
        "besluittype": BESLUITTYPE, "informatieobject": INFORMATIEOBJECT},
    **{f"nl.overheid.documenten.enkelvoudiginformatieobject-{verb}": {
        "informatieobject": INFORMATIEOBJECT, "informatieobjecttype": IOTYPE, "versie": 2,
        "vertrouwelijkheidaanduiding": "vertrouwelijk"} for verb in ("aangemaakt", "gewijzigd", "verwijderd")},
    **{f"nl.overheid.documenten.objectinformatieobject-{verb}": {
        "objectinformatieobject": f"{BASE}/documenten/api/v1/objectinformatieobjecten/1",
        "informatieobject": INFORMATIEOBJECT, "informatieobjecttype": IOTYPE, "object": ZAAK, "objectType": "zaak"}
       for verb in ("aangemaakt", "verwijderd")},
    "nl.overheid.zaken.rol-toegevoegd": {
        "zaak": ZAAK, "zaaktype": ZAAKTYPE, "rol": f"{BASE}/zaken/api/v1/rollen/1",
        "roltype": f"{BASE}/catalogi/api/v1/roltypen/1", "omschrijving": "Regisseur",
        "omschrijvingGeneriek": "zaakcoordinator", "betrokkeneType": "medewerker", "huishouden": HH},
    "nl.sociaal-domein.zaken.plan-gewijzigd": {
        "plan": f"{BASE}/zaken/api/v1/plannen/1", "huishouden": HH, "wijziging": "aangemaakt",
        "zaken": [ZAAK], "regisseur": f"{BASE}/zaken/api/v1/rollen/1"},
    "nl.sociaal-domein.zaken.regisseur-gewijzigd": {
        "zaak": ZAAK, "huishouden": HH, "plan": None, "regisseur": f"{BASE}/zaken/api/v1/rollen/2",
        "vorigeRegisseur": f"{BASE}/zaken/api/v1/rollen/1"},
    "nl.sociaal-domein.zaken.zaak-geescaleerd": {
        "zaak": ZAAK, "kolom": "jeugd", "hoofdzaak": f"{BASE}/zaken/api/v1/zaken/2", "huishouden": HH,
        "redenen": [{"code": "open-zaak-in-andere-kolom", "kolom": "schuldhulp"}]},
    "nl.sociaal-domein.klantgegevens.huishouden-gewijzigd": {
        "huishouden": HH, "wijziging": "lid-toegevoegd", "aantalLeden": 3,
        "samenstelling": {"ouders": 2, "partners": 0, "kinderen": 1, "overig": 0}},
    "nl.sociaal-domein.financien.toewijzing-afgegeven": {
        "toewijzing": TOEWIJZING, "zaak": ZAAK, "huishouden": HH, "kolom": "wmo", "cluster": "zorg",
        "aanbieder": AANBIEDER, "contract": f"{BASE}/financien/api/v1/contracten/1", "product": PRODUCT,
        "omvang": OMVANG, "begindatum": "2026-12-01", "einddatum": "2027-11-30", "verplichting": 936000},
    "nl.sociaal-domein.financien.toewijzing-afgewezen": {
        "toewijzing": TOEWIJZING, "zaak": ZAAK, "huishouden": HH, "kolom": "wmo", "aanbieder": AANBIEDER,
        "product": PRODUCT, "omvang": OMVANG, "redenen": ["product-niet-gecontracteerd"]},
    "nl.sociaal-domein.financien.toewijzing-gewijzigd": {
        "toewijzing": TOEWIJZING, "zaak": ZAAK, "huishouden": HH, "kolom": "wmo", "aanbieder": AANBIEDER,
        "contract": f"{BASE}/financien/api/v1/contracten/1", "product": PRODUCT, "omvang": OMVANG,
        "begindatum": "2026-12-01", "einddatum": "2027-05-31", "verplichting": 468000},
    "nl.sociaal-domein.financien.toewijzing-beeindigd": {
        "toewijzing": TOEWIJZING, "zaak": ZAAK, "aanbieder": AANBIEDER, "kolom": "wmo", "einddatum": "2027-01-31",
        "verplichting": 156000},
    "nl.sociaal-domein.financien.zorg-gestart": {
        "toewijzing": TOEWIJZING, "aanbieder": AANBIEDER, "kolom": "jeugd", "begindatum": "2026-12-03"},
    "nl.sociaal-domein.financien.zorg-gestopt": {
        "toewijzing": TOEWIJZING, "aanbieder": AANBIEDER, "kolom": "jeugd", "einddatum": "2027-03-31",
        "redenBeeindiging": "02"},
    "nl.sociaal-domein.financien.declaratie-verwerkt": {
        "declaratie": f"{BASE}/financien/api/v1/declaraties/1", "aanbieder": AANBIEDER,
        "begindatum": "2026-12-01", "einddatum": "2026-12-31", "aantalRegels": 12, "ingediendBedrag": 120000,
        "goedgekeurdBedrag": 110000, "afgekeurdBedrag": 10000,
        "perKolom": [{"kolom": "wmo", "cluster": "zorg", "aantalGoedgekeurd": 11, "aantalAfgekeurd": 1,
                      "goedgekeurdBedrag": 110000, "afgekeurdBedrag": 10000}],
        "afkeurredenen": [{"code": "8001", "aantal": 1}]},
    "nl.sociaal-domein.financien.budget-drempel-bereikt": {
        "budget": f"{BASE}/financien/api/v1/budgetten/1", "kolom": "jeugd", "jaar": 2026,
        "drempelPercentage": 90, "budgetBedrag": 100_000_000, "verplichtBedrag": 85_000_000,
        "gerealiseerdBedrag": 6_000_000},
    "nl.sociaal-domein.financien.verzoek-om-toewijzing-ingediend": {
        "verzoek": f"{BASE}/financien/api/v1/verzoeken-om-toewijzing/1", "aanbieder": AANBIEDER, "klant": HH,
        "kolom": "jeugd", "product": PRODUCT, "omvang": OMVANG, "begindatum": "2026-12-01",
        "einddatum": "2027-05-31", "verwijzerType": "02"},
    "nl.sociaal-domein.financien.verzoek-om-toewijzing-beantwoord": {
        "verzoek": f"{BASE}/financien/api/v1/verzoeken-om-toewijzing/1", "aanbieder": AANBIEDER, "kolom": "jeugd",
        "antwoord": "toegekend", "toewijzing": TOEWIJZING},
    "nl.sociaal-domein.financien.verzoek-om-wijziging-ingediend": {
        "verzoek": f"{TOEWIJZING}/verzoeken-om-wijziging/1", "toewijzing": TOEWIJZING, "aanbieder": AANBIEDER,
        "kolom": "wmo", "omvang": OMVANG, "einddatum": "2027-05-31"},
    "nl.sociaal-domein.financien.verzoek-om-wijziging-beantwoord": {
        "verzoek": f"{TOEWIJZING}/verzoeken-om-wijziging/1", "toewijzing": TOEWIJZING, "aanbieder": AANBIEDER,
        "kolom": "wmo", "antwoord": "afgewezen"},
    "nl.sociaal-domein.gateway.extern-statusbericht-ontvangen": {
        "partij": "regio-jeugd", "zaak": ZAAK, "externeReferentie": "RJ-2026-0042", "soort": "uitkomst",
        "status": "afgerond", "uitkomst": "toegekend", "ontvangen": "2026-11-20T09:30:00Z"},
}

ALL_TYPES = sorted(EVENT_TYPES)


def _schema(type_name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{type_name}.json").read_text(encoding="utf-8"))


def _validator(type_name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(_schema(type_name), format_checker=jsonschema.FormatChecker())


def _event(type_name: str, data: dict[str, Any] | None = None) -> CloudEvent:
    return make_event(type_name, SAMPLES[type_name] if data is None else data,
                      source=f"urn:nld:sociaal-domein:{EVENT_TYPES[type_name].producer}",
                      subject="0b7a3c2e-9d4f-4b1a-8c6e-1f2d3e4a5b6c", dataref=ZAAK,
                      traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")


def _wire(event: CloudEvent) -> dict[str, Any]:
    return json.loads(event.to_json())


def _errors(type_name: str, instance: dict[str, Any]) -> list[str]:
    return [e.message for e in _validator(type_name).iter_errors(instance)]


def test_every_registered_type_has_a_sample_here_and_a_schema_on_disk() -> None:
    assert set(EVENT_TYPES) == set(SAMPLES)
    assert {p.name for p in SCHEMAS.glob("*.json")} == {f"{name}.json" for name in EVENT_TYPES}


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_the_registry_entry_names_its_subject_producer_and_consumers(type_name: str) -> None:
    spec = EVENT_TYPES[type_name]
    assert spec.subject == subject_for(type_name)
    assert spec.subject.startswith(f"sds.{spec.producer}.")
    assert spec.consumers and spec.producer not in spec.consumers
    assert spec.version.count(".") == 2


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_a_valid_event_validates_against_its_checked_in_schema(type_name: str) -> None:
    event = _event(type_name)
    assert _errors(type_name, _wire(event)) == []
    assert event.dataschema == _schema(type_name)["$id"]


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_an_event_survives_the_wire_and_reads_back_as_its_model(type_name: str) -> None:
    event = CloudEvent.from_json(_event(type_name).to_json())
    data = parse_data(event)
    assert isinstance(data, EVENT_TYPES[type_name].data_model)
    assert data == EVENT_TYPES[type_name].data_model.model_validate(SAMPLES[type_name])
    assert {key: event.data[key] for key in SAMPLES[type_name]} == SAMPLES[type_name]


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_each_required_data_field_is_required_by_schema_and_model(type_name: str) -> None:
    required = _schema(type_name)["$defs"][EVENT_TYPES[type_name].data_model.__name__]["required"]
    assert required
    for field in required:
        wire = _wire(_event(type_name))
        del wire["data"][field]
        assert any(f"'{field}' is a required property" in m for m in _errors(type_name, wire)), field
        with pytest.raises(ValidationError):
            make_event(type_name, {k: v for k, v in SAMPLES[type_name].items() if k != field},
                       source="urn:nld:sociaal-domein:test", subject="x", dataref=ZAAK)


@pytest.mark.parametrize("field", ["bsn", "burgerservicenummer", "naam", "geboortedatum"])
@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_personal_data_fields_are_refused(type_name: str, field: str) -> None:
    wire = _wire(_event(type_name))
    wire["data"][field] = "111222333"
    assert any("Additional properties are not allowed" in m for m in _errors(type_name, wire))
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        _event(type_name, {**SAMPLES[type_name], field: "111222333"})


def test_personal_data_is_refused_in_nested_objects_too() -> None:
    type_name = "nl.sociaal-domein.klantgegevens.huishouden-gewijzigd"
    wire = _wire(_event(type_name))
    wire["data"]["samenstelling"]["bsnKind"] = "111222333"
    assert _errors(type_name, wire)


def test_an_event_under_another_type_name_does_not_validate() -> None:
    wire = _wire(_event("nl.overheid.zaken.zaak-geopend"))
    wire["type"] = "nl.overheid.zaken.zaak-afgesloten"
    assert any("was expected" in m for m in _errors("nl.overheid.zaken.zaak-geopend", wire))


def test_an_unknown_type_is_refused_by_both_helpers() -> None:
    with pytest.raises(UnknownEventType):
        make_event("nl.overheid.zaken.zaak-verdwenen", {}, source="urn:nld:sociaal-domein:zaken", subject="x",
                   dataref=ZAAK)
    with pytest.raises(UnknownEventType):
        parse_data(CloudEvent(type="nl.overheid.zaken.zaak-verdwenen", source="urn:nld:sociaal-domein:zaken"))


@pytest.mark.parametrize(("path", "value", "reason"), [
    (("zaak",), "ftp://elders/zaak/1", "does not match"),
    (("zaak",), 42, "is not of type 'string'"),
    (("kolommen",), [], "should be non-empty"),
    (("kolommen",), ["wmo", "wmo"], "has non-unique elements"),
    (("kolommen",), ["ouderenzorg"], "is not one of"),
    (("cluster",), "Zorg & Welzijn", "is not valid under any of the given schemas"),
    (("vertrouwelijkheidaanduiding",), "heel_geheim", "is not one of"),
    (("integraal",), "ja", "is not of type 'boolean'"),
])
def test_a_wrongly_typed_data_field_does_not_validate(path: tuple[str, ...], value: Any, reason: str) -> None:
    type_name = "nl.overheid.zaken.zaak-geopend"
    wire = _wire(_event(type_name))
    wire["data"][path[0]] = value
    assert any(reason in m for m in _errors(type_name, wire)), _errors(type_name, wire)
    with pytest.raises(ValidationError):
        _event(type_name, {**SAMPLES[type_name], path[0]: value})


def test_envelope_fields_that_consumers_rely_on_are_required() -> None:
    type_name = "nl.overheid.zaken.zaak-geopend"
    for field in ("id", "source", "time", "subject", "dataref", "dataschema", "data"):
        wire = _wire(_event(type_name))
        del wire[field]
        assert _errors(type_name, wire), field


def test_make_event_takes_the_model_itself_but_not_another_types_model() -> None:
    data = ZaakGeopend.model_validate(SAMPLES["nl.overheid.zaken.zaak-geopend"])
    event = make_event("nl.overheid.zaken.zaak-geopend", data, source="urn:nld:sociaal-domein:zaken",
                       subject="x", dataref=ZAAK)
    assert event.data["huishouden"] == HH and event.type == "nl.overheid.zaken.zaak-geopend"
    with pytest.raises(TypeError):
        make_event("nl.overheid.zaken.zaak-afgesloten", data, source="urn:nld:sociaal-domein:zaken",
                   subject="x", dataref=ZAAK)


def test_a_reader_one_release_behind_drops_properties_it_does_not_know() -> None:
    event = _event("nl.overheid.zaken.resultaat-vastgesteld")
    data = copy.deepcopy(event.data)
    data["nieuwVeld"] = "later toegevoegd"
    data["toekenningen"][0]["omvang"]["nieuwerVeld"] = 1
    read = parse_data(event.model_copy(update={"data": data}))
    assert "nieuwVeld" not in read.model_dump(by_alias=True)
    assert data["nieuwVeld"] == "later toegevoegd"  # the event itself is left as it came


def test_a_reader_still_refuses_missing_or_wrong_data_next_to_unknown_properties() -> None:
    event = _event("nl.overheid.zaken.zaak-afgesloten")
    data = {**event.data, "nieuwVeld": 1}
    del data["einddatum"]
    with pytest.raises(ValidationError, match="einddatum"):
        parse_data(event.model_copy(update={"data": data}))
    with pytest.raises(ValidationError, match="einddatum"):
        parse_data(event.model_copy(update={"data": {**event.data, "einddatum": "gisteren"}}))
