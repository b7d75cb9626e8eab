"""Settings every service process reads from its environment (prefix ``SDS_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Secrets that exist only so the embedded default starts without setup. A service refuses them
# unless SDS_ENV=dev, which `sds up` sets only for the embedded default. Both are at least 32 bytes:
# shorter HS256 keys are below RFC 7518 section 3.2, and PyJWT warns on every token made with one.
DEV_INTERNAL_SECRET = "sds-dev-internal-secret-change-me"
DEV_BOOTSTRAP_CLIENT_ID = "sds-dev"
DEV_BOOTSTRAP_SECRET = "sds-dev-bootstrap-secret-change-me"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SDS_", extra="ignore")

    service: str = "service"
    env: str = Field("production", description="'dev' allows the built-in development secrets")
    host: str = "127.0.0.1"
    port: int = 8001
    public_base_url: str = Field(
        "http://127.0.0.1:8000", description="where clients reach the suite (the gateway), used in resource urls"
    )
    database_url: str = "sqlite+aiosqlite:///./.sds/service.db"
    nats_url: str = Field("nats://127.0.0.1:4222",
                          description="the NATS server, or the servers of a cluster separated by commas")
    stream: str = "SDS"
    stream_replicas: int = Field(1, ge=1, le=5, description="copies of the stream in a JetStream cluster (3 on one "
                                 "of three servers or more; 1 on a single server)")
    internal_secret: str = DEV_INTERNAL_SECRET
    archetype: str | None = Field(
        None, description="the archetype profile (a shipped name or a file) `sds up` hands every process; an "
                          "applicatie limited to its clusters reaches the kolommen the profile puts in them")
    api_version: str = "1.0.0"
    page_size_default: int = 100
    page_size_max: int = 500
    log_level: str = "INFO"
    outbox_batch: int = 500
    outbox_poll_interval: float = 0.2
    consumer_max_deliver: int = 5
    # The Referentielijsten (Selectielijst) API the municipality runs, e.g. https://selectielijst.example.nl/api/v1.
    # The catalogue checks selectielijstProcestype, selectielijstklasse and resultaattypeomschrijving against it;
    # unset, those are only checked to be URLs (see the README).
    referentielijsten_api_url: str | None = None
    referentielijsten_timeout: float = 5.0

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return async_database_url(value)

    @model_validator(mode="after")
    def _no_dev_secret_in_production(self) -> ServiceSettings:
        if self.env != "dev" and self.internal_secret == DEV_INTERNAL_SECRET:
            raise ValueError(
                "SDS_INTERNAL_SECRET still has the development value; set a secret of your own "
                "(or SDS_ENV=dev for a local run)"
            )
        if len(self.internal_secret) < 16:
            raise ValueError("SDS_INTERNAL_SECRET must be at least 16 characters")
        return self


def async_database_url(url: str) -> str:
    """Map plain database URLs onto the async drivers the suite uses."""
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    for prefix in ("sqlite+aiosqlite:///", "sqlite:///"):
        if url.startswith(prefix):
            rest = url[len(prefix) :].split("?", 1)[0]
            return None if rest in ("", ":memory:") else Path(rest)
    return None
