"""The content stores: the disk store and the S3-compatible store (against a local S3 server, moto's) keep a blob
under its SHA-256, stream it back, and refuse to pass off content that changed under them."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer

from services.documenten.s3 import PART, S3Store
from services.documenten.settings import DocumentenSettings
from services.documenten.storage import WINDOW, DiskStore, Store, StoreCorrupt, put_bytes
from tests.documenten.conftest import Documenten, make_documenten
from tests.support.natsserver import free_port
from tests.zaken.conftest import Suite

BUCKET = "sds-documenten"


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"),
                        ("AWS_DEFAULT_REGION", "eu-west-1")):
        monkeypatch.setenv(name, value)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto keeps its buckets per process, not per server: each test starts from none.
    httpx.post(f"{endpoint}/moto-api/reset").raise_for_status()
    boto3.client("s3", endpoint_url=endpoint).create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    try:
        yield endpoint
    finally:
        server.stop()


def _s3_store(endpoint: str) -> S3Store:
    return S3Store(DocumentenSettings(env="dev", storage="s3", s3_bucket=BUCKET, s3_endpoint_url=endpoint,
                                      s3_region="eu-west-1"))


async def _read(store: Store, sha256: str) -> bytes:
    out = bytearray()
    async for chunk in store.read(sha256):
        out += chunk
    return bytes(out)


async def _in_chunks(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


async def _round_trip(store: Store) -> None:
    small = b"een kort document"
    blob = await put_bytes(store, small)
    assert blob.sha256 == hashlib.sha256(small).hexdigest() and blob.size == len(small)
    assert await _read(store, blob.sha256) == small
    # More than one multipart part, sent in chunks that do not line up with the parts.
    large = bytes(i % 253 for i in range(2 * PART + 12345))
    big = await store.put(_in_chunks(large, 1_000_003))
    assert big.size == len(large) and await _read(store, big.sha256) == large
    # The same content twice is one blob.
    assert (await put_bytes(store, small)).sha256 == blob.sha256
    assert sorted(await store.older_than(0)) == sorted([blob.sha256, big.sha256])
    assert await store.older_than(3600) == []
    # Parts merged into one blob: the content one after the other, under the address of the whole.
    merged = await store.concat([big.sha256, blob.sha256, big.sha256])
    assert merged.sha256 == hashlib.sha256(large + small + large).hexdigest()
    assert merged.size == 2 * len(large) + len(small)
    assert await _read(store, merged.sha256) == large + small + large
    await store.delete(merged.sha256)
    await store.delete(blob.sha256)
    assert await store.older_than(0) == [big.sha256]


async def test_the_disk_store_round_trips_and_detects_a_changed_blob(tmp_path: Path) -> None:
    store = DiskStore(tmp_path / "store")
    await _round_trip(store)
    blob = await put_bytes(store, b"origineel")
    store.path(blob.sha256).write_bytes(b"veranderd")
    with pytest.raises(StoreCorrupt):
        await _read(store, blob.sha256)
    # A changed part stops the merge: no blob of the whole appears.
    heel = await put_bytes(store, b"heel")
    with pytest.raises(StoreCorrupt):
        await store.concat([heel.sha256, blob.sha256])
    assert hashlib.sha256(b"heelveranderd").hexdigest() not in await store.older_than(0)
    # A changed blob of several windows: what is sent breaks off before its last window.
    large = bytes(i % 251 for i in range(2 * WINDOW + 10))
    big = await store.put(_in_chunks(large, 1_000_003))
    changed = bytearray(large)
    changed[-1] ^= 1
    store.path(big.sha256).write_bytes(changed)
    sent = bytearray()
    with pytest.raises(StoreCorrupt):
        async for chunk in store.read(big.sha256):
            sent += chunk
    assert len(sent) == 2 * WINDOW and bytes(sent) == large[:2 * WINDOW]
    assert list((tmp_path / "store" / "tmp").iterdir()) == []


async def test_the_s3_store_round_trips_and_detects_a_changed_blob(s3: str) -> None:
    store = _s3_store(s3)
    await _round_trip(store)
    blob = await put_bytes(store, b"origineel")
    store.client.put_object(Bucket=BUCKET, Key=store.key(blob.sha256), Body=b"veranderd")
    with pytest.raises(StoreCorrupt):
        await _read(store, blob.sha256)
    # No temporary key is left once a blob is in place.
    keys = [o["Key"] for o in store.client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert not [k for k in keys if "/tmp/" in k]


@pytest.fixture
async def drc_s3(tmp_path, zaken: Suite, s3: str) -> AsyncIterator[Documenten]:  # type: ignore[no-untyped-def]
    async for d in make_documenten(tmp_path, zaken, storage="s3", s3_bucket=BUCKET, s3_endpoint_url=s3,
                                   s3_region="eu-west-1"):
        yield d


async def test_the_documenten_api_keeps_its_content_in_s3_by_settings(drc_s3: Documenten) -> None:
    doc = await drc_s3.created()
    assert isinstance(drc_s3.app.state.store, S3Store)
    assert (await drc_s3.get(doc["inhoud"])).content == b"de inhoud"
    keys = [o["Key"] for o in drc_s3.app.state.store.client.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"documenten/{hashlib.sha256(b'de inhoud').hexdigest()}"]


async def test_the_content_of_a_deleted_document_is_collected_once_old_and_unnamed(drc: Documenten) -> None:
    from services.documenten.opruimen import collect
    from tests.zaken.conftest import headers

    store, db = drc.app.state.store, drc.app.state.db
    kept = await drc.created(inhoud=base64.b64encode(b"gedeeld").decode())
    gone = await drc.created(inhoud=base64.b64encode(b"gedeeld").decode())
    alone = await drc.created(inhoud=base64.b64encode(b"alleen").decode())
    for doc in (gone, alone):
        assert (await drc.client.delete(doc["url"], headers=headers())).status_code == 204
    # Too young: nothing is collected yet.
    assert await collect(store, db, 3600) == 0
    # Old enough: the content only the deleted document named goes; the shared content stays.
    assert await collect(store, db, 0) == 1
    assert (await drc.get(f"{kept['url']}/download")).content == b"gedeeld"
    assert await store.older_than(0) == [hashlib.sha256(b"gedeeld").hexdigest()]
