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

import asyncio
import hashlib
import mmap
import os
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from anyio import to_thread

from sds.runtime.faults import crash_point

CHUNK = 1024 * 1024
# What passes to the disk at once: a put hashes and writes one window in two threads while the next arrives, a
# read reads and hashes the next while the one before is sent. Two or three windows are in memory at a time.
WINDOW = 4 * 1024 * 1024
# Where a test can have the process killed (``SDS_CRASH_AT``): with a blob half written.
CRASH_MID_WRITE = "documenten-store-mid-write"


class StoreCorrupt(Exception):
    """A blob's content does not match its address: the disk or the bucket changed it."""


@dataclass(frozen=True)
class Blob:
    sha256: str
    size: int


class Store(Protocol):
    async def put(self, chunks: AsyncIterator[bytes | memoryview]) -> Blob: ...

    async def concat(self, parts: list[str]) -> Blob:
        """One blob of these blobs' content one after the other (the bestandsdelen of an upload), each checked
        against its address on the way."""
        ...

    def read(self, sha256: str) -> AsyncIterator[bytes]: ...

    async def delete(self, sha256: str) -> None: ...

    async def older_than(self, seconds: float) -> list[str]:
        """The blobs not written (nor written again: a put of content already there) for ``seconds``."""
        ...


async def put_bytes(store: Store, data: bytes) -> Blob:
    async def one() -> AsyncIterator[bytes]:
        yield data
    return await store.put(one())


async def concat_by_reading(store: Store, parts: list[str]) -> Blob:
    """``concat`` for a store that can only read and put: every part read (and checked) and put again."""
    async def chunks() -> AsyncIterator[bytes]:
        for sha256 in parts:
            async for chunk in store.read(sha256):
                yield chunk

    return await store.put(chunks())


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

    async def put(self, chunks: AsyncIterator[bytes | memoryview]) -> Blob:
        """The chunks gathered into windows; each window hashed and written (``os.writev``, no copy in Python)
        in two threads at once, while the event loop receives the next."""
        tmp = self.tmp / uuid.uuid4().hex
        digest = hashlib.sha256()
        size = 0
        fd = await to_thread.run_sync(os.open, tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        window: list[bytes | memoryview] = []
        filled = 0
        busy: asyncio.Future[Any] | None = None
        try:
            async for chunk in chunks:
                if not chunk:
                    continue
                window.append(chunk)
                filled += len(chunk)
                size += len(chunk)
                if filled >= WINDOW:
                    if busy is not None:
                        await busy
                    busy = _hash_and_write(digest, fd, window)
                    window, filled = [], 0
                    crash_point(CRASH_MID_WRITE)
            if busy is not None:
                await busy
                busy = None
            if window:
                await _hash_and_write(digest, fd, window)
            await to_thread.run_sync(os.fsync, fd)
        except BaseException:
            if busy is not None:
                await asyncio.gather(busy, return_exceptions=True)
            os.close(fd)
            tmp.unlink(missing_ok=True)
            raise
        os.close(fd)
        sha256 = digest.hexdigest()
        await to_thread.run_sync(_place, tmp, self.path(sha256))
        return Blob(sha256, size)

    async def concat(self, parts: list[str]) -> Blob:
        """The parts copied into one file by the kernel (``os.copy_file_range``: no byte through Python), while
        two threads hash each part, one for the part's own address (a part the disk changed stops the merge) and
        one for the whole."""
        tmp = self.tmp / uuid.uuid4().hex
        whole = hashlib.sha256()
        size = 0
        fd = await to_thread.run_sync(os.open, tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            for sha256 in parts:
                source = await to_thread.run_sync(os.open, self.path(sha256), os.O_RDONLY)
                try:
                    length = os.fstat(source).st_size
                    view = mmap.mmap(source, length, access=mmap.ACCESS_READ) if length else None
                    data = view if view is not None else b""
                    try:
                        own, _, _ = await asyncio.gather(
                            to_thread.run_sync(_sha256, data), to_thread.run_sync(whole.update, data),
                            to_thread.run_sync(_copy_range, source, fd, length))
                    finally:
                        del data
                        if view is not None:
                            view.close()
                finally:
                    os.close(source)
                if own != sha256:
                    raise StoreCorrupt(f"blob {sha256} does not match its content")
                size += length
                crash_point(CRASH_MID_WRITE)
            await to_thread.run_sync(os.fsync, fd)
        except BaseException:
            os.close(fd)
            tmp.unlink(missing_ok=True)
            raise
        os.close(fd)
        sha256 = whole.hexdigest()
        await to_thread.run_sync(_place, tmp, self.path(sha256))
        return Blob(sha256, size)

    async def read(self, sha256: str) -> AsyncIterator[bytes]:
        """The content in windows: the next read and hashed in a thread while this one is sent. The last window
        is given only once the whole is checked, so content the disk changed breaks off before its end."""
        handle = await to_thread.run_sync(open, self.path(sha256), "rb", 0)
        digest = hashlib.sha256()

        def next_window() -> bytes:
            window: bytes = handle.read(WINDOW)
            digest.update(window)
            return window

        ahead: asyncio.Future[bytes] | None = None
        try:
            held = await to_thread.run_sync(next_window)
            following = await to_thread.run_sync(next_window) if held else b""
            while following:
                # ``held`` is not the last window (``following`` is there): sent while the one after is read.
                ahead = asyncio.ensure_future(to_thread.run_sync(next_window))
                yield held
                held, following = following, await ahead
                ahead = None
            if digest.hexdigest() != sha256:
                raise StoreCorrupt(f"blob {sha256} does not match its content")
            if held:
                yield held
        finally:
            if ahead is not None:
                await asyncio.gather(ahead, return_exceptions=True)
            handle.close()

    async def delete(self, sha256: str) -> None:
        await to_thread.run_sync(lambda: self.path(sha256).unlink(missing_ok=True))

    async def older_than(self, seconds: float) -> list[str]:
        def scan() -> list[str]:
            limit = time.time() - seconds
            return [p.name for p in self.objects.glob("??/*") if p.stat().st_mtime < limit]

        return await to_thread.run_sync(scan)


def _hash_and_write(digest: Any, fd: int, window: list[bytes | memoryview]) -> asyncio.Future[Any]:
    """The window hashed and written at once, each in a thread (hashlib and the write release the GIL)."""
    return asyncio.gather(to_thread.run_sync(_update, digest, window), to_thread.run_sync(_write, fd, window))


def _update(digest: Any, window: list[bytes | memoryview]) -> None:
    for chunk in window:
        digest.update(chunk)


def _write(fd: int, window: list[bytes | memoryview]) -> None:
    views = [memoryview(chunk) for chunk in window]
    while views:
        done = os.writev(fd, views[:_IOV_MAX])
        while done:
            if done >= len(views[0]):
                done -= len(views.pop(0))
            else:
                views[0] = views[0][done:]
                done = 0


_IOV_MAX = 1024


def _sha256(data: Any) -> str:
    return hashlib.sha256(data).hexdigest()


def _copy_range(source: int, target: int, length: int) -> None:
    """``length`` bytes from the start of ``source`` appended to ``target``, copied by the kernel."""
    offset = 0
    while offset < length:
        done = os.copy_file_range(source, target, length - offset, offset)
        if done == 0:
            raise OSError(f"the part ended after {offset} of {length} bytes")
        offset += done


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
