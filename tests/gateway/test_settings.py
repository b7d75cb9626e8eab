"""The gateway refuses to start on the published development secrets outside SDS_ENV=dev."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gateway.settings import GatewaySettings
from sds.runtime.settings import DEV_BOOTSTRAP_SECRET, DEV_INTERNAL_SECRET

OWN = {"internal_secret": "een-eigen-intern-geheim-123", "bootstrap_client_id": "beheer",
       "bootstrap_secret": "een-eigen-client-geheim-123"}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SDS_ENV", "SDS_INTERNAL_SECRET", "SDS_BOOTSTRAP_CLIENT_ID", "SDS_BOOTSTRAP_SECRET"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_are_refused_outside_dev() -> None:
    with pytest.raises(ValidationError) as exc:
        GatewaySettings()
    message = str(exc.value)
    for name in ("SDS_INTERNAL_SECRET", "SDS_BOOTSTRAP_CLIENT_ID", "SDS_BOOTSTRAP_SECRET", "SDS_ENV=dev"):
        assert name in message


@pytest.mark.parametrize("field,dev_value", [("internal_secret", DEV_INTERNAL_SECRET),
                                             ("bootstrap_secret", DEV_BOOTSTRAP_SECRET)])
def test_one_dev_secret_is_enough_to_refuse(field: str, dev_value: str) -> None:
    with pytest.raises(ValidationError, match="development value"):
        GatewaySettings(**{**OWN, field: dev_value})


def test_dev_defaults_are_allowed_with_env_dev(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDS_ENV", "dev")
    assert GatewaySettings().internal_secret == DEV_INTERNAL_SECRET


def test_short_secrets_are_refused() -> None:
    with pytest.raises(ValidationError, match="SDS_BOOTSTRAP_SECRET must be at least 16"):
        GatewaySettings(**{**OWN, "bootstrap_secret": "kort"})


def test_upstreams_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDS_UPSTREAM_ZAKEN", "http://zaken.intern:8080/")
    monkeypatch.setenv("SDS_UPSTREAM_READ_TIMEOUTS", '{"beleidsinfo": 120}')
    settings = GatewaySettings(**OWN)
    assert settings.upstream_urls()["zaken"] == "http://zaken.intern:8080"
    assert settings.upstream_read_timeouts == {"beleidsinfo": 120}


@pytest.mark.parametrize("overrides,message", [
    ({"upstream_intake": "intake:8001"}, "http:// or https://"),
    ({"upstream_read_timeouts": {"zorg": 5}}, "unknown upstreams"),
])
def test_bad_upstream_configuration_is_refused(overrides: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        GatewaySettings(**{**OWN, **overrides})
