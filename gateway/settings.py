"""Settings of the gateway process, read from its environment (prefix ``SDS_``).

``SDS_UPSTREAM_ZAKEN=http://127.0.0.1:8002`` and so on name the service behind each part of the
public URL space. The development secrets of the shared runtime are accepted only with
``SDS_ENV=dev``: a gateway that would sign with a published secret refuses to start.
"""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sds.runtime.settings import (
    DEV_BOOTSTRAP_CLIENT_ID,
    DEV_BOOTSTRAP_SECRET,
    DEV_INTERNAL_SECRET,
    async_database_url,
)

UPSTREAMS = ("intake", "zaken", "klantgegevens", "financien", "beleidsinfo", "notificaties", "documenten")
_MIN_SECRET_LENGTH = 16


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SDS_", extra="ignore")

    env: str = Field(default="production", description="'dev' allows the built-in development secrets")
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    api_version: str = Field(default="1.0.0", description="API-Version on answers the gateway gives itself")

    public_base_url: str = Field("http://127.0.0.1:8000",
                                 description="where clients reach the gateway, used in applicatie urls")
    # SDS_GATEWAY_DATABASE_URL: the gateway's own database (applicaties), apart from the services'.
    gateway_database_url: str = "sqlite+aiosqlite:///./.sds/gateway.db"
    archetype: str | None = Field(
        None, description="the archetype profile (a shipped name or a file): applicaties' clusters are checked "
                          "against it")
    page_size_default: int = Field(default=100, gt=0)
    page_size_max: int = Field(default=500, gt=0)
    applicatie_cache_seconds: float = Field(
        default=30.0, ge=0,
        description="how long an applicatie read from the database is used before it is read again (another "
                    "gateway process may have changed it; this process's own changes take effect at once)",
    )
    revocation_poll_seconds: float = Field(
        default=0.5, gt=0,
        description="how often this process reads the applicaties other gateway processes changed, and forgets "
                    "them: a withdrawn applicatie, client id or autorisatie holds everywhere within about this",
    )

    rate_limit_per_second: float = Field(default=100.0, ge=0,
                                         description="sustained requests per second per client id; 0 turns it off")
    rate_limit_burst: int = Field(default=200, gt=0, description="requests a client may send at once")
    max_body_bytes: int = Field(default=10 * 1024 * 1024, gt=0, description="largest request body accepted")
    breaker_failures: int = Field(default=5, gt=0,
                                  description="consecutive failures of an upstream that open its circuit")
    breaker_cooldown_seconds: float = Field(default=10.0, gt=0,
                                            description="how long an open circuit refuses before one trial")

    upstream_intake: str = "http://127.0.0.1:8001"
    upstream_zaken: str = "http://127.0.0.1:8002"
    upstream_klantgegevens: str = "http://127.0.0.1:8003"
    upstream_financien: str = "http://127.0.0.1:8004"
    upstream_beleidsinfo: str = "http://127.0.0.1:8005"
    upstream_notificaties: str = "http://127.0.0.1:8006"
    upstream_documenten: str = "http://127.0.0.1:8007"

    internal_secret: str = DEV_INTERNAL_SECRET
    bootstrap_client_id: str = DEV_BOOTSTRAP_CLIENT_ID
    bootstrap_secret: str = DEV_BOOTSTRAP_SECRET

    jwt_max_age_seconds: int = Field(default=3600, gt=0,
                                     description="a token older than this (by its iat) is refused")
    jwt_leeway_seconds: int = Field(default=30, ge=0,
                                    description="clock skew allowed between client and gateway")
    token_cache_size: int = Field(default=10_000, ge=0,
                                  description="verified tokens kept; 0 turns the cache off")
    token_cache_seconds: float = Field(
        default=60.0, ge=0,
        description="how long a verified token is trusted before it is checked against the store again",
    )

    connect_timeout: float = Field(default=2.0, gt=0)
    read_timeout: float = Field(default=30.0, gt=0,
                                description="longest wait for the next bytes from an upstream")
    write_timeout: float = Field(default=30.0, gt=0)
    pool_timeout: float = Field(default=5.0, gt=0, description="longest wait for a free upstream connection")
    # Per-upstream read timeouts, e.g. SDS_UPSTREAM_READ_TIMEOUTS='{"beleidsinfo": 120}'.
    upstream_read_timeouts: dict[str, float] = Field(default_factory=dict)
    health_timeout: float = Field(default=2.0, gt=0)

    max_connections: int = Field(default=512, gt=0,
                                 description="upstream connections open at once, all upstreams")
    max_keepalive_connections: int = Field(default=256, ge=0)
    keepalive_expiry: float = Field(default=30.0, ge=0)

    # Routing per cluster and delegation to external parties (gateway.clusters, gateway.delegatie).
    nats_url: str | None = Field(
        None, description="NATS JetStream; with a profile that has extern clusters the gateway consumes the "
                          "triage decisions from it and forwards the delegated aanvragen to the parties (a "
                          "cluster's servers separated by commas)")
    stream_replicas: int = Field(1, ge=1, le=5, description="copies of the stream in a JetStream cluster, as the "
                                 "services have it (SDS_STREAM_REPLICAS)")
    partij_client_id: str = Field(
        "sociaal-domein-suite", min_length=1, max_length=255,
        description="client_id in the JWT-ZGW token the gateway presents to an external party")
    zaaktype_lookup_timeout: float = Field(default=2.0, gt=0,
                                           description="longest wait for the catalogue when routing by zaaktype")
    delegatie_durable: str = Field("gateway-delegaties", pattern=r"^[A-Za-z0-9_-]+$",
                                   description="the gateway's durable JetStream consumer of triage decisions")
    delegatie_max_deliveries: int = Field(default=10, ge=1,
                                          description="deliveries of one triage decision before it is dead-lettered")
    delegatie_backoff_seconds: list[float] = Field(
        default_factory=lambda: [1.0, 5.0, 30.0, 120.0],
        description="wait before the next try after a failed forwarding, per delivery (the last repeats)")
    delegatie_ack_wait_seconds: float = Field(default=60.0, gt=0,
                                              description="how long a delivery may take before NATS sends it again")

    @field_validator("upstream_intake", "upstream_zaken", "upstream_klantgegevens", "upstream_financien",
                     "upstream_beleidsinfo", "upstream_notificaties", "upstream_documenten")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"upstream url must start with http:// or https://, got {value!r}")
        return value.rstrip("/")

    @field_validator("gateway_database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return async_database_url(value)

    @field_validator("upstream_read_timeouts")
    @classmethod
    def _known_upstreams(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(UPSTREAMS))
        if unknown:
            raise ValueError(
                f"SDS_UPSTREAM_READ_TIMEOUTS names unknown upstreams {unknown}; known: {UPSTREAMS}"
            )
        return value

    @model_validator(mode="after")
    def _no_dev_secrets_outside_dev(self) -> GatewaySettings:
        if self.env != "dev":
            placeholders = [
                name for name, value, dev_value in (
                    ("SDS_INTERNAL_SECRET", self.internal_secret, DEV_INTERNAL_SECRET),
                    ("SDS_BOOTSTRAP_CLIENT_ID", self.bootstrap_client_id, DEV_BOOTSTRAP_CLIENT_ID),
                    ("SDS_BOOTSTRAP_SECRET", self.bootstrap_secret, DEV_BOOTSTRAP_SECRET),
                ) if value == dev_value
            ]
            if placeholders:
                raise ValueError(
                    f"{', '.join(placeholders)} still {'has' if len(placeholders) == 1 else 'have'} the "
                    "development value; set values of your own (or SDS_ENV=dev for a local run)"
                )
        for name, value in (("SDS_INTERNAL_SECRET", self.internal_secret),
                            ("SDS_BOOTSTRAP_SECRET", self.bootstrap_secret)):
            if len(value) < _MIN_SECRET_LENGTH:
                raise ValueError(f"{name} must be at least {_MIN_SECRET_LENGTH} characters")
        if not self.bootstrap_client_id.strip():
            raise ValueError("SDS_BOOTSTRAP_CLIENT_ID must not be empty")
        return self

    def upstream_urls(self) -> dict[str, str]:
        return {name: getattr(self, f"upstream_{name}") for name in UPSTREAMS}
