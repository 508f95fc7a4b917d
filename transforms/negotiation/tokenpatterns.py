"""Token patterns matched as regular expressions: the matcher behind Parley's rules.

The rules compile to spaCy ``Matcher`` token patterns (``rules.py``) of a small subset. An
element tests a token's lower-case text (``LOWER``: a word, ``IN`` or ``NOT_IN`` a list), its
exact text against caseless marks (``ORTH``), a regular expression on its text (``TEXT``
``REGEX``) or ``LIKE_NUM``, and may repeat (``?``, ``*``, ``+``, ``{n,m}``).

spaCy's ``Matcher`` runs every ``IN`` test as a Python call per token and pattern, and builds a
``Token`` object for every token it steps over; on a rule set of this size that is most of the
cheap first pass. Here each token becomes one character that stands for the set of elements it
satisfies (tokens that satisfy the same elements share a character), each pattern becomes a
regular expression over those characters, and ``re`` does the scanning in C. The matches are
spaCy's: every (start, end) whose tokens match the pattern, of every length, as
``tests/test_tokenpatterns.py`` checks against spaCy's own ``Matcher``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.attrs import ORTH
from spacy.tokens import Doc
from spacy.vocab import Vocab

# Characters of Unicode's plane-15 private use area stand for the token classes.
_FIRST_SYMBOL = 0xF0000
_OPERATORS = {None: (1, 1), "?": (0, 1), "*": (0, None), "+": (1, None)}


@dataclass(frozen=True)
class _Element:
    """One token test: its word conditions on the lower-case text and its flag tests."""

    words_in: frozenset[str] | None  # None: any word
    words_out: frozenset[str]
    flags: tuple[tuple[str, object], ...]  # ("REGEX", pattern) or ("LIKE_NUM", bool)


_Step = tuple[frozenset[str], int, int | None]  # the symbols an element takes, least, most times


@dataclass(frozen=True)
class _Pattern:
    finder: re.Pattern  # where a match starts (a lookahead, so every start is found)
    steps: tuple[_Step, ...]


class TokenPatterns:
    """Matches a set of keyed spaCy token patterns (the subset above) on a ``Doc``."""

    def __init__(self, vocab: Vocab, patterns: Iterable[tuple[str, Sequence[dict]]]) -> None:
        self._vocab = vocab
        parsed = [(key, [_parse(spec) for spec in tokens]) for key, tokens in patterns]
        elements = sorted({e for _, specs in parsed for e, _ in specs}, key=repr)
        index = {e: k for k, e in enumerate(elements)}
        self._flags = sorted({f for e in elements for f in e.flags}, key=repr)
        masks = self._class_masks(elements)
        symbols: dict[int, str] = {}
        for mask in sorted(set(masks.values())):
            symbols[mask] = chr(_FIRST_SYMBOL + len(symbols))
        self._symbol = {word_flags: symbols[mask] for word_flags, mask in masks.items()}
        # A token's symbol by its text's hash, learnt on first sight (as spaCy's own vocab is).
        self._by_orth: dict[int, str] = {}
        members = _members(symbols, len(elements))
        self._patterns = {
            key: _compile([(members[index[e]], op) for e, op in specs], symbols)
            for key, specs in parsed
        }

    def symbols(self, doc: Doc) -> str:
        """The doc as one character a token."""
        known = self._by_orth
        return "".join(
            known[o] if o in known else self._learn(o) for o in doc.to_array(ORTH).tolist()
        )

    def matches(
        self, symbols: str, keys: Iterable[str], start: int = 0, end: int | None = None
    ) -> list[tuple[str, int, int]]:
        """Every match of the patterns ``keys`` within ``symbols[start:end]``, as (key, start,
        end) token offsets: per pattern, by start, then by end."""
        end = len(symbols) if end is None else end
        found = []
        for key in keys:
            pattern = self._patterns[key]
            for hit in pattern.finder.finditer(symbols, start, end):
                first = hit.start()
                found.extend(
                    (key, first, last) for last in _ends(pattern.steps, symbols, first, end)
                )
        return found

    def _learn(self, orth: int) -> str:
        text = self._vocab.strings[orth]
        flags = tuple(self._flag_value(flag, orth, text) for flag in self._flags)
        lower = text.lower()
        symbol = self._symbol.get((lower, flags)) or self._symbol[(None, flags)]
        self._by_orth[orth] = symbol
        return symbol

    def _flag_value(self, flag: tuple[str, object], orth: int, text: str) -> bool:
        name, value = flag
        if name == "REGEX":
            return re.search(value, text) is not None
        return self._vocab[orth].like_num == value

    def _class_masks(self, elements: list[_Element]) -> dict[tuple, int]:
        """The elements each kind of token satisfies, as a bit mask (bit k: element k): per
        (lower-case word, flag values), with None for every word no element names."""
        bit = {e: 1 << k for k, e in enumerate(elements)}
        listed = set().union(*(e.words_out | (e.words_in or set()) for e in elements))
        open_bits = sum(bit[e] for e in elements if e.words_in is None)
        in_bits: dict[str, int] = {}
        out_bits: dict[str, int] = {}
        for e in elements:
            for word in e.words_in or ():
                in_bits[word] = in_bits.get(word, 0) | bit[e]
            for word in e.words_out:
                out_bits[word] = out_bits.get(word, 0) | bit[e]
        masks = {}
        for values in itertools.product((False, True), repeat=len(self._flags)):
            truth = dict(zip(self._flags, values))
            flag_ok = sum(bit[e] for e in elements if all(truth[f] for f in e.flags))
            masks[(None, values)] = open_bits & flag_ok
            for word in listed:
                word_ok = (in_bits.get(word, 0) | open_bits) & ~out_bits.get(word, 0)
                masks[(word, values)] = word_ok & flag_ok
        return masks


def _members(symbols: dict[int, str], count: int) -> list[frozenset[str]]:
    """Per element (by index), the symbols of the tokens that satisfy it."""
    members: list[list[str]] = [[] for _ in range(count)]
    for mask, symbol in symbols.items():
        while mask:
            low = mask & -mask
            members[low.bit_length() - 1].append(symbol)
            mask ^= low
    return [frozenset(m) for m in members]


def _compile(
    steps: list[tuple[frozenset[str], tuple[int, int | None]]], symbols: dict[int, str]
) -> _Pattern:
    alphabet = frozenset(symbols.values())
    regex = "".join(_char_class(chars, alphabet) + _repeat(*op) for chars, op in steps)
    return _Pattern(re.compile(f"(?=({regex}))"), tuple((c, *op) for c, op in steps))


def _ends(steps: tuple[_Step, ...], symbols: str, start: int, end: int) -> list[int]:
    """Every end of a match from ``start``: each step takes a run of its symbols, of any
    length its operator allows."""
    here = {start}
    for chars, least, most in steps:
        after = set()
        for p in here:
            limit = end - p if most is None else min(most, end - p)
            run = 0
            while run < limit and symbols[p + run] in chars:
                run += 1
            after.update(range(p + least, p + run + 1))
        here = after
        if not here:
            return []
    return sorted(e for e in here if e > start)


def _parse(spec: dict) -> tuple[_Element, tuple[int, int | None]]:
    words_in: frozenset[str] | None = None
    words_out: set[str] = set()
    flags: list[tuple[str, object]] = []
    for attr, test in spec.items():
        if attr == "OP":
            continue
        if attr in ("LOWER", "ORTH"):
            if attr == "ORTH" and not _caseless(test):
                raise ValueError(f"ORTH tests only caseless marks here: {spec}")
            test = {"IN": [test]} if isinstance(test, str) else test
            for op, words in test.items():  # as given: "Talks" is no token's lower-case text
                if op == "IN":
                    words_in = frozenset(words) if words_in is None else words_in & set(words)
                elif op == "NOT_IN":
                    words_out |= set(words)
                else:
                    raise ValueError(f"unsupported test {op} in {spec}")
        elif attr == "TEXT" and set(test) == {"REGEX"}:
            flags.append(("REGEX", test["REGEX"]))
        elif attr == "LIKE_NUM" and isinstance(test, bool):
            flags.append(("LIKE_NUM", test))
        else:
            raise ValueError(f"unsupported attribute {attr} in {spec}")
    element = _Element(words_in, frozenset(words_out), tuple(sorted(flags, key=repr)))
    return element, _operator(spec.get("OP"))


def _operator(op: str | None) -> tuple[int, int | None]:
    if op in _OPERATORS:
        return _OPERATORS[op]
    found = re.fullmatch(r"\{(\d*),(\d*)\}", op or "")
    if not found:
        raise ValueError(f"unsupported operator {op!r}")
    least, most = found.groups()
    return int(least or 0), (int(most) if most else None)


def _caseless(test) -> bool:
    words = [test] if isinstance(test, str) else [w for ws in test.values() for w in ws]
    return all(w.lower() == w.upper() for w in words)


def _char_class(chars: frozenset[str], alphabet: frozenset[str]) -> str:
    if not chars:
        return "(?!)"
    others = alphabet - chars
    if len(others) < len(chars):  # "any token but ...": name the few it leaves out
        return f"[^{''.join(map(re.escape, sorted(others)))}]" if others else "."
    return f"[{''.join(map(re.escape, sorted(chars)))}]"


def _repeat(least: int, most: int | None) -> str:
    if (least, most) == (1, 1):
        return ""
    return f"{{{least},{'' if most is None else most}}}"
