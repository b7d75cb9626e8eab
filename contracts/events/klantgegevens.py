"""Events of the klantgegevens service: households change, told without identifying anyone."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from contracts.events.fields import EventData, Url


class Samenstelling(EventData):
    """Counts per role, which is all a consumer needs to see the household's shape."""

    ouders: int = Field(ge=0)
    partners: int = Field(ge=0)
    kinderen: int = Field(ge=0)
    overig: int = Field(ge=0)


class HuishoudenGewijzigd(EventData):
    huishouden: Url
    wijziging: Literal["aangemaakt", "lid-toegevoegd", "lid-vertrokken", "rol-gewijzigd", "opgeheven"]
    aantal_leden: int = Field(ge=0)
    samenstelling: Samenstelling
