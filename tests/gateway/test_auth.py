"""JWT-ZGW at the gateway: who gets through, and what the service then knows about them."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest

from sds.runtime.apidocs import schema_paths
from sds.runtime.auth import AuthContext, sign_auth_context, verify_auth_context
from sds.runtime.errors import NotAuthenticated
from tests.gateway import upstream
from tests.gateway.conftest import CLIENT_ID, CLIENT_SECRET, INTERNAL_SECRET, bearer, token

FOUT_KEYS = {"type", "code", "title", "status", "detail", "instance"}


def _headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in upstream.seen[response.headers["x-request-id"]]["headers"]}


def assert_not_authenticated(response: httpx.Response) -> None:
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert FOUT_KEYS <= set(body)
    assert body["code"] == "not_authenticated"
    assert body["status"] == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["api-version"]
    # Refused at the gateway: the service never saw this request.
    assert response.headers["x-request-id"] not in upstream.seen


async def test_missing_token_is_401_fout(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken/api/v1/zaken")
    assert_not_authenticated(response)
    assert "ontbreken" in response.json()["detail"]


def _no_iat() -> str:
    return jwt.encode({"iss": CLIENT_ID, "client_id": CLIENT_ID, "user_id": "", "user_representation": ""},
                      CLIENT_SECRET, algorithm="HS256")


BAD_AUTHORIZATION = {
    "not a jwt": lambda: "Bearer dit-is-geen-token",
    "basic scheme": lambda: "Basic Z2VtZWVudGU6Z2VoZWlt",
    "bearer without token": lambda: "Bearer",
    "forged (wrong secret)": lambda: f"Bearer {token(secret='een-ander-geheim-0123456789-abcdefghij')}",
    "unknown client": lambda: "Bearer " + token(client_id="onbekend",
                                                secret="onbekend-geheim-0123456789-abcdefghijk"),
    "expired iat": lambda: f"Bearer {token(iat=time.time() - 3600 - 31 - 5)}",
    "iat in the future": lambda: f"Bearer {token(iat=time.time() + 600)}",
    "no iat": lambda: f"Bearer {_no_iat()}",
    "HS512 instead of HS256": lambda: "Bearer " + jwt.encode(
        {"client_id": CLIENT_ID, "iat": int(time.time())}, CLIENT_SECRET * 2, algorithm="HS512"),
    "alg none": lambda: "Bearer " + jwt.encode(
        {"client_id": CLIENT_ID, "iat": int(time.time())}, None, algorithm="none"),
}


@pytest.mark.parametrize("case", list(BAD_AUTHORIZATION))
async def test_bad_tokens_are_401_fout(client: httpx.AsyncClient, case: str) -> None:
    authorization = BAD_AUTHORIZATION[case]()
    response = await client.get("/intake/api/v1/aanvragen", headers={"authorization": authorization})
    assert_not_authenticated(response)


async def test_valid_token_reaches_the_service_with_verifiable_context(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken/api/v1/zaken", headers=bearer())
    assert response.status_code == 200, response.text
    seen = response.json()
    # The upstream's own middleware verified the context (it refuses anything else) ...
    assert seen["auth"]["client_id"] == CLIENT_ID
    assert seen["auth"]["heeft_alle_autorisaties"] is True
    assert seen["auth"]["user_id"] == "u123"
    assert seen["auth"]["user_representation"] == "Medewerker Test"
    # ... and the header it got verifies with the internal secret and nothing else.
    forwarded = _headers(response)["x-sds-auth"]
    assert verify_auth_context(forwarded, INTERNAL_SECRET).client_id == CLIENT_ID
    with pytest.raises(NotAuthenticated):
        verify_auth_context(forwarded, CLIENT_SECRET)
    # The client's token is for the gateway only.
    assert "authorization" not in _headers(response)


async def test_the_cached_token_still_gives_the_same_context(client: httpx.AsyncClient) -> None:
    headers = bearer()
    first = await client.get("/zaken/api/v1/zaken", headers=headers)
    second = await client.get("/zaken/api/v1/zaken", headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json()["auth"] == second.json()["auth"]


def _smuggled() -> str:
    intruder = AuthContext(client_id="indringer", heeft_alle_autorisaties=True)
    return sign_auth_context(intruder, INTERNAL_SECRET)


async def test_a_client_supplied_auth_context_is_not_passed_on(client: httpx.AsyncClient) -> None:
    # Even a context signed with the right internal secret (a leaked one, say) is replaced.
    smuggled = _smuggled()
    response = await client.get("/zaken/api/v1/zaken", headers={**bearer(), "x-sds-auth": smuggled})
    assert response.status_code == 200
    assert response.json()["auth"]["client_id"] == CLIENT_ID
    seen_headers = upstream.seen[response.headers["x-request-id"]]["headers"]
    forwarded = [v for k, v in seen_headers if k == "x-sds-auth"]
    assert len(forwarded) == 1
    assert forwarded[0] != smuggled


async def test_a_client_supplied_auth_context_without_a_token_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get("/zaken/api/v1/zaken", headers={"x-sds-auth": _smuggled()})
    assert_not_authenticated(response)


@pytest.mark.parametrize("prefix", ["/zaken/api/v1", "/catalogi/api/v1", "/besluiten/api/v1", "/intake/api/v1",
                                    "/klantgegevens/api/v1", "/beleidsinfo/api/v1"])
async def test_openapi_documents_are_public(client: httpx.AsyncClient, prefix: str) -> None:
    response = await client.get(f"{prefix}/openapi.json")
    assert response.status_code == 200, response.text
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.parametrize("prefix", ["/zaken/api/v1", "/catalogi/api/v1", "/besluiten/api/v1", "/intake/api/v1",
                                    "/klantgegevens/api/v1", "/beleidsinfo/api/v1"])
async def test_the_contract_in_each_form_is_public(client: httpx.AsyncClient, prefix: str) -> None:
    # Where Open Zaak serves it (schema/openapi.yaml) and the readable page with its own files.
    for path in schema_paths(prefix):
        response = await client.get(path)
        assert response.status_code == 200, (path, response.text)


async def test_only_the_openapi_document_is_public(client: httpx.AsyncClient) -> None:
    assert_not_authenticated(await client.get("/zaken/api/v1/openapi.json/meer"))
    assert_not_authenticated(await client.get("/zaken/api/v1/openapi.jsonx"))
    assert_not_authenticated(await client.get("/zaken/api/v1/schema/static/redoc.standalone.js"))
    assert_not_authenticated(await client.get("/zaken/api/v1/schema/anders"))
