"""`bench.type_overrides`: the mentions typed outside the CRF's type family, with their evidence."""

from __future__ import annotations

import pytest

from bench.type_overrides import overrides
from index.names import recogniser

_TEXT = "Results on Sunday :\nMilwaukee 4 Oakland 2\n"


def _row(gold_type: str) -> dict:
    start = _TEXT.index("Milwaukee")
    return {
        "doc_id": "d1",
        "text": _TEXT,
        "entities": [{"start": start, "end": start + len("Milwaukee"), "type": gold_type}],
    }


def test_an_override_is_listed_with_its_evidence_and_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(recogniser.RULES, "sure_org_place", False)  # the gazetteer's city overrules the CRF
    found = {o.text: o for o in overrides(_row("ORG"))}
    o = found["Milwaukee"]
    assert (o.crf_type, o.product, o.why, o.gaz) == ("ORG", "GPE", "override", "GPE")
    assert o.marginal >= recogniser.UNSURE and o.number_after and not o.caps_line
    assert o.verdict == "crf"  # gold says the club
    assert found["Oakland"].verdict == "span"  # no gold name there
    assert {o.text: o for o in overrides(_row("LOC"))}["Milwaukee"].verdict == "rule"


def test_a_type_within_the_family_is_no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(recogniser.RULES, "sure_org_place", True)
    assert "Milwaukee" not in {o.text for o in overrides(_row("ORG"))}
