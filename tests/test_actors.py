"""Names within an article: the full names it spells out, and the short forms that stand for them."""

from __future__ import annotations

import pytest
import spacy

from transforms.negotiation.actors import (
    ArticleActors,
    Gazetteer,
    Mention,
    and_in_name,
    defined_acronyms,
    longer_form,
    spelled_names,
)
from transforms.negotiation.extractor import dateline_place
from transforms.negotiation.resolve import _as_written, _party_of_leader, _untitled, _without_suffix
from transforms.negotiation.sentence import Role


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def _names(nlp, text: str) -> list[str]:
    return [name for _, name in spelled_names(text)]


def test_names_run_over_capitalised_words_and_an_institutions_of(nlp):
    text = (
        "Shares of Brightmere Therapeutics fell after the Bank of England spoke.\n"
        "The Minnesota Nurses Association said that a company such as Procter & Gamble would "
        "never have treated its workers in this way."
    )
    assert _names(nlp, text) == [
        "Brightmere Therapeutics",
        "Bank of England",
        "Minnesota Nurses Association",
        "Procter & Gamble",
    ]


def test_a_name_runs_over_its_particles(nlp):
    text = "Mediobanca rejected an offer from Banca Monte dei Paschi di Siena on Tuesday."
    assert "Banca Monte dei Paschi di Siena" in _names(nlp, text)


def test_a_longer_form_has_words_before_the_name_and_at_most_a_seat_after():
    assert longer_form("Banco Sabadell", "Sabadell")
    assert longer_form("Banca Monte dei Paschi di Siena", "Monte dei Paschi")
    assert not longer_form("Anglo American Platinum", "Anglo American")
    assert not longer_form("Sabadell", "Sabadell")


def test_a_bare_article_as_written_is_itself():
    assert _as_written("The") == "The"
    assert _as_written("the two commanders") == "the two commanders"


def test_a_title_ends_a_name_and_and_joins_none(nlp):
    text = (
        "Halvora Pharma Chief Executive Anna Berg said on a call with analysts that Halvora "
        "and Brightmere had met twice since the summer."
    )
    assert _names(nlp, text) == ["Halvora Pharma", "Anna Berg"]


def test_an_and_joins_the_words_of_a_body_name_only(nlp):
    assert and_in_name("The Competition and Markets Authority")
    assert and_in_name("Britain's Competition and Markets Authority")
    assert not and_in_name("Egypt and Arab League")  # a party's own name before the "and"
    assert not and_in_name("Halvora and Brightmere")
    text = "Britain's Competition and Markets Authority and the European Commission objected."
    assert "Competition and Markets Authority" in _names(nlp, text)


def test_a_title_case_headline_gives_no_names(nlp):
    text = (
        "Halvora And Brightmere Talks Collapse Over Price\n"
        "Halvora Pharma said on Monday that the talks were over."
    )
    assert _names(nlp, text) == ["Halvora Pharma"]


def _actors(nlp, text: str) -> ArticleActors:
    return ArticleActors(text=text)


def test_the_regulator_is_the_first_regulator_named_and_an_acronym_its_initials(nlp):
    text = (
        "Britain's Competition and Markets Authority had found against the deal, and the "
        "European Commission had opened a probe. The regulator said the CMA would decide soon."
    )
    actors = _actors(nlp, text)
    at = text.index("The regulator")
    assert actors.regulator(at) == "Competition and Markets Authority"
    assert actors.regulator(0) is None  # none named yet
    assert actors.fuller_name("CMA", text.index("CMA")) == "Competition and Markets Authority"


def test_a_described_company_is_the_name_its_sentence_gave_before_it(nlp):
    text = (
        "LONDON (Wire) — Kestrel Labs agreed to be bought by German drugmaker Vossberg on Monday,"
        " after the U.S. biotech rejected two offers and Harbor Media Group walked away."
    )
    actors = _actors(nlp, text)
    at = text.index("the U.S. biotech")
    assert actors.company_before(0, at) == "Vossberg"  # the last name, not a day or the dateline
    assert actors.company_before(0, at, "United States") == "Kestrel Labs"  # not the German one
    assert actors.company_before(0, len(text)) == "Harbor Media Group"  # the name in full
    assert actors.company_before(0, text.index("Kestrel")) is None  # only the dateline before


def test_a_short_form_or_acronym_stands_for_the_name_spelled_out_before(nlp):
    text = (
        "Talks between Allina Health and nurses represented by the British Medical Association "
        "were held on Monday. Allina and the BMA agreed to meet again next week."
    )
    actors = _actors(nlp, text)
    at = text.index("Allina and")
    assert actors.fuller_name("Allina", at) == "Allina Health"
    assert actors.fuller_name("BMA", at) == "British Medical Association"
    assert actors.fuller_name("BMA", 0) is None  # nothing spelled out yet


def test_a_short_form_defined_in_brackets_is_its_name_whatever_its_initials(nlp):
    text = (
        "SPD and CDU open coalition talks\n"
        "The Christian Democratic Union (CDU) of Friedrich Merz and the Social Democratic Party "
        "(SPD) began talks. Merz ruled out the far-right Alternative for Germany (AfD). "
        "LONDON (AP) - The National Union of Rail, Maritime and Transport Workers (RMT) met."
    )
    defined = {short: name for short, (name, _, _) in defined_acronyms(text).items()}
    assert defined == {
        "CDU": "Christian Democratic Union",
        "SPD": "Social Democratic Party",  # not "Friedrich Merz and the Social ..."
        "AfD": "Alternative for Germany",
    }  # no dateline's "(AP)"; "Transport Workers" has no R for "RMT"
    assert _actors(nlp, text).fuller_name("SPD", 0) == "Social Democratic Party"


def test_a_headline_may_use_the_short_form_first(nlp):
    text = (
        "Talks between Halvora and Brightmere collapse\n"
        "Halvora Pharma said on Monday that it had ended the talks."
    )
    actors = _actors(nlp, text)
    assert actors.fuller_name("Halvora", text.index("Halvora")) == "Halvora Pharma"


def test_two_different_full_names_leave_the_short_form_as_it_is(nlp):
    text = (
        "The studio Paramount Pictures is owned by Paramount Global, and the drug maker "
        "Halvora Pharma is owned by a holding company called Halvora Pharma AG."
    )
    actors = _actors(nlp, text)
    assert actors.fuller_name("Paramount", len(text)) is None
    assert actors.fuller_name("Halvora", len(text)) == "Halvora Pharma"


def test_a_mixed_case_short_form_spells_the_small_words_too(nlp):
    text = (
        "Drivers rejected a pay offer from Transport for London on Monday. "
        "TfL said it would hold more talks."
    )
    actors = _actors(nlp, text)
    assert actors.fuller_name("TfL", text.index("TfL")) == "Transport for London"
    assert actors.fuller_name("Transport", text.index("Transport")) == "Transport for London"


@pytest.mark.parametrize(
    ("dateline", "place", "state"),
    [
        ("BOGOTA (Reuters) — ", "BOGOTA", "Colombia"),  # Bogotá, written without its accent
        ("NAIROBI, April 2 - ", "NAIROBI", "Kenya"),
        ("KHARTOUM, Sudan (AP) — ", "KHARTOUM", "Sudan"),
        ("GENEVA (Reuters) - ", "GENEVA", None),  # no state's capital, and a venue of talks
        ("SAN FRANCISCO (AP) — ", "SAN FRANCISCO", "United States"),  # a GeoNames city
        ("LEEDS, England (Reuters) - ", "LEEDS", "United Kingdom"),
        ("BRUSSELS (Reuters) - ", "BRUSSELS", None),  # the European Union's seat, no state's
        ("(Reuters) - ", "", None),
    ],
)
def test_a_datelines_place_gives_the_state_it_was_filed_from(dateline, place, state):
    assert dateline_place(dateline) == place
    assert Gazetteer.load().home_state(place) == state


def test_a_two_land_states_demonyms_each_name_it_but_not_a_states_own():
    """countryinfo gives "Bosnian,Herzegovinian" and "Serbian/Montenegrin": each part names
    its state, unless a state of its own has that demonym ("Serbian" is Serbia's); the state
    goes by the short name analysts use, "Bosnia"."""
    gazetteer = Gazetteer.load()
    assert gazetteer.get("Bosnian").canonical == gazetteer.get("Bosnia").canonical == "Bosnia"
    assert gazetteer.get("Herzegovinian").canonical == "Bosnia"
    assert gazetteer.get("Serbian").canonical == "Serbia"
    assert gazetteer.get("Montenegrin").canonical == "Montenegro"


def test_accented_capitals_are_known_with_and_without_their_accents():
    gazetteer = Gazetteer.load()
    assert gazetteer.get("Bogotá").canonical == gazetteer.get("Bogota").canonical == "Colombia"
    assert gazetteer.get("San Jose") is None  # also the Californian city


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("President Juan Manuel Santos", "Juan Manuel Santos"),
        ("Former president Alvaro Uribe", "Alvaro Uribe"),
        ("Kenyan opposition leader Raila Odinga", "Raila Odinga"),
        ("Chief Executive Andrea Orcel", "Andrea Orcel"),
        ("Communist Party leader Dimitris Koutsoumbas", "Communist Party"),
        ("National Football League", "National Football League"),  # no person's title in it
        ("Union president Carla Mendes", "Carla Mendes"),  # "Union" alone names no body
    ],
)
def test_a_person_tied_to_no_party_goes_by_name_without_a_title(written, name):
    assert _untitled(written) == name


def test_a_company_goes_by_its_name_without_its_legal_form():
    assert _without_suffix("Twitter Inc") == "Twitter"
    assert _without_suffix("Inc") == "Inc"
    assert _without_suffix("Banco Sabadell") == "Banco Sabadell"


@pytest.mark.parametrize(
    ("written", "party"),
    [
        ("The Democratic Unionist Party of Ian Paisley", "The Democratic Unionist Party"),
        ("the Freedom Party of Herbert Kickl", "the Freedom Party"),
        ("Communist Party of China", None),  # a state's party, named in full
        ("Party of Regions", None),  # "of" inside the name
        ("The Bank of England", None),  # no party
    ],
)
def test_a_party_named_with_its_leader_is_the_party(written, party):
    found = _party_of_leader(Role(0, len(written), written))
    assert (found.text if found else None) == party


def test_a_party_named_in_full_takes_of_only_before_a_state():
    text = "The Democratic Unionist Party of Ian Paisley rejected it. The Communist Party of China met."
    names = [name for _, name in spelled_names(text)]
    assert "Democratic Unionist Party" in names
    assert "Communist Party of China" in names


@pytest.mark.parametrize(
    ("named", "union"),
    [
        ("NHL Players' Association", "NHL Players' Association"),  # the one the story names
        ("MLB", "MLB Players Association"),  # the one the actor table knows for the league
        ("Continental Basketball League", None),  # none known: "the players" stay as written
    ],
)
def test_the_players_of_a_league_story_are_its_players_association(named, union):
    text = f"{named} resumed talks on Monday. The players said they would not accept a cap."
    actors = ArticleActors([Mention(0, len(named), named, named, "org")], text=text)
    assert actors.players_union(text.index("The players")) == union
