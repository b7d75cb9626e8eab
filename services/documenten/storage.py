"""Where the content of documents lives: a store of blobs addressed by their SHA-256.

A blob is written once and never changed: a new version of a document with the same content shares it, and a
reader checks the content against its address as it reads. Bodies pass through in chunks, so a 500 MB
document never sits whole in memory.

A blob no row names any more (a deleted document, the parts of a merged upload, content a crash left unnamed) is
collected by ``services.documenten.opruimen`` once it is old enough, never in the request that let go of it: a put
of the same content at that moment would otherwise lose the blob it found in place.

The disk store (the embedded default) writes a blob to a temporary file in the store's own directory, flushes
it to disk, and renames it to its address: a crash mid-write leaves a temporary file (cleared at start), never
a blob with half its content. The database names a blob only after it is in place, so an answered 201 does not
point at content that is not there.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from anyio import to_thread

from sds.runtime.faults import crash_point

CHUNK = 1024 * 1024
# Where a test can have the process killed (``SDS_CRASH_AT``): with a blob half written.
CRASH_MID_WRITE = "documenten-store-mid-write"


class StoreCorrupt(Exception):
    """A blob's content does not match its address: the disk or the bucket changed it."""


@dataclass(frozen=True)
class Blob:
    sha256: str
    size: int


class Store(Protocol):
    async def put(self, chunks: AsyncIterator[bytes]) -> Blob: ...

    def read(self, sha256: str) -> AsyncIterator[bytes]: ...

    async def delete(self, sha256: str) -> None: ...

    async def older_than(self, seconds: float) -> list[str]:
        """The blobs not written (nor written again: a put of content already there) for ``seconds``."""
        ...


async def put_bytes(store: Store, data: bytes) -> Blob:
    async def one() -> AsyncIterator[bytes]:
        yield data
    return await store.put(one())


def check_address(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a blob address: {sha256[:80]!r}")
    return sha256


class DiskStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.objects = self.root / "objects"
        self.tmp = self.root / "tmp"
        self.objects.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)
        # What a crash left half-written is nobody's content: no row names a temporary file.
        for leftover in self.tmp.iterdir():
            leftover.unlink(missing_ok=True)

    def path(self, sha256: str) -> Path:
        sha256 = check_address(sha256)
        return self.objects / sha256[:2] / sha256

    async def put(self, chunks: AsyncIterator[bytes]) -> Blob:
        tmp = self.tmp / uuid.uuid4().hex
        digest = hashlib.sha256()
        size = 0
        handle = await to_thread.run_sync(open, tmp, "wb")
        try:
            async for chunk in chunks:
                if chunk:
                    digest.update(chunk)
                    size += len(chunk)
                    await to_thread.run_sync(handle.write, chunk)
                    crash_point(CRASH_MID_WRITE)
            await to_thread.run_sync(_flush, handle)
        except BaseException:
            handle.close()
            tmp.unlink(missing_ok=True)
            raise
        handle.close()
        sha256 = digest.hexdigest()
        target = self.path(sha256)
        await to_thread.run_sync(_place, tmp, target)
        return Blob(sha256, size)

    async def read(self, sha256: str) -> AsyncIterator[bytes]:
        handle = await to_thread.run_sync(open, self.path(sha256), "rb")
        digest = hashlib.sha256()
        try:
            while chunk := await to_thread.run_sync(handle.read, CHUNK):
                digest.update(chunk)
                yield chunk
        finally:
            handle.close()
        if digest.hexdigest() != sha256:
            raise StoreCorrupt(f"blob {sha256} does not match its content")

    async def delete(self, sha256: str) -> None:
        await to_thread.run_sync(lambda: self.path(sha256).unlink(missing_ok=True))

    async def older_than(self, seconds: float) -> list[str]:
        def scan() -> list[str]:
            limit = time.time() - seconds
            return [p.name for p in self.objects.glob("??/*") if p.stat().st_mtime < limit]

        return await to_thread.run_sync(scan)


def _flush(handle: object) -> None:
    handle.flush()  # type: ignore[attr-defined]
    os.fsync(handle.fileno())  # type: ignore[attr-defined]


def _place(tmp: Path, target: Path) -> None:
    target.parent.mkdir(exist_ok=True)
    if target.exists():
        # The same content is already there, under the same address: it is written again as far as the collection
        # of unnamed blobs goes (services.documenten.opruimen), so it is not collected before this put's row exists.
        os.utime(target)
        tmp.unlink(missing_ok=True)
        return
    os.replace(tmp, target)
    # The rename itself is durable only once the directory is flushed too.
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
