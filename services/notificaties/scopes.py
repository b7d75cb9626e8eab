"""The scope check the kanalen read with: either scope of the ``nrc`` component will do."""

from __future__ import annotations

from sds.runtime.auth import AuthContext
from sds.runtime.errors import PermissionDenied
from sds.runtime.scopes import NRC


def require_any(auth: AuthContext, *scopes: str) -> None:
    if not any(auth.has_scope(NRC, scope) for scope in scopes):
        raise PermissionDenied(f"Deze applicatie heeft geen van de scopes {', '.join(scopes)}.",
                               code="permission_denied")
