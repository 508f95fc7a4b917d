"""CAMEO codes and PLOVER categories for Parley's event types (data in ``patterns/codes.json``).

In: an event type and its trigger words. Out: the nearest CAMEO code (CAMEO 1.1b3 codebook) and
PLOVER category, so rows join with GDELT and POLECAT data.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _table() -> dict:
    text = resources.files("transforms.negotiation").joinpath("patterns", "codes.json").read_text()
    return json.loads(text)


def codes_for(event_type: str, trigger: str) -> tuple[str, str]:
    """(cameo_code, plover_type) for an event type, refined by words of its trigger."""
    table = _table()
    default = table["types"][event_type]
    words = set(trigger.lower().replace("“", " ").replace("”", " ").split())
    for refinement in table["refinements"]:
        if refinement["type"] == event_type and words & set(refinement["words"]):
            return refinement["cameo"], refinement.get("plover", default["plover"])
    return default["cameo"], default["plover"]
