"""spaCy components of Parley's extractor, registered with ``@Language.factory``.

- ``parley_triggers``: matches the trigger rules (``patterns/triggers.jsonl``) and stores them in
  ``doc.spans["parley_triggers"]``, one span per match labelled with the rule id. It reads only
  lower-cased token text, so it also runs on a bare tokenized ``Doc`` (the cheap first pass).
- ``parley_conditions``: the same for condition cues (``patterns/conditions.jsonl``).
- ``parley_analyze``: on a parsed sentence, turns those spans into ``EventMention`` and
  ``ConditionMention`` objects in ``doc._.parley_events`` and ``doc._.parley_conditions``.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from spacy.attrs import IS_SPACE, LOWER, ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from transforms.negotiation import sentence
from transforms.negotiation.casing import is_title_case
from transforms.negotiation.rules import (
    SENTENCE_END,
    Rule,
    condition_rules,
    lexicon,
    trigger_rules,
)
from transforms.negotiation.tokenpatterns import TokenPatterns

TRIGGERS = "parley_triggers"
WINDOW = 24  # tokens either side of an anchor word at most; longer than any rule can reach
CONDITIONS = "parley_conditions"
CARRIED = "parley_carried"
ENDS = "parley_sentence_ends"  # (tokens in the doc, their sentence ends), in ``Doc.user_data``
# Events about talks themselves: what they resume must be talks (a concession may reopen a border).
TALK_EVENTS = ("meet", "schedule", "propose", "reject")

for _name in ("parley_events", "parley_conditions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class RuleMatcher:
    """Matches a set of rules and keeps the spans their blockers and ``needs`` allow."""

    def __init__(self, nlp: Language, rules: tuple[Rule, ...], key: str) -> None:
        self.key = key
        self.rules = {rule.id: rule for rule in rules}
        self._needs = {r.id: lexicon().words(r.needs) for r in rules if r.needs}
        self._patterns = TokenPatterns(nlp.vocab, ((r.id, r.tokens) for r in rules))
        # The rules of each anchor (words one of which every match of its rules holds), run
        # only on the stretches around those words: most text holds none of them.
        self.by_anchor: dict[frozenset[str], list[str]] = {}
        # How far around an anchor word its rules reach: (before, after), at most WINDOW.
        self.reach: dict[frozenset[str], tuple[int, int]] = {}
        for rule in rules:
            anchor = rule.anchor()
            self.by_anchor.setdefault(anchor, []).append(rule.id)
            before, after = (WINDOW if n is None else min(n, WINDOW) for n in rule.reach())
            known = self.reach.get(anchor, (0, 0))
            self.reach[anchor] = (max(known[0], before), max(known[1], after))
        # Anchors by the hash of a lower-case word, as ``Doc.to_array(LOWER)`` gives them.
        self._anchor_of: dict[int, list[frozenset[str]]] = {}
        for anchor in self.by_anchor:
            for word in anchor:
                self._anchor_of.setdefault(get_string_id(word), []).append(anchor)

    def __call__(self, doc: Doc) -> Doc:
        found = self._carried(doc)
        if found is None:
            found = self.find(doc)
        doc.spans[self.key] = self.keep(doc, found)
        return doc

    def find(self, doc: Doc) -> list[tuple[str, int, int]]:
        """Every match of the rules, as (rule id, start, end) token offsets, before ``keep``."""
        found = []
        hits, ends = self._scan(doc)
        stretches = _windows(hits, ends, len(doc), self.reach)
        if frozenset() in self.by_anchor:  # a rule with no anchor word ("Cap Num") looks everywhere
            stretches[frozenset()] = [(0, len(doc))]
        symbols = self._patterns.symbols(doc) if stretches else ""
        for anchor, windows in stretches.items():
            for a, b in windows:
                found.extend(self._patterns.matches(symbols, self.by_anchor[anchor], a, b))
        return found

    def keep(self, doc: Doc, found: list[tuple[str, int, int]]) -> list[Span]:
        """The matches their rules' blockers and ``needs`` allow, the longest of each label. On
        a parsed doc, a rule's match is first cut back to its verb's own object (``_own_object``),
        so what it suppresses is what it is: "rejected the latest proposal", not "rejected the
        latest proposal as talks" over the "talks resumed" beside it."""
        ends = sentence_ends(doc) if found else []
        spans = [
            Span(doc, start, end, label=rule_id)
            for rule_id, start, end in found
            if self._allowed(doc, self.rules[rule_id], start, end, ends)
        ]
        if doc.has_annotation("DEP"):
            owned = (_own_object(doc, self.rules[s.label_], s) for s in spans)
            spans = [s for s in owned if s is not None]
        return _longest_per_label(spans, self.rules)

    def _carried(self, doc: Doc) -> list[tuple[str, int, int]] | None:
        """Matches an earlier pass found in this text (``carry``), as token offsets; None when
        there are none or they no longer fall on token boundaries."""
        carried = doc.user_data.get((CARRIED, self.key))
        if carried is None:
            return None
        found = []
        for rule_id, start_char, end_char in carried:
            span = doc.char_span(start_char, end_char)
            if span is None:
                return None
            found.append((rule_id, span.start, span.end))
        return found

    def _scan(self, doc: Doc) -> tuple[dict[frozenset[str], list[int]], list[int]]:
        """Where each anchor's words are, and where sentences end (no rule crosses an end)."""
        hits: dict[frozenset[str], list[int]] = {}
        anchor_of = self._anchor_of
        words = doc.to_array(LOWER).tolist()  # no Token objects: faster
        for i in [i for i, word in enumerate(words) if word in anchor_of]:
            for anchor in anchor_of[words[i]]:
                hits.setdefault(anchor, []).append(i)
        return hits, sentence_ends(doc)

    def _allowed(self, doc: Doc, rule: Rule, start: int, end: int, ends: list[int]) -> bool:
        before = {doc[i].lower_ for i in range(max(0, start - 2), start) if not _named(doc, i)}
        if start > 1 and doc[start - 2].lower_ == "but":
            before.discard("to")  # "had no choice but to accept the hijackers' terms" did
        if rule.blockers & before:
            return False
        if start and doc[start - 1].lower_ in rule.not_after:
            return False
        if rule.not_before and any(t.lower_ in rule.not_before for t in doc[end : end + 4]):
            return False  # "will meet its targets", not "will meet in Geneva"
        if rule.ends_clause and end < len(doc) and not _clause_ends(doc, end):
            return False
        if rule.excludes and any(t.lower_ in rule.excludes for t in doc[start:end]):
            return False
        if rule.predicate_last and doc.has_annotation("DEP") and _modifies_next(doc[end - 1]):
            return False
        if rule.verb_start and doc.has_annotation("POS") and not _verb_at(doc, start):
            return False
        if rule.headline and doc.has_annotation("DEP") and not _headline_at(doc, start):
            return False
        if rule.clause and doc.has_annotation("TAG") and not _states_clause(doc, end - 1):
            return False
        that = end - 1 if doc[end - 1].lower_ == "that" else end
        relative = rule.label == "demand" and that < len(doc) and doc[that].lower_ == "that"
        if relative and doc.has_annotation("DEP") and _relative_that(doc[that]):
            return False  # "a demand that made those talks collapse" states no demand
        if rule.needs:  # in the match's own sentence, on an article as on a sentence
            words = self._needs[rule.id]
            if not any(
                t.lower_ in words for t in doc[slice(*_sentence_around(ends, start, len(doc)))]
            ):
                return False
        return True


_END_IDS = frozenset(get_string_id(mark) for mark in SENTENCE_END)
_HYPHEN = get_string_id("-")


def _clause_ends(doc: Doc, i: int) -> bool:
    """Whether the clause ends before word ``i``: punctuation, or, with a tagger, a preposition
    or conjunction that opens what follows ("the unions rejected it over the lack of sick days"),
    or an adverb before such an end ("rejected them outright."). Without a tagger, any lower-case
    word may: the cheap pass keeps the sentence for the tagger to judge."""
    token = doc[i]
    if token.is_punct or token.is_space:
        return True
    if not doc.has_annotation("POS"):
        return token.is_lower  # the cheap pass keeps what the tagger may end: "it outright"
    if token.pos_ == "ADV" and token.dep_ == "advmod":  # "rejected them outright."
        return i + 1 >= len(doc) or _clause_ends(doc, i + 1)
    return token.pos_ in ("ADP", "SCONJ", "CCONJ")


def _modifies_next(word: Token) -> bool:
    """Whether a word is an adjective on the noun after it ("frozen assets")."""
    return word.dep_ == "amod" and word.head.i > word.i


def _named(doc: Doc, i: int) -> bool:
    """Whether a word is part of a name rather than the word a blocker means: capitalised inside
    a sentence ("Kim Jong Un says open to talks": no "un-"), or before another capitalised word
    ("Hope Hicks agreed to"); a sentence's first word alone is capitalised all the same."""
    token = doc[i]
    if not token.is_title:
        return False
    if i + 1 < len(doc) and doc[i + 1].is_title:
        return True
    previous = doc[i - 1] if i else None
    opening = previous is None or previous.is_space or previous.is_quote
    return not (opening or previous.text in SENTENCE_END)


def sentence_ends(doc: Doc) -> list[int]:
    """Tokens that end a sentence or clause, where no rule's match may cross: final punctuation
    (``SENTENCE_END``) and line breaks. Found once a doc: every matcher of a doc asks."""
    known = doc.user_data.get(ENDS)
    if known is not None and known[0] == len(doc):
        return known[1]
    table = doc.to_array([ORTH, IS_SPACE])
    orths, strings = table[:, 0].tolist(), doc.vocab.strings
    ends = [i for i, orth in enumerate(orths) if orth in _END_IDS]
    breaks = [i for i in table[:, 1].nonzero()[0].tolist() if "\n" in strings[orths[i]]]
    if breaks:
        ends = sorted(ends + breaks)
    doc.user_data[ENDS] = (len(doc), ends)
    return ends


def carry(doc: Doc, key: str, matches: list[tuple[str, int, int]]) -> None:
    """Hand a ``RuleMatcher`` the raw matches an earlier pass found in this text, as
    (rule id, start char, end char), so it only applies ``keep`` instead of matching again."""
    doc.user_data[(CARRIED, key)] = matches


def _sentence_around(ends: list[int], i: int, n: int) -> tuple[int, int]:
    """Token range of the sentence holding token ``i``, given the sentence ends."""
    k = bisect.bisect_left(ends, i)
    return (ends[k - 1] + 1 if k else 0), (ends[k] + 1 if k < len(ends) else n)


def _windows(
    hits: dict[frozenset[str], list[int]],
    ends: list[int],
    n: int,
    reach: dict[frozenset[str], tuple[int, int]],
) -> dict[frozenset[str], list[tuple[int, int]]]:
    """Per anchor, the stretches where its rules can match: around each anchor word as far as
    its rules reach (at most ``WINDOW`` tokens) and never across a sentence's end, merged, so no
    match is found twice. Most news text holds no anchor word at all."""
    windows: dict[frozenset[str], list[tuple[int, int]]] = {}
    for anchor, positions in hits.items():
        before, after = reach[anchor]
        merged: list[list[int]] = []
        for i in positions:
            first, last = _sentence_around(ends, i, n)
            start, end = max(first, i - before), min(last, i + after + 1)
            if merged and start < merged[-1][1]:  # overlapping: never across a sentence end
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        windows[anchor] = [(a, b) for a, b in merged]
    return windows


def _longest_per_label(spans: list[Span], rules: dict[str, Rule]) -> list[Span]:
    by_label: dict[str, list[Span]] = {}
    for span in spans:
        by_label.setdefault(rules[span.label_].label, []).append(span)
    kept = [s for group in by_label.values() for s in filter_spans(group)]
    suppressors = [s for s in kept if rules[s.label_].suppress]
    result = []
    for span in kept:
        label = rules[span.label_].label
        if any(
            label in rules[other.label_].suppress
            and other.start < span.end
            and span.start < other.end
            for other in suppressors
            if other is not span
        ):
            continue
        result.append(span)
    return sorted(result, key=lambda s: (s.start, s.end))


class JoinHyphens:
    """Re-join the lexicon's hyphenated words ("cease-fire", "go-between", "co-chairs") that
    spaCy's tokenizer splits in three, so rules and actor phrases can name them as one word.
    Other hyphenated words ("then-British") stay split, so actor names inside them are found."""

    def __init__(self) -> None:
        lex = lexicon()
        heads = [lex.cue(name) for name in ("group_heads", "nonstate_heads", "mediator_people")]
        words = {w for ws in (*lex.classes.values(), *heads) for w in ws if "-" in w}
        for rule in trigger_rules() + condition_rules():
            words |= {w for w in re.split(r"[ |?*+{},~]+", rule.pattern.lower()) if "-" in w}
        self.words = frozenset(words)

    def __call__(self, doc: Doc) -> Doc:
        orths = doc.to_array(ORTH).tolist()  # only the hyphens become Token objects
        spans = [
            doc[i - 1 : i + 2]
            for i in range(1, len(doc) - 1)
            if orths[i] == _HYPHEN
            and not doc[i - 1].whitespace_
            and not doc[i].whitespace_
            and f"{doc[i - 1].lower_}-{doc[i + 1].lower_}" in self.words
        ]
        if spans:
            with doc.retokenize() as retokenizer:
                for span in filter_spans(spans):
                    retokenizer.merge(span)
        return doc


@Language.factory("parley_hyphens")
def make_hyphens(nlp: Language, name: str) -> JoinHyphens:
    return JoinHyphens()


@Language.factory(TRIGGERS)
def make_triggers(nlp: Language, name: str) -> RuleMatcher:
    return RuleMatcher(nlp, trigger_rules(), TRIGGERS)


@Language.factory(CONDITIONS)
def make_conditions(nlp: Language, name: str) -> RuleMatcher:
    return RuleMatcher(nlp, condition_rules(), CONDITIONS)


class Analyze:
    """Parsed sentence + rule spans -> event and condition mentions on the ``Doc``."""

    def __init__(self) -> None:
        self.lex = lexicon()
        self.triggers = {r.id: r for r in trigger_rules()}
        self.conditions = {r.id: r for r in condition_rules()}

    def __call__(self, doc: Doc) -> Doc:
        events = []
        for span in doc.spans.get(TRIGGERS, []):
            rule = self.triggers[span.label_]
            if self._holds(doc, rule, span):
                events.append(sentence.analyze_event(doc, rule, span.start, span.end, self.lex))
        cues = _demanded_refusals(list(doc.spans.get(CONDITIONS, [])), self.conditions)
        cues = _demand_wording(cues, self.conditions)
        # a cue inside an "if" clause ends no other's text: "if the union did not accept ..."
        stops = {s.start for s in cues if not sentence.opens_with_if(sentence.clause_verb(s.root))}
        found = []
        for span in _with_own_lines(filter_spans(cues), cues, self.conditions):
            mention = sentence.analyze_condition(
                doc, self.conditions[span.label_], span.start, span.end, stops, self.lex
            )
            if mention is not None and not _asked_whether(doc, span):
                found.append(mention)
        _demanders_terms(doc, found)
        found = _refused_contents(doc, found)
        found = _answered_demands(found, events)
        if _states_terms(doc, self.lex):  # "Under the deal, clubs must guarantee X"
            found = [c for c in found if not c.rule.in_demand]
        asked = [c for c in found if c.label == "demand"]
        found = _demands_as_conditions(found)
        merged = [c for c in asked if c not in found]  # what they ask holds no events either
        found = _calls_for_talks(doc, found, events)
        events = _offers_on_terms(doc, _drop_embedded(doc, events, found + merged), found)
        events = _drop_setting(doc, events)
        engaged = any(e.label in ENGAGING or _threat(e, self.lex) for e in events)
        doc._.parley_conditions = [
            c
            for c in found
            if engaged
            or c.rule.id != "precondition.if"
            or _deal_on_terms(doc, c, self.lex)
            or _threat_on_terms(doc, c, self.lex)
        ]
        doc._.parley_events = _dedupe_events(events)
        return doc

    def _holds(self, doc: Doc, rule: Rule, span: Span) -> bool:
        """Parse-level checks a rule asks for: no obligation ("must agree"), the right subject."""
        if _inside_name(span):
            return False
        verb = sentence.event_verb(doc, rule, span.start, span.end)
        if rule.label != "propose" and sentence.has_obligation(verb, self.lex):
            return False
        if rule.label != "propose" and sentence.directed(verb, self.lex):
            return False
        if sentence.nonhuman_doer(verb, self.lex):
            return False
        if sentence.lecture(span, self.lex):
            return False
        if rule.subject_in:
            subject = sentence.misattached_talks(verb, self.lex) or sentence.subject_of(verb)
            if subject is not None:
                subject = sentence.antecedent(subject)  # "before they were paused"
            return subject is not None and subject.lower_ in self.lex.words(rule.subject_in)
        if rule.joint or rule.subject_not_in:
            subject = sentence.subject_of(verb)
            if rule.joint and not sentence.is_joint(subject, self.lex):
                return False  # "Australia and Turkey agreed that ...", not one party
            ruled_out = self.lex.words(rule.subject_not_in) if rule.subject_not_in else ()
            if subject is not None and subject.lower_ in ruled_out:
                return False
        refusal = rule.label == "reject" and span[0].lower_ in self.lex.classes["REFUSEV"]
        if rule.label in TALK_EVENTS and not refusal:  # "refused to reopen its plant" refuses
            return sentence.resumes_talks(doc, span, self.lex)
        return True


def _inside_name(span: Span) -> bool:
    """Whether a trigger's words only help name a body: "a spokesperson for the Federal
    Mediation and Conciliation Service" (proper nouns before the name's head; a Title Case
    headline capitalises every word, so it says nothing there)."""
    head = span.root.head
    return (
        all(t.tag_ in ("NNP", "NNPS") for t in span)
        and head.i >= span.end
        and head.tag_ in ("NNP", "NNPS")
        and not is_title_case(span.sent.text)
    )


def _states_terms(doc: Doc, lex) -> bool:
    """Whether a sentence opens on a deal's terms ("Under the deal, ...", "Under the revised
    terms, ..."): what it says anyone "must" do is the deal's content, no one's condition."""
    head = [t.lower_ for t in doc[:6]]
    deal = lex.classes["DEAL"] | {"terms"}
    return bool(head) and head[0] in ("under", "per") and "," in head and bool(deal & set(head))


def _refused_contents(doc: Doc, found: list) -> list:
    """Demands that describe what a side refuses are the refused thing's words, no party's
    demand: "could not accept language calling on rich countries to do more" (the call is the
    language's: a participle on a word of the red line's text)."""
    refused = [(c.text_start, c.text_end) for c in found if c.label == "red_line"]

    def described(c) -> bool:
        cue = doc[c.start]
        return cue.dep_ == "acl" and any(a <= cue.head.i < b for a, b in refused)

    return [c for c in found if c.label != "demand" or not described(c)]


def _demands_as_conditions(found: list) -> list:
    """ "X demanded Y as a condition for any deal": Y is X's precondition, not also a demand."""
    preconditions = {c.text for c in found if c.label == "precondition"}
    return [c for c in found if c.label != "demand" or c.text not in preconditions]


def _calls_for_talks(doc: Doc, found: list, events: list) -> list:
    """Demands that are only a call for talks: in "mediators are pressing Israel and Hamas to
    open negotiations", the pressing is the proposal of talks, not a condition on them; but
    "pressed Jakarta to accept international peacekeepers" asks for a thing, not a deal."""
    calls = [(e.start, e.end) for e in events if e.label == "propose" and not _asks_thing(doc, e)]
    return [
        c
        for c in found
        if c.label != "demand"
        or not any(a <= c.start < b or c.start <= a < c.end for a, b in calls)
    ]


def _asks_thing(doc: Doc, event) -> bool:
    """Whether a call ends on "accept" or "agree to" with an object that is no deal, offer or
    talks: "pressed Jakarta to accept international peacekeepers"."""
    verb = doc[event.end - 1]
    if verb.lower_ not in ("accept", "agree"):
        return False
    lex = lexicon()
    deals = lex.words("DEAL|OFFER|TALKS")
    objects = [c for c in verb.children if c.dep_ in ("dobj", "prep")]
    objects = [
        o if o.dep_ == "dobj" else next((c for c in o.children if c.dep_ == "pobj"), o)
        for o in objects
    ]  # "agree to international peacekeepers": the preposition's object
    return bool(objects) and not any(o.lower_ in deals for o in objects)


def _demanded_refusals(cues: list[Span], rules: dict[str, Rule]) -> list[Span]:
    """Cues without the refusals a demand asks of others: in "demanded that its partners refuse
    to recognize X", the refusal is the demand's content, not the holder's red line."""
    demands = {s.root.i for s in cues if rules[s.label_].label == "demand"}
    return [s for s in cues if rules[s.label_].label != "red_line" or not _asked(s.root, demands)]


def _asked_whether(doc: Doc, cue: Span) -> bool:
    """Whether a cue stands in a clause opened by "whether", a question put, no condition set:
    "a dispute over whether the pact should be legally binding"."""
    verb = sentence.clause_verb(cue.root)
    return any(c.dep_ == "mark" and c.lower_ == "whether" for c in verb.children)


def _with_own_lines(kept: list[Span], cues: list[Span], rules: dict[str, Rule]) -> list[Span]:
    """The cues overlap filtering kept, and the red lines inside a longer demand cue that the
    demander states of itself: in "had insisted it would not negotiate a lower fee and that PSG
    would have to pay", the line is Barcelona's own, and the demand is what comes after
    "that"."""
    demands = [s for s in kept if rules[s.label_].label == "demand"]
    own = [
        s
        for s in cues
        if rules[s.label_].label == "red_line"
        and s not in kept
        and any(d.start < s.start and s.end <= d.end for d in demands)
        and _speaks_for_itself(sentence.clause_verb(s.root))
    ]
    return sorted(kept + own, key=lambda s: s.start)


def _asked(token, demands: set[int]) -> bool:
    """Whether a word is inside what a demand asks, not in a clause beside it: in "wanted good
    relations but would not allow any country to dictate", the refusal is its own; so is one in
    a relative clause with a subject of its own, said of what is asked ("wants a four-day week,
    which the company would never accept"), unlike "a deal that would never allow X"."""
    node = token
    while node.head.i != node.i:
        if node.dep_ == "relcl" and sentence.own_subject(node) is not None:
            return False
        if node.head.i in demands and _speaks_for_itself(node):
            return False  # "had insisted it would not negotiate a lower fee": its own line
        if node.head.i in demands:
            return node.dep_ != "conj"
        node = node.head
    return False


def _speaks_for_itself(clause: Token) -> bool:
    """Whether a clause a demand verb governs has the demander's own pronoun for its subject
    ("insisted it would not X", "insisted that they would never Y"): what it says of itself."""
    subject = sentence.own_subject(clause)
    lex = lexicon()
    pronouns = lex.cue("pronouns_person") | lex.cue("pronouns_group") | {"i"}
    return clause.dep_ == "ccomp" and subject is not None and subject.lower_ in pronouns


_RELATIVE_ROLES = ("nsubj", "nsubjpass", "dobj", "pobj")  # "that" as a relative pronoun


def _relative_that(that: Token) -> bool:
    """Whether "that" is a relative clause's own subject or object ("a demand that made those
    talks collapse"), not the word opening what is asked ("demands ... that it initiate
    reforms", where the clause has a subject of its own). A "that" the parse hangs on a
    relative clause's verb opens no demand either: "a demand that small island states said
    would gut the Paris Agreement" (what they said of it)."""
    noun = that.doc[that.i - 1] if that.i else that
    clause = that.head.head if that.head.dep_ == "ccomp" else that.head  # "said would wreck"
    if that.tag_ != "WDT" and clause.dep_ == "relcl" and clause.head.i == noun.i:
        return noun.lower_ in lexicon().classes["DEMANDN"]
    if that.tag_ != "WDT" or that.dep_ not in ("nsubj", "dobj"):
        return False
    same = ("nsubj", "nsubjpass") if that.dep_ == "nsubj" else ("dobj",)
    return not any(c.dep_ in same and c.i != that.i for c in that.head.children)


def _states_clause(doc: Doc, that: int) -> bool:
    """Whether "that" opens a clause stating what is asked, not a relative clause about it: its
    verb is a bare form ("demands that Israel withdraw", "that the money be paid up front") or
    has an object of its own ("that Kyiv cede territory"); in "the demands that Kyiv rejected"
    the verb's object is the demands."""
    verb = doc[that].head
    if verb.i <= that or doc[that].dep_ in _RELATIVE_ROLES:
        return False  # "that" is the relative clause's own subject or object
    objects = ("dobj", "ccomp", "xcomp")
    bare = verb.tag_ in ("VB", "VBP") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ == "VB" and c.lower_ == "be" for c in verb.children
    )
    return bare or any(c.dep_ in objects for c in verb.children)


def _verb_at(doc: Doc, i: int) -> bool:
    """Whether word ``i`` is a verb, or a headline's verb the tagger took for a noun or an
    adjective ("U.S. finalise tariff deal", "Mexico, US seal tomato deal"): right after a name
    and before a noun phrase, in a sentence with no finite verb ("Russia close to deal" is
    an adjective); or a participle a hyphen joins to a name ("UN-hosted meeting")."""
    token = doc[i]
    if token.pos_ in ("VERB", "AUX"):
        return True
    if token.lower_.endswith("ed") and sentence.hyphen_joined(doc, i):
        return True
    sent = token.sent
    if _headline_plural(doc, i):
        return True
    return (
        token.pos_ in ("NOUN", "ADJ")
        and sent.start < i < sent.end - 1
        and doc[i - 1].pos_ == "PROPN"
        and doc[i + 1].pos_ in ("NOUN", "PROPN", "ADJ", "DET", "NUM")
        and not token.lower_.endswith(("ed", "ing", "s"))
        and not any(t.tag_ in sentence.FINITE_TAGS for t in _own_clause(sent, i))
    )


def _own_clause(sent: Span, i: int) -> Span:
    """A sentence's words up to the first comma or semicolon after word ``i``: the clause a
    headline's verb stands in ("Australia and U.S. clinch free trade deal, but sugar left
    out": not "left")."""
    end = next((t.i for t in sent if t.i > i and t.text in (",", ";")), sent.end)
    return sent.doc[sent.start : end]


def _unstopped(sent: Span) -> bool:
    """Whether a sentence ends without a stop, as a headline does (news copy's sentences end in
    one)."""
    last = sent[-1] if not sent[-1].is_space or len(sent) < 2 else sent[-2]
    return last.text not in (".", "!", "?", '"', "”", "'", "’")


def _headline_plural(doc: Doc, i: int) -> bool:
    """Whether a headline's present-tense verb was tagged a plural noun: "RMT rejects pay
    offer", "Commerzbank rebuffs UniCredit", "Qatar brokers return of ...". Only in a line
    with no closing stop (news copy's sentences end in one), right after a name and before
    the words it governs. A verb after it may be a noun the tagger misread too ("rejects pay
    offer"), but not after an agent noun, which is a plural ("Wall Street brokers strike deal")."""
    token, sent = doc[i], doc[i].sent
    after = doc[i + 1] if i + 1 < sent.end else None
    return (
        token.tag_ == "NNS"
        and _unstopped(sent)
        and sent.start < i
        and after is not None
        and (doc[i - 1].pos_ == "PROPN" or _party_noun(doc[i - 1], token))
        and (
            after.pos_ in ("NOUN", "PROPN", "ADJ", "DET", "NUM")
            or (after.pos_ == "VERB" and not token.lower_.endswith("ers"))
        )
    )


def _party_noun(word, verb) -> bool:
    """Whether a headline's common noun before a verb the tagger took for a plural names a
    party that acts: "after union rejects offer" (not "contract talks resume": talks do not)."""
    return (
        word.pos_ == "NOUN"
        and word.lower_ in _party_nouns()
        and verb.lower_ not in lexicon().classes["TALKS"]
    )


@lru_cache(maxsize=1)
def _party_nouns() -> frozenset[str]:
    lex = lexicon()
    kinds = ("union_names", "union_members", "group_heads", "nonstate_heads", "employer_words")
    return frozenset().union(*(lex.cue(kind) for kind in kinds))


def _headline_at(doc: Doc, start: int) -> bool:
    """Whether the words from ``start`` follow a noun in a sentence whose root is no verb, or
    whose root is the bare verb right after them: a headline's future ("Canada and China to
    hold talks on canola tariffs, but Beijing links relief to EV duties")."""
    if start == 0 or doc[start - 1].pos_ not in ("NOUN", "PROPN"):
        return False
    sent = doc[start].sent
    if sent.root.pos_ not in ("VERB", "AUX"):
        return True
    return sent.root.i == start + 1 and sent.root.tag_ == "VB" and _unstopped(sent)


def _demand_wording(cues: list[Span], rules: dict[str, Rule]) -> list[Span]:
    """Cues without those that only word a demand: in "insisted that any settlement must include
    X", "must include" is how the demand is put, so the demand's text reads on through it."""
    demands = {s.root.i for s in cues if rules[s.label_].label == "demand"}
    return [s for s in cues if not _worded(s, rules[s.label_], demands)]


def _worded(cue: Span, rule: Rule, demands: set[int]) -> bool:
    """Whether a cue only words a demand it stands under; a demand's own verb only as what
    another asks ("urged Britain to insist on X"), not as a clause beside it ("India demanded
    X, while Washington insisted on Y")."""
    if not rule.in_demand:
        return False
    if rule.label != "demand":
        return any(a.i in demands for a in cue.root.ancestors)
    word = cue.root
    while word.dep_ in ("ccomp", "xcomp") and word.head is not word:
        word = word.head
        if word.i in demands:
            return True
    return False


def _demanders_terms(doc: Doc, conditions: list[sentence.ConditionMention]) -> None:
    """A condition inside what a demand asks for is the demander's: in "Hungary demanded that
    its partners refuse to approve the treaty as long as the law stands", Hungary sets it; not
    one after the demand's words ("wants raises and says the company refused to discuss X")."""
    demands = [c for c in conditions if c.label == "demand"]
    for condition in conditions:
        if condition.label == "demand":
            continue
        ancestors = {t.i for t in sentence.clause_verb(doc[condition.start]).ancestors}
        for demand in demands:
            inside = demand.text_start <= condition.start <= demand.text_end  # or cut at its cue
            if inside and doc[demand.start : demand.end].root.i in ancestors:
                condition.holders, condition.speaker = demand.holders, demand.speaker
                break


def _own_object(doc: Doc, rule: Rule, span: Span) -> Span | None:
    """For a rule whose last word must be its verb's own object, the match cut back to the last
    such word ("reject the pay offer, say talks stalled" -> "reject the pay offer"); None if
    there is none ("shunned work to protest at settlement")."""
    if not rule.object_of_verb:
        return span
    last = rule.tokens[-1].get("LOWER", {}).get("IN", ())
    if sentence.missed_verb(rule, doc[span.start]):
        return _first_clause_object(doc, span, last)
    for end in range(span.end, span.start + 1, -1):
        word = doc[end - 1]
        if word.lower_ in last and _object_before_time(word, doc[span.start]):
            return Span(doc, span.start, end, label=span.label)
        if (
            word.lower_ in last
            # the object is the compound's head: "contract talks", "suspend tariff cuts"
            and not (word.dep_ == "compound" and word.head.lower_ not in last)
            and (
                sentence.governs(doc, (span.start, span.start + 1), (end - 1, end))
                and _object_branch(word, doc[span.start], rule)
                or _misread_object(word, doc[span.start])
            )
        ):
            return Span(doc, span.start, end, label=span.label)
    return None


def _object_before_time(word, verb) -> bool:
    """Whether a headline's object was parsed as a modifier of the time after it: "clinch free
    trade deal minutes before deadline" (the deal hung on "minutes", an adverbial of the verb)."""
    time = word.head
    return (
        word.dep_ == "compound"
        and time.dep_ == "npadvmod"
        and time.lower_ in lexicon().words("PERIODS|PERIOD")
        and sentence.governs(word.doc, (verb.i, verb.i + 1), (word.i, word.i + 1))
    )


def _misread_object(word, verb) -> bool:
    """Whether a headline's object noun was parsed as a verb with the name before it as its
    subject: "Warner rejects Paramount bid again", "Sabadell rejects BBVA offer" (a clause of
    its own under the verb, with no object of its own)."""
    return (
        word.dep_ == "ccomp"
        and _unstopped(word.sent)
        and word.head.i == verb.i
        and word.pos_ == "VERB"
        and any(
            c.dep_ == "nsubj" and c.i == word.i - 1 and c.pos_ == "PROPN" for c in word.children
        )
        and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "aux", "neg") for c in word.children)
    )


def _first_clause_object(doc: Doc, span: Span, last: tuple) -> Span | None:
    """A headline's verb the tagger missed has no parse to find its object by: the match cut
    back to its last object word before the next clause ("rebuffs UniCredit again as Orcel
    says he will not bid" holds none: "bid" is another clause's)."""
    lex = lexicon()
    breaks = lex.cue("clause_breaks") | lex.cue("clause_marks")
    end = next((t.i for t in doc[span.start + 1 : span.end] if t.lower_ in breaks), span.end)
    while end > span.start + 1 and doc[end - 1].lower_ not in last:
        end -= 1
    return Span(doc, span.start, end, label=span.label) if end > span.start + 1 else None


def _object_branch(word, verb, rule: Rule) -> bool:
    """Whether ``word`` hangs under ``verb``'s object, not under an adjunct of the verb: "rejected
    calls for talks", not "was rejected in talks" (a preposition the rule names is its own:
    "hosted X for talks")."""
    node = word
    while node.head.i != verb.i and node.head.i != node.i:
        node = node.head
    adjunct = node.dep_ in ("prep", "agent", "advmod", "npadvmod")
    return node.head.i != verb.i or not adjunct or node.lower_ in rule.pattern.split()


ENGAGING = ("propose", "agree", "meet", "schedule", "concede")
CONDITIONAL_MARKS = {"if", "unless", "before", "until", "once", "whether", "till"}
TEMPORAL_MARKS = {"before", "until", "once", "till"}  # a condition, or only when it happened


def _happened(verb) -> bool:
    """Whether a clause under "before" or "until" tells what happened: its verb is in the past
    and the clause it hangs on has no modal ("joined the talks before they were paused"; not
    "would not sign before Armenia changed its constitution")."""
    past = verb.tag_ == "VBD" or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in verb.children
    )
    modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.head.children)
    return past and not modal


def _threat(event, lex) -> bool:
    """A party threatening to halt or refuse talks ("Russia threatened to stop negotiations")."""
    if event.label not in ("breakdown", "reject") or not event.actors:
        return False
    return event.actors[0].text.lower().split()[-1] not in lex.classes["NEGO"]


def _deal_on_terms(doc: Doc, condition: sentence.ConditionMention, lex) -> bool:
    """Whether an "if" clause hangs on a clause about a deal: "the arrangement would become
    void if European powers restored sanctions" sets terms on the deal, with no event of its
    own in the sentence."""
    clause = sentence.clause_verb(doc[condition.start])
    subject = sentence.subject_of(clause.head) if clause.dep_ == "advcl" else None
    return subject is not None and subject.lower_ in lex.classes["DEAL"]


def _answered_demands(conditions: list, events: list) -> list:
    """Without a demand cue that a rejection of its own shape takes as its object: in
    "..., demands Manila rejected outright" the demands are what Manila rejected (however the
    parse reads "demands"), not a demand that Manila reject anything."""
    answered = [e for e in events if e.rule.verb_last]
    return [
        c
        for c in conditions
        if c.label != "demand" or not any(e.start <= c.start < e.end for e in answered)
    ]


def _threat_on_terms(doc: Doc, condition: sentence.ConditionMention, lex) -> bool:
    """Whether an "if" clause sets the terms of a threat: "had warned that it would bring in
    temporary workers if the union did not accept the second offer"."""
    clause = sentence.clause_verb(doc[condition.start])
    subject = sentence.subject_of(clause.head) if clause.dep_ == "advcl" else None
    if subject is not None and subject.lower_ in lex.words("NEGO|TALKS|DEAL"):
        return False  # a warning of what talks may do ("could collapse if ..."), no threat
    return any(a.lower_ in lex.classes["LEVERAGE"] for a in clause.ancestors)


def _offers_on_terms(doc: Doc, events: list, conditions: list) -> list:
    """ "X would meet Y if ..." is an offer on terms: a hypothetical meeting with a precondition
    is a ``propose``, unless the terms are another clause's: the talks are only a relative
    clause's that the terms fall outside ("Trump, who is preparing for his own summit with Kim,
    said sanctions would stay until ..."), or the terms belong to a clause joined to the talks'
    ("the talks would continue and that the AU would refer the dispute ... if there was no
    progress")."""
    terms = [c for c in conditions if c.label == "precondition"]
    if not terms:
        return events
    for event in events:
        root = doc[event.start : event.end].root
        clause = sentence.relative_clause(root)
        if clause is not None and not any(_starts_in(clause, t) for t in terms):
            continue
        verb = sentence.clause_verb(root)
        joined = [v for v in verb.children if v.dep_ == "conj" and v.pos_ == "VERB"]
        if all(any(_starts_in(v, t) for v in joined) for t in terms):
            continue
        if event.label in ("meet", "schedule") and event.modality in ("hypothetical", "planned"):
            # "would not return to the table unless ..." refuses on terms
            event.label = "reject" if event.negated else "propose"
            event.negated = False
            event.modality = "hypothetical" if event.label == "propose" else "asserted"
    return events


def _starts_in(clause, condition) -> bool:
    """Whether a condition's text starts inside a clause (a verb and its subtree)."""
    return clause.left_edge.i <= condition.text_start <= clause.right_edge.i


def _drop_setting(doc: Doc, events: list) -> list:
    """Talks that are only the subject of another event ("Talks between X and Y have stalled"),
    the object of their breakdown ("terminating all trade negotiations with Canada") or the
    content of a deal ("an agreement that will cut tariffs") are no event of their own."""
    # on a shared verb, the other event holds it ("terminating all trade negotiations")
    holders = sorted(events, key=lambda e: e.label != "meet")
    verbs = {sentence.clause_verb(doc[e.start : e.end].root).i: e for e in holders}
    deal_words = lexicon().classes["DEAL"]
    kept = []
    for event in events:
        root = doc[event.start : event.end].root
        other = verbs.get(root.head.i)
        setting = root.dep_ in sentence.SUBJECTS or (
            root.dep_ == "dobj" and other is not None and other.label == "breakdown"
        )
        if event.label == "meet" and other and other is not event and setting:
            continue
        verb = sentence.clause_verb(root)
        if (
            verb.dep_ == "relcl"
            and verb.head.lower_ in deal_words
            and event.label not in ("reject", "mediate")
            and not _side_yields_under(verb)
        ):
            # what a deal does ("a deal that will cut tariffs"), not "which X refused", nor
            # talks a mediator hosted that the parse hung on the clause ("an agreement that
            # could lead to a withdrawal, after a year of talks hosted by Qatar")
            continue
        subject = sentence.subject_of(verb, past_prepositions=False)
        if event.label == "concede" and (
            (subject is not None and subject.lower_ in deal_words)
            or _deal_content(verb, deal_words)
        ):
            continue  # "the pact will cut tariffs", "a deal to cut tariffs": what the deal does
        if event.label == "breakdown" and _concluded(event, verb, events):
            continue
        kept.append(event)
    return kept


def _side_yields_under(verb) -> bool:
    """Whether a deal's clause says what one side yields under it: "an agreement under which
    Pyongyang will freeze its nuclear programme" (a subject of its own after "under which")."""
    subject = sentence.own_subject(verb)
    if subject is None:
        return False
    start = subject.left_edge.i
    before = [t.lower_ for t in verb.doc[max(0, start - 2) : start]]
    return before == ["under", "which"] or before[-1:] == ["whereby"]


def _deal_content(verb, deal_words: frozenset[str]) -> bool:
    """Whether a verb is the infinitive right after a deal: "reach deal to cut tariffs"."""
    to = [c for c in verb.children if c.dep_ == "aux" and c.lower_ == "to"]
    return bool(to) and to[0].i > 0 and verb.doc[to[0].i - 1].lower_ in deal_words


def _concluded(event, verb, events: list) -> bool:
    """Talks ended by a deal, in a participle after it: "under an agreement reached on Friday,
    ending months of negotiations" concludes them, no breakdown (but "rescuing talks that had
    collapsed" keeps the collapse: the participle is not the trigger's)."""
    doc = verb.doc
    after_comma = verb.i > 0 and doc[verb.i - 1].lower_ == ","
    return (
        event.start <= verb.i < event.end
        and verb.tag_ == "VBG"
        and after_comma
        and any(e.label == "agree" and not e.negated and e.start < verb.i for e in events)
    )


def _drop_embedded(doc: Doc, events: list, conditions: list) -> list:
    """Events that are only the content of a rejection or a condition are not events:
    "rejected a plan to hold talks", "unless Baghdad accepted its conditions", "demanded that
    Washington withdraw from the pact", "before it signs any agreement"."""
    clauses = [(c.text_start, c.text_end) for c in conditions if c.rule.text != "before"]
    rejections = [(e.start, e.end) for e in events if e.label == "reject"]
    kept = []
    for event in events:
        span = (event.start, event.end)
        if any(a <= event.start < b for a, b in clauses):
            continue
        tabled_by = sentence.agent_of(list(doc[event.start : event.end]), passive_only=True)
        proposer = event.label == "propose" and tabled_by is not None
        if (
            event.label != "reject"
            and not proposer  # "rejected a text tabled by the co-chairs": they tabled it
            and any(sentence.governs(doc, r, span) for r in rejections)
        ):
            continue
        verb = sentence.event_verb(doc, event.rule, event.start, event.end)
        marks = {c.lower_ for c in verb.children if c.dep_ == "mark"} & CONDITIONAL_MARKS
        if marks and not (marks <= TEMPORAL_MARKS and _happened(verb)):
            continue
        kept.append(event)
    return kept


def _hypothetical(event: sentence.EventMention) -> bool:
    """A talk only offered, urged or refused: "ready to resume negotiations" (a meeting rule's
    match, kept as a ``schedule`` when it stands alone: "so that talks could resume")."""
    return event.modality == "hypothetical" and event.label in ("meet", "schedule")


def _dedupe_events(events: list[sentence.EventMention]) -> list[sentence.EventMention]:
    """After relabelling (a planned ``meet`` is a ``schedule``), one event per label and span."""
    kept: list[sentence.EventMention] = []
    for event in sorted(events, key=lambda e: e.start - e.end):
        if any(
            k.label == event.label and k.start < event.end and event.start < k.end for k in kept
        ):
            continue
        kept.append(event)
    # A talk only offered, urged or refused is that offer or refusal, not a meeting.
    framed = any(
        e.label in ("propose", "reject", "schedule") and e.rule.label != "meet" for e in kept
    )
    kept = [e for e in kept if not (framed and e.rule.label == "meet" and _hypothetical(e))]
    return sorted(kept, key=lambda e: e.start)


@Language.factory("parley_analyze")
def make_analyze(nlp: Language, name: str) -> Analyze:
    return Analyze()
