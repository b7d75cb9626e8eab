"""kill -9 of the documenten service mid-upload and mid-write: nothing half visible, nothing lost of what was
answered 201. The process is killed from outside while a bestandsdeel streams in, and by the crash points in
``services.documenten`` (``SDS_CRASH_AT``, ``sds.runtime.faults``) with a blob half written and with the content
stored but no row naming it yet."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.documenten.informatieobjecten.routes import CRASH_AFTER_STORE
from services.documenten.storage import CRASH_MID_WRITE
from tests.documenten.conftest import document
from tests.documenten.proces import Proces, documenten_proces

MB = 1024 * 1024
pytestmark = pytest.mark.chaos


def _inhoud(i: int) -> bytes:
    return hashlib.sha256(str(i).encode()).digest() * (4096 + i)


async def _documents(p: Proces, client: httpx.AsyncClient) -> list[dict[str, Any]]:
    r = await client.get(f"{p.api}/enkelvoudiginformatieobjecten", params={"pageSize": 100})
    assert r.status_code == 200, r.text
    return r.json()["results"]  # type: ignore[no-any-return]


async def _all_there(p: Proces, answered: dict[str, bytes]) -> None:
    """Every document answered 201 is there, its content byte for byte."""
    async with p.client() as client:
        urls = {d["url"] for d in await _documents(p, client)}
        assert set(answered) <= urls
        for url, content in answered.items():
            assert (await client.get(f"{p.public(url)}/download")).content == content


def _no_temporaries(p: Proces) -> None:
    assert list((p.store / "tmp").iterdir()) == []


async def test_kill_mid_upload_and_mid_write_leaves_nothing_half_and_loses_nothing(tmp_path: Path) -> None:
    async with documenten_proces(tmp_path) as p:
        await p.start()
        answered: dict[str, bytes] = {}
        async with p.client() as client:
            for i in range(3):
                content = _inhoud(i)
                r = await client.post(f"{p.api}/enkelvoudiginformatieobjecten", json=document(
                    p.iotype, inhoud=base64.b64encode(content).decode()))
                assert r.status_code == 201, r.text
                answered[r.json()["url"]] = content
            r = await client.post(f"{p.api}/enkelvoudiginformatieobjecten",
                                  json=document(p.iotype, inhoud=None, bestandsomvang=6 * MB))
            assert r.status_code == 201, r.text
            groot = r.json()
            [deel] = groot["bestandsdelen"]

        # 1. Killed from outside while a part streams in: half the part has arrived.
        halfway, killed = asyncio.Event(), asyncio.Event()

        async def slow_body() -> AsyncIterator[bytes]:
            boundary = b"--grens\r\n"
            yield boundary + b'Content-Disposition: form-data; name="lock"\r\n\r\n' + groot["lock"].encode() + b"\r\n"
            yield boundary + (b'Content-Disposition: form-data; name="inhoud"; filename="deel"\r\n'
                              b"Content-Type: application/octet-stream\r\n\r\n")
            yield b"x" * (3 * MB)
            halfway.set()
            await killed.wait()
            yield b"x" * (3 * MB) + b"\r\n--grens--\r\n"

        async def upload() -> None:
            async with p.client() as client:
                await client.put(p.public(deel["url"]), content=slow_body(),
                                 headers={"Content-Type": "multipart/form-data; boundary=grens"})

        task = asyncio.create_task(upload())
        await asyncio.wait_for(halfway.wait(), 30)
        await asyncio.sleep(0.5)
        p.kill()
        killed.set()
        with pytest.raises(httpx.TransportError):
            await task
        await p.start()
        _no_temporaries(p)
        await _all_there(p, answered)
        async with p.client() as client:
            shown = (await client.get(p.public(groot["url"]))).json()
        assert shown["locked"] is True and shown["inhoud"] is None
        assert [d["voltooid"] for d in shown["bestandsdelen"]] == [False]

        # 2. Killed with the part's blob half written in the store.
        p.kill()
        await p.start(crash_at=CRASH_MID_WRITE)
        async with p.client() as client:
            with pytest.raises(httpx.TransportError):
                await client.put(p.public(deel["url"]), data={"lock": groot["lock"]},
                                 files={"inhoud": ("deel", b"y" * (6 * MB), "application/octet-stream")})
        assert p.died()
        await p.start()
        _no_temporaries(p)
        await _all_there(p, answered)
        async with p.client() as client:
            shown = (await client.get(p.public(groot["url"]))).json()
            assert [d["voltooid"] for d in shown["bestandsdelen"]] == [False]
            # The upload is simply done again, and then it is whole.
            r = await client.put(p.public(deel["url"]), data={"lock": groot["lock"]},
                                 files={"inhoud": ("deel", b"y" * (6 * MB), "application/octet-stream")})
            assert r.status_code == 200, r.text
            r = await client.post(f"{p.public(groot['url'])}/unlock", json={"lock": groot["lock"]})
            assert r.status_code == 204, r.text
        answered[groot["url"]] = b"y" * (6 * MB)
        await _all_there(p, answered)

        # 3. Killed with a new document's content in the store and no row naming it: no document appears.
        p.kill()
        await p.start(crash_at=CRASH_AFTER_STORE)
        async with p.client() as client:
            with pytest.raises(httpx.TransportError):
                await client.post(f"{p.api}/enkelvoudiginformatieobjecten", json=document(
                    p.iotype, titel="nooit beantwoord", inhoud=base64.b64encode(b"half").decode()))
        assert p.died()
        await p.start()
        async with p.client() as client:
            titels = [d["titel"] for d in await _documents(p, client)]
        assert "nooit beantwoord" not in titels and len(titels) == len(answered)
        await _all_there(p, answered)
