"""Upload in bestandsdelen: a document created with a bestandsomvang and no inhoud is locked and gets its parts;
each part is PUT with the lock and must be its announced size; unlocking once all are in makes them the content,
byte for byte."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from services.documenten.opruimen import collect
from tests.documenten.conftest import DRC, Documenten, codes, drc_client, make_documenten
from tests.zaken.conftest import Suite, headers

DEEL = 1024


@pytest.fixture
async def drc(tmp_path, zaken: Suite) -> AsyncIterator[Documenten]:  # type: ignore[no-untyped-def]
    async for d in make_documenten(tmp_path, zaken, bestandsdeel_omvang=DEEL):
        yield d


async def _put(drc: Documenten, deel: dict[str, Any], data: bytes, lock: str) -> Any:
    return await drc.client.put(deel["url"], headers=headers(), data={"lock": lock},
                                files={"inhoud": ("deel.bin", data, "application/octet-stream")})


async def test_a_document_is_uploaded_in_parts_and_reads_back_byte_for_byte(drc: Documenten) -> None:
    content = bytes((i * 7) % 251 for i in range(2 * DEEL + 300))
    r = await drc.create(inhoud=None, bestandsomvang=len(content))
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["locked"] is True and doc["lock"] and doc["inhoud"] is None
    delen = doc["bestandsdelen"]
    assert [(d["volgnummer"], d["omvang"], d["voltooid"]) for d in delen] == [(1, DEEL, False), (2, DEEL, False),
                                                                             (3, 300, False)]
    lock = doc["lock"]
    # A part needs the lock and its own size.
    r = await _put(drc, delen[0], content[:DEEL], "fout")
    assert r.status_code == 400 and codes(r) == [("lock", "incorrect-lock-id")]
    r = await _put(drc, delen[0], content[:DEEL - 1], lock)
    assert r.status_code == 400 and codes(r) == [("inhoud", "file-size")]
    r = await drc.client.put(delen[0]["url"], headers=headers(), json={"lock": lock})
    assert r.status_code == 400
    r = await _put(drc, delen[0], content[:DEEL], lock)
    assert r.status_code == 200, r.text
    assert r.json()["voltooid"] is True
    # Not unlocked while a part is missing.
    uploader = drc_client("uploader", "documenten.lock")
    r = await drc.client.post(f"{doc['url']}/unlock", json={"lock": lock}, headers=headers(uploader))
    assert r.status_code == 400 and codes(r) == [("nonFieldErrors", "incomplete-upload")]
    assert (await _put(drc, delen[2], content[2 * DEEL:], lock)).status_code == 200
    assert (await _put(drc, delen[1], content[DEEL:2 * DEEL], lock)).status_code == 200
    shown = (await drc.get(doc["url"])).json()
    assert [d["voltooid"] for d in shown["bestandsdelen"]] == [True, True, True] and shown["inhoud"] is None
    assert (await drc.client.post(f"{doc['url']}/unlock", json={"lock": lock}, headers=headers())).status_code == 204
    shown = (await drc.get(doc["url"])).json()
    assert shown["locked"] is False and shown["bestandsdelen"] == [] and shown["bestandsomvang"] == len(content)
    download = await drc.get(shown["inhoud"])
    assert hashlib.sha256(download.content).digest() == hashlib.sha256(content).digest()
    # The parts go with the next collection of blobs no row names: only the merged content is kept.
    store = drc.app.state.store
    assert len(await store.older_than(0)) == 4
    assert await collect(store, drc.app.state.db, 0) == 3
    assert await store.older_than(0) == [hashlib.sha256(content).hexdigest()]


async def test_a_new_version_can_be_uploaded_in_parts(drc: Documenten) -> None:
    doc = await drc.created()
    lock = (await drc.client.post(f"{doc['url']}/lock", headers=headers())).json()["lock"]
    r = await drc.client.patch(doc["url"], json={"lock": lock, "inhoud": None, "bestandsomvang": 10},
                               headers=headers())
    assert r.status_code == 200, r.text
    [deel] = r.json()["bestandsdelen"]
    assert r.json()["versie"] == 2 and deel["omvang"] == 10
    assert (await _put(drc, deel, b"0123456789", lock)).status_code == 200
    assert (await drc.client.post(f"{doc['url']}/unlock", json={"lock": lock}, headers=headers())).status_code == 204
    assert (await drc.get(f"{doc['url']}/download")).content == b"0123456789"
    assert (await drc.get(f"{doc['url']}/download", versie=1)).content == b"de inhoud"
    assert (await drc.get(f"{DRC}/bestandsdelen/{deel['url'].rsplit('/', 1)[1]}")).status_code == 405


async def test_a_part_is_checked_as_it_streams_in_and_a_refused_one_leaves_nothing_in_the_store(
        drc: Documenten) -> None:
    doc = await drc.created(inhoud=None, bestandsomvang=DEEL)
    [deel] = doc["bestandsdelen"]
    lock = doc["lock"]
    store = drc.app.state.store
    before = await store.older_than(0)

    async def put_raw(*fields: tuple[str, bytes, bool]) -> Any:
        """A multipart body with its fields in this order (name, value, as a file)."""
        body = b""
        for name, value, as_file in fields:
            filename = b'; filename="deel.bin"' if as_file else b""
            body += (b"--grens\r\nContent-Disposition: form-data; name=\"" + name.encode() + b'"' + filename
                     + b"\r\n\r\n" + value + b"\r\n")
        return await drc.client.put(deel["url"], content=body + b"--grens--\r\n",
                                    headers={**headers(), "Content-Type": "multipart/form-data; boundary=grens"})

    # Too long, too short, a wrong lock after the content, no lock, two contents, a body that is no multipart.
    r = await put_raw(("lock", lock.encode(), False), ("inhoud", b"x" * (DEEL + 1), True))
    assert r.status_code == 400 and codes(r) == [("inhoud", "file-size")]
    r = await put_raw(("inhoud", b"x" * (DEEL - 1), True), ("lock", lock.encode(), False))
    assert r.status_code == 400 and codes(r) == [("inhoud", "file-size")]
    r = await put_raw(("inhoud", b"x" * DEEL, True), ("lock", b"fout", False))
    assert r.status_code == 400 and codes(r) == [("lock", "incorrect-lock-id")]
    r = await put_raw(("inhoud", b"x" * DEEL, True))
    assert r.status_code == 400 and codes(r) == [("lock", "required")]
    r = await put_raw(("lock", lock.encode(), False), ("inhoud", b"x", True), ("inhoud", b"y", True))
    assert r.status_code == 400 and codes(r) == [("inhoud", "invalid")]
    r = await drc.client.put(deel["url"], content=b"geen multipart",
                             headers={**headers(), "Content-Type": "multipart/form-data; boundary=grens"})
    assert r.status_code == 400 and codes(r) == [("inhoud", "invalid")]
    assert await store.older_than(0) == before
    assert (await drc.get(doc["url"])).json()["bestandsdelen"][0]["voltooid"] is False
    # The lock after the content is as good as before it.
    r = await put_raw(("inhoud", b"z" * DEEL, True), ("lock", lock.encode(), False))
    assert r.status_code == 200 and r.json()["voltooid"] is True, r.text
    assert (await drc.client.post(f"{doc['url']}/unlock", json={"lock": lock}, headers=headers())).status_code == 204
    assert (await drc.get(f"{doc['url']}/download")).content == b"z" * DEEL
