"""A 200 MB document through the real service process, in bestandsdelen: uploaded, merged and downloaded with the
process's resident memory staying under 150 MB all along, and read back byte for byte."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import psutil

from tests.documenten.conftest import document
from tests.documenten.proces import documenten_proces

MB = 1024 * 1024
OMVANG = 200 * MB
RSS_MAX = 150 * MB


def _deel(volgnummer: int, omvang: int) -> bytes:
    """Part ``volgnummer``'s bytes: different per part, so a part in the wrong place shows in the checksum."""
    return (volgnummer.to_bytes(4, "big") * (omvang // 4 + 1))[:omvang]


class Peak:
    """The highest resident memory of a process, sampled every 20 ms in a thread of its own."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            self._stop.wait(0.02)

    def __enter__(self) -> Peak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def test_200_mb_in_parts_with_the_process_under_150_mb(tmp_path: Path) -> None:
    async with documenten_proces(tmp_path) as p:
        await p.start()
        assert p.proc is not None
        with Peak(p.proc.pid) as rss:
            async with p.client() as client:
                r = await client.post(f"{p.api}/enkelvoudiginformatieobjecten",
                                      json=document(p.iotype, inhoud=None, bestandsomvang=OMVANG))
                assert r.status_code == 201, r.text
                doc = r.json()
                expected = hashlib.sha256()
                for deel in doc["bestandsdelen"]:
                    data = _deel(deel["volgnummer"], deel["omvang"])
                    expected.update(data)
                    r = await client.put(p.public(deel["url"]), data={"lock": doc["lock"]},
                                         files={"inhoud": ("deel", data, "application/octet-stream")})
                    assert r.status_code == 200, r.text
                r = await client.post(f"{p.public(doc['url'])}/unlock", json={"lock": doc["lock"]})
                assert r.status_code == 204, r.text
                got = hashlib.sha256()
                size = 0
                async with client.stream("GET", f"{p.public(doc['url'])}/download") as download:
                    assert download.status_code == 200
                    async for chunk in download.aiter_bytes():
                        got.update(chunk)
                        size += len(chunk)
        assert size == OMVANG and got.hexdigest() == expected.hexdigest()
        assert len(doc["bestandsdelen"]) == OMVANG // (8 * MB)
        assert rss.peak < RSS_MAX, f"resident memory peaked at {rss.peak / MB:.0f} MB"
