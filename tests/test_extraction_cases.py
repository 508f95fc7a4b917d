"""Extraction cases: a sentence or two in, the expected event and condition rows out.

One case a line in fixtures/extraction_cases.jsonl. Each names every event the text holds (type
plus the columns it checks: actor, counterpart, negated, modality, speaker) and every condition
(type and holder); hard negatives expect nothing at all.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from schemas.records import Article
from tests.conftest import FIXTURES

CASES = [
    json.loads(line) for line in (FIXTURES / "extraction_cases.jsonl").read_text().splitlines()
]
NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


def _key(row: dict) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in row.items()))


def _project(rows, expected: list[dict], type_field: str) -> list[dict]:
    """Each row cut to the columns its type's expectations check."""
    fields: dict[str, set] = {}
    for e in expected:
        fields.setdefault(e[type_field], set()).update(e)
    return [
        {k: getattr(r, k) for k in fields.get(getattr(r, type_field), {type_field})} for r in rows
    ]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_extraction_case(case, extractor):
    article = Article(case["id"], None, "t", "", NOW, "fetched", NOW, "en", case["text"], "h", "r")
    result = extractor.extract([article])[0]
    got_events = sorted(_project(result.events, case["events"], "event_type"), key=_key)
    assert got_events == sorted(case["events"], key=_key)
    got_conditions = sorted(
        _project(result.conditions, case["conditions"], "condition_type"), key=_key
    )
    assert got_conditions == sorted(case["conditions"], key=_key)


def test_cases_cover_every_type_and_modality():
    events = [e for c in CASES for e in c["events"]]
    conditions = [x for c in CASES for x in c["conditions"]]
    assert {e["event_type"] for e in events} >= {
        "propose",
        "meet",
        "schedule",
        "agree",
        "reject",
        "breakdown",
        "mediate",
        "concede",
    }
    assert {e.get("modality") for e in events} >= {"asserted", "planned", "hypothetical"}
    assert any(e.get("negated") for e in events) and any(e.get("speaker") for e in events)
    assert {c["condition_type"] for c in conditions} == {"precondition", "demand", "red_line"}
    assert sum(1 for c in CASES if not c["events"] and not c["conditions"]) >= 5
