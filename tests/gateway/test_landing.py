"""The landing page at ``/``, in a real headless browser with the network cut off: what runs and its health
as ``/health`` has it, the active archetype with ``sds profile explain``'s text, working links to every API's
contract, and the development client only where it is the embedded default's."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from gateway.app import create_app
from sds.profiles import explain, load_profile
from sds.runtime.settings import DEV_BOOTSTRAP_CLIENT_ID, DEV_BOOTSTRAP_SECRET, DEV_INTERNAL_SECRET
from tests.gateway.conftest import CLIENT_SECRET, closed_port, gateway_settings
from tests.support.browser import browser_page
from tests.support.servers import serve

ARCHETYPE = "transitie-proof"


@pytest.fixture(scope="module")
def dev_gateway(upstream_url: str) -> Iterator[str]:
    """The embedded default's gateway: development secrets, an archetype, one service down."""
    settings = gateway_settings(upstream_url, env="dev", archetype=ARCHETYPE, internal_secret=DEV_INTERNAL_SECRET,
                                bootstrap_client_id=DEV_BOOTSTRAP_CLIENT_ID, bootstrap_secret=DEV_BOOTSTRAP_SECRET,
                                upstream_financien=f"http://127.0.0.1:{closed_port()}")
    with serve(create_app(settings)) as url:
        yield url


def test_the_landing_page_shows_the_suite_offline(dev_gateway: str) -> None:
    health = httpx.get(f"{dev_gateway}/health", timeout=10).json()["parts"]
    with browser_page(offline=True) as page:
        response = page.goto(f"{dev_gateway}/")
        assert response is not None and response.status == 200

        assert page.inner_text("#archetype-naam") == ARCHETYPE
        assert page.inner_text("#archetype-uitleg").strip() == explain(load_profile(ARCHETYPE)).strip()

        shown = {row.get_attribute("data-part"): row.query_selector("[data-status]").get_attribute("data-status")
                 for row in page.query_selector_all("tr[data-part]")}
        assert shown == {name: part["status"] for name, part in health.items()}
        assert shown["financien"] == "unavailable" and shown["zaken"] == "ok"
        assert "niet beschikbaar" in page.inner_text("tr[data-part=financien]")

        assert page.inner_text("#client-id") == DEV_BOOTSTRAP_CLIENT_ID
        assert page.inner_text("#client-secret") == DEV_BOOTSTRAP_SECRET

        links = [a.get_attribute("href") for a in page.query_selector_all("tr[data-api] a")]
        apis = {row.get_attribute("data-api") for row in page.query_selector_all("tr[data-api]")}
        assert {"intake", "zaken", "catalogi", "klantgegevens", "beleidsinfo"} <= apis
        assert len(links) == 3 * len(apis)
        for href in links:
            if href.startswith("/financien/"):
                continue  # its service is the one that is down
            followed = page.request.get(f"{dev_gateway}{href}")
            assert followed.status == 200, href
        assert page.blocked_requests == []


def test_an_operators_own_client_is_never_shown(gateway_url: str) -> None:
    # The shared gateway of these tests runs with secrets of its own and no archetype.
    page = httpx.get(f"{gateway_url}/", timeout=10)
    assert page.status_code == 200
    assert CLIENT_SECRET not in page.text
    assert 'id="ontwikkelclient"' not in page.text
    assert "Geen archetype actief" in page.text
