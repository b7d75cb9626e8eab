"""The rules of vroegsignalering without a database: the household key, the windows, and the profile's rule."""

from __future__ import annotations

from datetime import date

import pytest

from sds.profiles import load_profile
from services.intake.signalen import domain
from services.intake.signalen.schemas import Adres

REGEL = domain.Regel(min_partners=2, venster_dagen=90, crisissignaal_direct=True,
                     kolom_per_soort={"huurachterstand": "schuldhulp", "energieachterstand": "schuldhulp",
                                      "schoolverzuim": "jeugd"})
DAG = date(2026, 11, 1).toordinal()


def gezien(partner: str, dag: int = DAG, soort: str = "huurachterstand", crisis: bool = False) -> domain.Gezien:
    return domain.Gezien(("woningcorporatie", partner), dag, soort, crisis)


def nieuw(partner: str, dag: int = DAG, soort: str = "huurachterstand", crisis: bool = False,
          index: int = 0) -> domain.Nieuw:
    return domain.Nieuw(index, f"uuid-{partner}-{index}", gezien(partner, dag, soort, crisis), "999990019")


def test_adres_sleutel_is_genormaliseerd() -> None:
    a = Adres.model_validate({"postcode": "1234 ab", "huisnummer": 12, "huisnummertoevoeging": "a"})
    b = Adres.model_validate({"postcode": "1234AB", "huisnummer": 12, "huisnummertoevoeging": "A"})
    c = Adres.model_validate({"postcode": "1234AB", "huisnummer": 12})
    assert a.sleutel == b.sleutel == "1234AB-12-A" and c.sleutel == "1234AB-12-"


def test_venster_grenzen() -> None:
    assert not domain.buiten_venster(DAG, DAG + 89, 90)
    assert domain.buiten_venster(DAG, DAG + 90, 90)
    assert not domain.buiten_venster(DAG, DAG - 200, 90)  # sent late: inside the window it would have opened
    assert domain.mag_openen(None, DAG, 90) and not domain.mag_openen(DAG, DAG + 30, 90)
    assert domain.mag_openen(DAG, DAG + 90, 90)


def test_twee_partners_binnen_het_venster() -> None:
    een = nieuw("A")
    assert domain.beoordeel(REGEL, [een], [een.gezien]) is None
    tweede = nieuw("B", DAG + 10)
    aanleiding = domain.beoordeel(REGEL, [tweede], [een.gezien, tweede.gezien])
    assert aanleiding is not None and aanleiding.signaal is tweede and aanleiding.kolom == "schuldhulp"
    assert "2 partners" in aanleiding.toelichting
    # The first partner's signal has left the window of the second.
    laat = nieuw("B", DAG + 90)
    assert domain.beoordeel(REGEL, [laat], [een.gezien, laat.gezien]) is None
    # Two signals of one partner are one partner.
    zelfde = nieuw("A", DAG + 5)
    assert domain.beoordeel(REGEL, [zelfde], [een.gezien, zelfde.gezien]) is None


def test_alleen_soorten_met_een_kolom_tellen() -> None:
    overig = gezien("C", soort="overig")
    assert domain.beoordeel(REGEL, [nieuw("C", soort="overig")], [overig, gezien("A")]) is None
    school = nieuw("S", soort="schoolverzuim", index=1)
    aanleiding = domain.beoordeel(REGEL, [school], [gezien("A"), school.gezien])
    assert aanleiding is not None and aanleiding.kolom == "jeugd"


def test_crisis() -> None:
    crisis = nieuw("A", crisis=True)
    aanleiding = domain.beoordeel(REGEL, [crisis], [crisis.gezien])
    assert aanleiding is not None and aanleiding.toelichting.startswith("Crisissignaal")
    zonder = domain.Regel(2, 90, False, REGEL.kolom_per_soort)
    assert domain.beoordeel(zonder, [crisis], [crisis.gezien]) is None
    assert domain.beoordeel(REGEL, [nieuw("A", soort="overig", crisis=True)], []) is None


@pytest.mark.parametrize("name", ["transitie-proof", "totaal-integraal", "geclusterd-integraal",
                                  "integraal-in-tweede-instantie", "geclusterd-integraal-elders"])
def test_regel_uit_elk_profiel(name: str) -> None:
    profile = load_profile(name)
    regel = domain.regel(profile)
    assert regel is not None and profile.signalering is not None
    assert regel.min_partners == profile.signalering.min_partners
    assert domain.venster_dagen(profile) == profile.signalering.venster_dagen
    uit = profile.model_copy(update={"capabilities": profile.capabilities.model_copy(
        update={"signaalfunctie": False})})
    assert domain.regel(uit) is None and domain.regel(None) is None
    assert domain.venster_dagen(None) == domain.STANDAARD_VENSTER_DAGEN


def test_signaaldatum_volgt_de_nederlandse_kalender(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 00:30 in Amsterdam it is still yesterday in UTC; a signal dated today there is not in the future."""
    from datetime import UTC, datetime, tzinfo

    from pydantic import ValidationError

    from services.intake.signalen import schemas

    class Klok(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Klok:  # type: ignore[override]
            moment = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)
            return moment.astimezone(tz) if tz else moment  # type: ignore[return-value]

    monkeypatch.setattr(schemas, "datetime", Klok)
    body = {"partnersoort": "energiebedrijf", "partner": "ENECO", "partnerReferentie": "r1",
            "signaalsoort": "energieachterstand", "bedrag": 100, "ontstaansdatum": "2026-10-01",
            "signaaldatum": "2026-11-29", "burgerservicenummer": "999990019",
            "adres": {"postcode": "1234AB", "huisnummer": 1}}
    assert schemas.NieuwSignaal.model_validate(body).signaaldatum == date(2026, 11, 29)
    with pytest.raises(ValidationError, match="toekomst"):
        schemas.NieuwSignaal.model_validate({**body, "signaaldatum": "2026-11-30"})
