"""Settings of the documenten service (environment, prefix ``SDS_``), on top of the runtime's."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sds.runtime.settings import ServiceSettings


class DocumentenSettings(ServiceSettings):
    service: str = "documenten"
    # Where the content of documents lives: a directory on disk (the embedded default) or an S3-compatible store.
    storage: Literal["disk", "s3"] = Field("disk", description="'disk' or 's3'")
    storage_dir: str = Field("./.sds/documenten", description="the directory of the disk store")
    s3_bucket: str = Field("", description="bucket of the S3 store")
    s3_endpoint_url: str | None = Field(None, description="endpoint of an S3-compatible store; unset is AWS")
    s3_region: str | None = Field(None, description="region of the S3 store")
    s3_prefix: str = Field("documenten/", description="key prefix of the content in the bucket")
    # The zaken service inside the suite: its Catalogi API holds the informatieobjecttypen, its Zaken and
    # Besluiten APIs the relations an objectinformatieobject mirrors (``sds up`` sets SDS_ZAKEN_URL).
    zaken_url: str = Field("http://127.0.0.1:8002", description="the zaken service inside the suite")
    upstream_timeout: float = Field(10.0, description="seconds for a call to the zaken service")
    # A document whose content is sent in parts is split into bestandsdelen of this size (the last one smaller);
    # a part, with its multipart envelope, fits under the gateway's default body limit (10 MiB).
    bestandsdeel_omvang: int = Field(8 * 1024 * 1024, ge=1024, description="bytes per bestandsdeel")
    # ``inhoud`` inline (base64 in the JSON body) is parsed with the body, so it is kept small (its base64 fits
    # under the gateway's body limit); larger documents go in bestandsdelen, which stream.
    inhoud_inline_max: int = Field(7 * 1024 * 1024, ge=1, description="bytes of the largest inline inhoud")
    # The content no document names any more is collected this often, once it is this old (seconds).
    opruimen_interval: float = Field(600.0, gt=0, description="seconds between collections of unnamed blobs")
    opruimen_na: float = Field(3600.0, ge=0, description="age in seconds before an unnamed blob is collected")
