"""Rules of a document that need no database: its identificatie, its inline content, its size, its lock and
which version a reader asks for."""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass
from datetime import datetime

from sds.runtime.errors import ValidatieFout


def identificatie(jaar: int, document_uuid: str) -> str:
    """DOCUMENT-2026-<20 hex digits of the document's uuid>: unique per bronorganisatie without a counter row that
    every new document would wait on (80 random bits; the unique constraint catches the rest)."""
    return f"DOCUMENT-{jaar}-{document_uuid.replace('-', '')[:20].upper()}"


def new_lock() -> str:
    return secrets.token_hex(16)


def decode_inhoud(value: str) -> bytes:
    """The content of an inline ``inhoud``: base64, as the standard has it (a data: URI prefix is allowed)."""
    if value.startswith("data:") and "," in value:
        value = value.split(",", 1)[1]
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error as exc:
        code = "incorrect-base64-padding" if "padding" in str(exc).lower() else "invalid-base64"
        raise ValidatieFout.single("inhoud", code, "De inhoud is geen geldige base64.") from None


def check_omvang(inhoud_size: int | None, bestandsomvang: int | None) -> int | None:
    """The document's bestandsomvang: as given, or that of the inline content; the two must agree."""
    if inhoud_size is None:
        return bestandsomvang
    if bestandsomvang is not None and bestandsomvang != inhoud_size:
        raise ValidatieFout.single("nonFieldErrors", "file-size",
                                   "De grootte van de inhoud wijkt af van het veld 'bestandsomvang'.")
    return inhoud_size


def delen(omvang: int, deel: int) -> list[int]:
    """The sizes of the bestandsdelen a document of ``omvang`` bytes is uploaded in."""
    sizes = [deel] * (omvang // deel)
    if omvang % deel:
        sizes.append(omvang % deel)
    return sizes


def check_lock(current: str, given: str) -> None:
    """A change of a document needs its lock: the document locked (``unlocked``), the lock given
    (``missing-lock-id``) and the right one (``incorrect-lock-id``)."""
    if not current:
        raise ValidatieFout.single("nonFieldErrors", "unlocked", "Een ontgrendeld document kan niet gewijzigd worden.")
    if not given:
        raise ValidatieFout.single("nonFieldErrors", "missing-lock-id", "Het lock moet opgegeven worden.")
    if not secrets.compare_digest(given, current):
        raise ValidatieFout.single("nonFieldErrors", "incorrect-lock-id", "Het lock is niet juist.")


def check_gebruiksrecht(indicatie: bool | None, heeft_gebruiksrechten: bool) -> None:
    """``indicatieGebruiksrecht`` follows the gebruiksrechten: set to true by creating one, never directly; not
    taken away while there are some."""
    if heeft_gebruiksrechten and not indicatie:
        raise ValidatieFout.single("indicatieGebruiksrecht", "existing-gebruiksrechten",
                                   "De indicatie kan niet weggehaald worden of ongespecificeerd zijn als er "
                                   "gebruiksrechten gedefinieerd zijn.")
    if indicatie and not heeft_gebruiksrechten:
        raise ValidatieFout.single("indicatieGebruiksrecht", "missing-gebruiksrechten",
                                   "De indicatie moet op 'ja' gezet worden door gebruiksrechten aan te maken.")


@dataclass(frozen=True)
class Peildatum:
    """Which version a reader asks for: ``?versie=`` and/or the one registered at ``?registratieOp=``."""

    versie: int | None = None
    registratie_op: datetime | None = None
