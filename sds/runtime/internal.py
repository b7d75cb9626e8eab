"""Calls one service of the suite makes to another, inside the suite.

A resource of the suite has a public URL (through the gateway); a service reaches the service behind it directly,
at the same path on that service's own address, and says who it is with an auth context signed with the suite's
internal secret (as the gateway does), holding only the rights the call needs.
"""

from __future__ import annotations

from sds.runtime.auth import AUTH_HEADER, AuthContext, Autorisatie, sign_auth_context


def internal_headers(secret: str, client_id: str, *grants: Autorisatie) -> dict[str, str]:
    ctx = AuthContext(client_id=client_id, autorisaties=list(grants))
    return {AUTH_HEADER: sign_auth_context(ctx, secret), "Accept": "application/json"}


def internal_url(public_url: str, public_base_url: str, service_url: str, prefix: str) -> str | None:
    """``public_url`` at the service's own address when it lies under ``{public_base_url}{prefix}/``; else None."""
    public = f"{public_base_url.rstrip('/')}{prefix}/"
    if not public_url.startswith(public):
        return None
    return f"{service_url.rstrip('/')}{prefix}/{public_url[len(public):]}"
