"""``parley_attributes``: the trained pipeline's ``attribute_ruler`` (coarse POS, morphology and
a few lemmas, from the tagger's fine tags, the parse and a handful of word exceptions), applied
by lookup instead of by spaCy's ``Matcher``.

The ``Matcher`` tries each of the ruler's ~180 patterns at every token and runs its ``IN`` and
``NOT_IN`` predicates in Python: about a tenth of the extractor's time on dense text. Here each
pattern is filed under a value its first token must have (a word, a tag, a dependency label),
so a token meets only the few patterns that can apply to it. The rules, their order and the
result are the ruler's own; a test compares the two token by token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.attrs import IDS
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

# The token attributes the ruler's patterns read, in the order patterns are filed under them.
KEYS = ("LOWER", "TAG", "DEP", "IS_SPACE")
KEY_IDS = [IDS[key] for key in KEYS]  # the same, as spaCy's attribute ids
MAX_CACHED = 200_000  # combinations of those values remembered; a long run starts afresh


Check = tuple[str, str, object]  # (attribute, "eq" | "in" | "not_in" | "regex", wanted)


@dataclass(frozen=True)
class _Pattern:
    order: int  # the ruler's pattern number: later patterns win
    tokens: tuple[tuple[Check, ...], ...]  # per token of the pattern, what it must hold
    attrs: dict
    index: int  # which token of the match gets the attributes


def compile_spec(spec: dict) -> tuple[Check, ...]:
    """One token spec of a ``Matcher`` pattern as checks: literals, IN, NOT_IN and REGEX over
    the attributes in ``KEYS`` (anything else is refused, so a new model cannot slip by)."""
    checks: list[Check] = []
    for attr, want in spec.items():
        if attr not in KEYS:
            raise ValueError(f"attribute_ruler pattern not supported: {spec}")
        if not isinstance(want, dict):
            checks.append((attr, "eq", want))
            continue
        for op, arg in want.items():
            if op == "REGEX":
                checks.append((attr, "regex", re.compile(arg)))
            elif op in ("IN", "NOT_IN"):
                checks.append((attr, op.lower(), frozenset(arg)))
            else:
                raise ValueError(f"attribute_ruler pattern not supported: {spec}")
    return tuple(checks)


def _value(token: Token, attr: str) -> str | bool:
    if attr == "LOWER":
        return token.lower_
    if attr == "TAG":
        return token.tag_
    if attr == "DEP":
        return token.dep_
    return token.is_space


def holds(token: Token, checks: tuple[Check, ...]) -> bool:
    for attr, op, want in checks:
        value = _value(token, attr)
        if op == "eq":
            ok = value == want
        elif op == "in":
            ok = value in want
        elif op == "not_in":
            ok = value not in want
        else:
            ok = want.search(str(value)) is not None
        if not ok:
            return False
    return True


def _filing_keys(checks: tuple[Check, ...]) -> list[tuple[str, object]] | None:
    """The (attribute, value) pairs a first token must show one of, or None if none is fixed."""
    for attr in KEYS:
        for name, op, want in checks:
            if name == attr and op == "eq":
                return [(attr, want)]
            if name == attr and op == "in":
                return [(attr, v) for v in want]
    return None


class LookupAttributes:
    """The patterns of an ``AttributeRuler``, applied as it applies them."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.filed: dict[tuple[str, object], list[_Pattern]] = {}
        self.anywhere: list[_Pattern] = []
        for order, entry in enumerate(ruler.patterns):
            for tokens in entry["patterns"]:
                compiled = tuple(compile_spec(spec) for spec in tokens)
                pattern = _Pattern(order, compiled, ruler.attrs[order], entry["index"])
                keys = _filing_keys(compiled[0])
                if keys is None:
                    self.anywhere.append(pattern)
                for key in keys or ():
                    self.filed.setdefault(key, []).append(pattern)
        self._first: dict[tuple, list[_Pattern]] = {}

    def __call__(self, doc: Doc) -> Doc:
        matches = []
        n = len(doc)
        # The first-token values as integers, one row a token: no Token objects for most words.
        for i, key in enumerate(map(tuple, doc.to_array(KEY_IDS).tolist())):
            for p in self._starting(doc, i, key):
                end = i + len(p.tokens)
                if end <= n and all(holds(doc[i + k], c) for k, c in enumerate(p.tokens[1:], 1)):
                    matches.append((p.order, i, end, p))
        for _, start, end, p in sorted(matches, key=lambda m: m[:3]):
            set_token_attrs(doc[start + p.index if p.index >= 0 else end + p.index], p.attrs)
        return doc

    def _starting(self, doc: Doc, i: int, key: tuple[int, ...]) -> list[_Pattern]:
        """The patterns whose first token the doc's token ``i`` satisfies. That depends only on the
        token's values of ``KEYS`` (``key``), so it is worked out once per combination."""
        found = self._first.get(key)
        if found is None:
            if len(self._first) > MAX_CACHED:
                self._first.clear()
            token = doc[i]
            filed = self.filed
            candidates = [
                *self.anywhere,
                *filed.get(("LOWER", token.lower_), ()),
                *filed.get(("TAG", token.tag_), ()),
                *filed.get(("DEP", token.dep_), ()),
                *filed.get(("IS_SPACE", token.is_space), ()),
            ]
            found = self._first[key] = [p for p in candidates if holds(token, p.tokens[0])]
        return found


@Language.factory("parley_attributes")
def make_attributes(nlp: Language, name: str) -> LookupAttributes:
    """Takes the patterns of the pipeline's own ``attribute_ruler`` (added after it, which is
    then removed)."""
    return LookupAttributes(nlp.get_pipe("attribute_ruler"))
