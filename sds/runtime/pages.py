"""Pages a service serves to a browser: ``/{segment}/`` and its files under ``/{segment}/static/``.

Public, like an API's contract: a page carries no data of its own. What it shows it fetches from the API
with the token the user gives it, so the gateway and the service let the page and its files through
without one, and nothing else.
"""

from __future__ import annotations

import re

_PAGE = re.compile(r"^/[a-z]+/(static/[A-Za-z0-9][A-Za-z0-9._-]*)?$")


def is_page_path(path: str) -> bool:
    return _PAGE.match(path) is not None and ".." not in path
