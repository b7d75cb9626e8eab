"""The rules of a document that need no database."""

from __future__ import annotations

import base64

import pytest

from sds.runtime.errors import ValidatieFout
from services.documenten.informatieobjecten import domain


def _code(exc: pytest.ExceptionInfo[ValidatieFout]) -> str:
    assert exc.value.invalid_params
    return exc.value.invalid_params[0]["code"]


def test_inhoud_is_base64_with_or_without_a_data_uri() -> None:
    assert domain.decode_inhoud(base64.b64encode(b"abc").decode()) == b"abc"
    assert domain.decode_inhoud("data:application/pdf;base64," + base64.b64encode(b"pdf").decode()) == b"pdf"
    with pytest.raises(ValidatieFout) as exc:
        domain.decode_inhoud("YWJ")
    assert _code(exc) in ("incorrect-base64-padding", "invalid-base64")
    with pytest.raises(ValidatieFout) as exc:
        domain.decode_inhoud("geen base64!")
    assert _code(exc) == "invalid-base64"


def test_the_size_follows_the_content_and_must_agree_with_it() -> None:
    assert domain.check_omvang(3, None) == 3
    assert domain.check_omvang(None, 10) == 10
    with pytest.raises(ValidatieFout) as exc:
        domain.check_omvang(3, 4)
    assert _code(exc) == "file-size"


def test_a_document_is_split_into_parts_of_the_given_size() -> None:
    assert domain.delen(10, 4) == [4, 4, 2]
    assert domain.delen(8, 4) == [4, 4]
    assert domain.delen(3, 4) == [3]


def test_a_change_needs_the_right_lock() -> None:
    domain.check_lock("abc", "abc")
    for current, given, code in (("", "abc", "unlocked"), ("abc", "", "missing-lock-id"),
                                 ("abc", "abd", "incorrect-lock-id")):
        with pytest.raises(ValidatieFout) as exc:
            domain.check_lock(current, given)
        assert _code(exc) == code


def test_the_gebruiksrecht_indicatie_follows_the_gebruiksrechten() -> None:
    domain.check_gebruiksrecht(True, True)
    domain.check_gebruiksrecht(None, False)
    with pytest.raises(ValidatieFout) as exc:
        domain.check_gebruiksrecht(True, False)
    assert _code(exc) == "missing-gebruiksrechten"
    with pytest.raises(ValidatieFout) as exc:
        domain.check_gebruiksrecht(None, True)
    assert _code(exc) == "existing-gebruiksrechten"
