"""Resolve: sentence-level mentions + the article's actor index in, canonical parties out.

A role ("the Kremlin", "Russian and Ukrainian negotiators", "he", "the minister", "the two sides",
"multiple Western leaders") becomes a list of ``Resolved`` parties: canonical name and the words
as written. Joint events (meet, agree, breakdown, schedule) borrow their parties from another
event of the same sentence, then from the article's main pair, when the sentence only says
"the discussions" or "the delegations".
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from transforms.negotiation.actors import (
    PERSON_HEADS,
    ArticleActors,
    Gazetteer,
    Resolved,
    acronym_text,
    and_in_name,
    is_named,
    is_proper_name,
    leader_after_party,
    of_and_name,
    strip_quantifiers,
)
from transforms.negotiation.rules import CALENDAR, lexicon
from transforms.negotiation.sentence import Role

ORG_HEADS = {
    "union",
    "group",
    "movement",
    "alliance",
    "association",
    "organization",
    "organisation",
}
# The heads of names a possessive may open: "People's Party", "Workers' Union"
NAME_HEADS = ORG_HEADS | {"party", "front", "league", "congress", "federation", "council"}
# A trade that makes a word a description of its bearer: "Chipmaker Nvidia", "carmaker BMW".
MAKERS = ("maker", "makers")
RELATIVES = frozenset({"which", "who", "whose", "whom", "that"})
_POSSESSIVE_PLACE = re.compile(r"^(?:[Tt]he|[Tt]his|[Tt]hat) [a-z]+(?:'s|’s) (?=\w)")
_ASIDE = re.compile(r"\s*(?:\(|\[|, | - | – | — )")
# A group the text names as it introduces it: "a breakaway faction calling itself the Renamo
# Military Junta", "a militia known as the Popular Resistance" (not "called": "the union called
# Trump's offer an insult").
_SELF_NAMED = re.compile(
    r"\b(?:calling itself|calls itself|known as) (?:the )?([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*)"
)
# "Rebels in the Ivory Coast", "workers from Mexico"
_GROUP_IN_PLACE = re.compile(
    r"^(?P<group>(?:\w+ ){0,2}\w+) (?:in|from) (?:the )?(?P<place>[\w .'’-]+)$"
)
GROUP_PRONOUNS = {"it", "its", "they", "them", "their"}
FIRST_PERSON = {"we", "us", "our", "i", "me", "my"}


def resolve_role(
    role: Role | None,
    offset: int,
    actors: ArticleActors,
    speaker: list[Resolved] | None = None,
    before: int | None = None,
) -> list[Resolved]:
    """Parties a role names, in the order written (empty when it names none). ``before`` (an
    offset in the article) bounds where a pronoun's person may be found: for a speaker, before
    the sentence (in '"We are ready to meet Putin," he said', he is not Putin)."""
    if role is None:
        return []
    parts = _conjuncts(role, actors.unions)
    if _one_noun_described(parts, offset, actors):
        parts = [role]  # "Communist and nationalist deputies": one group, as written
    if len(parts) > 1:
        found: list[Resolved] = []
        for part in parts:
            for party in resolve_role(part, offset, actors, speaker):
                if all(p.canonical != party.canonical for p in found):
                    found.append(party)
        return found
    head, comma, aside = role.text.partition(", ")
    agent = next((a for a in lexicon().cue("agent_asides") if aside.startswith(a + " ")), None)
    if comma and agent is not None:
        # "Air Canada's flight attendants, represented by the Canadian Union of Public
        # Employees": the body that acts for them
        cut = len(head) + len(comma) + len(agent) + 1
        return resolve_role(Role(role.start + cut, role.end, role.text[cut:]), offset, actors)
    if comma and aside.split()[0].lower() in RELATIVES:
        # "The group, which calls itself the Gaitanist Army of Colombia": the head alone
        return resolve_role(Role(role.start, role.start + len(head), head), offset, actors, speaker)
    named = _self_named(role, offset, actors) if not comma else None
    if named is not None:  # "a breakaway faction calling itself the Renamo Military Junta"
        return resolve_role(named, offset, actors)
    body = aside.startswith("the ") and aside[4:5].isupper()  # ", the All England Club"
    if comma and head.split()[-1].islower() and (aside[:1].isupper() or body):
        # "The negotiator, Ryosei Akazawa": the head says whose; the name is an aside
        found = resolve_role(
            Role(role.start, role.start + len(head), head), offset, actors, speaker
        )
        # "A state mediator, Paul Okafor"; a body's own name wins ("organisers, the X Club")
        if body or not any(is_named(p.canonical) for p in found):
            cut = len(head) + 2
            named = resolve_role(Role(role.start + cut, role.end, aside), offset, actors)
            found = [p for p in named if is_named(p.canonical)] or found
        return [Resolved(p.canonical, role.text) for p in found]
    start, end = offset + role.start, offset + role.end
    last_word = role.text.split()[-1:]
    past = actors.spelled_past(start, end) if last_word and last_word[0][:1].isupper() else None
    if past is not None:  # a name the parse cut: "The Alliance" of "The Alliance for the ..."
        return [Resolved(_without_suffix(past), role.text)]
    if comma and _described_aside(head, aside):
        # "Kingdom Holding, the investment firm of Saudi Prince Alwaleed": the name, described
        return resolve_role(Role(role.start, role.start + len(head), head), offset, actors, speaker)
    if comma and aside[:1].isupper() and _names_party(actors, start, start + len(head)):
        # a headline's list: "Egypt, Western powers to hold talks"
        rest = Role(role.start + len(head) + 2, role.end, aside)
        found = resolve_role(Role(role.start, role.start + len(head), head), offset, actors)
        return found + resolve_role(rest, offset, actors, speaker)
    counted = strip_quantifiers(role.text)
    if counted != role.text and counted.split()[0].lower() in ("its", "their"):
        # "96% of its members", "two of their negotiators": whose members they are
        cut = len(role.text) - len(counted)
        return resolve_role(Role(role.start + cut, role.end, counted), offset, actors, speaker)
    if all(w.strip(",.") in CALENDAR for w in role.text.lower().split()):
        return []  # "Thursday" parsed as a subject is a date, not a party
    if role.text.lower() in ("there", "here"):
        return []  # "there are no plans to meet": no one
    lex = lexicon()
    plain = role.text.replace("’", "'")
    last = plain.lower().split()[-1:]
    simple = not _ASIDE.search(plain) and "'s" not in plain and " of " not in plain
    if (
        simple
        and last
        and (last[0] in lex.words("TALKS|DEAL") or last[0] in lex.cue("not_parties"))
    ):
        return []  # "Gaza ceasefire talks", "the Iran deal", "a date": what they are, no party
    if plain.endswith(("'s", "'")) and len(plain) > 2:  # "BHP's proposal is conditional on"
        cut = len(plain.rstrip("s").rstrip("'"))
        return resolve_role(Role(role.start, role.start + cut, role.text[:cut]), offset, actors)
    defined = _defined_name(plain, actors)
    if defined is not None:  # "The CDU of Friedrich Merz", "SPD co-leader Lars Klingbeil"
        return [Resolved(defined, role.text)]
    party = _party_of_leader(role)
    if party is not None:  # "The Democratic Unionist Party of Ian Paisley": the party
        return resolve_role(party, offset, actors, speaker)
    inside = [
        m
        for m in actors.mentions
        if start <= m.start < end or m.kind == "person" and m.start < start < m.end
    ]  # a person's name the parse cut: "Lago" of "André Corrêa do Lago"
    if any(m.kind == "person" for m in inside):  # "Russian Foreign Minister Sergey Lavrov"
        inside = [m for m in inside if m.kind not in ("tie", "org_tie")]
    led = [m for m in inside if m.kind == "person" and actors.is_org(Resolved(m.canonical, ""))]
    if led:  # "Ugandan rebel leader Kony", after "Joseph Kony, leader of the ...": his body's
        return [Resolved(led[0].canonical, role.text)]
    lower = role.text.lower().strip()
    words = lower.split()
    for prefix in lex.cue("group_prefixes"):  # "Members of the SAG-AFTRA actors union"
        at = lower.find(prefix + " ")
        # after words that only count or describe them: "three hooded members of the group"
        described = at > 0 and lower[at - 1] == " " and role.text[:at].islower()
        if at == 0 or described:
            cut = at + len(prefix) + 1
            inner = Role(role.start + cut, role.end, role.text[cut:])
            return resolve_role(inner, offset, actors, speaker)
    in_place = _GROUP_IN_PLACE.match(role.text)
    members = in_place and in_place["group"].split()[-1].lower() in lex.cue("union_members")
    union = actors.labour_union(start) if members else None
    if union is not None:  # "Boeing defense workers in St. Louis": the union the story names
        return [Resolved(union, role.text)]
    party = _party_named(role.text)
    if party is not None:  # "The centrist D66 party"
        return _noted(actors, start, words, Resolved(party, role.text))
    group = _group_named(role, lex)
    if group is not None:  # "Afghan rebel leaders" speak for "Afghan rebels"
        return _noted(actors, start, words, Resolved(group, role.text))
    bare = role.text.removeprefix("The ").removeprefix("the ")
    if "'s" in plain and any(name == bare for _, name in actors.unions):
        return [Resolved(bare, role.text)]  # "U.S. Women's National Team Players Association"
    owner = _possessor(role, lex)
    if owner is not None:  # "Unilever's board" acts for Unilever, and so does "the board" after
        found = resolve_role(owner, offset, actors, speaker)
        names = head.split()
        person = comma and 1 < len(names) < 5 and all(w[:1].isupper() for w in names)
        if person and len(found) == 1 and not any(m.start < start + len(head) for m in inside):
            # "Tony Clark, the union's executive director": "Clark" below acts for it too
            actors.note_group(start, names[-1], found[0].canonical)
        return _noted(actors, start, words, found[0]) if len(found) == 1 else found
    who = actors.text.startswith((", who ", " who "), end)  # a person, not a company
    name = _trailing_name(role, inside, offset, lex) if not who else None
    if name is not None:  # the whole name the role spells: "Congolese Rally for Democracy"
        name = actors.spelled_around(name, start, end) or name
    if name is not None:  # "Dutch chipmaker NXP", "Germany's GDL train drivers union"
        return _noted(actors, start, words, Resolved(name, role.text))
    union = _union_for(role, words, inside, start, actors, lex)
    if union is not None:  # "Boeing machinists", "the rail union": the union the story names
        return [Resolved(union, role.text)]
    orgs = [m for m in inside if m.kind == "org"]
    if orgs and words and words[-1] in ORG_HEADS:  # "the SAG-AFTRA actors union" is SAG-AFTRA
        return _noted(actors, start, words, Resolved(orgs[0].canonical, role.text))
    nonstate = bool(words) and words[-1] in lex.cue("nonstate_heads")
    fighters = nonstate and words[-1] not in lex.cue("union_members")  # not "Amazon workers"
    if fighters and orgs and len(_first_of_each(orgs)) == 1:  # "M23 rebels" are the M23
        return _noted(actors, start, words, Resolved(orgs[0].canonical, role.text))
    # a state's political parties by their adjective ("Belgian parties"), not "Sudan's warring
    # parties", the state's own two sides
    political = bool(words) and words[-1] in lex.cue("political_groups") and "'s" not in plain
    # "Aceh rebels": the one armed group the story names (for a headline, the whole story's)
    place_named = len(words) == 2 and role.text[:1].isupper() and words[0] != "the"
    headline = start < actors.headline_end
    named_home = fighters and place_named
    armed = actors.armed_group(len(actors.text) if headline else start) if named_home else None
    if armed is not None:
        return _noted(actors, start, words, Resolved(armed, role.text))
    if inside and (nonstate or political):  # "Ivory Coast rebels"
        return _noted(actors, start, words, Resolved(_as_written(role.text), role.text))
    company = None
    if _describes_company(role, inside, lex):
        home = inside[0].canonical if inside else None
        company = actors.company_before(offset, start, home)
    if company is not None:  # "the internet company" after "Yahoo", "the British drugmaker"
        return [Resolved(company, role.text)]
    if inside and words[-1] in lex.cue("company_nouns") and all(m.kind == "state" for m in inside):
        # "the U.S. biotech", "a Swiss drugmaker": a company described by its home, no state
        return [Resolved(_as_written(role.text), role.text)]
    owned = _owned_org(role, inside, offset)
    if owned is not None:  # "Sudan's RSF", "Lebanon's Hezbollah": the body, not its home
        return _noted(actors, start, words, Resolved(owned.canonical, role.text))
    if inside:
        # a person as the sentence writes them, without an aside (", who hosted ...")
        aside_cut = _ASIDE.split(role.text, maxsplit=1)[0]
        return [
            Resolved(m.canonical, _trim(m.text if m.kind != "person" else aside_cut))
            for m in _first_of_each(inside)
        ]
    body = _titled_body(role, actors, start, lex)
    if body is not None:  # "BBVA Chairman Carlos Torres", "Sabadell Chief Executive ..."
        surname = _ASIDE.split(role.text, maxsplit=1)[0].split()[-1]
        actors.note_group(start, surname, body)  # "Yesilgoz" below acts for the VVD too
        return [Resolved(body, role.text)]
    # a company's own words: not a state's, a union's ("Unite said the company ...") or a group's
    company_speaker = bool(speaker) and is_proper_name(speaker[0].canonical)
    company_speaker = company_speaker and not actors.is_state(speaker[0])
    company_speaker = company_speaker and all(speaker[0].canonical != n for _, n in actors.unions)
    own = lex.cue("company_nouns") | lex.cue("company_bodies")  # "the bank", "the board"
    company = len(words) == 2 and words[0] == "the" and words[1] in own
    company = company or lower in lex.cue("organisation_references")  # "the organisation"
    if company and company_speaker:  # "X's chief said the bank ...", "... said the board ..."
        return [Resolved(speaker[0].canonical, role.text)]
    vague_speaker = bool(speaker) and not is_named(speaker[0].canonical)
    if lower in ("it", "its") and vague_speaker:
        speaker = None  # "officials said it would not pay": "it" is no group of officials
    if speaker and lower in lex.cue("pronouns_person") and _group_of_people(speaker[0], actors):
        speaker = None  # "The rebels have insisted that X ..., a demand he rejected": not theirs
    if speaker and lower in lex.cue("pronouns_person") | GROUP_PRONOUNS:
        return [Resolved(speaker[0].canonical, role.text)]  # "Lavrov said he ..."
    if len(words) == 2 and words[0] in ("its", "their") and words[1] in _member_words():
        party = speaker[0] if speaker else actors.last_party(start, kinds=("state", "org"))
        if party is not None:  # "Corvane said its board remained willing": Corvane's board
            return [Resolved(party.canonical, role.text)]
    if words[:1] == ["whose"]:  # "Najib Razak, whose government hosted the talks"
        owner = actors.named_just_before(start)
        return [Resolved(owner, role.text)] if owner else []
    if lower in lex.cue("pronouns_person"):
        person = actors.last_person(start if before is None else before)
        return [Resolved(person.canonical, role.text)] if person else []
    if lower in FIRST_PERSON:
        if speaker:
            return [Resolved(speaker[0].canonical, role.text)]
        person = actors.last_person(start)
        return [Resolved(person.canonical, role.text)] if person else []
    if lower in GROUP_PRONOUNS:
        party = actors.last_party(start, after=max(0, offset - 400))
        since = party.end if party else max(0, offset - 400)
        if lower in ("they", "them", "their") and _names_dyad(actors.text[since:start], lex):
            # "The two sides also agreed ... They failed to agree": the pair, not the last name
            return [Resolved(p, role.text) for p in actors.sides()]
        return [Resolved(party.canonical, role.text)] if party else []
    if words and words[0] in ("the", "this", "that") and words[-1] in lex.cue("person_nouns"):
        person = actors.last_person(start, title=words[-1])
        return [Resolved(person.canonical, role.text)] if person else []
    group_reference = lower in lex.cue("group_references")  # "the movement": no body of states
    group = (
        actors.last_group(start, Gazetteer.load().intergovernmental) if group_reference else None
    )
    if group is not None:
        return [Resolved(group, role.text)]
    if lower in lex.cue("organisation_references") and not group_reference:  # "the alliance"
        org = actors.last_party(start, kinds=("org",))
        org = org or actors.last_party(start, kinds=("org_tie",))  # "EU climate commissioner"
        if org is not None:
            return [Resolved(org.canonical, role.text)]
    institution = lower
    governs = bool(words) and words[-1] in lex.cue("government_heads")
    if governs and not inside and 2 < len(words) <= 4 and words[0] == "the":
        institution = f"the {words[-1]}"  # "the previous Conservative government"
    if institution in lex.cue("state_institutions"):  # "the government", "military officials"
        named = actors.name_with_head(words[-1], start) if len(words) == 2 else None
        if named is not None:  # "the junta" after "the Renamo Military Junta": that one
            return [Resolved(named, role.text)]
        state = actors.main_state(start)  # whose, where the article names a state
        state = state or actors.own_government(start)  # "Alberta's government ... the province"
        state = state or actors.home  # a LONDON story that names no state: Britain's
        return [Resolved(state or _as_written(role.text), role.text)]
    if words in (["owners"], ["the", "owners"]):  # "Owners dropped their insistence on X"
        league = actors.earlier_group("league", start) or actors.league(start)  # MLB's side
        if league is not None:
            return [Resolved(league, role.text)]
    if len(words) == 1 and words[0] in lex.words("ARMED") and start < actors.headline_end:
        armed = actors.armed_group(len(actors.text))  # a headline's "rebels": the story's group
        if armed is not None:
            return [Resolved(armed, role.text)]
    if len(words) == 2 and words[0] == "the" and not _is_dyad(lower, lex):
        # "X's chief said the bank ...", "Barcelona president X said the club ..."
        bodies = lex.cue("company_nouns") | {"club", "outfit"}
        if words[-1] in bodies and speaker and actors.is_org(speaker[0]):
            return [Resolved(speaker[0].canonical, role.text)]
        named = actors.armed_group(start) if words[-1] in lex.words("ARMED") else None
        # "the rebels" after "the Free Aceh Movement", though a headline said "Aceh rebels"
        named = named or actors.earlier_group(words[-1], start)
        named = named or actors.name_with_head(words[-1], start)
        if named is None and words[-1] in lex.cue("regulator_nouns"):
            named = actors.regulator(start)  # "the regulator" after "the Competition and ..."
        if named is None and words[-1] in lex.cue("company_nouns"):
            named = actors.listed_company(start)  # "the airline" in a story on "Lufthansa shares"
        if named is None and words[-1] in lex.cue("employer_nouns"):
            named = actors.employer()  # "the company" in a story on a union's talks
        if named is None and words[-1] == "league":
            named = actors.league(start)  # "the league" in a story on MLS
        if named is not None:  # "the tournaments" after "Grand Slam tournaments", "the league"
            return [Resolved(named, role.text)]
    if _is_dyad(lower, lex) and words[-1] in ("companies", "firms", "clubs", "teams"):
        return []  # the article's states are not its two companies (or clubs): the events' pair is
    if _is_dyad(lower, lex):  # "neither side" where the article names one party: that one
        sides = actors.sides()
        if len(sides) < 2 and _names_dyad(role.text, lex):
            return []  # "both delegations" where the article names only their host: not it
        return [Resolved(p, role.text) for p in sides]
    titled = any(w in lex.cue("titles") and w not in ("the", "of") for w in words[:2])
    if titled and role.text[:1].isupper():  # a title's joints are no title: "The MDC"
        party = actors.last_party(start, after=offset)
        if party is not None:  # "President Vladimir Zelensky" in a sentence about Kiev
            return [Resolved(party.canonical, role.text)]
    name = _described_name(role.text, lex) if role.text[:1].isupper() else None
    if name is not None:  # "Packaging maker Corvane Group", "Chipmaker Nvidia" open a sentence
        name = actors.fuller_name(name, start) or name
        return _noted(actors, start, words, Resolved(name, role.text))
    group_head = words and (words[-1] in lex.cue("nonstate_heads") or words[-1] in ORG_HEADS)
    described = len(words) > 1 and words[0] not in ("the", "a", "an")
    group_head = group_head or (described and words[-1] in lex.cue("mediator_people"))
    whole = _possessed_name(role, start, actors)
    if whole is not None:  # "Tsvangirai's Movement for Democratic Change": the movement
        return _noted(actors, start, words, Resolved(whole, role.text))
    group = _fighters_of(role, lex)
    if group is not None:  # "the southern rebels of the Sudan People's Liberation Movement"
        return resolve_role(group, offset, actors, speaker)
    if len(words) >= 2 and f"{words[-2]}s" in lex.classes["ARMED"]:  # "rebel commanders"
        armed = actors.armed_group(start)
        if armed is not None:
            return [Resolved(armed, role.text)]
    named_next = [m for m in actors.mentions if m.kind == "org" and m.start == end + 1]
    if named_next and (_is_group(words, lex) or group_head or words[-1] == "group"):
        # "The Basque separatist group ETA": the name the parse left beside the group
        return [Resolved(named_next[0].canonical, role.text)]
    if _is_group(words, lex) or group_head:
        earlier = actors.earlier_group(words[0], start) if len(words) == 1 else None
        if earlier is not None and earlier.split()[0].isupper():
            # "players" after "NBA players rejected the offer"; not "countries" after
            # "Developing countries", capitalised as a sentence opens
            return [Resolved(earlier, role.text)]
        union = actors.players_union(start) if lower in lex.cue("players_words") else None
        if union is not None:  # "the players" in a story on the NHL and its players' union
            return [Resolved(union, role.text)]
        named = _fighters_name(role.text, lex)
        if named is not None:  # "UNITA rebels", "the Zulu Front rebels": the group itself
            full = actors.fuller_name(named, start) or named
            return _noted(actors, start, words, Resolved(full, role.text))
        owner = _as_written(role.text).split()[0]  # "CMW negotiators" act for the CMW
        full = None
        if len(words) == 2 and owner[:1].isupper():  # "Sabadell board" for "Banco Sabadell"
            full = actors.fuller_name(owner, start) or actors.name_ending(owner, start)
        if full is not None:
            return [Resolved(full, role.text)]
        return _noted(actors, start, words, Resolved(_as_written(role.text), role.text))
    named = role.text.removeprefix("the ")  # "the Eagles", "the Nets": a name all the same
    name = _as_written(role.text)  # "Skydance" after "Skydance Media" is Skydance Media
    capitalised = [w for w in name.split() if w not in lex.cue("name_particles")]
    if and_in_name(name):  # "Liberians United for Reconciliation and Democracy": one name
        capitalised = [w for w in capitalised if w[:1].isupper()]
    if named[:1].isupper() and len(capitalised) <= 5 and not _is_negotiation_noun(words, lex):
        tied = actors.earlier_group(role.text, start) if len(words) == 1 else None
        if tied is not None:  # "Yesilgoz" after "VVD leader Dilan Yesilgoz"
            return [Resolved(tied, role.text)]
        longer = actors.name_ending(name, start)
        at = start + max(role.text.find(name), 0)  # "the University" of "the University and ..."
        name = actors.fuller_name(name, at) or longer or _untitled(name)  # "Monte dei Paschi"
        return _noted(actors, start, words, Resolved(_without_suffix(name), role.text))
    name = _described_name(role.text, lex)
    if name is not None:  # "quarterback Patrick Mahomes", "drugmaker Halvora"
        name = actors.fuller_name(name, start) or name
        return _noted(actors, start, words, Resolved(name, role.text))
    name = _described_name(role.text, lex, titled=True)
    if name is not None and " " in name:  # "former captain Alun Wyn Jones", tied to no state
        return [Resolved(name, role.text)]
    return []


def _party_of_leader(role: Role) -> Role | None:
    """A party's name with its leader's after "of" ("The Democratic Unionist Party of Ian
    Paisley", "the Freedom Party of Herbert Kickl"), cut at "of"; not a state's party ("Communist
    Party of China")."""
    name, of, owner = role.text.partition(" of ")
    if not of or not leader_after_party(name.split(), owner.split(",")[0].split()):
        return None
    return Role(role.start, role.start + len(name), name)


def _defined_name(text: str, actors: ArticleActors) -> str | None:
    """The name a role opens with when the article defines it with a short form in brackets:
    "The Christian Democratic Union (CDU) of Friedrich Merz" and "CDU leader Friedrich Merz"
    act for the party, not for whoever else the words name; so does the part of its name a
    parse cuts at "and" ("the International Association of Machinists" of "... Machinists and
    Aerospace Workers (IAM)")."""
    text = text.removeprefix("The ").removeprefix("the ")
    for short, (name, _, _) in actors.defined_acronyms.items():
        for form in (name, short):
            if text == form or text.startswith((form + " ", form + ",")):
                return name
        if name.startswith(text + " and "):
            return name
    return None


def _titled_body(role: Role, actors: ArticleActors, start: int, lex) -> str | None:
    """The company or body a person's title ties them to, where the title follows its name:
    "BBVA Chairman Carlos Torres" is BBVA, "Sabadell Chief Executive Cesar Gonzalez-Bueno" is
    Banco Sabadell. The name must be an acronym, part of a longer name the article spells out,
    or a name of several words it also uses on its own ("Cabinet Office minister" names no
    body)."""
    words = _ASIDE.split(role.text, maxsplit=1)[0].split()
    titles = lex.cue("titles")
    # "Union Pacific Chief Executive Jim Vena": a name may open with a title's word
    k = next((i for i, w in enumerate(words) if i and w.lower() in titles), 0)
    if k == 0 or not all(w[:1].isupper() for w in words[:k]) or not words[-1][:1].isupper():
        return None
    if all(w.lower() in titles for w in words[:k]):
        return None  # "Union President David McCall": titles all the way
    rest = words[k:]
    if all(w.lower() in titles for w in rest):
        return None  # "BBVA Chairman": no person named
    name = " ".join(words[:k])
    full = actors.fuller_name(name, start) or actors.name_ending(name, start)
    # "West Indies Players' Association president Wavell Hinds": a body's name by its head
    body = k > 1 and words[k - 1].lower() in lex.cue("body_heads") and words[0] != "The"
    body = body and words[k].lower() not in ("of", "for", "the")  # "Association of Muslim ..."
    if full is None and (acronym_text(name) or actors.named_apart(name) or body):
        return name  # "BBVA Chairman ..."; "Warner Bros Discovery Chief Executive David Zaslav"
    return full


def _names_party(actors: ArticleActors, start: int, end: int) -> bool:
    """Whether the words from ``start`` to ``end`` are exactly a state's or a body's name."""
    return any(
        m.start == start and m.end == end and m.kind in ("state", "org") for m in actors.mentions
    )


def _described_name(text: str, lex, titled: bool = False) -> str | None:
    """The name after lower-case words that describe its bearer: "quarterback Patrick Mahomes"
    is Patrick Mahomes, "chipmaker Nvidia" is Nvidia; and, ``titled``, after a title too (the
    person rules tie "foreign minister Lavrov" to a state first)."""
    words = _ASIDE.split(text, maxsplit=1)[0].split()
    opening = len(words) > 2 and words[0] in ("The", "A", "An")
    if opening:  # "The French-speaking liberal MR" opening a sentence
        words = [words[0].lower(), *words[1:]]
    particles = lex.cue("name_particles")
    k = len(words)
    while k > 0 and (
        words[k - 1][:1].isupper()
        and words[k - 1].lower() not in CALENDAR
        or words[k - 1] in particles
        and k > 1
        and words[k - 2][:1].isupper()
    ):
        k -= 1  # "Monte dei Paschi": a particle inside a name is the name's
    if k == 0 and len(words) > 1 and words[0].lower().endswith(MAKERS):
        k = 1  # "Chipmaker Nvidia": a trade, capitalised as the sentence's first word
    described = words[:k]
    if opening and k == 1:
        return None  # "The Writers Guild of America": a name, with its article
    if not 0 < k < len(words) <= 6 or not all(map(_describes, described[1:])):
        return None
    if not _describes(described[0]) and not _opens_sentence_description(described, lex):
        return None
    if described[0] in ("the", "a", "an"):
        described = described[1:]  # "the conciliation service Acas"
    if not titled and any(w in lex.cue("titles") for w in described):
        return None  # "foreign minister Lavrov": a title, for the person rules
    return " ".join(words[k:])


def _self_named(role: Role, offset: int, actors: ArticleActors) -> Role | None:
    """The name a group is given as the text introduces it, inside the role or right after it
    (where the parse left the participle out): "a breakaway faction calling itself the Renamo
    Military Junta", "a militia known as the Popular Resistance"."""
    found = _SELF_NAMED.search(role.text)
    if found is not None and found.start() > 0:
        return Role(role.start + found.start(1), role.start + found.end(1), found[1])
    words = role.text.split()
    if len(words) < 2 or words[0].lower() not in ("a", "an", "the") or not words[-1].islower():
        return None  # only a group described, not named: "a breakaway faction"
    end = offset + role.end
    found = _SELF_NAMED.match(actors.text, end + 1) if actors.text[end : end + 1] == " " else None
    return Role(found.start(1) - offset, found.end(1) - offset, found[1]) if found else None


def _described_aside(head: str, aside: str) -> bool:
    """Whether an aside describes the capitalised name before it, in lower case: ", the
    investment firm of ...", ", a Saudi-backed group" (not an office of an owner the aside names,
    who may be the party: ", the union's executive director")."""
    words, described = head.split(), aside.split()[:3]
    named = 0 < len(words) <= 5 and all(w[:1].isupper() for w in words)
    # or a body the aside says whose wing it is: "Batasuna, ETA's banned political wing"
    wing = len(described) == 3 and _owner(described[0]) and described[0][:1].isupper()
    wing = wing and any(w.strip(",") in lexicon().cue("wing_words") for w in aside.split()[1:5])
    return named and (
        wing
        or len(described) == 3
        and described[0] in ("the", "a", "an")
        and described[1].islower()
        and not any(_owner(w) for w in described)  # "the union's director"
    )


def _owner(word: str) -> bool:
    """Whether a possessive names an owner who may be a party ("the union's"), not a scope
    that describes ("the world's largest hotel company")."""
    owner = word.removesuffix("'s").removesuffix("’s")
    return owner != word and owner.lower() not in lexicon().cue("scope_words")


def _fighters_name(text: str, lex) -> str | None:
    """The group fighters are named by, where the name is a group's: an acronym ("UNITA
    rebels") or one that ends as an armed group's does ("the Zulu Front rebels"); not a place
    ("Aceh rebels") nor a people ("Syrian rebels")."""
    words = text.removeprefix("the ").removeprefix("The ").split()
    if len(words) < 2 or words[-1].lower() not in lex.classes["ARMED"]:
        return None
    name = words[:-1]
    acronym = len(name) == 1 and acronym_text(name[0])
    ends = all(w[:1].isupper() for w in name) and name[-1].lower() in lex.cue(
        "armed_group_name_ends"
    )
    return " ".join(name) if acronym or (ends and len(name) > 1) else None


def _fighters_of(role: Role, lex) -> Role | None:
    """The named group that fighters a role describes belong to: "the southern rebels of the
    Sudan People's Liberation Movement" is the movement."""
    head, of, rest = role.text.partition(" of ")
    words = head.split()
    if not of or not words or words[-1].lower() not in lex.classes["ARMED"]:
        return None
    name = rest.removeprefix("the ")
    if not name[:1].isupper():
        return None
    return Role(role.end - len(name), role.end, name)


def _possessed_name(role: Role, start: int, actors: ArticleActors) -> str | None:
    """The full name of a body a person's possessive comes before, where the parse cut it
    short: "Tsvangirai's Movement" of "Tsvangirai's Movement for Democratic Change"."""
    owner, mark, owned = role.text.replace("’", "'").partition("'s ")
    if not mark or not owned[:1].isupper() or " " in owner or not owner[:1].isupper():
        return None
    at = start + len(owner) + len(mark)
    whole = actors.fuller_name(owned, at)
    return whole if whole is not None and actors.text.startswith(whole, at) else None


def _without_suffix(name: str) -> str:
    """A company by its name, without the legal form: "Twitter" of "Twitter Inc", "Deere" of
    "Deere & Co."."""
    short, _, suffix = name.rpartition(" ")
    if not short or suffix not in lexicon().cue("company_suffixes"):
        return name
    return short.removesuffix(" &").removesuffix(",")


def _untitled(name: str) -> str:
    """A person tied to no party, by name alone: "Juan Manuel Santos" of "President Juan Manuel
    Santos", "Alvaro Uribe" of "Former president Alvaro Uribe", "Raila Odinga" of "Kenyan
    opposition leader Raila Odinga"; a party or union whose office it is, where its name comes
    first ("Communist Party leader Dimitris Koutsoumbas"). Only a title a person holds
    ("president", "leader") cuts a name: "National Football League" stays whole."""
    words = name.split()
    offices = PERSON_HEADS | lexicon().cue("office_heads")
    heads = [i for i, w in enumerate(words[:-1]) if w.lower() in offices]
    if not heads:
        return name
    body = words[: heads[0]]
    if (
        len(body) > 1
        and all(w[:1].isupper() for w in body)
        and body[-1].lower() in ORG_HEADS | lexicon().cue("party_heads")
    ):
        return " ".join(body)  # "Communist Party leader Dimitris Koutsoumbas" speaks for it
    rest = words[heads[-1] + 1 :]
    return " ".join(rest) if len(rest) <= 3 and all(w[:1].isupper() for w in rest) else name


def _describes(word: str) -> bool:
    """Whether a word before a name describes its bearer: lower case ("liberal"), or a compound
    that ends in lower case ("French-speaking", "Paris-based", "Kremlin-backed")."""
    return word.islower() or word.rpartition("-")[2].islower()


def _opens_sentence_description(described: list[str], lex) -> bool:
    """Whether capitalised words before a name describe its bearer, capitalised only because
    they open the sentence: "Packaging maker Corvane Group", "Chipmaker Nvidia"; not a name's own
    first word ("Continental Basketball League") nor "Head of the union X"."""
    if any(w.lower() in lex.cue("common_words") for w in described):
        return False
    return len(described) > 1 or described[0].lower().endswith(MAKERS)


def _describes_company(role: Role, inside, lex) -> bool:
    """Whether a phrase points back to a company by its home or trade: "the British drugmaker",
    "the internet company", "the Anglo-Dutch consumer goods group" (not "a Swiss drugmaker", a
    new one; nor "the combined company")."""
    written = role.text.split()
    if not 3 <= len(written) <= 6 or written[0].lower() != "the":
        return False
    if written[-1].lower() not in lex.cue("company_nouns"):
        return False
    home = len(inside) == 1 and inside[0].kind == "state" and written[1][:1].isupper()
    return home or any(w in lex.cue("industry_words") for w in written[1:-1])


def _union_for(
    role: Role, words: list[str], inside, start: int, actors: ArticleActors, lex
) -> str | None:
    """The union a phrase means when it names a union, or its members, without the union's
    name ("the union", "German rail union", "Boeing machinists", "Hollywood actors") and the
    article names one. A state's people ("Ukrainian workers") stay who they are."""
    unions = lex.cue("union_names")
    written = role.text.split()
    if role.start == 0 and len(written) > 1 and role.text[1:].islower():
        written = [written[0].lower(), *written[1:]]  # "Union leaders" opening a sentence
    if not words or any(w[:1].isupper() and w.lower() in unions for w in written):
        return None  # "United Auto Workers union" names itself
    employers = any(w in lex.cue("employer_words") for w in words)
    if words == ["the", "unions"] and actors.unions:
        return actors.unions[0][1]  # the unions the story lists, the first named for them
    if words[-1] == "union" or (words[-1] in unions and len(words) > 1 and not employers):
        # "the union", "the players' association" (not "the employers' association")
        named = actors.labour_union(start)
        if named is None and len(words) == 2:  # "the union": a union-like party named before
            named = actors.last_org_named(start, unions)
        if named is None and len(words) == 2:  # or, in a story on a league, its players'
            named = actors.players_union(start)
        return named
    # "Boeing machinists"; "union members", "union leaders"; bare "members"
    if words[-2:-1] == ["union"] and any(
        m.kind == "org" and m.text.lower() == words[-1] for m in inside
    ):
        return None  # "The actors' union SAG-AFTRA": the union named after its description
    members = words[-1] in lex.cue("union_members") or words[-2:-1] == ["union"]
    members = members or strip_quantifiers(role.text).lower() in ("members", "the members")
    if members and not any(m.kind in ("state", "person") for m in inside):
        return actors.labour_union(start)
    return None


def _noted(actors: ArticleActors, start: int, words: list[str], party: Resolved) -> list[Resolved]:
    """Remember a party named by a phrase of several words, under its head noun."""
    if len(words) > 1 and party.canonical.lower() != f"the {words[-1]}":
        actors.note_group(start, words[-1], party.canonical)
    return [party]


def _as_written(text: str) -> str:
    """A name or vague group as written, without quantifiers, a leading 'The' or an aside
    ("Nigerian Union of Teachers (NUT), the umbrella union" is "Nigerian Union of Teachers")."""
    text = strip_quantifiers(_trim(_ASIDE.split(text, maxsplit=1)[0]))
    text = _POSSESSIVE_PLACE.sub("", text)  # "The city's teachers union" is "teachers union"
    text = _without_suffix(text)
    first, _, rest = text.partition(" ")
    if first.lower() == "the":
        stripped = strip_quantifiers(rest)  # "the four Grand Slam tournaments"
        # "The two commanders": both sides, as written; not "the two main rebel groups"
        after = rest.lower().split()
        pair = after[:1] == ["two"] and not set(after[1:2]) & lexicon().cue("quantifiers")
        if stripped[:1].isupper() or (stripped != rest and not pair):  # "the four mediating
            return stripped  # countries" are mediating countries
    return text


_DETERMINERS = frozenset({"the", "a", "an", "no", "neither", "either", "each", "every", "any"})


def _party_named(text: str) -> str | None:
    """A political party's name before a lower-case "party" (or "coalition", "alliance": the
    lexicon's ``party_heads``): "The centrist D66 party" is D66, "the ruling Labour party"
    Labour, "his Azimio coalition" Azimio (a name that holds "Party" stays whole)."""
    words = text.split()
    if len(words) < 2 or words[-1] not in lexicon().cue("party_heads"):
        return None
    name = list(itertools.takewhile(_is_name_word, reversed(words[:-1])))[::-1]
    rest = words[: len(words) - 1 - len(name)]
    if name and name[0].lower() in _DETERMINERS:  # "The alliance", "No party": no name
        rest, name = rest + name[:1], name[1:]
    described = all(w.islower() or w.lower() in _DETERMINERS for w in rest)  # not "Sudan's"
    return " ".join(name) if name and described else None


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() or (any(c.isdigit() for c in word) and any(c.isalpha() for c in word))


def _group_named(role: Role, lex) -> str | None:
    """The group a phrase names when it is a group's spokespeople or a group in a place:
    "Afghan rebel leaders" -> "Afghan rebels", "Rebels in the Ivory Coast" -> "Ivory Coast rebels"."""
    groups = lex.cue("nonstate_heads")
    words = role.text.split()
    lower = [w.lower() for w in words]
    if (
        len(words) >= 3
        and lower[-1] in lex.cue("spokespeople")
        and words[-2].islower()  # "rebel", not "Union" in "the African Union envoy"
        and lower[-2] + "s" in groups
    ):
        return _as_written(" ".join(words[:-1]) + "s")
    for i in range(1, len(words) - 1):  # "Bosnian Serb leader Radovan Karadzic": a people's
        people = lower[i] + "s" in groups and lower[i] not in lex.cue("union_names")
        if lower[i + 1] in lex.cue("spokespeople") and people and words[0][:1].isupper():
            return _as_written(" ".join(words[: i + 1]) + "s")
    found = _GROUP_IN_PLACE.match(role.text)
    if found and found["group"].split()[-1].lower() in groups and found["place"][:1].isupper():
        return f"{found['place']} {_as_written(found['group']).lower()}"
    return None


def _group_of_people(party: Resolved, actors: ArticleActors) -> bool:
    """Whether a speaker is a group written as a plural noun ("The rebels", "the workers"),
    not a state's: no one person a "he" or "she" could be."""
    last = party.text.split()[-1] if party.text else ""
    return last.islower() and last.endswith("s") and not actors.is_state(party)


@lru_cache(maxsize=1)
def _member_words() -> frozenset[str]:
    """Nouns of a body's own people: "its board", "their negotiators", "its members"."""
    lex = lexicon()
    return lex.classes["BODY"] | lex.cue("union_members") | {"members"}


@lru_cache(maxsize=1)
def _offices() -> frozenset[str]:
    """Nouns of an office or a person that acts for its owner: "Kosovo's prime minister", "the
    union's chief executive"."""
    lex = lexicon()
    nouns = lex.cue("person_nouns") | lex.cue("titles") | lex.cue("office_heads")
    return nouns - ORG_HEADS - lex.cue("group_heads")


def _possessor(role: Role, lex) -> Role | None:
    """The owner in "X's board", "X's negotiators", "Kosovo's prime minister" (a body or an
    office acting for X), else None."""
    offices = _offices()
    for mark in ("'s ", "’s "):
        head, sep, rest = role.text.partition(mark)
        written = rest.split()
        if not (sep and head and written):
            continue
        # the office may be followed by its holder's name: "Iran's religious leader Khomeini"
        while len(written) > 1 and written[-1][:1].isupper():
            written = written[:-1]
        words = [w.lower() for w in written]
        acting = words[-1] in lex.classes["BODY"] or words[-1] in offices
        if acting or " ".join(words[-2:]) in offices:
            name = _name_through_possessive(head + sep, written)
            return Role(role.start, role.start + len(name or head), name or head)
    # "the board of Banco Sabadell", "the chief executive of BBVA": the body is the name's
    head, sep, rest = role.text.partition(" of ")
    named = rest.removeprefix("the ")
    if sep and named[:1].isupper() and not _ASIDE.search(rest):
        last = head.lower().split()[-1]
        titled = head.split()[-1][:1].isupper() and head.split()[0].lower() in ("the", "an", "a")
        if titled:  # "The Army of Islam", "the Bank of England": a name, not X's army or bank
            return None
        if last in lex.classes["BODY"] or last in offices:
            cut = len(head) + len(sep) + len(rest) - len(named)
            return Role(role.start + cut, role.end, named)
    return None


def _name_through_possessive(owner: str, written: list[str]) -> str | None:
    """A name with a possessive inside it, before the office of its person: "People's Party"
    of "People's Party leader Christian Stocker" (not a party called "People")."""
    caps = list(itertools.takewhile(lambda w: w[:1].isupper(), written))
    if caps and len(caps) < len(written) and caps[-1].lower() in NAME_HEADS:
        return owner + " ".join(caps)
    return None


def _first_of_each(mentions: list) -> list:
    """The mentions with the first of each party only: "Sudan's Rapid Support Forces (RSF)"
    names two parties, not three."""
    first: dict[str, object] = {}
    for m in mentions:
        first.setdefault(m.canonical, m)
    return list(first.values())


def _owned_org(role: Role, inside, offset: int):
    """The organisation a state's possessive names, when the phrase names only the two: "Sudan's
    RSF" (a party of its own; "Sudan's army" is no organisation and stays Sudan), its short
    form in brackets beside it or not ("Sudan's Rapid Support Forces (RSF)")."""
    plain = role.text.replace("’", "'")
    cut = plain.find("'s ")
    named = _first_of_each(inside)
    if cut < 0 or len(named) != 2:
        return None
    owner, body = named
    mark = role.start + offset + cut
    if owner.kind == "state" and body.kind == "org" and owner.start < mark <= body.start:
        return body
    return None


def _trailing_name(role: Role, inside, offset: int, lex) -> str | None:
    """A proper name the gazetteer does not know, after words that only say where it is from:
    "Dutch chipmaker NXP" is NXP, not the Netherlands; or a body whose whole name holds them
    ("the French Tennis Federation"). People tied to a state are not names here: "Russian
    Foreign Minister Sergey Lavrov" stays Russia."""
    if not inside or any(m.kind in ("person", "org") for m in inside):
        return None
    words = role.text.split()
    words = words[1:] if words[0].lower() in ("the", "his", "her", "its", "their") else words
    if all(w[:1].isupper() for w in words) and words[-1].lower() in lex.cue("body_heads"):
        return " ".join(words)  # "French Tennis Federation": a body whose name holds a state
    covered_to = max(m.end for m in inside) - offset - role.start
    rest = role.text[covered_to:].replace("’s", " ").replace("'s", " ").split()
    if len(rest) > 1 and rest[0] in lex.cue("name_particles") and rest[1][:1].isupper():
        return None  # "Monte dei Paschi": the place is the first word of the name
    whole = " ".join(rest)
    if and_in_name(whole):
        return whole  # "Britain's Competition and Markets Authority"
    names = []
    for word in rest:
        if word[:1] in "([":  # "Hizbollah (Party of God)": an aside, not the name
            break
        if word.lower() in lex.cue("region_adjectives"):
            continue  # "the ministry's Asian and Oceanian affairs bureau": a region, no name
        if word[:1].isupper() and word.lower() not in lex.cue("titles") | CALENDAR:
            names.append(word)
        elif names:
            break
    if len(names) == 1 and names[0].lower() in lex.cue("nonstate_heads"):
        return None  # "Bosnian Serbs": a people of a state, written so, no name of their own
    return " ".join(names) if names else None


def _conjuncts(role: Role, unions: list[tuple[int, str]] = ()) -> list[Role]:
    """'Russian and Ukrainian negotiators' -> 'Russian', 'Ukrainian negotiators'; one part
    where the "and" is inside an aside on a name ("Masaaki Kanai, director-general of the
    ministry's Asian and Oceanian affairs bureau") or inside a union's name the article spells
    out ("Members of the International Association of Machinists and Aerospace Workers")."""
    _, comma, aside = role.text.partition(", ")
    if comma and aside[:1].islower() and aside.split()[0] not in ("the", "and", "or"):
        return [role]
    if and_in_name(role.text) or any(of_and_name(n) and n in role.text for _, n in unions):
        return [role]
    parts, cursor = [], 0
    for piece in role.text.replace(" & ", " and ").split(" and "):
        start = role.text.find(piece, cursor)
        cursor = start + len(piece)
        if piece.strip():
            parts.append(Role(role.start + start, role.start + cursor, piece.strip(" ,")))
    return parts


def _one_noun_described(parts: list[Role], offset: int, actors: ArticleActors) -> bool:
    """Whether two conjuncts are two words describing one plural noun: "Communist and
    nationalist deputies", "African and Caribbean exporters" (words that name no party, the
    second lower-case or a region's, before the noun), not "Russian and Ukrainian negotiators"
    or "Israel and its neighbours"."""
    if len(parts) != 2 or len(parts[0].text.split()) != 1:
        return False
    second = parts[1].text.split()
    described = len(second) > 1 and second[0].lower() not in _NOT_DESCRIBING
    starts = (offset + parts[0].start, offset + parts[1].start)  # "African and Caribbean ..."
    named = any(m.start <= k < m.end for m in actors.mentions for k in starts)
    regional = second[0].lower() in lexicon().cue("region_adjectives")
    return described and (second[0].islower() or regional) and not named


_NOT_DESCRIBING = frozenset({"the", "its", "their", "his", "her", "other", "a", "an", "some"})


def _trim(text: str) -> str:
    return text.strip(" ,“”\"'")


def names_both_sides(text: str) -> bool:
    """Whether words name the two sides of a dispute: "both sides", "the two parties"."""
    return _is_dyad(text.lower().strip(), lexicon())


def _is_dyad(lower: str, lex) -> bool:
    return lower in lex.cue("dyad_words") or lower.removeprefix("the ") in lex.cue("dyad_words")


def _names_dyad(text: str, lex) -> bool:
    """Whether a stretch of text refers to both sides at once ("The two sides", "both
    governments"): a plural pronoun after it stands for them."""
    lower = f" {' '.join(text.lower().split())} "
    return any(f" {d} " in lower for d in lex.cue("dyad_words") if " " in d and "either" not in d)


def _is_group(words: list[str], lex) -> bool:
    return bool(words) and words[-1] in lex.cue("group_heads") and len(words) <= 7


def _is_negotiation_noun(words: list[str], lex) -> bool:
    return bool(words) and words[-1] in lex.classes["NEGO"]


def first_party(
    candidates: list[list[Resolved]], exclude: set[str] | None = None
) -> Resolved | None:
    exclude = exclude or set()
    for parties in candidates:
        for party in parties:
            if party.canonical and party.canonical not in exclude:
                return party
    return None
