"""Sentence analysis: one parsed sentence and its rule matches in, event and condition mentions out.

Works on a spaCy ``Doc`` of a single sentence made by the trained pipeline (tagger, parser, NER).
Rule matches say *what* happened (the trigger and its type); the parse says *who* did it to
whom (subject, ``with``-phrase, agent), whether it is negated (a ``neg`` dependent or a cue in
the clause before the trigger), its modality (auxiliaries and cue words) and who reports it (the
subject of a reporting verb the trigger depends on). Mentions keep character offsets relative to
the sentence; resolving them to canonical actors is the caller's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.attrs import LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from transforms.negotiation.rules import CALENDAR, PLACE_PREPOSITIONS, Lexicon, Rule, lexicon

SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")
SPAN_DEPS = {
    "compound",
    "amod",
    "det",
    "poss",
    "nummod",
    "case",
    "conj",
    "cc",
    "quantmod",
    "nmod",
    "punct",
    "prep",
    "pobj",
    "appos",
    "npadvmod",
}
JOINT = ("meet", "agree", "breakdown", "schedule")
PARTY_ENTITIES = ("GPE", "NORP", "ORG", "PERSON", "LOC", "FAC")


@dataclass(frozen=True)
class Role:
    """A span of the sentence that names a party, as character offsets within the sentence."""

    start: int
    end: int
    text: str


@dataclass
class EventMention:
    rule: Rule
    label: str
    start: int  # token offsets of the trigger in the sentence doc
    end: int
    trigger: str
    negated: bool
    modality: str
    actors: list[Role] = field(default_factory=list)  # subject side, may name both parties
    counterparts: list[Role] = field(default_factory=list)
    mediator: Role | None = None
    speaker: Role | None = None
    location: str | None = None
    time_text: str | None = None
    between: bool = False  # the counterparts are the parties "talks between X and Y" names


@dataclass
class ConditionMention:
    rule: Rule
    label: str
    start: int
    end: int
    text: str
    text_start: int = 0  # token range of the requirement's words
    text_end: int = 0
    holders: list[Role] = field(default_factory=list)
    speaker: Role | None = None


def _role(span: Span) -> Role:
    return Role(span.start_char, span.end_char, span.text)


def clause_verb(token: Token) -> Token:
    """The verb (or root) of the clause a token belongs to."""
    current = token
    for _ in range(12):
        if current.pos_ in ("VERB", "AUX") or current.dep_ == "ROOT" or current.head.i == current.i:
            return current
        current = current.head
    return current


def relative_clause(token: Token) -> Token | None:
    """The verb of the relative clause a token stands in ("who is preparing for his own
    summit"), if it stands in one."""
    current = clause_verb(token)
    for _ in range(6):
        if current.dep_ == "relcl":
            return current
        if current.dep_ not in ("xcomp", "conj", "prep", "pcomp", "pobj", "dobj"):
            return None
        current = current.head
    return None


def _reporter(appos: Token) -> bool:
    """Whether a phrase the parse took for an apposition is who reports the sentence: "talks
    with envoy Adam Boehler, Qatar's foreign ministry said" (a reporting verb right after)."""
    doc = appos.doc
    after = appos.right_edge.i + 1
    return after < len(doc) and doc[after].lower_ in lexicon().cue("reporting_verbs")


def _beside(head: Token, appos: Token) -> bool:
    """Whether an apposition follows its head with only punctuation between: "Lavrov, Russia's
    foreign minister"; or comes before it the same way."""
    doc = head.doc
    lo, hi = (
        (head.i + 1, appos.left_edge.i) if appos.i > head.i else (appos.right_edge.i + 1, head.i)
    )
    return all(doc[i].is_punct for i in range(lo, hi))


def noun_phrase(token: Token) -> Span:
    """The compact noun phrase around a head: modifiers, conjuncts, 's-possessors; no clauses."""
    misread = _misread_head(token)
    keep = [token] if misread is None else [token, misread]
    stack = [misread or token]
    while stack:
        head = stack.pop()
        for child in head.children:
            if child.dep_ == "appos" and (not _beside(head, child) or _reporter(child)):
                continue  # "The league has proposed X, a plan ...": a parse's far-off appos
            if child.dep_ in SPAN_DEPS and (
                child.dep_ != "prep"
                or child.lower_ == "of"
                or _home_place(head, child)
                or _speaks_for(head, child)
            ):
                keep.append(child)
                stack.append(child)
    start = min(t.i for t in keep)
    end = max(t.i for t in keep) + 1
    for kept in keep:  # a clause the commas around it took in: "Monte dei Paschi, in which the
        for child in kept.children:  # Italian state holds a stake," is Monte dei Paschi
            if child.dep_ in ("relcl", "acl") and token.i < child.left_edge.i < end:
                end = child.left_edge.i
    doc = token.doc
    end = _name_after(token, end)
    if token.pos_ == "PROPN":
        start, end = _particle_name(doc, start, end)
    while start < end and (doc[start].is_punct or doc[start].lower_ in ("and", "or", "but")):
        start += 1
    while end > start and (
        doc[end - 1].is_punct
        or doc[end - 1].lower_ in ("and", "or", "but")
        or doc[end - 1].lower_ in CALENDAR
    ):
        end -= 1  # "Syrian President Bashar Assad Tuesday": the day is no part of the name
    return doc[start:end]


def _name_after(head: Token, end: int) -> int:
    """Where a common noun's phrase ends when a name follows it that the parse hung elsewhere:
    "the conciliation service Acas" (not "service" then a name of its own)."""
    doc = head.doc
    if not head.is_lower or head.tag_ not in ("NN", "NNS"):
        return end
    while end < len(doc) and doc[end].tag_ == "NNP":
        joined = doc[end - 1].dep_ == "compound" and doc[end - 1].head.i == end  # "Vince Ready"
        if doc[end].dep_ not in ("appos", "compound") and not (end > head.i + 1 and joined):
            break
        if doc[end].head.i in range(head.left_edge.i, end):
            break  # the parse has it inside the phrase already
        end += 1
    return end


def name_particle(token: Token) -> bool:
    """Whether a word is a lower-case particle inside a name ("dei" in "Monte dei Paschi", "von
    der" in "Ursula von der Leyen"), which the small model may read as a noun or a verb."""
    doc = token.doc
    particles = lexicon().cue("name_particles")
    if not (token.is_lower and token.lower_ in particles) or token.i == 0:
        return False
    before = doc[token.i - 1]
    after = next((t for t in doc[token.i + 1 : token.i + 3] if t.lower_ not in particles), None)
    return (before.is_title or before.lower_ in particles) and after is not None and after.is_title


def _particle_name(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A name's phrase widened over the particles the parse broke it at: "Paschi" is "Monte dei
    Paschi", and "Banca Monte dei Paschi" runs on to "di Siena"."""
    while start >= 2 and doc[start].is_title and name_particle(doc[start - 1]):
        while start > 0 and name_particle(doc[start - 1]):
            start -= 1  # "von der"
        while start > 0 and doc[start - 1].is_title and doc[start - 1].tag_ == "NNP":
            start -= 1  # "Banca Monte"
    while end + 1 < len(doc) and name_particle(doc[end]):
        while end < len(doc) and name_particle(doc[end]):
            end += 1
        while end < len(doc) and doc[end].is_title and doc[end].tag_ == "NNP":
            end += 1
    return start, end


def _misread_head(token: Token) -> Token | None:
    """ "Refuse collectors in Birmingham have voted": the small model reads a compound that opens
    a sentence as a verb and its object; the object it found is the phrase's head."""
    after = token.nbor() if token.i + 1 < len(token.doc) else None
    if token.dep_ in ("nsubj", "nsubjpass") and token.tag_ in ("VB", "VBP") and after is not None:
        return after if after.dep_ == "dobj" and after.head == token else None
    return None


def _home_place(head: Token, prep: Token) -> bool:
    """ "Rebels in the Ivory Coast", "workers from Mexico": a group's place is part of its name;
    so is the place of bare "officials in Beirut" (not of "Western diplomats in Kyiv")."""
    if prep.lower_ not in ("in", "from") or not any(
        c.dep_ == "pobj" and c.ent_type_ in ("GPE", "LOC") for c in prep.children
    ):
        return False
    lex = lexicon()
    if head.lower_ in lex.cue("nonstate_heads"):
        return True
    bare = not any(c.dep_ in ("amod", "compound", "nmod", "poss") for c in head.children)
    return bare and head.lower_ in lex.cue("officials_of_place")


def _speaks_for(head: Token, prep: Token) -> bool:
    """Whether a head and its preposition open a phrase naming whom a group speaks for
    (the lexicon's ``group_prefixes``): "Negotiators for ousted President Manuel Zelaya"."""
    return (
        prep.lower_ == "for"  # envoys "from" a place: see _sent_from
        and head.i == prep.i - 1
        and f"{head.lower_} {prep.lower_}" in lexicon().cue("group_prefixes")
    )


def antecedent(pronoun: Token) -> Token:
    """The noun a subject pronoun stands for when its own sentence names it: the nearest noun
    before it of the same number ("a mediator joined the talks in February before they were
    paused": the talks); the pronoun itself otherwise."""
    number = {"they": "NNS", "it": "NN"}.get(pronoun.lower_)
    if number is None:
        return pronoun
    for token in reversed(pronoun.doc[pronoun.sent.start : pronoun.i]):
        if token.tag_ == number:
            return token
    return pronoun


def subject_of(verb: Token, past_prepositions: bool = True) -> Token | None:
    """The subject of a verb, looking up through xcomp/conj/acl chains when it has none.
    Without ``past_prepositions`` the search stops at a preposition: in "said the deal was ...,
    and thanked Germany for agreeing to release him" the agreeing is Germany's, not the deal's
    that a misread conjunction would lend it."""
    climb = ("xcomp", "conj", "acomp", "advcl") + (
        ("pcomp", "prep", "pobj") if past_prepositions else ()
    )
    current = verb
    for _ in range(6):
        own = own_subject(current)
        if own is not None:
            return own
        if current.dep_ in ("relcl", "acl") and current.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return _body_of(current)
        if _own_clause(current):  # "as army rejects it": the clause's noun, not the main one's
            before = [c for c in current.lefts if c.pos_ in ("NOUN", "PROPN")]
            return before[-1] if before and before[-1].dep_ in ("compound", "npadvmod") else None
        if current.dep_ in climb and current.head.i != current.i:
            current = current.head
            continue
        if past_prepositions and _choice_but(current):
            current = current.head  # "had no choice but to accept": the haver accepts
            continue
        return None
    return None


def _choice_but(noun: Token) -> bool:
    """Whether a verb's object is "no choice but" (or option, alternative) to do something."""
    return noun.dep_ == "dobj" and any(c.lower_ == "but" for c in noun.children)


def _body_of(clause: Token) -> Token:
    """The noun a "which" clause stands for: the body of "The Democratic Unionist Party of Ian
    Paisley, which walked out", that the parse hangs the clause from its leader's name; the
    name a description in apposition describes."""
    noun = clause.head
    if noun.dep_ == "appos" and noun.pos_ == "NOUN" and noun.head.pos_ == "PROPN":
        return noun.head  # "the Miyetti Allah Cattle Breeders Association, a herders' group that"
    which = any(c.lower_ == "which" for c in clause.children)
    of = noun.head if noun.dep_ == "pobj" else None
    if which and of is not None and of.lower_ == "of" and of.head.pos_ == "PROPN":
        heads = lexicon().cue("name_of_heads")
        return of.head if of.head.lower_ in heads else noun
    return noun


def own_subject(verb: Token) -> Token | None:
    """A verb's own subject; in a relative clause not the pronoun that stands for the noun the
    clause hangs from ("a deal that would never allow X"), but "the company" of "which the
    company would never accept"."""
    relative_clause = verb.dep_ == "relcl"
    for child in verb.children:
        if child.dep_ in SUBJECTS and not (relative_clause and child.tag_ in ("WP", "WDT")):
            return _misread_pair(child) or child  # of "Sadat and ... Begin", Sadat
    for mark in (c for c in verb.children if c.dep_ == "mark" and c.i < verb.i):
        for child in mark.children:  # "after President Hamid Karzai refused": the parse hung
            if child.dep_ == "pobj" and child.i < verb.i:  # the subject on "after"
                return child
    return None


def _misread_pair(subject: Token) -> Token | None:
    """The first of two names the parse read as a clause of their own, hung under the second
    ("President Anwar Sadat and Prime Minister Menachem Begin signed": "Begin" a verb with
    "Sadat" its subject); None where the subject is no such pair."""
    if subject.pos_ != "PROPN":
        return None
    for child in subject.lefts:
        joined = any(c.dep_ == "cc" and c.lower_ == "and" for c in child.children)
        if child.dep_ == "nsubj" and child.pos_ == "PROPN" and joined:
            return child
    return None


def _misread_partner(first: Token) -> Span | None:
    """The second name of the pair whose first ``own_subject`` gave: the words from the "and"
    to the name the parse took for the subject; or a second subject of the same verb ("Tajik
    President Imomali Rakhmonov and opposition leader Sayid Abdullo Nuri signed", both hung on
    "signed")."""
    second = first.head
    joined = any(c.dep_ == "cc" and c.lower_ == "and" for c in first.children)
    if first.dep_ == "nsubj" and joined and second.pos_ in ("VERB", "AUX"):
        other = [c for c in second.children if c.dep_ == "nsubj" and c.i > first.i]
        return first.doc[other[0].left_edge.i : other[0].i + 1] if other else None
    if first.dep_ != "nsubj" or second.dep_ not in SUBJECTS or _misread_pair(second) != first:
        return None
    joined = next(c for c in first.children if c.dep_ == "cc" and c.lower_ == "and")
    return first.doc[joined.i + 1 : second.i + 1]


# Tags of a finite verb: one with a tense (or a modal) of its own.
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _own_clause(verb: Token) -> bool:
    """Whether a verb is the finite verb of a clause a conjunction opens ("as the army rejects
    it"), which has a subject of its own, found or not."""
    return (
        verb.dep_ == "advcl"
        and verb.tag_ in FINITE_TAGS
        and any(c.dep_ == "mark" for c in verb.children)
    )


def resumes_talks(doc: Doc, span: Span, lex: Lexicon) -> bool:
    """Whether what a resume-verb in the match resumes is talks: "will resume talks", "talks
    will reopen", "the negotiators will reconvene"; not "will reopen its east wing", "will
    resume production", "schools will reopen". True for matches without such a verb."""
    talk_words = lex.classes["NEGO"] | lex.classes["TALKS"]
    for token in span:
        if token.lower_ not in lex.classes["RESUMEV"]:
            continue
        objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
        if objects:  # "restart the peace process": a talk word compounded counts
            return any(
                o.lower_ in talk_words
                or any(c.dep_ == "compound" and c.lower_ in talk_words for c in o.children)
                for o in objects
            )
        subject = subject_of(token)
        if subject is not None and (
            subject.lower_ in talk_words or subject.lower_ in lex.cue("group_heads")
        ):
            return True
        if subject is not None and subject.pos_ == "NOUN":
            return False  # "schools will reopen", in a sentence that also names an agreement
        return any(t.lower_ in talk_words for t in doc)
    return True


def _dyads(lex: Lexicon) -> frozenset[str]:
    """Phrases naming both sides ("both leaders", "two sides"), without a leading "the"."""
    return frozenset(w.removeprefix("the ") for w in lex.cue("dyad_words"))


def is_joint(subject: Token | None, lex: Lexicon) -> bool:
    """Whether a subject names both sides: "Australia and Turkey", "the two sides", "the
    leaders of the Greek Cypriot and Turkish Cypriot communities"."""
    if subject is None:
        return False
    if _of_and_name(noun_phrase(subject)):
        return False  # "The Alliance of Motion Picture and Television Producers": one body
    whose = _prep_objects([subject], ("of",)) if subject.lower_ in lex.cue("group_heads") else []
    return any(map(_coordinated, [subject, *whose])) or (
        noun_phrase(subject).text.lower().removeprefix("the ") in _dyads(lex)
    )


def _of_and_name(phrase: Span) -> bool:
    """Whether a capitalised phrase joins two words with "and" after its "of" or "for", as one
    body's name does: "Alliance of Motion Picture and Television Producers", "Forces of
    Freedom and Change" (not "the presidents of Russia and Ukraine", lower case before "of")."""
    words = [t.text for t in phrase if t.lower_ != "the"]
    if "and" not in words:
        return False
    joins = [k for k, w in enumerate(words) if w in ("of", "for")]
    return (
        bool(joins)
        and 0 < joins[0] < words.index("and")
        and all(w[:1].isupper() for w in words if w not in ("of", "for", "and"))
    )


def _coordinated(noun: Token) -> bool:
    """Whether a noun, or a modifier before it, joins two with "and": "Russia and Ukraine",
    "Greek Cypriot and Turkish Cypriot communities"."""
    before = (t for left in noun.lefts for t in left.subtree)
    return any(c.dep_ == "conj" for c in noun.children) or any(t.dep_ == "conj" for t in before)


_STATES_WORDS = frozenset({"countries", "nations", "states", "governments"})


def _sent_from(subject: Token, lex: Lexicon) -> Span | None:
    """Whom envoys "from X" speak for: the object of "from" after a group noun whose words
    begin with a capital ("Negotiators from Russia and Ukraine"; not "workers from the plant"),
    or the states they come from ("Negotiators from more than 190 countries": countries)."""
    if subject.lower_ not in lex.cue("group_heads"):
        return None
    objects = _prep_objects([subject], ("from",))
    named = [o for o in objects if o.text[:1].isupper() or o.lower_ in _STATES_WORDS]
    return noun_phrase(named[0]) if named else None


def misattached_talks(verb: Token, lex: Lexicon) -> Token | None:
    """ "Talks between the club and its striker over a contract extension ended": the small
    model hangs "ended" on "extension" as a reduced relative. Past the nearest noun, the talks
    the phrase hangs from are the subject (talks before any other negotiation word: in
    "Negotiations for a ceasefire and the release of hostages stalled", the negotiations)."""
    if verb.dep_ != "acl" or verb.head.lower_ in lex.classes["NEGO"]:
        return None
    above = list(verb.head.ancestors)
    return next((a for a in above if a.lower_ in lex.classes["TALKS"]), None) or next(
        (a for a in above if a.lower_ in lex.classes["NEGO"]), None
    )


def _blamed_object(verb: Token) -> Token | None:
    """The object of "accuse/criticize/blame X for/of doing" when ``verb`` is the doing."""
    prep = verb.head
    if verb.dep_ != "pcomp" or prep.lower_ not in ("for", "of") or prep.dep_ != "prep":
        return None
    if prep.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return prep.head  # "criticized Ukraine's leadership for abandoning"
    return next((c for c in prep.head.children if c.dep_ == "dobj"), None)


def _mediator_noun(span: Span, lex: Lexicon) -> Role | None:
    """The mediators a trigger names as a noun: "federal mediators", "a government mediator"."""
    for token in span:
        if token.lower_ in lex.cue("mediator_people"):
            phrase = noun_phrase(token)
            words = [t for t in phrase if t.dep_ != "det"]
            return Role(
                words[0].idx - span.doc[0].idx, phrase.end_char, " ".join(t.text for t in words)
            )
    return None


def _mediation_owner(span: Span, lex: Lexicon) -> Role | None:
    """The party a mediation noun names as its own: "Qatar mediation", "Egyptian mediation"
    (a capitalised modifier of the noun)."""
    for token in span:
        if token.lower_ not in lex.cue("mediation_nouns"):
            continue  # "mediation", not "Federal mediators" (people, named as written)
        owners = [c for c in token.lefts if c.dep_ in ("compound", "amod") and c.text[:1].isupper()]
        whose = _prep_objects([token], ("of",))
        if not owners and whose:  # "under the auspices of the United Nations"
            return _role(noun_phrase(whose[0]))
        if owners:
            return _role(span.doc[owners[0].left_edge.i : owners[-1].i + 1])
    return None


def _acting_as(span: Span, lex: Lexicon) -> Role | None:
    """Who acts or serves as the mediator a trigger names: "with the International Committee
    of the Red Cross acting as a go-between", "Norway, which served as facilitator"."""
    noun = span.root
    preposition = noun.head
    verb = preposition.head
    if noun.dep_ != "pobj" or preposition.lower_ != "as":
        return None
    if verb.lower_ not in lex.cue("acting_verbs"):
        return None
    subject = subject_of(verb)
    return _role(noun_phrase(subject)) if subject is not None else None


def _channel(span: Span) -> Role | None:
    """The party a message goes through: "messages were exchanged through Oman"."""
    last = span[-1]
    if len(span) > 1 and last.pos_ == "PROPN" and span[-2].lower_ in ("through", "via"):
        return _role(noun_phrase(last))
    return None


def _under_whom(span: Span) -> Role | None:
    """The party a deal was negotiated under: "negotiated under Algerian President Abdelaziz
    Bouteflika" (the object of the match's "under")."""
    found = _prep_objects(span, ("under",))
    return _role(noun_phrase(found[0])) if found else None


def _helper(span: Span) -> Role | None:
    """The party whose help a deal was reached with: "a deal reached with the help of
    Palestine Liberation Organization envoys" (the object of the match's last "of")."""
    if len(span) > 2 and span[-1].lower_ == "of" and span[-2].lower_ in lexicon().cue("help_nouns"):
        found = _prep_objects([span[-2]], ("of",))
        return _role(noun_phrase(found[0])) if found else None
    return None


def hyphen_joined(doc: Doc, i: int) -> bool:
    """Whether a hyphen joins word ``i`` to a name before it: "U.S.-brokered", "UN-hosted"."""
    return i >= 2 and doc[i - 1].text == "-" and doc[i - 2].text[:1].isupper()


def _hyphen_broker(doc: Doc, start: int) -> Role | None:
    """The party a hyphen joins to the trigger: "U.S.-brokered talks", "Turkish-hosted talks";
    with the words of its name before it, "African Union-led talks" (a trigger may open on the
    hyphen itself)."""
    if doc[start].text == "-":
        start += 1
    if not hyphen_joined(doc, start):
        return None
    first = start - 2
    while first > 0 and doc[first - 1].is_title and doc[first - 1].head.i == first:
        first -= 1  # "African" of "African Union"
    return _role(doc[first : start - 1])


def _owners(noun: Token) -> list[Role]:
    """Parties named as a noun's possessor or adjective: "Qatar's", "South Korean"."""
    owners = []
    for child in noun.children:
        acronym = len(child.text) > 1 and child.text.isupper()  # "the COP summit", "UN talks"
        named = child.dep_ == "poss" or acronym or child.ent_type_ in PARTY_ENTITIES
        if (
            child.dep_ in ("poss", "amod", "compound", "nmod")
            and named
            and child.text[:1].isupper()
        ):
            owners.append(_role(noun_phrase(child)))
    return owners


def _prep_objects(tokens, preps: tuple[str, ...]) -> list[Token]:
    """Objects of the given prepositions hanging off any of ``tokens``."""
    return [
        obj
        for token in tokens
        for prep in token.children
        if prep.dep_ == "prep" and prep.lower_ in preps
        for obj in prep.children
        if obj.dep_ == "pobj"
    ]


def _short_of(role: Role, cut: int) -> Role:
    """A role that names a party before the character ``cut`` and runs over it, ended there:
    "Brightmere" of "Brightmere collapse"."""
    text = role.text[: cut - role.start].rstrip(" ,")
    if role.start < cut < role.end and any(w[:1].isupper() for w in text.split()):
        return Role(role.start, role.start + len(text), text)
    return role


def _with_objects(tokens: list[Token]) -> list[Token]:
    """The other sides of "talks with X", "between X and Y"; not the means of "with the help of
    two mediators" (the lexicon's ``with_means``)."""
    means = lexicon().cue("with_means")
    return [
        obj
        for obj in _prep_objects(tokens, ("with", "between", "alongside"))
        if obj.lower_ not in means
    ]


def missed_verb(rule: Rule, token: Token) -> bool:
    """Whether a rule that opens on a verb matched a word the parse did not take for one: a
    headline's "finalise" read as an adjective, or "reach" in "British Airways and Unite reach
    deal to end dispute" read as a modifier of the noun after it. Its parse has no object or
    subject to go by."""
    as_modifier = token.dep_ == "compound" and token.head.i > token.i
    return rule.verb_start and (token.pos_ not in ("VERB", "AUX") or as_modifier)


def _words_before(doc: Doc, start: int) -> Span | None:
    """A headline's words before its verb, where they are a noun phrase with no verb of its
    own: the subject a parse that missed the verb could not give. After a clause's opening
    word, the words after it ("Workers to strike after RMT rejects pay offer": "RMT")."""
    first = doc[start].sent.start
    marks = lexicon().cue("clause_marks")
    first = max([first] + [t.i + 1 for t in doc[first:start] if t.lower_ in marks])
    words = doc[first:start]
    if not words or words[-1].pos_ not in ("NOUN", "PROPN"):
        return None
    if any(t.pos_ in ("VERB", "AUX") or t.is_punct for t in words):
        return None
    return words


def _author(subject: Token, lex: Lexicon) -> Span | None:
    """Who wrote a text that is a clause's subject, as an aside says: "The draft, published by
    the Brazilian presidency, proposes ..." is the presidency's proposal."""
    if subject.lower_ not in lex.words("OFFER|TEXTS"):
        return None
    written = [c for c in subject.children if c.dep_ == "acl" and c.tag_ == "VBN"]
    return agent_of(written, passive_only=True) if written else None


def agent_of(tokens: list[Token], passive_only: bool = False) -> Span | None:
    """The "by" phrase of a trigger: "mediated by Qatar"; with ``passive_only``, only the agent
    of a passive participle ("proposed by X", "rejected by X")."""
    for token in tokens:
        if passive_only and token.tag_ != "VBN":
            continue
        for child in token.children:
            by = not passive_only and child.dep_ == "prep" and child.lower_ == "by"
            if child.dep_ == "agent" or by:
                for obj in child.children:
                    if obj.dep_ == "pobj" and not _a_time(obj):  # not "give up power by Oct. 15"
                        return _principal(token) or _principal(obj) or noun_phrase(obj)
    return None


def _a_time(word: Token) -> bool:
    """Whether a word names a time ("Oct. 15", "Friday", "the end of the year")."""
    return word.ent_type_ in TIMES or word.lower_ in lexicon().words("MONTH|WEEKDAY|DAYWORD|PERIOD")


def _principal(word: Token) -> Span | None:
    """Whom an agent acts for, where the text says so: "mediated by former Nigerian leader
    Abdulsalami Abubakar on behalf of the Economic Community of West African States"."""
    for prep in word.children:
        if prep.dep_ != "prep" or prep.lower_ != "on":
            continue
        for behalf in (c for c in prep.children if c.lower_ == "behalf"):
            for of in (c for c in behalf.children if c.dep_ == "prep" and c.lower_ == "of"):
                obj = next((c for c in of.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    return noun_phrase(obj)
    return None


def _bought_by(by: Token, lex: Lexicon) -> bool:
    """Whether a "by" names a buyer: "takeover by InBev", wherever the parse hangs the "by" (on
    the takeover, or on the verb before it)."""
    nouns = lex.cue("bought_by_nouns")
    return by.head.lower_ in nouns or (by.i > 0 and by.doc[by.i - 1].lower_ in nouns)


def _window_before(doc: Doc, start: int, size: int, breaks: frozenset[str]) -> list[Token]:
    """Up to ``size`` words before ``start``, back to a clause break: one of ``breaks``, or a
    conjunction that opens a time clause ("will not disarm as mediators push for talks")."""
    marks = lexicon().cue("clause_marks")
    tokens = []
    i = start - 1
    while i >= 0 and len(tokens) < size:
        if doc[i].lower_ in breaks or (doc[i].dep_ == "mark" and doc[i].lower_ in marks):
            break
        tokens.append(doc[i])
        i -= 1
    return tokens


def is_negated(doc: Doc, start: int, end: int, lex: Lexicon, rule: Rule | None = None) -> bool:
    """A negation cue just before the match, or a "not" on its verb: before the match, or
    inside it where a gap took it ("will not negotiate"), unless the rule spells out the
    negation itself ("not meet demands" is a rejection, not a negated one)."""
    if rule is not None and rule.negated:
        return True
    cues = lex.cue("negation")
    window = _window_before(
        doc, start, lex.numbers.get("negation_window", 4), lex.cue("clause_breaks")
    )
    if any(t.lower_ in cues for t in window):
        return True
    if any(t.lower_ == "yet" and t.nbor().lower_ == "to" for t in window):
        return True  # "the two sides have yet to agree": not so far
    spelled = rule is not None and _spells_negation(rule, cues)
    limit = start if spelled or rule is None else end
    if any(t.dep_ == "det" and t.lower_ == "no" for t in doc[start:limit]):
        return True  # "had held no direct talks with the group"
    verb = clause_verb(doc[start:end].root)
    if any(c.dep_ == "neg" and c.i < limit for c in verb.children):
        return True
    if any(_denied_subject(c, cues) for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
        return True  # "none of the signatories has agreed to a ceasefire"
    near = lex.cue("near_misses")  # "talks nearly broke down": they did not
    if any(c.dep_ == "advmod" and c.lower_ in near and c.i < limit for c in verb.children):
        return True
    # "denied that it was holding talks": the clause a denial governs
    return verb.dep_ in ("ccomp", "xcomp") and verb.head.lower_ in lex.cue("denial_verbs")


def _spells_negation(rule: Rule, cues: frozenset[str]) -> bool:
    """Whether a rule's pattern requires a negation word ("not meet demands"); one it only
    allows ("was not in talks", an optional word) leaves the negation to the sentence."""
    required = (e for e in rule.pattern.split() if not e.endswith("?") and not e.startswith("!"))
    return any(not cues.isdisjoint(e.split("|")) for e in required)


def _denied_subject(subject: Token, cues: frozenset[str]) -> bool:
    """Whether a clause's subject denies it: "none of the signatories", "no party", "neither
    side"."""
    return subject.lower_ in cues or any(
        c.dep_ == "det" and c.lower_ in cues for c in subject.children
    )


IF_MARKS = ("if", "unless")  # words that open a clause an event hangs on


def _if_clause(verb: Token) -> bool:
    """Whether a verb governs a clause opened by "if" or "unless"."""
    return any(opens_with_if(c) for c in verb.children)


def opens_with_if(verb: Token) -> bool:
    """Whether a verb heads a clause opened by "if" or "unless"."""
    return verb.dep_ == "advcl" and any(
        m.dep_ == "mark" and m.lower_ in IF_MARKS for m in verb.children
    )


def _if_after(doc: Doc, end: int, lex: Lexicon) -> bool:
    """Whether "if" or "unless" (or another opener of a condition, the lexicon's
    ``condition_openers``: "as long as", "provided") follows a match within a few words of its
    own clause, where the parse hung the condition elsewhere ("will agree to a ceasefire only
    if Ukraine withdraws from the parts it still holds": under "holds")."""
    breaks = lex.cue("clause_breaks")
    openers = [opener.split() for opener in lex.cue("condition_openers")]
    for token in doc[end : end + 5]:
        if token.lower_ in IF_MARKS:
            return True
        after = [t.lower_ for t in doc[token.i : token.i + 4]]
        if any(after[: len(words)] == words for words in openers):
            return True
        if token.lower_ in breaks or token.is_punct or token.is_space:
            return False
    return False


def modality_of(doc: Doc, start: int, end: int, rule: Rule, lex: Lexicon) -> str:
    if rule.modality:
        return rule.modality
    root = doc[start:end].root
    relative = [t for t in doc[start:end] if t.dep_ == "relcl" and t.pos_ in ("VERB", "AUX")]
    if relative:  # "could try to revive talks with X, which collapsed last month"
        return _relative_modality(relative[-1], lex)
    verb = clause_verb(root)
    if root.pos_ in ("NOUN", "PROPN") and root.dep_ == "pobj":
        verb = root  # "after two days of talks": the verb's tense is not the talks'
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass", "mark", "advmod")}
    before = _window_before(doc, start, 6, lex.cue("clause_breaks") - {"and"})
    window = {t.lower_ for t in _own_clause_words(before) if not _others_auxiliary(t, verb)}
    hypothetical = lex.cue("hypothetical")
    cues = auxes | window
    conditional = cues & (hypothetical - {"would"})
    if cues & {"would", "'d"} and (_if_clause(verb) or "only" in auxes or _if_after(doc, end, lex)):
        # "said it would walk away if fewer than half accepted", "would only agree to a deal"
        return "hypothetical"
    if rule.label == "propose" and _if_clause(verb) and verb.lower_ not in lex.classes["PROPOSEV"]:
        # "was willing to discuss X if owners dropped the cap": on terms; but an offer made on
        # terms was made ("had offered the bandits an amnesty if they laid down their arms")
        return "hypothetical"
    if cues & {"will", "'ll", "shall"} and (_if_clause(verb) or _if_after(doc, end, lex)):
        return "hypothetical"  # "will agree to a ceasefire only if Ukraine withdraws"
    if cues & {"would", "'d"} and not conditional and _reported(verb, lex):
        return "planned"  # "said the two sides would meet again": the future in the past
    if auxes & hypothetical or window & hypothetical:
        return "hypothetical"
    if auxes & {"will", "'ll", "shall"} or window & {"will", "'ll", "shall"}:
        return "planned"
    first = verb
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head  # "agreed to press ahead and to hold talks": what "agreed" governs
    head = first.head
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if infinitive and head.lower_ in lex.cue("planned_words_need_to"):
        return "planned"
    if infinitive and rule.label in ("meet", "schedule") and _future_purpose(first, lex):
        return "planned"  # "said he would send his negotiators to Cuba on Monday to meet"
    if infinitive and rule.label == "meet" and _past_purpose(first, lex):
        return "asserted"  # "who flew to Belfast on Monday to join the talks"
    if infinitive and rule.label in ("meet", "schedule"):
        return "hypothetical"  # "an offer to hold talks", "urged them to meet"
    if window & (lex.cue("planned") - {"to"}):
        return "planned"
    return "asserted"


def _future_purpose(verb: Token, lex: Lexicon) -> bool:
    """Whether a meeting is the purpose of a journey told as the future: "will send envoys to
    meet", "said he would fly to Doha to meet" (a "would" of reported speech); not a plain
    "would" ("would send envoys to meet them if ..."). The lexicon's ``travel_verbs`` hold the
    past forms too, for ``_past_purpose``; no future has them."""
    head = _journey(verb, lex)
    if head is None:
        return False
    auxes = {c.lower_ for c in head.children if c.dep_ == "aux"}
    if auxes & {"will", "'ll", "shall"}:
        return True
    return bool(auxes & {"would", "'d"}) and not _if_clause(head) and _reported(head, lex)


def _past_purpose(verb: Token, lex: Lexicon) -> bool:
    """Whether a meeting is the purpose of a journey told in the past tense: "flew to Belfast
    on Monday to join the talks" (the journey made, the talks joined)."""
    head = _journey(verb, lex)
    return (
        head is not None and head.tag_ == "VBD" and not any(c.dep_ == "aux" for c in head.children)
    )


def _journey(verb: Token, lex: Lexicon) -> Token | None:
    """The journey a verb is the purpose of ("fly to Doha to meet"), if it is one."""
    head = verb.head
    if verb.dep_ not in ("advcl", "xcomp") or head.lower_ not in lex.cue("travel_verbs"):
        return None
    return head


def _relative_modality(verb: Token, lex: Lexicon) -> str:
    """A relative clause inside a match states its event with its own auxiliaries, whatever
    the clause around it hopes for: "which collapsed last month" happened."""
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxes & lex.cue("hypothetical"):
        return "hypothetical"
    return "planned" if auxes & {"will", "'ll", "shall"} else "asserted"


def _own_clause_words(window: list[Token]) -> list[Token]:
    """The words of a window (read backwards from a match) up to an "and" that opens a finite
    verb of its own: in "invited them to a meeting next week and was open to adjusting", the
    "next week" is the meeting's, not the openness's."""
    for k, token in enumerate(window):
        if token.lower_ == "and" and k and window[k - 1].tag_ in FINITE_TAGS:
            return window[:k]
    return window


def _others_auxiliary(token: Token, verb: Token) -> bool:
    """Whether a word is the auxiliary of a verb outside the event's clause: the "could" of
    "handed over all the bodies it could reach and was ready to discuss ..." (a finite verb
    joined by "and" has its own tense, whatever the parse hangs it under)."""
    if token.dep_ not in ("aux", "auxpass") or token.head.i == verb.i:
        return False
    node = verb
    while node.head.i != node.i:
        if node.dep_ == "conj" and node.tag_ in FINITE_TAGS:
            return True
        node = node.head
        if node.i == token.head.i:
            return False
    return True


def _reporting_verbs(token: Token, lex: Lexicon) -> list[Token]:
    """The reporting verbs a token hangs under, nearest first ("said", "told", "saying")."""
    verbs = lex.cue("reporting_verbs")
    return [a for a in token.ancestors if a.lower_ in verbs]


def _reported(verb: Token, lex: Lexicon) -> bool:
    return bool(_reporting_verbs(verb, lex))


def speaker_of(doc: Doc, token: Token, lex: Lexicon) -> Span | None:
    """Subject of a reporting verb that governs ``token`` ("Lavrov said that ..."), if any."""
    for ancestor in _reporting_verbs(token, lex):
        subject = _nearest_subject(ancestor)
        own = ancestor.dep_ == "advcl" and ancestor.lower_ in lex.cue("own_words")
        if subject is None and own and ancestor.head.dep_ == "ROOT":
            # "X stayed away, saying it would ...": X's own words; not "claiming it rejected"
            subject = _nearest_subject(ancestor.head)
        if subject is None and ancestor.dep_ == "conj":
            subject = _nearest_subject(ancestor.head)  # "EU offers X but says Y": the EU's words
        if subject is not None:
            return noun_phrase(subject)
    words = doc.to_array(LOWER).tolist()  # string hashes, without making a Token per word
    for i in range(len(words) - 2):
        if words[i] == _ACCORDING and words[i + 1] == _TO:
            return noun_phrase(doc[i + 2]) if doc[i + 2].pos_ != "PROPN" else _propn_run(doc, i + 2)
    # A reporting verb after a quote or a comma: "... ,” he said.", "..., the minister said."
    # (the parse often leaves it separate); not "as long as Washington insists that ..."
    verbs = _hashes(lex.cue("reporting_verbs"))
    for i in range(token.i + 1, len(words)):
        if words[i] in verbs:
            subject = _nearest_subject(doc[i])
            if subject is None or subject.i <= token.i:
                continue
            opening = min(i, noun_phrase(subject).start) - 1
            if doc[opening].text in (",", "”", '"', "’", "'"):
                return noun_phrase(subject)
    return None


_ACCORDING, _TO = get_string_id("according"), get_string_id("to")


@lru_cache(maxsize=8)
def _hashes(words: frozenset[str]) -> frozenset[int]:
    return frozenset(map(get_string_id, words))


def _nearest_subject(verb: Token) -> Token | None:
    """The verb's subject; of two (a misparse), the one closest to the verb."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return min(subjects, key=lambda c: abs(c.i - verb.i)) if subjects else None


def _propn_run(doc: Doc, i: int) -> Span:
    j = i
    while j < len(doc) and doc[j].pos_ in ("PROPN", "ADJ", "NOUN") and not doc[j].is_punct:
        j += 1
    return doc[i : max(j, i + 1)]


def _attached_entity(doc: Doc, tokens: list[Token], labels: tuple[str, ...]) -> Span | None:
    """An entity hanging off the trigger or its verb: directly, or through one preposition."""
    heads = {t.i for t in tokens}
    for ent in doc.ents:
        if ent.label_ not in labels:
            continue
        node = ent.root
        if node.head.i in heads and node.dep_ in ("npadvmod", "tmod", "advmod", "nmod"):
            return ent
        prep = node.head
        attached = node.dep_ == "pobj" and prep.dep_ == "prep" and prep.head.i in heads
        if attached and (labels[0] != "GPE" or prep.lower_ in PLACE_PREPOSITIONS):
            return ent
    return None


PLACES = ("GPE", "LOC", "FAC")
TIMES = ("DATE", "TIME")


def _report_time(token: Token, lex: Lexicon) -> Span | None:
    """When an event has no time of its own, the time it was reported: "rebel leaders said on
    Wednesday they would meet the mediator", "was quoted today as saying he would host talks"."""
    for ancestor in _reporting_verbs(token, lex):
        when = _attached_entity(token.doc, [ancestor], TIMES)
        if when is not None:
            return when
    return None


# Links from a noun to its head that keep it among the trigger's own arguments.
_ARGUMENT_LINKS = ("dobj", "pobj", "appos", "conj", "attr")


def _place_under(doc: Doc, anchors: list[Token], hops: int = 4) -> Span | None:
    """A place in an "in" or "at" phrase the parser hung on one of the trigger's own arguments
    rather than on the trigger: "held talks with President Suleiman in Beirut", "refused to meet
    King Abdullah in Tel Aviv", "to attend a summit in Switzerland". Not a place that belongs to
    the subject ("Officials in Kabul said ...") or to another clause."""
    heads = {t.i for t in anchors}
    for ent in doc.ents:
        prep = ent.root.head
        if (
            ent.label_ not in PLACES
            or ent.root.dep_ != "pobj"
            or prep.lower_ not in PLACE_PREPOSITIONS
        ):
            continue
        node = prep.head
        for _ in range(hops):
            if node.i in heads:
                return ent
            argument = node.pos_ in ("NOUN", "PROPN") and node.dep_ in _ARGUMENT_LINKS
            if not (argument or (node.pos_ == "ADP" and node.dep_ == "prep")):
                break
            node = node.head
    return None


def _from_phrases(tokens: list[Token]) -> list[Span]:
    """Whose offer, approach or demands: "an offer from Kraft Heinz" (names, not places)."""
    nouns = [t for t in dict.fromkeys(tokens) if t.pos_ == "NOUN"]
    return [noun_phrase(o) for o in _prep_objects(nouns, ("from",)) if o.pos_ == "PROPN"]


def _talks_after(tokens: list[Token], lex: Lexicon) -> list[Token]:
    """Talk nouns hanging off the trigger through a preposition or "following": "after talks",
    "following talks", "at talks"."""
    talks = lex.classes["TALKS"]
    return [
        obj
        for token in tokens
        for link in token.children
        if link.dep_ == "prep" or (link.dep_ in ("acl", "advcl") and link.lower_ == "following")
        for obj in link.children
        if obj.dep_ in ("pobj", "dobj") and obj.lower_ in talks
    ]


def _with_preposition(doc: Doc, ent: Span) -> str:
    prev = doc[ent.start - 1] if ent.start > 0 else None
    if prev is not None and prev.lower_ in ("in", "on", "at", "since", "by", "until", "from"):
        return doc[prev.i : ent.end].text
    return ent.text


# Parts of speech of words that open a sentence's scene ("In London,", "However,", "On Monday,").
NOT_NAME_TAGS = frozenset({"ADP", "ADV", "SCONJ", "CCONJ", "DET", "PRON", "AUX", "VERB", "PART"})


def _may_name(token: Token) -> bool:
    """A capitalised word that can be part of a name: not the "In" of "In London, Arsenal"."""
    capital = token.is_title or token.is_upper
    return capital and token.is_alpha and token.pos_ not in NOT_NAME_TAGS


def listed_before(doc: Doc, phrase: Span) -> list[Span]:
    """The names a headline lists before a phrase, commas for "and": "Iran" in "Iran, European
    powers to hold talks", "US" in "US, China trade negotiators to meet". Only where the
    sentence opens with the list and nothing but capitalised names comes before the phrase."""
    if phrase.start < 2 or doc[phrase.start - 1].text != ",":
        return []
    names, start = [], 0
    for i in range(phrase.start):
        if doc[i].text == ",":
            if i == start:
                return []
            names.append(doc[start:i])
            start = i + 1
        elif not _may_name(doc[i]):
            return []
    return names


def event_verb(doc: Doc, rule: Rule, start: int, end: int) -> Token:
    """The verb of the clause a match reports: its root's, or its last word's for a rule that
    names the object first ("a demand Kyiv has rejected")."""
    return clause_verb(doc[end - 1] if rule.verb_last else doc[start:end].root)


def directed(verb: Token, lex: Lexicon) -> bool:
    """ "had instructed the American delegation to show more flexibility", "told its negotiators
    to accept": what a side is told to do, not what it did."""
    head = verb.head
    return (
        verb.dep_ == "xcomp"
        and head.i != verb.i
        and head.lower_ in lex.cue("directive_verbs")
        and any(c.dep_ == "dobj" for c in head.children)
    )


def nonhuman_doer(verb: Token, lex: Lexicon) -> bool:
    """ "scout bees propose new nest sites", "robots that reach agreement": animals and machines
    are no parties to a negotiation."""
    subject = subject_of(verb)
    if subject is None and verb.dep_ == "relcl":
        subject = verb.head  # the noun the relative clause hangs from
    return subject is not None and subject.lower_ in lex.cue("nonhuman_agents")


def lecture(span: Span, lex: Lexicon) -> bool:
    """Whether the talks a match names are lectures: "will present the findings at talks in
    Washington", "gave a talk at" (what is presented at talks is no negotiation)."""
    talks = lex.classes["TALKS"] | {"talk"}
    return any(
        t.lower_ in talks
        and t.dep_ == "pobj"
        and t.head.lower_ in ("at", "during")
        and t.head.head.lower_ in lex.cue("presenting_verbs")
        for t in span
    )


def has_obligation(verb: Token, lex: Lexicon) -> bool:
    """ "must agree", "should reach a deal", "needs to sign": a requirement, not an event."""
    if any(c.dep_ == "aux" and c.lower_ in lex.cue("obligation") for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and head.lower_ in ("need", "needs", "needed") and head.i != verb.i


# Prepositions that set a trigger's circumstances, not its object: what they hold is no content
# of the trigger.
CIRCUMSTANCES = frozenset({"as", "amid", "after", "despite", "during", "while", "since"})


def _possessed_participle(verb: Token) -> bool:
    """Whether a clause's verb is an adjective read as one, its "subject" a possessive: in
    "rejected Broadcom's raised offer", "raised" describes the offer, and nothing is said."""
    return verb.dep_ == "ccomp" and any(
        c.dep_ == "nsubj" and any(g.dep_ == "case" and g.lower_ in ("'s", "’s") for g in c.children)
        for c in verb.children
    )


def governs(doc: Doc, outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    """Whether the trigger ``outer`` has ``inner`` inside its object ("rejected a plan to meet"),
    not merely in a clause joined to it ("did not walk away and was ready to meet")."""
    root = doc[outer[0] : outer[1]].root.i
    node = doc[inner[0] : inner[1]].root
    if node.i == root:
        return False
    while node.i != root and node.head.i != node.i:
        if node.dep_ in ("conj", "advcl", "ccomp", "parataxis") and not (
            name_particle(node) or _possessed_participle(node)
        ):
            return False  # ("rejects Monte dei Paschi's offer": "dei" read as a clause's verb)
        if node.dep_ == "prep" and node.head.i == root and node.lower_ in CIRCUMSTANCES:
            return False  # "rejects demands as peace talks stall", "stall" parsed as a noun
        if node.dep_ in ("nsubj", "nsubjpass") and node.head.i == root:
            return False  # "Syria, which is holding talks with Israel, denounced the treaty"
        node = node.head
    return node.i == root


def analyze_event(doc: Doc, rule: Rule, start: int, end: int, lex: Lexicon) -> EventMention:
    span = doc[start:end]
    verb = event_verb(doc, rule, start, end)
    anchors = [t for t in span] + [verb]
    talks = misattached_talks(verb, lex)
    subject = talks or subject_of(verb)
    if rule.verb_last and subject is not None and subject.i == start:
        # "a demand Ukraine has rejected", parsed with two subjects: the object is not one
        subject = next((c for c in verb.children if c.dep_ in SUBJECTS and c.i > start), None)
    blamed = _blamed_object(verb)
    if blamed is not None:  # "criticized Kyiv for abandoning talks": Kyiv abandoned them
        subject = blamed
    actors = [_role(noun_phrase(subject))] if subject is not None else []
    partner = _misread_partner(subject) if subject is not None else None
    if partner is not None:  # "Sadat and ... Begin signed": Begin's side is the other side
        actors.append(_role(partner))
    author = _author(subject, lex) if subject is not None else None
    if author is not None:  # "The draft, published by the Brazilian presidency, proposes"
        actors = [_role(author)]
    if subject is not None and subject.lower_ in lex.classes["TALKS"]:
        # "a meeting of the two delegations will be held": whose meeting, not the meeting
        actors = [_role(noun_phrase(o)) for o in _prep_objects([subject], ("of",))]
    sent = _sent_from(subject, lex) if subject is not None else None
    if sent is not None:  # "Delegations from Armenia and Azerbaijan": the places they speak for
        actors = [_role(sent)]
    if talks is not None:  # the phrase under it holds the trigger: the talks alone
        actors = [_role(doc[talks.left_edge.i : talks.i + 1])]
    if rule.label in JOINT:  # "Thailand, Cambodia agree": the parser leaves one aside
        actors = [
            _role(noun_phrase(c))
            for c in verb.children
            if c.dep_ in ("npadvmod", "dep", "nmod")
            and c.i < verb.i
            and (c.pos_ == "PROPN" or (c.pos_ == "NOUN" and c.is_title and c.i == 0))
        ] + actors
        if subject is not None and sent is None and talks is None:  # "US, China envoys to meet"
            actors = [_role(s) for s in listed_before(doc, noun_phrase(subject))] + actors
    noun = span.root
    if noun.pos_ == "ADP":  # "through Omani mediation": the noun the preposition governs
        noun = next((t for t in reversed(span) if t.pos_ in ("NOUN", "PROPN")), noun)
    owners = _owners(noun) if noun.pos_ in ("NOUN", "PROPN") else []
    if rule.label == "mediate" and span[-1].pos_ == "NOUN" and doc[end : end + 1].text == "by":
        # "following mediation by the Vatican", whatever the parse hangs the "by" on
        owners = [_role(noun_phrase(o)) for o in doc[end].children if o.dep_ == "pobj"] + owners
    if rule.label == "mediate" or (owners and span.root.dep_ not in SUBJECTS):
        actors = owners + actors  # "Qatar's facilitation", "Seoul's offer of talks"
        if rule.label in JOINT and missed_verb(rule, span[0]):
            # a headline's verb the tagger missed ("X and U.S. finalise tariff deal"): with no
            # parse to go by, the parties in the order written
            actors.sort(key=lambda role: role.start)
    written = _words_before(doc, start) if missed_verb(rule, span[0]) else None
    if written is not None:  # "Boeing defense workers in St. Louis ratify contract": no parse
        actors = [_role(written)]
    # "Talks between X and Y have stalled": the parties hang off the subject.
    talk_subject = (
        [subject] if subject is not None and subject.lower_ in lex.classes["NEGO"] else []
    )
    with_objects = _with_objects(anchors + talk_subject)
    counterparts = [_role(noun_phrase(o)) for o in with_objects]
    if rule.label in ("reject", "agree", "concede"):  # "rejected a takeover approach from X"
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        counterparts += [_role(s) for s in _from_phrases(list(span) + objects)]
    if rule.label in ("reject", "agree") and doc[end - 1].lower_ in lex.words("OFFER|DEMANDN"):
        counterparts += _owners(doc[end - 1])  # "rejects BBVA's offer", "accepted the U.S. plan"
    for child in verb.children:  # "agreed to acquire Globex"
        if child.dep_ == "xcomp" and rule.label in ("agree", "propose"):
            counterparts += [
                _role(noun_phrase(o))
                for o in child.children
                if o.dep_ == "dobj" and o.pos_ == "PROPN"
            ]
    # "met Putin", "telephoned Kozyrev", "ready to meet Putin": whom they meet is the other side
    for met in [verb] + [t for t in span if t.i != verb.i]:
        if met.lower_ not in lex.cue("object_is_party"):
            continue
        for child in met.children:
            if (
                child.dep_ in ("dobj", "dative")
                and child.i not in range(start, end)
                or (child.dep_ == "dobj" and child.pos_ in ("PRON", "PROPN"))
            ):
                counterparts.append(_role(noun_phrase(child)))
    # the same phrase seen from two anchors; none runs into the trigger's last word, as in a
    # headline's "Talks between X and Y collapse" parsed with "Y collapse" as a noun phrase
    last = doc[end - 1]
    cut = last.idx if last.is_lower else -1  # not "talks with the Kenyan": a rule's name word
    counterparts = list(dict.fromkeys(_short_of(r, cut) for r in counterparts))
    agent = agent_of(anchors)
    if agent is not None and _bought_by(agent.root.head, lex):
        counterparts.append(_role(agent))  # "agrees to $52 billion takeover by InBev": the buyer
        agent = None
    doer = None
    if rule.label in ("propose", "reject"):  # "talks proposed by the United States"
        doer = agent_of(anchors, passive_only=True)
    elif rule.label in JOINT:  # "a deal negotiated by U.S. officials and the government of X"
        done = [t for t in anchors if t.lower_ in lex.cue("party_participles")]
        doer = agent_of(done, passive_only=True)
    if doer is not None:  # the proposer or the parties, no mediator
        actors, agent = [_role(doer)], None
    elif rule.label in ("propose", "reject", "concede") and subject is not None:
        stative = verb.i + 1 < len(doc) and doc[verb.i + 1].lower_ == "to"  # "is opposed to"
        stative = stative and verb.lower_ not in lex.classes["INVITEV"]  # not "were invited to"
        relative = verb.dep_ == "relcl" and subject.i == verb.head.i  # "X, which were invited"
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        own = subject.dep_ == "nsubjpass" and subject.head.i == verb.i
        if (own or (relative and passive)) and not stative:
            actors = []  # "the union's demand was rejected": the demand rejected nothing
    mediator = _role(agent) if agent is not None and rule.label != "mediate" else None
    owner = _mediation_owner(span, lex) if rule.label == "mediate" else None
    if owner is not None:  # "freed by Syrian militants after Qatar mediation": Qatar's
        actors = [owner]
    elif rule.label == "mediate" and agent is not None:
        actors = [_role(agent)]
    elif rule.label == "mediate":
        named = (
            _acting_as(span, lex)
            or _mediator_noun(span, lex)
            or _hyphen_broker(doc, start)
            or _channel(span)
            or _helper(span)
            or _under_whom(span)
        )
        if named is not None:  # "with the help of federal mediators"
            actors = [named]
    location = (
        _attached_entity(doc, anchors, PLACES)
        or _attached_entity(doc, _talks_after(anchors, lex), PLACES)  # "following talks in X"
        or _place_under(doc, anchors)
    )
    when = _attached_entity(doc, anchors, TIMES) or _report_time(span.root, lex)
    speaker = speaker_of(doc, span.root, lex)
    modality = modality_of(doc, start, end, rule, lex)
    label = rule.label
    resuming = not lex.classes["RESUMEV"].isdisjoint(t.lower_ for t in span)
    if label == "meet" and (modality == "planned" or (modality == "hypothetical" and resuming)):
        label = "schedule"  # "talks will resume"; "so that talks could resume"
    if label == "concede" and is_joint(subject, lex) and span[0].lower_ in lex.classes["AGREEV"]:
        label = "agree"  # "X and Y agreed to allow aid": undertaken together, an agreement
    return EventMention(
        rule=rule,
        label=label,
        start=start,
        end=end,
        trigger=span.text.lstrip(",;—– "),  # ", a concession": the words, not the comma
        negated=is_negated(doc, start, end, lex, rule),
        modality=modality,
        actors=actors,
        counterparts=counterparts,
        mediator=mediator,
        speaker=_role(speaker) if speaker is not None else None,
        location=location.text if location is not None else None,
        time_text=_with_preposition(doc, when) if when is not None else None,
        between=any(o.head.lower_ == "between" for o in with_objects),
    )


def _aside_after(doc: Doc, comma: int, first: int) -> int | None:
    """Where the appositive a comma opens ends, past its closing comma ("its rival, the Rapid
    Support Forces, withdraws"), if the comma opens one on a word of the condition. A relative
    clause is an aside only while the condition still waits for its verb: after "a say in how
    the tour is run, which the directors refused, one of the people said" nothing more is asked,
    nor after a thing asked for ("a new fund for nature, which rich countries rejected, ...")."""
    after = comma + 1
    verbless = all(t.pos_ not in ("VERB", "AUX") for t in doc[first:comma])
    for token in doc[after : min(len(doc), after + 8)]:
        waits = verbless and token.head.dep_ in ("nsubj", "nsubjpass")  # "its rival, which ..."
        kinds = ("appos", "relcl") if waits else ("appos",)
        aside = token.dep_ in kinds and token.left_edge.i == after
        if aside and token.lower_ in lexicon().words("DEMANDN|CONCEDEN"):
            return None  # ", a demand that made those talks collapse": it sums up, asks no more
        if aside and first <= token.head.i < comma:
            end = token.right_edge.i  # the closing comma, inside the aside's subtree or after
            if doc[end].text != ",":
                end += 1
            return end + 1 if end < len(doc) and doc[end].text == "," else None
    return None


def _opens_time_clause(word: Token) -> bool:
    """Whether a word opens a clause of time after a requirement's words: "when it accepted
    Halliburton's offer", "while the clubs negotiated" (its verb follows it)."""
    return (
        word.lower_ in ("when", "while", "whenever")
        and word.dep_ in ("advmod", "mark")
        and word.head.pos_ in ("VERB", "AUX")
        and word.head.i > word.i
    )


def condition_text(
    doc: Doc, rule: Rule, start: int, end: int, stops: set[int], lex: Lexicon
) -> tuple[str, int, int]:
    """The words stating the requirement and their token range, by the rule's text mode, cut
    at the clause's end."""
    if rule.text == "before":
        i = _clause_start(doc, start, stops, lex) - 1
        last = start
        while last > i + 2 and (
            doc[last - 1].pos_ in ("AUX", "DET") or doc[last - 1].lemma_ == "remain"
        ):
            last -= 1  # "Our right to enrichment is not negotiable": the right, not "... is"
        return doc[i + 1 : last].text.strip(" ,"), i + 1, last
    if rule.text == "between":  # "calls salary cap a 'non-starter'": what the cue names so
        last = next(
            (k for k in range(start + 2, end) if doc[k].pos_ == "DET" or doc[k].is_quote), end
        )
        return doc[start + 1 : last].text.strip(" ,"), start + 1, last
    # the text starts after the cue; or at its second word ("must take into account X"), or
    # its third ("subject to approval by X": the approval is the condition); or at its last
    # ("would not disarm while X"); or with the cue itself ("must not be one-sided"); or with
    # the clause the cue sits in ("said the embargo must be lifted": the whole requirement); or
    # at the cue's determiner ("refused for weeks to accept any deal that ...": the deal)
    if rule.text == "clause":
        first = _clause_start(doc, start, stops, lex)
    elif rule.text == "from_determiner":
        first = next((k for k in range(start + 1, end) if doc[k].pos_ == "DET"), end)
    else:
        first = {
            "after": end,
            "after_first": start + 1,
            "after_second": start + 2,
            "from_last": end - 1,
            "with": start,
        }[rule.text]
    if rule.text == "after" and first < len(doc) and doc[first].dep_ == "prt":
        first += 1  # "will not give up its right to enrich": the right, not "up its right"
    antecedent = _relative_object(doc, start, first)
    if antecedent is not None:  # "a roadmap ..., which more than 80 countries had demanded"
        return antecedent.text.strip(" ,"), antecedent.start, antecedent.end
    j = first
    depth_quote = False
    last = _relative_end(doc, start, end)
    while j < last:
        text = doc[j].text
        own_verb = any(t.head.i == j for t in doc[start:end])  # "as long as X insists that"
        if j in stops and j > first and j != start and not own_verb:
            break
        if text in ("“", "‘") or (text == '"' and not depth_quote):
            depth_quote = True
        elif text in ("”", "’") or text == '"':
            depth_quote = False
        if text == "," and j > first:
            aside = _aside_after(doc, j, first)
            if aside is not None:  # "unless its rival, the RSF, withdraws": read on past it
                j = aside
                continue
        if text in (";", ".", "?", "!", ":") or (text == "," and j > first + 1):
            break
        prep = doc[j].dep_ == "prep" and doc[j].pos_ == "ADP"  # not a verb misread ("reopen")
        if j > first and prep and start <= doc[j].head.i < min(end, first):
            break  # "demanded X at the fourth round of talks": where, not what, is demanded
        after = doc[j + 1] if j + 1 < len(doc) else None
        reported = after is not None and after.lower_ in lex.cue("reporting_verbs")
        if (
            j > first
            and doc[j].lower_ in ("and", "but")
            and (reported or _cue_goes_on(doc, start, max(first, end), after))
        ):
            break  # "is seeking raises of 25% and says Kaiser has refused ...": a new clause
        if j > first + 1 and doc[j].lower_ == "as" and doc[j].dep_ == "mark":
            break  # "demands Japan retract remarks as diplomats meet": a clause beside it
        if j > first and _opens_time_clause(doc[j]):
            break  # "had insisted on the fee when it accepted the offer": when, not what
        if (
            doc[j].lower_
            in (
                "saying",
                "referring",
                "emphasizing",
                "adding",
                "while",
                "but",
                "amid",
                "despite",
                "following",
                "whereas",
            )
            and j > first
        ):
            break
        j += 1
    words = doc[first:j].text.strip()
    for tail in (" and", " or", ",", "“", "”", '"'):
        words = words.removesuffix(tail).strip()
    return words.strip('“”" ,'), first, j


def _relative_end(doc: Doc, start: int, end: int) -> int:
    """Where the text of a cue inside a relative clause must end: with that clause ("The
    British government, which does not pay ransoms, had refused to negotiate": the ransoms)."""
    verb = clause_verb(doc[start:end].root)
    return verb.right_edge.i + 1 if verb.dep_ == "relcl" else len(doc)


def _clause_start(doc: Doc, start: int, stops: set[int], lex: Lexicon) -> int:
    """Where the clause a cue sits in begins: after the clause break, reporting verb or other
    cue before it ("said that [the embargo must be lifted]")."""
    i = start - 1
    breaks = lex.cue("clause_breaks") | lex.cue("reporting_verbs")
    while i >= 0 and doc[i].lower_ not in breaks and i not in stops:
        i -= 1  # back to a clause break, or to another cue ("demanded X as a condition")
    return i + 1


def _cue_goes_on(doc: Doc, start: int, cue_end: int, after: Token | None) -> bool:
    """Whether the word after an "and" opens the cue's own next clause, not more of what is
    asked: "would not negotiate over its sovereignty and rejected ...", "wants X and has said
    ...", "would not make concessions and that no payment had been made"; or, where the parse
    hangs it elsewhere, the same auxiliary again ("had demanded X and had rejected ...")."""
    if after is None:
        return False
    verb = after.head if after.dep_ in ("aux", "auxpass", "mark") else after
    if (
        verb.dep_ == "conj"
        and verb.head.i < cue_end  # the verb it joins is the cue's, or before it
        and (verb is not after or after.tag_ in FINITE_TAGS)
    ):
        return True
    cue = doc[start]
    tense = next((c.tag_ for c in cue.children if c.dep_ == "aux"), cue.tag_)
    if (  # "had insisted that checks respect X and refused to ...": the cue's tense, not the wish's
        verb.dep_ == "conj"
        and verb.tag_ in FINITE_TAGS
        and verb.tag_ == tense
        and verb.head.tag_ in ("VB", "VBP", "VBZ")
        and verb.head.tag_ != verb.tag_
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    ):
        return True
    return after.dep_ == "aux" and any(
        c.dep_ == "aux" and c.lower_ == after.lower_ for c in doc[start].children
    )


def _relative_object(doc: Doc, start: int, first: int) -> Span | None:
    """What a cue's verb takes in a relative clause that ends with it: the noun phrase the
    clause hangs from ("a roadmap for moving away from fossil fuels, which more than 80
    countries had demanded"; "a phase-out of fossil fuels, which Saudi Arabia has said it will
    not accept"), without the clause; None where words follow the verb."""
    if first <= start:
        return None
    verb = doc[first - 1]  # the cue's last word: "demanded", the "accept" of "will not accept"
    if verb.dep_ in ("ccomp", "xcomp") and verb.head.dep_ == "relcl" and verb.head.i < verb.i:
        verb = verb.head  # "which Saudi Arabia has said it will not accept": the clause's verb
    if verb.dep_ != "relcl":
        return None
    reason = ("after", "before", "because", "saying", "as")  # "would never accept because"
    if first < len(doc) and not (doc[first].is_punct or doc[first].lower_ in reason):
        return None
    head = verb.head  # a thing, or an amount ("the $100 billion a year that ... had demanded")
    if _a_time(head):  # "passed an amnesty on Tuesday, which rebels had demanded": the amnesty
        clause = clause_verb(head)
        head = next((c for c in clause.children if c.dep_ == "dobj"), head)
    if head.pos_ not in ("NOUN", "PROPN", "NUM") or head.i > verb.i:
        return None
    # up a chain of phrases that describe the thing ("... for moving away from fossil fuels"),
    # not past "of" ("any mention of a roadmap": the roadmap was demanded)
    node = head
    while node.dep_ in ("pobj", "pcomp", "prep", "advmod") and node.head.i < node.i:
        if node.dep_ == "prep" and node.lower_ == "of":
            break
        clause = any(c.dep_ in ("nsubj", "nsubjpass", "aux", "mark") for c in node.head.children)
        if clause:  # "whether the final deal should call for a phase-out": a clause of its own
            break
        node = node.head
        if node.pos_ in ("NOUN", "PROPN"):
            head = node
    while head.dep_ == "conj" and head.head.i < head.i and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head  # "tough spending cuts and pension reforms that X had demanded": both
    opening = verb.left_edge.i
    words = doc[head.left_edge.i : opening]
    return words if len(words) else None


ASKED_WITHIN = 8  # words: "the Israeli and Palestinian leaders to resume talks"


def _asks_for_talks(text: str, lex: Lexicon) -> bool:
    """ "urged X to resume talks", "to sign the free trade agreement": asking for talks or a deal
    (the "to" right after whom it asks; "a clause requiring producers to meet standards" asks
    for the clause)."""
    talk_verbs = _talk_verbs(lex)
    words = text.lower().split()[:ASKED_WITHIN]
    return any(a == "to" and b in talk_verbs for a, b in zip(words, words[1:]))


def _talk_verbs(lex: Lexicon) -> frozenset[str]:
    """Verbs that ask for talks or a deal: "to resume talks", "to sign", "to conclude"."""
    return lex.words("TALKV|RESUMEV|NEGOTIATE|SIGNV") | lex.cue("deal_request_verbs")


def _is_talks(text: str, lex: Lexicon, first: Token | None = None) -> bool:
    """ "push for a hostage deal": asking for talks or a deal is a proposal, not a demand. But
    "any settlement must include X" and "that any deal guarantee X" state the deal's terms, and
    "to preserve the ceasefire" asks for a deed done to it: those are demands."""
    talks = lex.classes["TALKS"] | lex.classes["DEAL"]
    words = text.lower().split()
    if not set(words[:6]).isdisjoint(lex.cue("obligation")):
        return False
    asking = _talk_verbs(lex) | lex.words("AGREEV|ACCEPTV")  # "to agree a ceasefire"
    if first is not None:  # "that Ethiopia cancel its memorandum": a deed asked, before the deal
        opening = first.doc[first.i : first.i + 4]
        deal = next((t for t in opening if t.lower_ in talks), None)
        if deal is not None and deal.dep_ in ("nsubj", "nsubjpass") and deal.head.i > deal.i:
            return False  # "that any deal guarantee equal conditions": the deal's terms
        asked = next((t for t in opening if t.lower_ in talks or t.pos_ == "VERB"), None)
        if asked is not None and asked.pos_ == "VERB" and asked.lower_ not in asking:
            return False
    return any(w in talks for w in words[:4])


def _demand_source(cue: Span) -> Token | None:
    """Who a demand comes from when the cue says so: "a call from Washington to ...", "refused
    U.S. demands to ...", "rejected the employers' demand that ..." (a party named on the
    demand noun itself)."""
    for token in cue:
        if token.lower_ == "from":
            return next((c for c in token.children if c.dep_ == "pobj"), None)
    noun = cue[0] if cue[0].pos_ == "NOUN" and (len(cue) == 1 or cue[-1].lower_ == "that") else None
    for child in noun.children if noun is not None else ():
        named = child.ent_type_ in PARTY_ENTITIES or (child.dep_ == "poss" and child.pos_ != "PRON")
        if child.i < noun.i and child.dep_ in ("poss", "compound", "nmod", "amod") and named:
            return child
    return None


def _told_in_sequence(doc: Doc, start: int, end: int, cue: Token) -> bool:
    """Whether "only after" tells the order things happened in: the verb it hangs on is a plain
    past, no modal ("stayed only after Carter warned him"), not terms ("would sign only after
    Congress passed a law"); "only once" and "only when" stay terms ("remained open to a
    meeting, but only once a full ceasefire was in place")."""
    temporal = any(t.lower_ == "after" for t in doc[start:end])
    verb = clause_verb(cue)
    verb = verb.head if verb.dep_ == "advcl" else verb  # "stayed", not "warned" after "after"
    modal = any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)
    # "Seven of the parties signed only after ...", the verb misread as a participle on them
    past = verb.tag_ == "VBD" or (verb.dep_ == "acl" and verb.tag_ == "VBN")
    return temporal and past and not modal


def _plain_future(verb: Token) -> bool:
    """Whether a verb is a plain "will" future, neither negated nor hedged: "a joint
    commission will run the region until elections" says how long, not on what terms."""
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "neg", "advmod")}
    return bool(auxes & {"will", "'ll", "shall"}) and not auxes & {"not", "n't", "never", "only"}


def _time_until(until: Token, lex: Lexicon) -> bool:
    """Whether "until" only tells how long: it names a thing, not a clause ("until elections",
    not "until a final deal was signed"), and nothing is held back on it, as a negated, modal
    or refused verb would ("would not negotiate until a ceasefire")."""
    if until.dep_ == "mark" or any(t.pos_ in ("VERB", "AUX") for t in until.subtree if t != until):
        return False  # "until a democratically-elected government takes over": a clause
    modals = lex.cue("modal_verbs")
    verb = until.head
    for _ in range(4):
        held = any(
            c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in modals) for c in verb.children
        ) and not _plain_future(verb)
        if held or verb.lower_ in lex.classes["REFUSEV"]:
            return False
        if verb.dep_ not in ("xcomp", "ccomp", "conj", "advcl") or verb.head.i == verb.i:
            return True
        verb = verb.head
    return True


TOPIC_PREPOSITIONS = frozenset({"on", "over", "about"})  # what a failed agreement was about
PAST_MARKERS = frozenset({"was", "were", "had"})


def _claims_past(words: Span, lex: Lexicon) -> bool:
    """Whether what a side insists on tells what was, not what must be: "insisting that the
    sailors were in Iraqi waters when they were detained" (a clause of its own whose "was",
    "were" or "had" tells the past, no modal, no word of necessity; "insisted that a cut in
    car tariffs was essential" is a demand, and so is "insisted that drugmakers set aside X",
    whose verb only looks past)."""
    if not len(words):
        return False
    verb = clause_verb(words.root)
    if not words.start <= verb.i < words.end:
        return False  # "insisted on a capital gains tax": a thing, no clause
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    past = verb.lower_ in PAST_MARKERS or any(a.lower_ in PAST_MARKERS for a in auxes)
    if not past or any(a.tag_ == "MD" for a in auxes):
        return False
    needed = lex.cue("necessity_words")
    return not any(c.lower_ in needed for c in verb.children if c.dep_ in ("acomp", "attr"))


def analyze_condition(
    doc: Doc, rule: Rule, start: int, end: int, stops: set[int], lex: Lexicon
) -> ConditionMention | None:
    text, text_start, text_end = condition_text(doc, rule, start, end, stops, lex)
    if len(text) < 3 or text.lower() in lex.cue("idle_conditions"):
        return None  # "ready to strike as long as it took": how long, not on what terms
    first = doc[text_start] if text_start < len(doc) else None
    if rule.label == "demand" and (_asks_for_talks(text, lex) or _is_talks(text, lex, first)):
        return None  # "urged both sides to return to talks" proposes talks, demands nothing
    if rule.label == "demand" and text.lower().removeprefix("for ") in lex.cue("appeals"):
        return None  # "called for calm": an appeal, no party's demand
    if (
        rule.id.endswith(".until")
        and first is not None
        and (first.like_num or first.ent_type_ in TIMES)
    ):
        return None  # "until January" is a date, not a requirement
    if rule.id.endswith(".until") and doc.has_annotation("DEP") and _time_until(doc[start], lex):
        return None  # "a council to govern the country for three years until elections": how long
    topic = first is not None and first.lower_ in TOPIC_PREPOSITIONS
    if rule.label == "red_line" and rule.text == "after" and topic:
        return None  # "could not agree on how to split the losses": a topic, not a refusal
    if rule.id.startswith("demand.insist") and _claims_past(doc[text_start:text_end], lex):
        return None  # "insisting that the sailors were in Iraqi waters": a claim, no terms
    cue = doc[start]
    passive = any(c.dep_ == "auxpass" for c in cue.children) and cue.tag_ == "VBN"
    if rule.label == "demand" and rule.text in ("after", "after_first") and passive:
        return None  # "who is wanted for war crimes": what he is wanted for, asked of no one
    bare_noun = rule.label == "demand" and cue.pos_ == "NOUN" and end - start == 1
    if bare_noun and (end >= len(doc) or doc[end].lower_ not in ("that", "for", "to", "of", ":")):
        return None  # "a demand Ukraine has rejected": what befell it, not its content
    verb = clause_verb(cue)
    if rule.label == "red_line" and verb.dep_ in ("aux", "neg") and verb.head.pos_ == "VERB":
        verb = verb.head  # "Canada would not drop the tariffs": who will not drop them
    if rule.label == "red_line" and opens_with_if(verb):
        # "if players did not accept the proposal, the league would ...": a threat's terms
        return None
    holders = []
    subordinator = cue.dep_ in ("mark", "prep")  # "until Boeing improved its offer"
    negates = cue.dep_ in ("neg", "aux") and cue.head == verb  # "it would not end the war until"
    if (
        rule.label == "precondition"
        and not negates
        and verb.dep_ in ("advcl", "xcomp", "ccomp")
        and (rule.text not in ("after_first", "from_last", "clause") or subordinator)
    ):
        verb = verb.head
    if rule.label == "precondition" and verb.lower_ in lex.cue("belief_verbs"):
        return None  # "would believe it only when they saw him": a doubt, not terms
    if rule.label == "precondition" and _told_in_sequence(doc, start, end, cue):
        return None  # "dropped that figure only after diplomats told Tehran": what happened
    subject = subject_of(verb)
    talks = subject is not None and subject.lower_ in lex.words("TALKS|NEGO")
    if talks and verb.tag_ == "VBG" and verb.head.dep_ in ("advcl", "conj"):
        # "locked out the players after talks broke down, demanding X": the parse hangs the
        # participle on the talks' verb, but talks demand nothing; the main clause's subject does
        subject = subject_of(verb.head.head) or subject
    ruled_out = lex.words(rule.subject_not_in) if rule.subject_not_in else frozenset()
    if subject is not None and subject.lower_ in ruled_out:
        return None  # "the climate body's rules required a consensus": no party's terms
    source = _demand_source(doc[start:end]) if rule.label == "demand" else None
    if source is not None:  # "a demand from the US President to adhere": the President's
        holders.append(_role(noun_phrase(source)))
    elif (
        subject is not None
        and subject.dep_ != "nsubjpass"  # "they would be lifted only if": what is done, not who
        and not text_start <= subject.i < text_end
        and subject.lower_ not in lex.classes["DEAL"]  # "the arrangement would be void if"
    ):
        # not the subject the condition states: "Our farm subsidies are not on the table"
        holders.append(_role(noun_phrase(subject)))
        holders.extend(_role(noun_phrase(c)) for c in subject.children if c.dep_ == "poss")
    speaker = speaker_of(doc, cue, lex)
    return ConditionMention(
        rule=rule,
        label=rule.label,
        start=start,
        end=end,
        text=text,
        text_start=text_start,
        text_end=text_end,
        holders=holders,
        speaker=_role(speaker) if speaker is not None else None,
    )
