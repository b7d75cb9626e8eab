"""The catalogue of event types: who produces each, who consumes it, and what its ``data`` holds.

This registry is the source of truth; the JSON Schemas in ``contracts/schemas/`` and the AsyncAPI
document are generated from it (``python -m contracts.generate``).
"""

from __future__ import annotations

import builtins
import copy
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from contracts.envelope import CloudEvent, subject_for
from contracts.events import besluiten, documenten, financien, gateway, intake, klantgegevens, zaken
from contracts.events.fields import EventData

SCHEMA_ID_PREFIX = "urn:nld:sociaal-domein:schema:"
PARTS = ("intake", "zaken", "klantgegevens", "financien", "beleidsinfo", "notificaties", "documenten", "gateway")


class UnknownEventType(LookupError):
    pass


@dataclass(frozen=True)
class EventType:
    type: str
    producer: str
    consumers: tuple[str, ...]
    data_model: builtins.type[EventData]
    version: str
    summary: str

    @property
    def subject(self) -> str:
        """The NATS subject the event is published on."""
        return subject_for(self.type)

    @property
    def schema_id(self) -> str:
        """``$id`` of the event's JSON Schema, also the envelope's ``dataschema``.

        Stable across compatible versions: a breaking change is a new event type, not a new ``$id``.
        """
        return f"{SCHEMA_ID_PREFIX}{self.type}"

    @property
    def schema_filename(self) -> str:
        return f"{self.type}.json"

    def json_schema(self) -> dict[str, Any]:
        """The envelope as this event type fills it, with ``data`` constrained to the data model."""
        data = self.data_model.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs = data.pop("$defs", {})
        defs[self.data_model.__name__] = data
        envelope = CloudEvent.model_json_schema()
        props = envelope["properties"]
        props["type"] = {"const": self.type, "title": "Type", "description": props["type"]["description"]}
        props["subject"] = {"type": "string", "minLength": 1, "maxLength": 255, "title": "Subject",
                            "description": props["subject"]["description"]}
        props["dataschema"] = {"const": self.schema_id, "title": "Dataschema",
                               "description": props["dataschema"]["description"]}
        props["dataref"] = {"type": "string", "format": "uri", "pattern": r"^https?://", "maxLength": 1000,
                            "title": "Dataref", "description": props["dataref"]["description"]}
        props["data"] = {"$ref": f"#/$defs/{self.data_model.__name__}"}
        # Optional in the model because it fills them in; on the wire every one of them is present.
        envelope["required"] = ["specversion", "id", "source", "type", "time", "datacontenttype", "subject",
                                "dataschema", "dataref", "data"]
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": self.schema_id,
            "title": self.type,
            "description": f"{self.summary} Producer: {self.producer}. Subject: {self.subject}.",
            "x-version": self.version,
            **{k: v for k, v in envelope.items() if k not in ("title", "description")},
            "$defs": dict(sorted(defs.items())),
        }


def _register(*types: EventType) -> dict[str, EventType]:
    registry: dict[str, EventType] = {}
    for event_type in types:
        if event_type.type in registry:
            raise ValueError(f"event type {event_type.type} registered twice")
        unknown = {event_type.producer, *event_type.consumers} - set(PARTS)
        if unknown:
            raise ValueError(f"event type {event_type.type} names unknown parts {sorted(unknown)}")
        if event_type.type.split(".")[-2] != event_type.producer:
            raise ValueError(f"event type {event_type.type} is not named after {event_type.producer}")
        registry[event_type.type] = event_type
    subjects = [t.subject for t in registry.values()]
    if len(set(subjects)) != len(subjects):
        raise ValueError("two event types map onto the same subject")
    return registry


EVENT_TYPES: dict[str, EventType] = _register(
    EventType("nl.sociaal-domein.intake.aanvraag-ingediend", "intake", ("beleidsinfo", "klantgegevens", "notificaties"),
              intake.AanvraagIngediend, "1.0.0", "A request for support was filed."),
    EventType("nl.sociaal-domein.intake.aanvraag-getrieerd", "intake",
              ("zaken", "gateway", "beleidsinfo", "klantgegevens", "notificaties"),
              intake.AanvraagGetrieerd, "1.0.0", "Triage decided which zaken to open and what to delegate."),
    EventType("nl.sociaal-domein.intake.aanvraag-afgerond", "intake", ("beleidsinfo", "klantgegevens", "notificaties"),
              intake.AanvraagAfgerond, "1.0.0", "Intake finished an aanvraag."),
    EventType("nl.sociaal-domein.intake.signaal-ontvangen", "intake", ("beleidsinfo", "klantgegevens", "notificaties"),
              intake.SignaalOntvangen, "1.0.0", "A partner reported an early signal."),
    EventType("nl.sociaal-domein.intake.termijn-overschreden", "intake", ("beleidsinfo", "notificaties"),
              intake.TermijnOverschreden, "1.0.0", "A legal deadline of an aanvraag passed."),
    EventType("nl.overheid.zaken.zaak-geopend", "zaken", ("intake", "klantgegevens", "beleidsinfo", "notificaties"),
              zaken.ZaakGeopend, "1.1.0", "A zaak was opened."),
    EventType("nl.overheid.zaken.status-gezet", "zaken", ("klantgegevens", "beleidsinfo", "notificaties"),
              zaken.StatusGezet, "1.1.0", "A zaak got a new status."),
    EventType("nl.overheid.zaken.resultaat-vastgesteld", "zaken",
              ("financien", "beleidsinfo", "intake", "notificaties"),
              zaken.ResultaatVastgesteld, "1.1.0", "A decision on a zaak was taken."),
    EventType("nl.overheid.zaken.zaak-afgesloten", "zaken", ("intake", "klantgegevens", "beleidsinfo", "notificaties"),
              zaken.ZaakAfgesloten, "1.1.0", "A zaak was closed."),
    EventType("nl.overheid.zaken.zaak-gemuteerd", "zaken", ("intake", "klantgegevens", "beleidsinfo", "notificaties"),
              zaken.ZaakGemuteerd, "1.1.0", "A zaak was changed or deleted."),
    EventType("nl.overheid.zaken.rol-toegevoegd", "zaken", ("klantgegevens", "beleidsinfo", "notificaties"),
              zaken.RolToegevoegd, "1.1.0", "A party got a role in a zaak."),
    EventType("nl.sociaal-domein.zaken.plan-gewijzigd", "zaken", ("klantgegevens", "beleidsinfo", "notificaties"),
              zaken.PlanGewijzigd, "1.0.0", "A household plan was made, revised or closed."),
    EventType("nl.sociaal-domein.zaken.regisseur-gewijzigd", "zaken", ("klantgegevens", "beleidsinfo", "notificaties"),
              zaken.RegisseurGewijzigd, "1.0.0", "A household got another regisseur."),
    EventType("nl.sociaal-domein.zaken.zaak-geescaleerd", "zaken", ("beleidsinfo", "klantgegevens", "notificaties"),
              zaken.ZaakGeescaleerd, "1.0.0", "A kolom zaak was escalated to an integral hoofdzaak."),
    EventType("nl.overheid.zaken.besluit-aangemaakt", "zaken", ("beleidsinfo", "klantgegevens", "notificaties"),
              besluiten.BesluitAangemaakt, "1.0.0", "A besluit was recorded (Besluiten API)."),
    EventType("nl.overheid.zaken.besluit-gewijzigd", "zaken", ("beleidsinfo", "klantgegevens", "notificaties"),
              besluiten.BesluitGewijzigd, "1.0.0", "A besluit changed (Besluiten API)."),
    EventType("nl.overheid.zaken.besluit-verwijderd", "zaken", ("beleidsinfo", "klantgegevens", "notificaties"),
              besluiten.BesluitVerwijderd, "1.0.0", "A besluit was deleted (Besluiten API)."),
    EventType("nl.overheid.zaken.besluitinformatieobject-aangemaakt", "zaken", ("klantgegevens", "notificaties"),
              besluiten.BesluitInformatieObjectAangemaakt, "1.0.0",
              "An informatieobject was related to a besluit (Besluiten API)."),
    EventType("nl.overheid.zaken.besluitinformatieobject-verwijderd", "zaken", ("klantgegevens", "notificaties"),
              besluiten.BesluitInformatieObjectVerwijderd, "1.0.0",
              "An informatieobject's relation to a besluit was removed (Besluiten API)."),
    EventType("nl.overheid.documenten.enkelvoudiginformatieobject-aangemaakt", "documenten", ("notificaties",),
              documenten.InformatieObjectAangemaakt, "1.0.0", "A document was registered (Documenten API)."),
    EventType("nl.overheid.documenten.enkelvoudiginformatieobject-gewijzigd", "documenten", ("notificaties",),
              documenten.InformatieObjectGewijzigd, "1.0.0", "A document got a new version (Documenten API)."),
    EventType("nl.overheid.documenten.enkelvoudiginformatieobject-verwijderd", "documenten", ("notificaties",),
              documenten.InformatieObjectVerwijderd, "1.0.0", "A document was deleted (Documenten API)."),
    EventType("nl.overheid.documenten.objectinformatieobject-aangemaakt", "documenten", ("notificaties",),
              documenten.ObjectInformatieObjectAangemaakt, "1.0.0",
              "A document was related to a zaak or besluit (Documenten API)."),
    EventType("nl.overheid.documenten.objectinformatieobject-verwijderd", "documenten", ("notificaties",),
              documenten.ObjectInformatieObjectVerwijderd, "1.0.0",
              "A document's relation to a zaak or besluit was removed (Documenten API)."),
    EventType("nl.sociaal-domein.klantgegevens.huishouden-gewijzigd", "klantgegevens", ("beleidsinfo", "notificaties"),
              klantgegevens.HuishoudenGewijzigd, "1.0.0", "A household's composition changed."),
    EventType("nl.sociaal-domein.financien.toewijzing-afgegeven", "financien",
              ("klantgegevens", "beleidsinfo", "notificaties"),
              financien.ToewijzingAfgegeven, "1.0.0", "Care was allocated to a provider."),
    EventType("nl.sociaal-domein.financien.toewijzing-afgewezen", "financien",
              ("zaken", "klantgegevens", "beleidsinfo", "notificaties"),
              financien.ToewijzingAfgewezen, "1.0.0", "A toekenning could not be allocated."),
    EventType("nl.sociaal-domein.financien.toewijzing-gewijzigd", "financien",
              ("klantgegevens", "beleidsinfo", "notificaties"),
              financien.ToewijzingGewijzigd, "1.0.0", "A toewijzing changed with its toekenning."),
    EventType("nl.sociaal-domein.financien.toewijzing-beeindigd", "financien",
              ("klantgegevens", "beleidsinfo", "notificaties"),
              financien.ToewijzingBeeindigd, "1.0.0", "The municipality ended a toewijzing."),
    EventType("nl.sociaal-domein.financien.zorg-gestart", "financien", ("beleidsinfo", "klantgegevens", "notificaties"),
              financien.ZorgGestart, "1.0.0", "A provider started care."),
    EventType("nl.sociaal-domein.financien.zorg-gestopt", "financien", ("beleidsinfo", "klantgegevens", "notificaties"),
              financien.ZorgGestopt, "1.0.0", "A provider stopped care."),
    EventType("nl.sociaal-domein.financien.declaratie-verwerkt", "financien", ("beleidsinfo", "notificaties"),
              financien.DeclaratieVerwerkt, "1.0.0", "A provider's claim was checked and answered."),
    EventType("nl.sociaal-domein.financien.budget-drempel-bereikt", "financien", ("beleidsinfo", "notificaties"),
              financien.BudgetDrempelBereikt, "1.0.0", "Commitments and claims passed a budget threshold."),
    EventType("nl.sociaal-domein.financien.verzoek-om-toewijzing-ingediend", "financien",
              ("beleidsinfo", "notificaties"),
              financien.VerzoekOmToewijzingIngediend, "1.0.0", "A provider asked for a toewijzing (315)."),
    EventType("nl.sociaal-domein.financien.verzoek-om-toewijzing-beantwoord", "financien",
              ("beleidsinfo", "notificaties"),
              financien.VerzoekOmToewijzingBeantwoord, "1.0.0", "The municipality answered a verzoek om toewijzing."),
    EventType("nl.sociaal-domein.financien.verzoek-om-wijziging-ingediend", "financien",
              ("beleidsinfo", "notificaties"),
              financien.VerzoekOmWijzigingIngediend, "1.0.0", "A provider asked to change a toewijzing (317)."),
    EventType("nl.sociaal-domein.financien.verzoek-om-wijziging-beantwoord", "financien",
              ("beleidsinfo", "notificaties"),
              financien.VerzoekOmWijzigingBeantwoord, "1.0.0", "The municipality answered a verzoek om wijziging."),
    EventType("nl.sociaal-domein.gateway.extern-statusbericht-ontvangen", "gateway", ("intake", "zaken"),
              gateway.ExternStatusberichtOntvangen, "1.0.0", "An external party reported on delegated work."),
)


def event_type(name: str) -> EventType:
    try:
        return EVENT_TYPES[name]
    except KeyError:
        raise UnknownEventType(f"unknown event type {name!r}") from None


def make_event(type: str, data: EventData | dict[str, Any], *, source: str, subject: str, dataref: str,
               traceparent: str | None = None) -> CloudEvent:
    """A validated CloudEvent of ``type`` whose ``data`` is ``data``.

    ``data`` may be the type's model or a dict in wire form; both are validated against the model, so a
    producer cannot put a field on the wire that the contract does not name.
    """
    spec = event_type(type)
    if isinstance(data, BaseModel) and not isinstance(data, spec.data_model):
        raise TypeError(f"{type} carries {spec.data_model.__name__}, not {data.__class__.__name__}")
    wire = data.model_dump(by_alias=True) if isinstance(data, BaseModel) else data
    model = spec.data_model.model_validate(wire)
    return CloudEvent.model_validate({
        "type": type, "source": source, "subject": subject, "dataref": dataref, "traceparent": traceparent,
        "dataschema": spec.schema_id, "data": model.model_dump(mode="json", by_alias=True)})


def parse_data(event: CloudEvent) -> EventData:
    """The ``data`` of an incoming event as its type's model.

    A tolerant reader: properties this version of the contract does not know are dropped instead of
    refused, because an optional property added by a newer producer is a compatible change (see
    ``contracts.compat``) and a consumer that is one release behind must keep flowing. A missing required
    property or a wrong type still fails with ``pydantic.ValidationError``.
    """
    spec = event_type(event.type)
    try:
        # Validation reads ``data`` and never changes it: only a payload with unknown properties is copied
        # (to drop them without touching the event).
        return spec.data_model.model_validate(event.data)
    except ValidationError as exc:
        unknown = [e["loc"] for e in exc.errors() if e["type"] == "extra_forbidden"]
        if not unknown or len(unknown) != len(exc.errors()):
            raise
    data = copy.deepcopy(event.data)
    for loc in unknown:
        _drop(data, loc)
    return spec.data_model.model_validate(data)


def _drop(data: Any, loc: tuple[int | str, ...]) -> None:
    *path, key = loc
    for step in path:
        data = data[step]
    del data[key]
