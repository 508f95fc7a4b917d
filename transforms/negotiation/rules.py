"""The extraction rules: versioned data files in ``patterns/``, loaded and compiled here.

``lexicon.json`` holds word classes and cue lists; ``triggers.jsonl``, ``conditions.jsonl`` and
``times.jsonl`` (dates and times, for ``parley_entities``) hold one rule a line, each with an
``id``; a trigger's id ends up in the output's ``pattern_id`` column.
A rule's ``pattern`` is a short sequence of elements separated by spaces, compiled to a spaCy
``Matcher`` token pattern over lower-cased tokens (run by ``tokenpatterns.py``, which finds the
same matches as spaCy's ``Matcher``, faster):

- ``talks`` a literal word; ``so|as`` any of several (an empty alternative, ``on|``, makes it
  optional);
- ``TALKS`` any word of that lexicon class;
- ``!to|that`` any token but these words (and sentence-final punctuation);
- ``~`` any token but sentence-final punctuation; ``Cap`` a word with a capital first letter ("Kyiv",
  "US") other than a day or month; ``Num`` a number; ``Year`` a four-digit year from 1800 to 2099;
- a suffix ``?``, ``*``, ``+`` or ``{n,m}`` repeats the element, as in spaCy.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

_QUANT = re.compile(r"^(?P<body>.+?)(?P<op>\?|\*|\+|\{\d*,\d*\})?$")
# Tokens that end a sentence or clause; no rule matches across one.
SENTENCE_END = (".", "!", "?", ";")
YEARS = range(1800, 2100)
# Prepositions that put something at a place: "talks in Doha", "met at Camp David".
PLACE_PREPOSITIONS = frozenset({"in", "at", "near"})
# Days and months: capitalised, but never a name or a party ("called Thursday on Arabs").
CALENDAR = frozenset(n.lower() for n in (*calendar.day_name, *calendar.month_name) if n)


@dataclass(frozen=True)
class Rule:
    """One trigger or condition rule from a pattern file."""

    id: str
    label: str
    pattern: str
    tokens: tuple  # the compiled spaCy Matcher pattern
    blockers: frozenset[str] = frozenset()  # none of these in the two words before the match
    not_after: frozenset[str] = frozenset()  # nor this word right before it ("the demands")
    not_before: frozenset[str] = frozenset()  # none of these (or CLASSES) in the 4 words after
    ends_clause: bool = False  # punctuation or the sentence's end follows ("army chief rejects it")
    suppress: frozenset[str] = frozenset()
    modality: str | None = None
    negated: bool = False  # the match states its own negation ("failed to agree")
    text: str = "after"  # where a condition's words start: see sentence.condition_text
    needs: str | None = None  # a word class ("NEGO", or "NEGO|LEVERAGE") the text must hold
    excludes: frozenset[str] = frozenset()  # words (or CLASSES) that must not occur inside
    # With a tagger, the first word must be a verb ("offered", not the noun "offer").
    verb_start: bool = False
    # With a parser: the match follows a noun in a sentence with no main verb, as a headline's
    # future does ("Iran, EU to hold talks"); not "agreed to hold talks", "an effort to revive".
    headline: bool = False
    # A condition cue that, under a demand's verb, is the demand's own words: "insisted that any
    # settlement must include X" is one demand, not a demand and a precondition.
    in_demand: bool = False
    # The match ends in "that" opening the clause that states it, not a relative clause: "its
    # demands that Ukraine withdraw its troops", not "the demands that Kyiv rejected".
    clause: bool = False
    # The match's last word is its verb, the object named first: "a demand Kyiv has rejected".
    verb_last: bool = False
    # With a parser, the match's last word says something of what stands before it, not of the
    # noun after it: "talks froze", not "a deal on frozen assets".
    predicate_last: bool = False
    needs_parties: int = 0  # rows need this many parties named in the sentence ("met" alone)
    needs_context: bool = False  # kept only in a sentence or article that is about negotiation
    stands_if_named: bool = False  # ... or where its actor is a named party ("Hamas rejected")
    subject_in: str | None = None  # with a parser: the verb's subject must be a word of this class
    subject_not_in: str | None = None  # nor, with a parser, a word of this one ("the court",
    # or for a condition "the rules required")
    joint: bool = False  # with a parser: the subject names both sides ("X and Y agreed that")
    object_of_verb: bool = False  # with a parser: the match's last word hangs off its first
    confidence: float = 0.9

    def anchor(self) -> frozenset[str]:
        """Words one of which every match contains: its rarest required element's words.
        Text without any of them cannot match, so the matcher need not look at it."""
        index = self._anchor_index()
        return frozenset() if index is None else frozenset(self.tokens[index]["LOWER"]["IN"])

    def reach(self) -> tuple[int | None, int | None]:
        """At most how many tokens a match holds before its anchor word and after it (None: no
        bound), so the matcher need only look that far around each anchor word."""
        index = self._anchor_index()
        if index is None or self.tokens[index].get("OP") is not None:
            return None, None
        lengths = [_longest(t.get("OP")) for t in self.tokens]
        before, after = lengths[:index], lengths[index + 1 :]
        return (
            None if None in before else sum(before),
            None if None in after else sum(after),
        )

    def _anchor_index(self) -> int | None:
        required = [
            k
            for k, t in enumerate(self.tokens)
            if "IN" in t.get("LOWER", {}) and t.get("OP") in (None, "+")
        ]
        if not required:
            return None
        common = lexicon().cue("common_words")  # too frequent to anchor a rule on
        words = {k: frozenset(self.tokens[k]["LOWER"]["IN"]) for k in required}
        return min(required, key=lambda k: (len(words[k] & common), len(words[k]), k))


def _range(op: str) -> tuple[int, int | None]:
    """Least and most repeats of a range operator "{n,m}" ("{n,}": no most; "{,m}": least 0)."""
    least, most = op[1:-1].split(",")
    return int(least or 0), (int(most) if most else None)


def _longest(op: str | None) -> int | None:
    """How many tokens an element with this spaCy operator takes at most (None: no bound)."""
    if op in (None, "?", "!"):
        return 1
    if op.startswith("{"):
        return _range(op)[1]
    return None


@dataclass(frozen=True)
class Lexicon:
    version: str
    classes: dict[str, frozenset[str]]
    cues: dict[str, frozenset[str]] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    _unions: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    def cue(self, name: str) -> frozenset[str]:
        return self.cues[name]

    def words(self, names: str) -> frozenset[str]:
        """The words of one class or several ("NEGO|LEVERAGE"), united once."""
        if names not in self._unions:
            self._unions[names] = frozenset().union(*(self.classes[n] for n in names.split("|")))
        return self._unions[names]


def compile_pattern(pattern: str, classes: dict[str, frozenset[str]]) -> list[dict]:
    """The spaCy Matcher token pattern for one DSL pattern string."""
    compiled = []
    for element in pattern.split():
        found = _QUANT.match(element)
        if not found:
            raise ValueError(f"bad element {element!r} in {pattern!r}")
        body, op = found.group("body"), found.group("op")
        alternatives = body.split("|")
        optional = "" in alternatives
        alternatives = [a for a in alternatives if a]
        spec = _element(alternatives, classes, pattern)
        if op:
            spec["OP"] = op
        elif optional:
            spec["OP"] = "?"
        compiled.append(spec)
    if not compiled:
        raise ValueError("empty pattern")
    return compiled


def _element(alternatives: list[str], classes: dict[str, frozenset[str]], pattern: str) -> dict:
    if alternatives == ["~"]:
        return {"ORTH": {"NOT_IN": list(SENTENCE_END)}}
    if alternatives == ["Cap"]:
        return {"TEXT": {"REGEX": r"^[A-Z]"}, "LOWER": {"NOT_IN": sorted(CALENDAR)}}
    if alternatives == ["Num"]:
        return {"LIKE_NUM": True}
    if alternatives == ["Year"]:  # as words, so a rule can be anchored on it
        return {"LOWER": {"IN": [str(year) for year in YEARS]}}
    if alternatives[0].startswith("!"):  # any token but these words
        banned = _words([alternatives[0][1:], *alternatives[1:]], classes, pattern)
        return {"ORTH": {"NOT_IN": list(SENTENCE_END)}, "LOWER": {"NOT_IN": sorted(banned)}}
    return {"LOWER": {"IN": sorted(_words(alternatives, classes, pattern))}}


def _words(alternatives: list[str], classes: dict[str, frozenset[str]], pattern: str) -> set[str]:
    """The lower-case words of some alternatives, a word class's in its place."""
    words: set[str] = set()
    for alt in alternatives:
        if alt.isupper() and alt.isalpha():
            if alt not in classes:
                raise ValueError(f"unknown word class {alt} in {pattern!r}")
            words |= classes[alt]
        else:
            words.add(alt.lower())
    return words


def _read(name: str) -> str:
    return resources.files("transforms.negotiation").joinpath("patterns", name).read_text("utf-8")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = json.loads(_read("lexicon.json"))
    classes = {name: frozenset(words) for name, words in raw["classes"].items()}
    cues = {k: frozenset(v) for k, v in raw.items() if isinstance(v, list)}
    numbers = {k: v for k, v in raw.items() if isinstance(v, int)}
    return Lexicon(raw["version"], classes, cues, numbers)


def _expand(words, classes: dict[str, frozenset[str]]) -> frozenset[str]:
    out: set[str] = set()
    for word in words:
        out |= classes[word] if word.isupper() and word in classes else {word.lower()}
    return frozenset(out)


def _rules(name: str) -> tuple[Rule, ...]:
    classes = lexicon().classes
    rules, seen = [], set()
    for number, line in enumerate(_read(name).splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["id"] in seen:
            raise ValueError(f"{name}:{number}: duplicate rule id {row['id']}")
        seen.add(row["id"])
        rules.append(
            Rule(
                id=row["id"],
                label=row["label"],
                pattern=row["pattern"],
                tokens=tuple(compile_pattern(row["pattern"], classes)),
                blockers=frozenset(row.get("blockers", ())),
                not_after=frozenset(row.get("not_after", ())),
                not_before=_expand(row.get("not_before", ()), classes),
                ends_clause=bool(row.get("ends_clause", False)),
                suppress=frozenset(row.get("suppress", ())),
                modality=row.get("modality"),
                negated=bool(row.get("negated", False)),
                text=row.get("text", "after"),
                needs=row.get("needs"),
                excludes=_expand(row.get("excludes", ()), classes),
                verb_start=bool(row.get("verb_start", False)),
                headline=bool(row.get("headline", False)),
                in_demand=bool(row.get("in_demand", False)),
                clause=bool(row.get("clause", False)),
                verb_last=bool(row.get("verb_last", False)),
                predicate_last=bool(row.get("predicate_last", False)),
                needs_parties=int(row.get("needs_parties", 0)),
                needs_context=bool(row.get("needs_context", False)),
                stands_if_named=bool(row.get("stands_if_named", False)),
                subject_in=row.get("subject_in"),
                subject_not_in=row.get("subject_not_in"),
                joint=bool(row.get("joint", False)),
                object_of_verb=bool(row.get("object_of_verb", False)),
                confidence=float(row.get("confidence", 0.9)),
            )
        )
    return tuple(rules)


@lru_cache(maxsize=1)
def trigger_rules() -> tuple[Rule, ...]:
    return _rules("triggers.jsonl")


@lru_cache(maxsize=1)
def condition_rules() -> tuple[Rule, ...]:
    return _rules("conditions.jsonl")


@lru_cache(maxsize=1)
def time_rules() -> tuple[Rule, ...]:
    return _rules("times.jsonl")


def rules_version() -> str:
    return lexicon().version
