"""Casing: Title Case headlines ("Teamsters Reach Tentative Deal With UPS") read as a sentence,
and the Chinese name He ("Vice Premier Liu He") read as a name, not the pronoun.

The tagger takes every capitalised word of such a line for a proper noun, so the parse finds no
verb. Before a Title Case line is parsed, its words go back to lower case unless the article
shows them to be names: capitalised inside a sentence of its body, a known actor's name, or an
acronym. Only the parser sees the new casing; rows keep the text as published. Lower-casing
keeps every character offset (a word whose lower case has another length stays as it is).
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from transforms.negotiation.rules import CALENDAR

# A word of four letters or more, not the second half of a hyphenated one ("Non-starter").
_LONG_WORD = re.compile(r"(?<![\w-])[^\W\d_]{4,}\b")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A capitalised word that does not open a sentence or a line: a name.
_NAME_INSIDE = re.compile(r"(?<=[\w,;:)] )[A-Z][\w'’-]*")


def is_title_case(line: str) -> bool:
    """Whether a line capitalises every word of four letters or more but function words
    ("with", "from"), as Title Case headlines do (a sentence full of names still has its verbs
    in lower case: "telephoned")."""
    words = [w for w in _LONG_WORD.findall(line) if w.lower() not in STOP_WORDS]
    return len(words) >= 3 and not any(w.islower() for w in words)


def names_inside(text: str) -> set[str]:
    """The words a text capitalises inside its sentences ("talks with the Teamsters")."""
    return set(_NAME_INSIDE.findall(text))


def sentence_case(line: str, names: set[str] | frozenset[str]) -> str:
    """A Title Case line with its words in lower case, except the first, acronyms and ``names``."""

    def lower(found: re.Match) -> str:
        word = found[0]
        if found.start() == 0 or word in names or not word.istitle():
            return word
        return word.lower() if len(word.lower()) == len(word) else word

    return _WORD.sub(lower, line)


# "He" inside a name: after a capitalised word ("Liu He signed") or before one ("He Lifeng said"),
# not before a day or month ("He Tuesday").
_NAME_HE = re.compile(r"\bHe\b")
_NAME_BEFORE = re.compile(r"[A-Z][a-z]+ $")
_NAME_AFTER = re.compile(r" ([A-Z][a-z]+)\b")


def name_he(text: str) -> str:
    """A text with the surname or given name He written as Xu, another name of two letters,
    where it stands inside a name: the parser reads "Liu He" as a name and the pronoun, and loses
    the subject it is part of. Offsets stay as they were."""

    def inside_name(found: re.Match) -> str:
        after = _NAME_AFTER.match(text, found.end())
        if after and after[1].lower() in CALENDAR:
            return found[0]
        before = _NAME_BEFORE.search(text, 0, found.start())
        return "Xu" if before or after else found[0]

    return _NAME_HE.sub(inside_name, text)
