"""VNG's ZGW endpoint collection (folders setUp, ZRC, ZTC, BRC, AC) with newman against `sds up`: no 5xx, and
nothing fails that is not in the known-failure baseline (a ratchet; see docs/conformance.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conformance.run import (
    FOLDERS,
    Outcome,
    Request,
    baseline_text,
    compare,
    load_baseline,
    reason,
    run_collection,
    summary_lines,
    waits_on,
)


@pytest.fixture(scope="module")
def outcome() -> Outcome:
    return run_collection()


def test_the_collection_holds_the_baseline(outcome: Outcome, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print("\n" + "\n".join(summary_lines(outcome)) + f"\n{outcome.seconds:.1f} s")
    assert {r.folder for r in outcome.requests} == set(FOLDERS), "newman ran other folders than asked"
    problems = compare(outcome, load_baseline())
    assert not problems, "\n".join(problems)


def test_the_baseline_is_what_the_update_command_writes() -> None:
    """Sorted keys with their reasons and nothing else, so that a regeneration diffs cleanly."""
    from tests.conformance.run import BASELINE

    text = BASELINE.read_text()
    entries = load_baseline()
    assert list(entries) == sorted(entries)
    assert all(isinstance(v, str) and v for v in entries.values())
    assert text.endswith("\n") and text.startswith("{")


def _outcome(*requests: Request) -> Outcome:
    return Outcome(list(requests), 0.0)


def test_a_new_failure_a_5xx_and_a_fixed_entry_each_break_the_ratchet() -> None:
    ok = Request("ZTC/catalogussen/Alle CATALOGUSsen opvragen.", 200, "", [("geeft 200", True)])
    broken = Request("ZTC/zaaktypen/Maak een ZAAKTYPE aan.", 400, "invalidParams x: y", [("geeft 201", False)])
    crash = Request("ZRC/zaken/Maak een ZAAK aan.", 500, "", [("geeft 201", False)])
    known = {"ZTC/zaaktypen/Maak een ZAAKTYPE aan. :: geeft 201": "answers 400"}

    assert compare(_outcome(ok, broken), known) == []
    # A 5xx fails the run even where the baseline knows the check fails.
    known_crash = {**known, "ZRC/zaken/Maak een ZAAK aan. :: geeft 201": "answers 500"}
    assert compare(_outcome(ok, broken, crash), known_crash) == ["ZRC/zaken/Maak een ZAAK aan. answered 500"]
    new = compare(_outcome(ok, broken), {})
    assert len(new) == 1 and new[0].startswith("fails, not in the baseline: ZTC/zaaktypen/Maak een ZAAKTYPE aan.")
    fixed = compare(_outcome(ok), known)
    assert len(fixed) == 1 and "passes now, remove" in fixed[0] and "Maak een ZAAKTYPE aan." in fixed[0]


def test_a_request_that_was_not_sent_counts_as_failing() -> None:
    unsent = Request("ZRC/zaken/Een specifieke ZAAK opvragen.", None,
                     "not sent: {{zaak_url}} was never set (the step that creates it failed)", [("geeft 200", False)])
    failures = _outcome(unsent).failures()
    assert set(failures) == {"ZRC/zaken/Een specifieke ZAAK opvragen. :: (no answer)",
                             "ZRC/zaken/Een specifieke ZAAK opvragen. :: geeft 200"}
    assert '"ZRC/zaken/Een specifieke ZAAK opvragen. :: (no answer)": "not sent: {{zaak_url}}' in baseline_text(
        _outcome(unsent))


def test_requests_on_the_suites_own_apis_wait_on_nothing() -> None:
    # The Besluiten and Documenten APIs are the suite's own now: requests that use a document wait on nothing.
    assert waits_on("ZRC/zaakinformatieobjecten/Maak een ZAAK-INFORMATIEOBJECT relatie aan.") is None
    assert waits_on("BRC/besluitinformatieobjecten/Maak een BESLUIT-INFORMATIEOBJECT relatie aan.") is None
    assert waits_on("setUp/Create EnkelvoudigInformatieObject") is None
    assert waits_on("setUp/Create Besluit") is None
    assert waits_on("ZRC/zaken/Maak een ZAAK aan.") is None
    req = Request("ZRC/zaakinformatieobjecten/Maak een ZAAK-INFORMATIEOBJECT relatie aan.", 400, "bad-url", [])
    assert reason("", req) == "answers 400 (bad-url)"


def test_a_request_without_assertions_must_answer_2xx() -> None:
    created = Request("setUp/Create Catalogus", 201, "", [])
    refused = Request("setUp/Create Zaaktype", 400, "invalidParams concept: unknown-parameters", [])
    assert created.passing and not refused.passing
    assert list(_outcome(created, refused).failures()) == ["setUp/Create Zaaktype :: (answer 2xx)"]
    assert _outcome(created, refused).per_folder()["setUp"]["requests passing"] == 1


def test_the_update_command_writes_a_sorted_baseline_and_the_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tests.conformance.run as run

    requests = [
        Request("setUp/Create Catalogus", 201, "", []),
        Request("setUp/Create EnkelvoudigInformatieObject", 404, "not_found", []),
        Request("ZTC/zaaktypen/Maak een ZAAKTYPE aan.", 400, "invalidParams concept: unknown-parameters",
                [("Maak een ZAAKTYPE aan geeft 201", False)]),
        Request("ZRC/zaken/Alle ZAAKen opvragen.", 200, "", [("Alle ZAAKen opvragen geeft 200", True)]),
        Request("AC/applicaties/Werk de applicatie bij.", None,
                "not sent: {{created_applicatie_url}} was never set (the step that creates it failed)",
                [("Werk de applicatie bij geeft 200", False)]),
    ]
    monkeypatch.setattr(run, "run_collection", lambda keep_report=None: Outcome(requests, 1.0))
    monkeypatch.setattr(run, "BASELINE", tmp_path / "known-failures.json")
    monkeypatch.setattr(run, "REPORT_DOC", tmp_path / "conformance.md")
    monkeypatch.setattr(run, "REPO", tmp_path)
    assert run.main(["--update-baseline"]) == 0
    baseline = json.loads((tmp_path / "known-failures.json").read_text())
    assert list(baseline) == [
        "AC/applicaties/Werk de applicatie bij. :: (no answer)",
        "AC/applicaties/Werk de applicatie bij. :: Werk de applicatie bij geeft 200",
        "ZTC/zaaktypen/Maak een ZAAKTYPE aan. :: Maak een ZAAKTYPE aan geeft 201",
        "setUp/Create EnkelvoudigInformatieObject :: (answer 2xx)",
    ]
    assert baseline["setUp/Create EnkelvoudigInformatieObject :: (answer 2xx)"] == "answers 404 (not_found)"
    assert baseline["ZTC/zaaktypen/Maak een ZAAKTYPE aan. :: Maak een ZAAKTYPE aan geeft 201"] == \
        "answers 400 (invalidParams concept: unknown-parameters)"
    doc = (tmp_path / "conformance.md").read_text()
    assert "| ZTC | 1 | 0 | 0 | 1 | 0 |" in doc and "| ZRC | 1 | 1 | 1 | 0 | 0 |" in doc
    assert "5xx answers: 0." in doc and "**Not run:** tearDown" in doc
    assert "### answers 404 (not_found) (1)" in doc
    # Every API the collection calls is served: no request waits on one.
    assert "wait on APIs not built yet" not in doc and "## What the collection does not send or check" in doc
    # Same input, same files: nothing in them depends on the time or the order of the run.
    first = (tmp_path / "known-failures.json").read_text(), doc
    monkeypatch.setattr(run, "run_collection", lambda keep_report=None: Outcome(requests[::-1], 2.0))
    assert run.main(["--update-baseline"]) == 0
    assert ((tmp_path / "known-failures.json").read_text(), (tmp_path / "conformance.md").read_text()) == first
