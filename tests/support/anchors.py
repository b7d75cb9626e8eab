"""Where the shared reference files lie: ``shared/`` beside the repository (as on every developer's machine
and in CI's clean clone), or ``SDS_SHARED_DIR``."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SDS_SHARED_DIR") or REPO.parent / "shared")
ZGW = SHARED / "anchors" / "zgw"
