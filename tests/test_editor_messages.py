"""What `lod-pub check` tells an editor: the likely cause in plain words and the fix, not only "wrong".

Each test writes a record as an editor might get it wrong, reads the seeds, and checks the message: file,
line and field, the trap named, the fix given; where the message proposes a fix, applying it makes the
record good again.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from helpers import edit, problems
from lod_pub.errors import Problem, RecordError
from lod_pub.iris import Minter
from lod_pub.mapping import map_corpus
from lod_pub.sources import load_corpus
from lod_pub.sources.advice import IdIndex, closest_passage, passage_reason
from lod_pub.sources.yamlfile import read_yaml
from lod_pub.vocab import DIP

ARTICLE = "seeds/articles/000_ed0bee0b2eb72bc6.yaml"
TEXT = "seeds/articles/000_ed0bee0b2eb72bc6.txt"
WIKINEWS = "seeds/articles/001_wikinews_maidan_wardak.yaml"
ROOT = Path(__file__).resolve().parents[1]


def only(root: Path) -> Problem:
    found = problems(root)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def fix_from(reason: str, key: str) -> str:
    """The `key: "…"` line a message proposes."""
    match = re.search(rf'{key}: (".*")$', reason)
    assert match, reason
    return f"{key}: {match.group(1)}"


# --- 1. an id that is not defined: did you mean -------------------------------------------------------

def test_an_undefined_id_gets_the_closest_defined_one(project_copy):
    line = edit(project_copy, ARTICLE, "{value: sohail-mahmood, evidence:", "{value: sohail-mahmod, evidence:")
    p = only(project_copy)
    assert (p.file, p.line, p.field) == (ARTICLE, line, "events[0].attendees[0].value")
    assert p.reason == "refers to 'sohail-mahmod', which is not defined; did you mean 'sohail-mahmood'?"


def test_the_suggestions_are_of_the_kinds_the_field_accepts(project_copy):
    """`location` takes a place: the person 'sohail-mahmood' is not offered; the place 'islamabad' is."""
    edit(project_copy, ARTICLE, "location: {value: foreign-office-islamabad,", "location: {value: sohail-mahmod,")
    assert "did you mean" not in only(project_copy).reason
    edit(project_copy, ARTICLE, "location: {value: sohail-mahmod,", "location: {value: islamabd,")
    assert only(project_copy).reason.endswith("did you mean 'islamabad'?")


def test_a_mistyped_field_name_gets_the_known_one(project_copy):
    line = edit(project_copy, ARTICLE, "      evidence: The meeting boiled down", "      evidnce: The meeting boiled down")
    p = only(project_copy)
    assert (p.line, p.field) == (line, "events[0].description.evidnce")
    assert "unknown field 'evidnce'; did you mean 'evidence'?" in p.reason


def test_suggestions_come_from_a_large_register_by_kind():
    ids = {f"person-{i}": "person" for i in range(20_000)} | {f"a{i}-event-0": "event" for i in range(50_000)}
    index = IdIndex(ids, ids.__getitem__)
    assert index.closest("persn-1234", ("person",))[0] == "person-1234"
    assert index.closest("a1234-evnt-0", ("event",))[0] == "a1234-event-0"
    assert index.closest("a1234-evnt-0", ("person",)) == []
    assert index.closest("zzzzzz", ("person", "event")) == []


# --- 2. YAML traps, in plain words ---------------------------------------------------------------------

def test_an_unquoted_comma_in_braces_is_named_not_reported_as_unknown_fields(project_copy):
    """`{value: x, evidence: Foreign Secretary of Pakistan, Sohail Mahmood, met …}` read as fields
    'Sohail Mahmood' and 'met a delegation'; the editor is told to quote the evidence, once."""
    quoted = '"Foreign Secretary of Pakistan, Sohail Mahmood, met a delegation"'
    line = edit(project_copy, ARTICLE, f"evidence: {quoted}", f"evidence: {quoted[1:-1]}")
    p = only(project_copy)
    assert (p.file, p.line, p.field) == (ARTICLE, line, "events[0].attendees[0].evidence")
    assert "unknown field" not in p.reason
    assert "unquoted ', '" in p.reason and "'Sohail Mahmood' and 'met a delegation'" in p.reason
    assert fix_from(p.reason, "evidence") == f"evidence: {quoted}"
    edit(project_copy, ARTICLE, f"evidence: {quoted[1:-1]}", fix_from(p.reason, "evidence"))
    load_corpus(project_copy / "seeds")


def test_a_capitalised_field_on_its_own_line_is_an_unknown_field(project_copy):
    """Only words on the line of the value before them are taken for pieces of it."""
    line = edit(project_copy, "seeds/entities.yaml", "  - id: kabul\n", "  - id: kabul\n    Name: Kabul city\n")
    p = only(project_copy)
    assert (p.line, p.field) == (line + 1, "places[3].Name")
    assert p.reason.startswith("unknown field 'Name'; did you mean 'name'?")


def test_an_unquoted_colon_after_a_comma_in_braces_is_named(project_copy):
    """The issue's case: `{value: …, evidence: Pakistan, He said: yes}` reported "unknown field 'He said'"."""
    line = edit(project_copy, ARTICLE, "{value: nato, evidence: NATO Brussels 2021 Summit}",
                "{value: nato, evidence: NATO Brussels 2021 Summit, He said: yes}")
    p = only(project_copy)
    assert (p.line, p.field) == (line, "events[7].organizers[0].evidence")
    assert "unknown field" not in p.reason and "'He said'" in p.reason and "': '" in p.reason
    assert fix_from(p.reason, "evidence") == 'evidence: "NATO Brussels 2021 Summit, He said: yes"'


def test_an_unquoted_colon_in_braces_is_named(project_copy):
    line = edit(project_copy, ARTICLE, "location: {value: pakistan, evidence: The visit of the NATO",
                "location: {value: pakistan, evidence: He said: The visit of the NATO")
    p = only(project_copy)
    assert (p.file, p.line) == (ARTICLE, line)
    assert "the evidence has an unquoted ': '" in p.reason
    assert 'evidence: "He said: The visit of the NATO delegation to Pakistan"' in p.reason


def test_an_unquoted_colon_in_a_block_value_is_named(project_copy):
    line = edit(project_copy, ARTICLE, "      evidence: The meeting boiled down",
                "      evidence: The meeting: boiled down")
    p = only(project_copy)
    assert p.line == line and "the evidence has an unquoted ': '" in p.reason
    edit(project_copy, ARTICLE, "evidence: The meeting: boiled down to a discussion on emerging developments in "
         "Afghanistan.", fix_from(p.reason.removesuffix(" (mapping values are not allowed in this context)"),
                                  "evidence"))
    assert "quote 'The meeting: boiled down" in only(project_copy).reason  # good YAML now; the quote is wrong


def test_a_tab_for_indentation_is_named(project_copy):
    line = edit(project_copy, ARTICLE, "    type: OfficialVisit\n", "\ttype: OfficialVisit\n")
    p = only(project_copy)
    assert p.line == line and "indented with a tab" in p.reason and "spaces" in p.reason


def test_a_hash_in_a_quote_that_yaml_reads_as_a_comment_is_named(project_copy):
    """`evidence: … #MeToo …` unquoted: YAML keeps the words before ' #', which are in the article, and
    the check passed; the article goes on with '#', so the quote was cut."""
    edit(project_copy, TEXT, "The meeting boiled down to a discussion", "The meeting boiled down #to a discussion")
    line = edit(project_copy, ARTICLE, "evidence: The meeting boiled down to",
                "evidence: The meeting boiled down #to")
    p = only(project_copy)
    assert (p.line, p.field) == (line, "events[0].description.evidence")
    assert "comment" in p.reason and "cut to 'The meeting boiled down'" in p.reason
    edit(project_copy, ARTICLE, "evidence: The meeting boiled down #to a discussion on emerging developments in "
         "Afghanistan.", fix_from(p.reason, "evidence"))
    load_corpus(project_copy / "seeds")


def test_a_comment_after_a_value_is_still_a_comment(project_copy):
    edit(project_copy, ARTICLE, "evidence: The meeting boiled down to a discussion on emerging developments in "
         "Afghanistan.", "evidence: The meeting boiled down  # a summary of the talks")
    load_corpus(project_copy / "seeds")


def test_a_hash_inside_braces_is_named(project_copy):
    line = edit(project_copy, ARTICLE, "{value: nato, evidence: NATO Brussels 2021 Summit}",
                "{value: nato, evidence: NATO Brussels #2021 Summit}")
    p = only(project_copy)
    assert p.line == line and "' #' inside {…} starts a comment" in p.reason


@pytest.mark.parametrize("old, new", [
    ('evidence: "Islamabad, 21 October 2021"}', 'evidence: "Islamabad, 21 October 2021}'),
    ("    evidence: NATO has nine partners across the globe. Pakistan is one of them.",
     "    evidence: 'NATO has nine partners across the globe. Pakistan is one of them."),
], ids=["in braces", "at the end of the file"])
def test_an_unclosed_quote_is_named_on_the_line_it_opens(project_copy, old, new):
    line = edit(project_copy, ARTICLE, old, new)
    p = only(project_copy)
    assert p.line == line and "is not closed" in p.reason or "never closed" in p.reason


def test_a_missing_opening_quote_is_named(project_copy):
    quoted = '"Ambassador Stefano also held a meeting Chief of Army Staff of Pakistan, General Qamar Javed Bajwa"'
    line = edit(project_copy, ARTICLE, f"stefano-pontecorvo, evidence: {quoted}",
                f"stefano-pontecorvo, evidence: {quoted[1:]}")
    p = only(project_copy)
    assert (p.line, p.field) == (line, "events[2].attendees[0].evidence")
    assert "does not start with one" in p.reason and fix_from(p.reason, "evidence") == f"evidence: {quoted}"


def test_words_after_a_closing_quote_are_named(project_copy):
    line = edit(project_copy, WIKINEWS, "verb: alleged", "verb: 'alleged' later")
    p = only(project_copy)
    assert p.line == line and "ends at the matching one" in p.reason


def test_no_broken_record_makes_the_advice_fail():
    """Whatever the line an error is on, the advice is a message or nothing: never an exception."""
    original = (ROOT / "tests/data/corpus/articles/000_ed0bee0b2eb72bc6.yaml").read_text("utf-8")
    rng = random.Random(7)
    for _ in range(400):
        chars = list(original)
        for _ in range(rng.randint(1, 4)):
            chars.insert(rng.randrange(len(chars)), rng.choice([":", ": ", ", ", "#", " #", "\t", '"', "'", "{", "}",
                                                                "[", "\n", "- ", "\\"]))
        located, found = read_yaml("".join(chars).encode("utf-8"), ARTICLE)
        assert all(isinstance(p.reason, str) for p in found)


def test_no_broken_record_makes_the_checks_fail(project_copy):
    """Records broken at random (quotes dropped, commas, colons and hashes added) are reported, never crash."""
    path = project_copy / ARTICLE
    original = path.read_text("utf-8")
    rng = random.Random(11)
    for _ in range(25):
        chars = list(original)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(chars))
            if chars[at] in "\"'":
                del chars[at]
            else:
                chars.insert(at, rng.choice([", ", ": ", " #", ", He said: ", '"', "\t"]))
        path.write_text("".join(chars), "utf-8")
        try:
            load_corpus(project_copy / "seeds")
        except RecordError as caught:
            assert all(p.file and isinstance(p.reason, str) for p in caught.problems)


# --- 3. dates ---------------------------------------------------------------------------------------

def test_an_end_before_the_start_is_refused(project_copy):
    line = edit(project_copy, ARTICLE, "      inferred: The year is not stated; it is taken from the dateline (21 October 2021).\n",
                "      inferred: The year is not stated; it is taken from the dateline (21 October 2021).\n"
                "    endDate: 2021-10-19\n")
    p = only(project_copy)
    assert (p.line, p.field) == (line + 1, "events[0].endDate")
    assert p.reason.startswith("endDate 2021-10-19 is before startDate 2021-10-20")


def test_an_earliest_begin_after_the_latest_end_is_refused(project_copy):
    edit(project_copy, WIKINEWS, "earliestBegin: {value: 2019-01-14,", "earliestBegin: {value: 2019-01-22,")
    p = only(project_copy)
    assert p.field == "events[2].latestEnd.value"
    assert "latestEnd 2019-01-20 is before earliestBegin 2019-01-22" in p.reason


def test_dates_of_a_month_and_of_a_day_in_it_are_in_order(project_copy):
    edit(project_copy, ARTICLE, "      value: 2021-10-20\n", "      value: 2021-10\n")
    edit(project_copy, ARTICLE, "    location: {value: foreign-office-islamabad,",
         "    endDate: 2021-10-05\n    location: {value: foreign-office-islamabad,")
    load_corpus(project_copy / "seeds")


def test_a_statement_dated_after_the_article_is_refused(project_copy):
    line = edit(project_copy, ARTICLE, "    statedAt: meeting-fs-nato-delegation-2021-10-20\n    evidence: Foreign",
                "    statedAt: meeting-fs-nato-delegation-2021-10-20\n    date: 2021-10-22\n    evidence: Foreign")
    p = only(project_copy)
    assert (p.line, p.field) == (line + 1, "statements[0].date")
    assert "after the article's datePublished" in p.reason


def test_an_event_starting_after_the_article_needs_to_be_marked(project_copy):
    edit(project_copy, WIKINEWS, "startDate: {value: 2018-08,", "startDate: {value: 2019-08,")
    p = only(project_copy)
    assert p.field == "events[3].startDate.value" and "after the article's datePublished" in p.reason
    edit(project_copy, WIKINEWS, "startDate: {value: 2019-08,", "startDate: {note: announced, value: 2019-08,")
    load_corpus(project_copy / "seeds")
    edit(project_copy, WIKINEWS, "startDate: {note: announced, value: 2019-08,", "startDate: {value: 2019-08,")
    edit(project_copy, WIKINEWS, "    name: Assault on Ghazni, August 2018\n",
         "    name: Assault on Ghazni, August 2018\n    status: {value: scheduled, evidence: an assault in Ghazni}\n")
    load_corpus(project_copy / "seeds")


def test_a_date_far_before_the_article_needs_a_note(project_copy):
    """A year mistyped (1921 for 2021) is caught; a date the article gives, or one with a note, is not."""
    line = edit(project_copy, ARTICLE, "      value: 2021-10-20\n", "      value: 1921-10-20\n")
    p = only(project_copy)
    assert (p.line, p.field) == (line, "events[0].startDate.value")
    assert "30 years or more before the article's datePublished" in p.reason and "`note`" in p.reason
    edit(project_copy, ARTICLE, "      value: 1921-10-20\n", "      value: 1921-10-20\n      note: the year is right\n")
    load_corpus(project_copy / "seeds")
    edit(project_copy, WIKINEWS, "startDate: {value: 2018-08, evidence: an assault in Ghazni in August 2018}",
         "startDate: {value: 1988-08, evidence: an assault in Ghazni in August 2018}")
    assert "30 years or more" in only(project_copy).reason
    edit(project_copy, TEXT, "Brussels 2021 Summit,", "Brussels 2021 Summit (first held in 1949),")
    edit(project_copy, WIKINEWS, "startDate: {value: 1988-08,", "startDate: {value: 2018-08,")
    edit(project_copy, ARTICLE, "location: {value: brussels, evidence: NATO Brussels 2021 Summit}",
         "location: {value: brussels, evidence: NATO Brussels 2021 Summit}\n"
         "    earliestBegin: {value: 1949, evidence: first held in 1949}")
    load_corpus(project_copy / "seeds")


# --- 4. statements: the article's words, or a paraphrase said to be one ------------------------------

PERSPECTIVE = "    text: Pakistan’s perspective on Afghanistan\n"


def test_a_statement_text_not_in_the_article_is_refused_with_the_closest_passage(project_copy):
    line = edit(project_copy, ARTICLE, PERSPECTIVE, "    text: Pakistan’s view of Afghanistan\n")
    p = only(project_copy)
    assert (p.line, p.field) == (line, "statements[0].text")
    assert "closest (text line 7): 'Pakistan’s perspective on Afghanistan.'" in p.reason
    assert "`paraphrase: true`" in p.reason


def test_a_paraphrase_said_to_be_one_is_published_as_one(project_copy):
    edit(project_copy, ARTICLE, PERSPECTIVE, "    text: Pakistan’s view of Afghanistan\n    paraphrase: true\n")
    corpus = load_corpus(project_copy / "seeds")
    minter = Minter()
    mapped = map_corpus(corpus, minter)
    statement = URIRef(minter.entity("statement", "fs-shared-perspective-afghanistan"))
    triples = {(s, p, o) for graph in mapped.graphs.values() for s, p, o in graph}
    assert (statement, DIP.paraphrase, Literal(True)) in triples
    other = URIRef(minter.entity("statement", "fs-highlighted-assistance"))
    assert not any(s == other and p == DIP.paraphrase for s, p, _ in triples)


def test_the_article_s_words_are_not_a_paraphrase(project_copy):
    line = edit(project_copy, ARTICLE, PERSPECTIVE, PERSPECTIVE + "    paraphrase: true\n")
    p = only(project_copy)
    assert (p.line, p.field) == (line + 1, "statements[0].paraphrase")
    assert "the article's own words, not a paraphrase: remove `paraphrase: true`" in p.reason


def test_a_statement_text_may_leave_out_the_article_s_quotation_marks(project_copy):
    """The article has `are "hiding accurate casualty figures …"`; the statement's text, `are hiding …`."""
    text = (project_copy / WIKINEWS).read_text("utf-8")
    assert "text: the central government are hiding accurate casualty figures" in text
    load_corpus(project_copy / "seeds")
    edit(project_copy, WIKINEWS, "are hiding accurate casualty figures", "are concealing accurate casualty figures")
    assert only(project_copy).field == "statements[1].text"


# --- 5. a quote not found: the closest passage and where it differs ----------------------------------

def test_a_quote_not_found_shows_the_closest_passage_and_the_difference(project_copy):
    line = edit(project_copy, ARTICLE, "evidence: The meeting boiled down", "evidence: The meeting came down")
    p = only(project_copy)
    assert (p.line, p.field) == (line, "events[0].description.evidence")
    assert "is not in the article; closest (text line 5): 'The meeting boiled down" in p.reason
    assert "differs at 'came' / 'boiled' (quote / article)" in p.reason


def test_the_difference_may_be_a_stop_or_a_comma(project_copy):
    edit(project_copy, ARTICLE, "evidence: He stated leaving Afghanistan alone at",
         "evidence: He stated leaving Afghanistan alone, at")
    assert "differs at 'alone,' / 'alone' (quote / article)" in only(project_copy).reason


def test_a_quote_with_another_apostrophe_keeps_its_hint_and_shows_it(project_copy):
    edit(project_copy, ARTICLE, "Foreign Secretary Sohail Mahmood shared Pakistan’s perspective",
         "Foreign Secretary Sohail Mahmood shared Pakistan's perspective")
    reason = only(project_copy).reason
    assert "quote marks, apostrophes" in reason and "differs at \"Pakistan's\" / 'Pakistan’s'" in reason


def test_a_quote_like_nothing_in_the_article_says_so(project_copy):
    edit(project_copy, ARTICLE, "evidence: The meeting boiled down to a discussion on emerging developments in "
         "Afghanistan.", "evidence: Completely unrelated words appear here instead.")
    assert only(project_copy).reason.endswith("no passage of the article is close to it")


def test_the_closest_passage_is_found_in_a_long_article():
    text = " ".join(f"Sentence {i} says that delegation {i} met minister {i} in city {i}." for i in range(600))
    quote = "Sentence 421 says that delegation 421 met the minister 421 in city 421."
    passage = closest_passage(quote, text)
    assert passage is not None and text[passage.start:passage.end].startswith("Sentence 421 says")
    assert (passage.ours, passage.theirs) == ("the", "")
    assert "differs at 'the' / ''" in passage_reason("quote", quote, text)


# --- 6. an article text without a record --------------------------------------------------------------

def test_an_article_text_without_a_record_stops_the_build(project_copy):
    (project_copy / "seeds/articles/002_draft.txt").write_text("A text whose record is not written yet.\n", "utf-8")
    p = only(project_copy)
    assert (p.file, p.line, p.field) == ("seeds/articles/002_draft.txt", None, "")
    assert "without a record" in p.reason and "002_draft.yaml" in p.reason


def test_an_article_text_without_a_record_is_found_with_the_index(project_copy):
    index = project_copy / "index.pickle"
    load_corpus(project_copy / "seeds", index, "v1")
    (project_copy / "seeds/articles/002_draft.txt").write_text("A text whose record is not written yet.\n", "utf-8")
    with pytest.raises(RecordError) as caught:
        load_corpus(project_copy / "seeds", index, "v1")
    assert [p.file for p in caught.value.problems] == ["seeds/articles/002_draft.txt"]


def test_a_text_named_by_its_record_under_another_name_is_recorded(project_copy):
    articles = project_copy / "seeds/articles"
    (articles / "000_ed0bee0b2eb72bc6.txt").rename(articles / "fs-nato.txt")
    edit(project_copy, ARTICLE, "  text: 000_ed0bee0b2eb72bc6.txt", "  text: fs-nato.txt")
    load_corpus(project_copy / "seeds")


# --- 7. the documentation shows each of these ---------------------------------------------------------

@pytest.mark.parametrize("phrase", [
    "did you mean 'sohail-mahmood'?", "put the evidence in double quotes", "indented with a tab",
    "which YAML reads as the start of a comment", "is not closed", "does not start with one",
    "is before startDate", "after the article's datePublished", "30 years or more", "paraphrase: true",
    "differs at 'came' / 'boiled'", "an article text without a record"])
def test_the_record_format_shows_each_message(phrase):
    assert phrase in (ROOT / "docs/records.md").read_text("utf-8")
