"""Child processes of `sds up`: each in its own process group, its output in its own log file.

Own process groups keep a terminal's Ctrl-C away from the children, so `sds up` alone decides the
order in which they stop (the apps first, nats-server last so they can close their connections).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

_PR_SET_PDEATHSIG = 1


@dataclass
class Child:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def returncode(self) -> int | None:
        return self.popen.poll()

    def signal_group(self, sig: signal.Signals) -> None:
        try:
            os.killpg(self.popen.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass  # the whole group is gone already


def _die_with_parent_hook() -> Callable[[], None] | None:
    """A pre-exec hook so children get SIGTERM if `sds up` itself is killed with SIGKILL (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM))
        # The parent may have died between fork and prctl; then nobody would ever signal us.
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)

    return hook


def spawn(name: str, argv: Sequence[str], env: dict[str, str], log_dir: Path,
          pass_fds: Sequence[int] = ()) -> Child:
    log = log_dir / f"{name}.log"
    # A fresh log per run, so the tail shown after a failure is about this run.
    with open(log, "wb") as out:
        popen = subprocess.Popen(
            list(argv), env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=_die_with_parent_hook(), pass_fds=tuple(pass_fds),
        )
    return Child(name=name, popen=popen, log=log)


def stop(waves: Sequence[Sequence[Child]], grace: float, hurry: Callable[[], bool] = lambda: False) -> None:
    """SIGTERM each wave and wait for it (up to ``grace`` seconds, less once ``hurry()``), then SIGKILL."""
    for wave in waves:
        running = [c for c in wave if c.returncode() is None]
        for child in running:
            child.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + grace
        while any(c.returncode() is None for c in running) and time.monotonic() < deadline and not hurry():
            time.sleep(0.05)
        for child in wave:
            # Also sweeps anything the child left behind in its group after it exited itself.
            child.signal_group(signal.SIGKILL)
            child.popen.wait()


def log_tail(path: Path | None, lines: int = 20) -> list[str]:
    if path is None or not path.exists():
        return []
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 64 * 1024))
        text = f.read().decode("utf-8", errors="replace")
    return text.splitlines()[-lines:]


def _family(host: str) -> socket.AddressFamily:
    return socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)[0][0]


def listen(host: str, port: int) -> socket.socket | None:
    """A listening socket on ``host:port`` (0: any free port), for a child to inherit; None when it is taken.

    `sds up` binds its apps' ports itself, before anything else starts: a port that was free when it was
    chosen cannot be taken by another process (or an outgoing connection) before the app comes to use it."""
    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        return None
    sock.set_inheritable(True)
    return sock


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(_family(host), socket.SOCK_STREAM) as sock:
        # Like uvicorn, ignore sockets in TIME_WAIT; Linux still refuses a port someone listens on.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def free_port(host: str) -> int:
    with socket.socket(_family(host), socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def client_host(host: str) -> str:
    """Where to reach a server bound to ``host``; a wildcard address is reached on loopback."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host


def http_url(host: str, port: int) -> str:
    host = client_host(host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
