"""A bestandsdeel as it arrives: its multipart/form-data body parsed while it streams in (python-multipart's
streaming parser), the bytes of ``inhoud`` passed straight into the store — no temporary file per part, no copy
in Python (the parser's slices are memoryviews of what the socket gave).

The lock may come before or after ``inhoud`` (the standard fixes no order): once it is in, it is checked, and
before the store's put ends it must be right and the part exactly its ``omvang`` long — otherwise the put fails
and nothing is placed in the store. A part longer than its ``omvang`` is refused as soon as it is.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from sds.runtime.errors import ValidatieFout
from services.documenten.storage import Blob, Store

# The form's other fields are small: the lock is 32 hex digits.
FIELD_MAX = 1024


@dataclass
class _Form:
    """What the parser's callbacks have seen so far."""

    name: bytes = b""
    header_field: bytes = b""
    header_value: bytes = b""
    disposition: bytes = b""
    in_inhoud: bool = False
    inhouden: int = 0
    field_value: bytearray = field(default_factory=bytearray)
    lock: str | None = None
    received: int = 0
    out: list[memoryview] = field(default_factory=list)


def _fout(code: str, message: str, name: str = "inhoud") -> ValidatieFout:
    return ValidatieFout.single(name, code, message)


async def receive(request: Request, store: Store, omvang: int, check_lock: Callable[[str], Awaitable[None]]) -> Blob:
    """The part's content put in the store, checked against ``omvang`` and ``check_lock`` (which raises when the
    lock is not the document's) before the put completes."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise _fout("invalid", "Een bestandsdeel wordt als multipart/form-data (met boundary) gestuurd.")
    form = _Form()

    def on_part_begin() -> None:
        form.disposition = b""
        form.field_value.clear()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        form.header_field += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        form.header_value += data[start:end]

    def on_header_end() -> None:
        if form.header_field.lower() == b"content-disposition":
            form.disposition = form.header_value
        form.header_field = form.header_value = b""

    def on_headers_finished() -> None:
        _, params = parse_options_header(form.disposition)
        form.name = params.get(b"name", b"")
        form.in_inhoud = form.name == b"inhoud"
        if form.in_inhoud:
            form.inhouden += 1
            if form.inhouden > 1:
                raise _fout("invalid", "Een bestandsdeel heeft één inhoud.")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if form.in_inhoud:
            form.received += end - start
            if form.received > omvang:
                raise _fout("file-size", f"Het bestandsdeel is groter dan verwacht: {omvang} bytes.")
            form.out.append(memoryview(data)[start:end])
        elif form.name == b"lock":
            if len(form.field_value) + end - start > FIELD_MAX:
                raise _fout("invalid", "Het lock is te lang.", "lock")
            form.field_value += data[start:end]

    def on_part_end() -> None:
        if form.name == b"lock":
            form.lock = form.field_value.decode("utf-8", "replace")
        form.in_inhoud = False

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_headers_finished": on_headers_finished, "on_part_data": on_part_data,
        "on_part_end": on_part_end})
    checked = False

    async def check() -> None:
        nonlocal checked
        if not checked and form.lock is not None:
            if not form.lock:
                raise _fout("required", "Het lock ontbreekt.", "lock")
            await check_lock(form.lock)
            checked = True

    async def chunks() -> AsyncIterator[memoryview]:
        try:
            async for chunk in request.stream():
                parser.write(chunk)
                await check()
                if form.out:
                    out, form.out = form.out, []
                    for view in out:
                        yield view
            parser.finalize()
        except FormParserError:
            raise _fout("invalid", "De multipart/form-data body is niet leesbaar.") from None
        except ClientDisconnect:
            raise _fout("invalid", "Het bestandsdeel is niet volledig ontvangen.") from None
        if not form.inhouden:
            raise _fout("required", "Het bestandsdeel (inhoud) ontbreekt.")
        if form.lock is None:
            raise _fout("required", "Het lock ontbreekt.", "lock")
        await check()
        if form.received != omvang:
            raise _fout("file-size", f"Het bestandsdeel is {form.received} bytes; verwacht: {omvang}.")

    return await store.put(chunks())
