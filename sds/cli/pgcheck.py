"""``python -m sds.cli.pgcheck URL``: exit 0 when PostgreSQL answers at URL within about 3 s, else 1.

The Makefile runs the PostgreSQL test pass only when this says yes.
"""

from __future__ import annotations

import asyncio
import sys

import asyncpg
from sqlalchemy.engine import make_url

TIMEOUT_SECONDS = 3.0


async def _answers(dsn: str) -> None:
    conn = await asyncpg.connect(dsn, timeout=TIMEOUT_SECONDS)
    try:
        await conn.fetchval("SELECT 1")
    finally:
        await conn.close()


def check(url: str, timeout: float = TIMEOUT_SECONDS) -> str | None:
    """None when PostgreSQL answers; otherwise why not."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() != "postgresql":
            return f"not a PostgreSQL URL: {url!r}"
        # asyncpg wants plain libpq syntax, without SQLAlchemy's "+driver".
        dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        asyncio.run(asyncio.wait_for(_answers(dsn), timeout))
    except Exception as exc:  # whatever the cause, the answer is "no", with the reason
        return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m sds.cli.pgcheck postgresql://user@host:port/dbname", file=sys.stderr)
        return 2
    problem = check(args[0])
    if problem is not None:
        print(f"PostgreSQL does not answer: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
