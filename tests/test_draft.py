"""`lod-pub draft`: a proposed record beside an article text, that `lod-pub check` reads and, once the editor
has confirmed the marked values, accepts. Fixture: tests/data/draft (a fictional article and register)."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from lod_pub.cli import main
from lod_pub.errors import RecordError
from lod_pub.release import check
from lod_pub.settings import settings_from
from lod_pub.sources.advice import draft_marks
from lod_pub.sources.draft import DraftError, draft_yaml, write_draft
from lod_pub.sources.draft.dates import find_dates
from lod_pub.sources.draft.names import Gazetteer

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "draft"
ARTICLE = "ruritania_talks.txt"
URL = "https://gazette.example.org/2024/talks"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE / "seeds", tmp_path / "seeds")
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def _draft(project: Path) -> tuple[Path, dict, str]:
    written = write_draft(project / "seeds" / "articles" / ARTICLE, project / "seeds", URL)
    body = written.read_text("utf-8")
    return written, yaml.safe_load(body), body


def _review(record: Path, register: Path) -> None:
    """What an editor does when every marked value is right: delete the marks, move the proposed entries to
    the register (a post gets the organisation it is in)."""
    body, _, proposed = record.read_text("utf-8").partition("\nregister:\n")
    record.write_text(re.sub(r"  #\?.*$", "", body, flags=re.M), "utf-8")
    entries = yaml.safe_load("register:\n" + proposed)["register"]
    data = yaml.safe_load(register.read_text("utf-8"))
    for section, items in entries.items():
        for item in items:
            if section == "posts":
                item["postIn"] = "government-of-ruritania"
            data.setdefault(section, []).append(item)
    register.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def _settings(project: Path):
    return settings_from({"project_dir": project, "data_dir": project / "data"})


def test_draft_is_a_record_with_every_quote_in_the_text(project: Path) -> None:
    written, record, body = _draft(project)
    assert written.name == "ruritania_talks.yaml"
    text = (project / "seeds" / "articles" / ARTICLE).read_text("utf-8")
    quotes = list(_evidences(record))
    assert len(quotes) >= body.count("evidence: ") and all(quote in text for quote in quotes)
    article = record["article"]
    assert article["datePublished"] == {"value": date(2024, 3, 12), "evidence": "Tuesday, March 12, 2024"}
    assert article["publisher"] == "ruritania-gazette" and article["url"] == URL


def _evidences(node: object) -> list[str]:
    if isinstance(node, dict):
        return [q for k, v in node.items() for q in ([v] if k == "evidence" else _evidences(v))]
    if isinstance(node, list):
        return [q for v in node for q in _evidences(v)]
    return []


def test_known_entities_posts_and_new_names(project: Path) -> None:
    _, record, _ = _draft(project)
    relations = {(r["person"], r["post"]) for r in record["relations"]}
    assert ("rudolf-elphberg", "foreign-minister-of-ruritania") in relations  # "Ruritania's Foreign Minister, …"
    new = {e["id"]: e for section in record["register"].values() for e in section}
    assert new["rufus-firefly"]["name"] == "Rufus Firefly" and new["zenda"]["type"] == "Place"
    assert "sameAs" not in new["rufus-firefly"]  # never guessed
    assert "rudolf-elphberg" not in new and "strelsau" not in new


def test_events_with_type_date_place_and_attendees(project: Path) -> None:
    _, record, _ = _draft(project)
    meeting = next(e for e in record["events"] if e["type"] == "Meeting")
    assert meeting["cameo"] == "040"
    assert meeting["startDate"]["value"] == date(2024, 3, 11)  # "on Monday" in an article of Tuesday 12 March 2024
    assert "Monday, 11 March 2024" in meeting["startDate"]["inferred"]
    assert meeting["location"]["value"] == "strelsau"  # one place: the fact itself, as records write it
    assert {f["value"] for f in meeting["attendees"]} == {"rudolf-elphberg", "rufus-firefly"}
    bombing = next(e for e in record["events"] if e["type"] == "Attack")
    assert bombing["cameo"] == "1832"  # a car bomb
    assert (bombing["earliestBegin"]["value"], bombing["latestEnd"]["value"]) == (date(2024, 3, 4), date(2024, 3, 10))
    signing = next(e for e in record["events"] if e["cameo"] == "057")
    assert signing["startDate"]["value"] == 1998  # a year plain, as records write it


def test_statements_quoted_and_reported(project: Path) -> None:
    _, record, body = _draft(project)
    by_author = {_value(s["author"]): s for s in record["statements"]}
    quoted = by_author["rudolf-elphberg"]  # '"…," Elphberg said.': a colon and commas inside
    assert quoted["text"] == "Our countries will work together: for peace, and for trade"
    assert quoted["verb"] == "said"
    reported = by_author["rufus-firefly"]
    assert reported["verb"] == "added" and reported["text"] == "both governments support a ceasefire in the region"
    assert "(quoted in the article)" in body and "(in reported speech)" in body


def test_check_lists_only_the_marks_in_text_order(project: Path) -> None:
    written, _, body = _draft(project)
    with pytest.raises(RecordError) as caught:
        check(_settings(project))
    problems = caught.value.problems
    assert {p.file for p in problems} == {"seeds/articles/ruritania_talks.yaml"}
    listing = next(p for p in problems if "still to decide" in p.reason)
    assert f"{len(draft_marks(body))} values still to decide" in listing.reason
    text_lines = [int(n) for n in re.findall(r"^\s+text line (\d+):", listing.reason, re.M)]
    assert text_lines == sorted(text_lines) and text_lines[-1] > text_lines[0]
    assert [p.field for p in problems if p is not listing] == ["register"]


def test_reviewed_draft_passes_check(project: Path) -> None:
    written, _, _ = _draft(project)
    _review(written, project / "seeds" / "entities.yaml")
    report, triples = check(_settings(project))
    assert report.conforms and triples > 0


def test_cli_draft_then_check(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = project / "seeds" / "articles" / ARTICLE
    assert main(["draft", str(text), "--url", URL, "--published", "2024-03-12", "--project", str(project)]) == 0
    assert "drafted" in capsys.readouterr().out
    assert main(["check", "--project", str(project), "--data-dir", str(project / "data"), "-q"]) == 1
    assert "still to decide" in capsys.readouterr().err


def test_never_over_an_existing_record(project: Path) -> None:
    text = project / "seeds" / "articles" / ARTICLE
    text.with_suffix(".yaml").write_text("kept", "utf-8")
    with pytest.raises(DraftError, match="exists already"):
        write_draft(text, project / "seeds")
    assert text.with_suffix(".yaml").read_text("utf-8") == "kept"
    assert main(["draft", str(text), "--project", str(project)]) == 2


def test_bad_url_is_refused_before_anything_is_written(project: Path) -> None:
    text = project / "seeds" / "articles" / ARTICLE
    with pytest.raises(DraftError, match="--url"):
        write_draft(text, project / "seeds", "javascript:alert(1)")
    assert not text.with_suffix(".yaml").exists()


@pytest.mark.parametrize(("words", "value", "bounds"), [
    ("on Wednesday", "2019-01-23", None),  # the article is of Thursday 24 January 2019
    ("Monday's attack", "2019-01-21", None),
    ("on 20th October", "2018-10-20", None),  # no year, and October 2019 would be after the article
    ("in August 2018", "2018-08", None),
    ("on January 24, 2019", "2019-01-24", None),
    ("yesterday", "2019-01-23", None),
    ("last month", "2018-12", None),
    ("last week", "", ("2019-01-14", "2019-01-20")),
    ("since 2011", "2011", None),
    ("in May", "2018-05", None),  # a month alone: the last one of that name before the article
    ("last January", "2018-01", None),  # "last" January, in a January article: the year before
    ("tomorrow", "2019-01-25", None),
    ("over the last four years", "", ("2015", "2019-01-24")),
    ("at the Strelsau 2017 Summit", "2017", None),  # a year inside a name
])
def test_dates_against_the_publication_date(words: str, value: str, bounds: tuple[str, str] | None) -> None:
    found = find_dates(f"It happened {words}.", date(2019, 1, 24))
    assert len(found) == 1
    assert found[0].value == value
    if bounds:
        assert (found[0].earliest, found[0].latest) == bounds
    assert found[0].inferred or re.search(r"\d{4}", words)


def test_a_month_alone_in_a_sentence_about_the_future_is_ahead() -> None:
    assert find_dates("The talks will resume in March.", date(2019, 1, 24))[0].value == "2019-03"


def test_a_future_weekday_is_ahead() -> None:
    assert find_dates("The talks will resume on Monday.", date(2019, 1, 24))[0].value == "2019-01-28"


def test_names_with_variants_and_countries_from_the_table() -> None:
    register = {"people": [{"id": "recep-erdogan", "name": "Recep Tayyip Erdoğan", "familyName": "Erdoğan"}],
                "posts": [{"id": "fm-ruritania", "name": "Foreign Minister of Ruritania", "postIn": "x"}]}
    gaz = Gazetteer.of(register, [{"name": "Ruritania", "wikidata": "http://www.wikidata.org/entity/Q1",
                                   "wikidata_label": "Ruritania", "aliases": "RU"}])
    text = "Recep Tayyip Erdogan met Ruritania's Foreign Minister. Erdogan left; the RU delegation stayed."
    found = [(m.words, m.entity.id) for m in gaz.known_mentions(text)]
    assert found == [("Recep Tayyip Erdogan", "recep-erdogan"), ("Ruritania's Foreign Minister", "fm-ruritania"),
                     ("Erdogan", "recep-erdogan"), ("RU", "ruritania")]
    assert gaz.entities["ruritania"].same_as == "http://www.wikidata.org/entity/Q1"  # from the table, not guessed


def test_draft_yaml_quotes_survive_colons_commas_and_hashes() -> None:
    text = 'Tuesday, March 12, 2024\n\nRudolf Elphberg said "peace: now, #always, {here}" on Monday.\n'
    body = draft_yaml(text, "a.txt", {"people": [{"id": "rudolf-elphberg", "name": "Rudolf Elphberg"}]})
    record = yaml.safe_load(body)
    assert record["statements"][0]["text"] == "peace: now, #always, {here}"
    assert all(words for words in draft_marks(body).values())


def test_a_mark_inside_a_quoted_value_is_not_a_mark() -> None:
    assert draft_marks('evidence: "words #? more"\nname: "x"  #? a title\n') == {2: "a title"}


def test_a_country_two_drafts_name_is_proposed_once(project: Path) -> None:
    articles = project / "seeds" / "articles"
    (articles / ARTICLE).unlink()
    for name in ("one", "two"):
        (articles / f"{name}.txt").write_text(
            f"Tuesday, March 12, 2024\n\nRudolf Elphberg met officials in France on Monday ({name}).\n", "utf-8")
    first = yaml.safe_load(write_draft(articles / "one.txt", project / "seeds").read_text("utf-8"))
    second = yaml.safe_load(write_draft(articles / "two.txt", project / "seeds").read_text("utf-8"))
    assert [p["id"] for p in first["register"]["places"]] == ["france"]
    assert first["register"]["places"][0]["sameAs"] == "http://www.wikidata.org/entity/Q142"  # the table's
    assert "register" not in second or "france" not in str(second["register"])
    assert "france" in str(second["events"])  # referred to: the first draft defines it
    with pytest.raises(RecordError) as caught:
        check(_settings(project))
    assert not [p for p in caught.value.problems if "already claimed" in p.reason or "not defined" in p.reason]


def test_posts_named_by_a_demonym_and_former_holders() -> None:
    from lod_pub.sources.draft.names import post_name

    assert post_name("Greek prime minister", {"Greek": "Greece"}) == "Prime Minister of Greece"
    assert post_name("Iranian President", {"Iranian": "Iran"}) == "President of Iran"
    text = ("Tuesday, March 12, 2024\n\nRudolf Elphberg, the former Foreign Minister of Ruritania, met the French "
            "prime minister Jean Dupont on Monday.\n")
    register = {"people": [{"id": "rudolf-elphberg", "name": "Rudolf Elphberg"}],
                "posts": [{"id": "fm-ruritania", "name": "Foreign Minister of Ruritania", "postIn": "x"}]}
    record = yaml.safe_load(draft_yaml(text, "a.txt", register))
    held = {(r["person"], r["post"], r.get("former")) for r in record["relations"]}
    assert ("rudolf-elphberg", "fm-ruritania", True) in held
    new_posts = {p["name"]: p["id"] for p in record["register"]["posts"]}
    assert "Prime Minister of France" in new_posts
    assert ("jean-dupont", new_posts["Prime Minister of France"], None) in held


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x85", "\ufeff", "\t", "\\", '"', "'", ": ", " #", "\x07"])
def test_every_string_reads_back_exactly(odd: str) -> None:
    from lod_pub.sources.draft.emit import q
    from lod_pub.sources.yamlfile import read_yaml

    words = f"Rudolf{odd}Elphberg said{odd} yes"
    located, problems = read_yaml(f"evidence: {q(words)}\n".encode(), "x.yaml")
    assert problems == [] and located.data == {"evidence": words}


def test_a_post_named_twice_is_one_entry() -> None:
    text = ("Tuesday, March 12, 2024\n\nThe French prime minister Jean Dupont met Rudolf Elphberg on Monday. "
            "The French prime minister Marie Curie met him in 1999.\n")
    record = yaml.safe_load(draft_yaml(text, "a.txt", {"people": [{"id": "rudolf-elphberg", "name": "Rudolf Elphberg"}]}))
    posts = record["register"]["posts"]
    assert [p["name"] for p in posts] == ["Prime Minister of France"]
    assert {r["post"] for r in record["relations"]} == {posts[0]["id"]}


def test_an_event_after_the_article_is_scheduled() -> None:
    text = "Tuesday, March 12, 2024\n\nRudolf Elphberg will visit Strelsau on 20 April.\n"
    record = yaml.safe_load(draft_yaml(text, "a.txt", {"people": [{"id": "rudolf-elphberg", "name": "Rudolf Elphberg"}]}))
    visit = record["events"][0]
    assert visit["startDate"]["value"] == date(2024, 4, 20)  # a day plain, as records write it
    assert visit["status"]["value"] == "scheduled"


def test_a_dateline_is_the_article_s_not_the_first_sentence_s() -> None:
    register = yaml.safe_load((FIXTURE / "seeds" / "entities.yaml").read_text("utf-8"))
    register["organizations"][1]["alternateNames"] = ["RG"]
    text = ("Strelsau, 12 March 2024 (RG): Rudolf Elphberg met Rufus Firefly, the envoy. "
            "The meeting took place on 11th March.\n")
    record = yaml.safe_load(draft_yaml(text, "a.txt", register))
    article = record["article"]
    assert article["dateline"] == {"value": "strelsau", "evidence": "Strelsau, 12 March 2024 (RG)"}
    assert article["publisher"] == "ruritania-gazette" and article["datePublished"]["value"] == date(2024, 3, 12)
    meeting = record["events"][0]
    assert {f["value"] for f in meeting["attendees"]} == {"rudolf-elphberg", "rufus-firefly"}
    assert meeting["startDate"]["value"] == date(2024, 3, 11)  # from "The meeting took place on 11th March"


RULES = yaml.safe_load((FIXTURE / "rules.yaml").read_text("utf-8"))
FICTION = yaml.safe_load((FIXTURE / "seeds" / "entities.yaml").read_text("utf-8"))


def _rule(name: str) -> dict:
    return yaml.safe_load(draft_yaml(RULES[name], "a.txt", FICTION))


def _authors(record: dict) -> list[tuple[str, str]]:
    return [(_value(s["author"]), s["verb"]) for s in record.get("statements") or []]


def _value(fact: object) -> object:
    """A fact's value: the plain value, or the `value` of a fact with evidence."""
    return fact["value"] if isinstance(fact, dict) else fact


def test_a_title_after_a_country_or_before_a_name_of_a_country_is_its_post() -> None:
    record = _rule("holder_posts")  # "Ruritania's president Rudolf Elphberg", "Chancellor Rufus Firefly of Ruritania"
    posts = {p["id"]: p["name"] for p in record["register"]["posts"]}
    held = {(r["person"], posts.get(r["post"], r["post"])) for r in record["relations"]}
    assert ("rudolf-elphberg", "President of Ruritania") in held
    assert ("rufus-firefly", "Chancellor of Ruritania") in held


def test_the_holder_of_a_post_is_the_author_of_the_title_alone() -> None:
    assert ("rudolf-elphberg", "underscored") in _authors(_rule("described_author"))  # "The Foreign Minister also …"


def test_a_name_in_an_apposition_is_not_the_author() -> None:
    assert _authors(_rule("apposition_author")) == [("rufus-firefly", "described")]


def test_he_is_the_last_speaker_or_subject_not_the_last_name() -> None:
    assert _authors(_rule("topic_not_last"))[-1] == ("rufus-firefly", "said")


def test_according_to_him_is_the_last_person_named() -> None:
    assert _authors(_rule("according_to_him")) == [("rufus-firefly", "reported")]


def test_a_quotation_that_goes_on_is_the_same_speaker_s() -> None:
    record = _rule("continued_quote")
    assert _authors(record) == [("rufus-firefly", "said"), ("rufus-firefly", "said")]
    assert record["statements"][1]["text"] == "We will not close it while the talks go on"


def test_a_family_name_after_a_title_is_the_known_person() -> None:
    record = _rule("titled_family_name")  # "President Elphberg", with no full name before
    assert "rudolf-elphberg" in record["article"]["about"]  # ids, as records list them


def test_a_capital_the_mid_sentence_names_an_organisation_and_things_are_no_entries() -> None:
    record = _rule("the_newspaper")
    new = {e["name"]: section for section, items in record["register"].items() for e in items}
    assert new.get("The Zenda Herald") == "organizations"
    assert not [n for n in new if n.endswith(("Week", "Act"))]  # "Strelsau Independence Week", "Border Trade Act"


def test_a_title_alone_before_a_known_person_is_the_one_post_ending_with_it() -> None:
    register = {**FICTION, "posts": [*FICTION["posts"], {"id": "fm-freedonia", "name": "Foreign Minister of Freedonia"}]}
    record = yaml.safe_load(draft_yaml(RULES["bare_title"], "a.txt", register))  # of the country named before
    assert ("rudolf-elphberg", "foreign-minister-of-ruritania") in {(r["person"], r["post"]) for r in record["relations"]}


def test_the_subject_described_is_the_last_organisation_so_named() -> None:
    assert ("ruritania-gazette", "said") in _authors(_rule("subject_description"))  # "The gazette …, but said"


def test_a_participle_reports_the_quotation_after_it_and_ends_the_clause_before() -> None:
    said = {s["verb"]: s["text"] for s in _rule("participle_quote")["statements"]}
    assert said == {"said": 'the border "stays open,"', "saying": "We will not close it"}


def test_a_supreme_leader_is_a_post_and_a_people_s_name_no_entry() -> None:
    countries = [{"iso3": "RUR", "name": "Ruritania", "wikidata": "http://www.wikidata.org/entity/Q0",
                  "wikidata_label": "Ruritania", "aliases": "", "demonym": "Ruritani", "population": "1"}]
    from lod_pub.sources.draft.drafter import draft

    new = {e.name for e, _ in draft(RULES["supreme_title"], "a.txt", FICTION, countries=countries).new}
    assert "Supreme Leader of Ruritania" in new
    assert not [n for n in new if n.endswith("Ruritani")]  # "North Ruritani traders"


def test_a_name_inside_a_quotation_is_not_whom_he_refers_to() -> None:
    assert _authors(_rule("name_in_a_quotation"))[-1] == ("rufus-firefly", "added")


def test_event_words_of_cameo_codes_beyond_the_first_table() -> None:
    events = [(e["type"], e["cameo"]) for e in _rule("event_words")["events"]]
    assert events == [("Attack", "1952"), ("Event", "015"), ("DiplomaticEvent", "057")]


def test_reported_words_end_before_a_with_clause() -> None:
    assert [s["text"] for s in _rule("clause_with")["statements"]] == ["long queues at the border"]


def test_event_words_from_the_codebook_names_and_phrases_not_inside_names() -> None:
    record = _rule("codebook_verbs")  # "vetoed": CAMEO 129 "Veto"; "staff talks" a phrase; "Strelsau Rally" a name
    assert [(e["type"], e["cameo"]) for e in record["events"]] == [("Event", "129"), ("StaffTalks", "046")]


def test_a_passive_verb_makes_its_subject_the_victim_and_by_the_perpetrator() -> None:
    (event,) = _rule("passive_event")["events"]
    roles = {(p["value"] if "value" in p else p["agent"], p["role"]) for p in event["participants"]}
    assert roles == {("rufus-firefly", "victim"), ("rudolf-elphberg", "perpetrator")}


def test_a_verb_in_someone_s_reported_words_is_no_event() -> None:
    record = _rule("reported_background")  # "noted that Ruritania rejected …": a statement, no event
    assert not record.get("events")
    assert len(record["statements"]) == 1


def test_two_verbs_of_different_codes_joined_by_and_are_two_events() -> None:
    events = _rule("two_events")["events"]
    assert [e["cameo"] for e in events] == ["174", "163"]


def test_the_words_after_an_event_word_narrow_its_code() -> None:
    # "accused … of war crimes": 1124 under 112 (the codebook's names); withdrawing from a treaty rejects it
    # (127), sending troops mobilises them (154)
    events = _rule("narrower_codes")["events"]
    assert [(e["type"], e["cameo"]) for e in events] == [
        ("Event", "1124"), ("DiplomaticEvent", "127"), ("MilitaryOperation", "154")]


def test_the_source_cited_is_no_statement_and_whose_ends_the_words() -> None:
    record = _rule("citing_whose")
    assert [(s["verb"], s["text"]) for s in record["statements"]] == [
        ("reported", "the border stays open"), ("alleged", "the guards are tired")]


def test_a_name_spelt_another_way_beside_a_verb_and_a_given_name_after_a_title() -> None:
    record = _rule("name_variants")  # "Tarlenheym said" after "Sapt Tarlenheim"; "Envoy Sapt added"
    (person,) = [p["id"] for p in record["register"]["people"] if p["name"] == "Sapt Tarlenheim"]
    assert [_value(s["author"]) for s in record["statements"]] == [person, person]


def test_more_verbs_of_saying_and_a_verb_form_after_an_article_is_no_verb() -> None:
    # "urged": a statement; "The alleged plot", "a proposed treaty": adjectives; "conceded" reports the words before
    record = _rule("more_verbs")
    assert [(_value(s["author"]), s["verb"]) for s in record["statements"]] == [
        ("rufus-firefly", "urged"), ("rudolf-elphberg", "conceded")]


def test_a_body_or_place_of_a_known_one_and_one_word_names_of_companies_and_papers() -> None:
    # "the Trade Office of Ruritania", "the Gulf of Strelsau": one name, the known place inside it;
    # "the gas producer Hentzau", "Kratz reported": one word after a common noun of a body, or before a report
    register = _rule("body_names")["register"]
    assert {(o["name"], o.get("type")) for o in register["organizations"]} >= {
        ("Trade Office of Ruritania", "GovernmentOrganization"), ("Hentzau", "Organization"), ("Kratz", "Organization")}
    assert "Gulf of Strelsau" in {p["name"] for p in register["places"]}


def test_a_capital_as_the_subject_of_a_verb_is_its_country_s_government() -> None:
    text = "Tuesday, March 12, 2024\n\nParis expelled the envoy of Ruritania on Monday. The envoy flew to Paris.\n"
    register = {"places": [{"id": "paris", "name": "Paris", "type": "City"}]}
    record = yaml.safe_load(draft_yaml(text, "a.txt", register))
    (event,) = record["events"]
    assert [f["value"] for f in event["organizers"]] == ["government-of-france"]  # countryinfo: France's capital


def test_an_event_takes_the_date_nearest_its_word_and_a_place_named_before_its_noun() -> None:
    attack, bombing = _rule("nearest_date_place")["events"]
    assert str(attack["startDate"]["value"]) == "2024-03-11"  # "attacked … on Monday", not "founded in 1990"
    assert bombing["location"]["value"] == "strelsau"  # "A Strelsau bombing"


def test_an_event_noun_in_the_plural_and_mourning_as_a_symbolic_act() -> None:
    events = _rule("plurals_symbolic")["events"]
    assert [(e["type"], e["cameo"]) for e in events] == [("Attack", "183"), ("Event", "017")]


def test_reported_words_go_on_after_and_as_a_second_statement_without_where_they_were_said() -> None:
    record = _rule("and_clause")
    assert [(_value(s["author"]), s["text"]) for s in record["statements"]] == [
        ("rufus-firefly", "the border stays open"), ("rufus-firefly", "the guards were sent home")]


def test_what_was_told_comes_after_whom_it_was_told_to() -> None:
    record = _rule("told_audience")
    assert [(_value(s["author"]), s["text"], s["verb"]) for s in record["statements"]] == [
        ("rufus-firefly", "the border stays open", "told"), ("rudolf-elphberg", "We will stay", "told")]


def test_a_name_in_a_citing_apposition_is_not_the_author() -> None:
    assert _authors(_rule("apposition_citing")) == [("rufus-firefly", "said")]


def test_pledging_aid_is_an_intent_to_provide_it_narrowed_by_its_kind() -> None:
    (event,) = _rule("pledged_aid")["events"]  # 033 "Express intent to provide material aid", humanitarian: 0333
    assert (event["type"], event["cameo"]) == ("DiplomaticEvent", "0333")


def test_designating_a_terrorist_group_and_encouraging_allies_are_events() -> None:
    events = _rule("designated")["events"]  # 172 "Impose administrative sanctions"; 020 "Make an appeal or request"
    assert [(e["type"], e["cameo"]) for e in events] == [("Event", "172"), ("DiplomaticEvent", "020")]


def test_it_said_is_the_last_organisation_named_before() -> None:
    assert _authors(_rule("it_said")) == [("ruritania-gazette", "said")]


def test_a_verb_after_a_relative_that_is_a_verb() -> None:
    assert [s["text"] for s in _rule("that_said")["statements"]] == ["the border stays open"]


def test_the_noun_of_something_else_is_another_event_and_the_noun_alone_the_same() -> None:
    # "The evacuation ended in Strelsau": the one reported (its place added); "The evacuation of the guards": another
    events = _rule("the_x_of")["events"]
    assert [e["type"] for e in events] == ["Evacuation", "Evacuation"]
    assert events[0]["location"]["value"] == "strelsau"


def test_new_names_around_known_ones_papers_and_places_by_their_nouns() -> None:
    # "The Ruritania Department of Posts", "Northern Ruritania": one new name around a known one; "The Daily Zendan
    # Telegraph" keeps its "The"; "the Hentzau oil field", "the Strelsau provincial council": a name and its noun
    register = _rule("names_around_known")["register"]
    names = {(kind, e["name"]) for kind, items in register.items() for e in items}
    assert {("organizations", "Ruritania Department of Posts"), ("organizations", "The Daily Zendan Telegraph"),
            ("places", "Hentzau oil field"), ("places", "Northern Ruritania"),
            ("organizations", "Strelsau provincial council")} <= names
    assert not any("Elphberg" in n for _, n in names)  # a known name does not run on past "for"


def test_an_acronym_in_brackets_names_the_same_entity_later() -> None:
    record = _rule("acronym_after_name")
    (guard,) = [o for o in record["register"]["organizations"] if o["name"].startswith("Freedonian")]
    assert _authors(record) == [(guard["id"], "said")]  # "The FPGF said": the Freedonian Popular Guard Forces


def test_a_title_of_a_known_place_is_a_post_and_a_name_after_it_a_person() -> None:
    # "Chief of Army Staff of Ruritania", "Ruritania Ambassador to Freedonia Flavia Strel": posts of a known
    # country, a short form of a country written out, the person after the title; "the Islamic Republic of
    # Freedonia" is the country's own name, no new entry
    fiction = {**FICTION, "places": [*FICTION["places"], {"id": "freedonia", "type": "Country", "name": "Freedonia"}]}
    register = yaml.safe_load(draft_yaml(RULES["titles_of_known"], "a.txt", fiction))["register"]
    names = {(kind, e["name"]) for kind, items in register.items() for e in items}
    assert {("posts", "Chief of Army Staff of Ruritania"), ("posts", "Ruritania Ambassador to Freedonia"),
            ("people", "Flavia Strel")} <= names
    assert not any("Islamic" in n for _, n in names)


def test_a_statement_quotes_its_own_clause() -> None:
    # the clause of the verb to the end of what was said, where another clause follows or starts before it
    evidence = [s["evidence"] for s in _rule("statement_clauses")["statements"]]
    assert evidence == [
        "Rufus Firefly said the border would reopen on Friday",
        'adding "We will not close it again."',
        "but Rudolf Elphberg said the talks went well.",
        "Rudolf Elphberg said the talks went well, as the border was open.",  # ", as …": nothing left out
    ]


def test_statements_after_a_colon_a_phrasal_verb_a_source_by_whom_and_responsibility_claimed() -> None:
    record = _rule("statement_forms")
    said = [(_value(s["author"]), s["verb"], s["text"]) for s in record["statements"]]
    guard = next(o["id"] for o in record["register"]["organizations"] if o["name"] == "Strelsau Guard")
    assert said == [
        ("rudolf-elphberg", "praised", "He kept the border open"),  # the quotation a colon opens
        ("rufus-firefly", "called on", "Ruritania to reopen the border"),
        ("ruritania-gazette", "stated", "the talks will go on"),  # a statement issued by X: X stated
        ("rufus-firefly", "tweeted", "The border stays open"),
        (guard, "claimed", "responsibility for the fire"),
    ]


def test_an_event_named_again_takes_the_place_it_took_place_at_not_its_topic_s() -> None:
    (meeting,) = _rule("place_named_again")["events"]
    assert meeting["location"]["value"] == "strelsau"  # "took place at Strelsau", not "the trade in Ruritania"


def test_a_country_that_describes_a_person_takes_no_part() -> None:
    (meeting,) = _rule("country_of_a_person")["events"]  # "Rudolf Elphberg of Ruritania", "Rufus Firefly, a … envoy"
    assert {f["value"] for f in meeting["attendees"]} == {"rudolf-elphberg", "rufus-firefly"}


def test_titles_of_office_before_a_name_and_after_a_reporting_verb() -> None:
    record = _rule("titles_of_office")
    names = {(kind, e["name"]) for kind, items in record["register"].items() for e in items}
    assert {("people", "Flavia Strel"), ("posts", "Senate Minority Whip"), ("people", "Rupert Hentzau"),
            ("posts", "District Attorney of Zenda County")} <= names
    hentzau = next(e["id"] for e in record["register"]["people"] if e["name"] == "Rupert Hentzau")
    assert _authors(record) == [(hentzau, "said")]  # the name after the verb and its title


def test_demonyms_countryinfo_lacks_and_a_title_of_a_place_before_a_name() -> None:
    countries = [{"name": "United Kingdom", "wikidata": "http://www.wikidata.org/entity/Q145", "wikidata_label":
                  "United Kingdom", "aliases": "", "iso3": "GBR", "demonym": "British", "population": "1"},
                 {"name": "Saudi Arabia", "wikidata": "http://www.wikidata.org/entity/Q851", "wikidata_label":
                  "Saudi Arabia", "aliases": "", "iso3": "SAU", "demonym": "Saudi Arabian|Saudi", "population": "1"}]
    gaz = Gazetteer.of(FICTION, countries)
    assert {m.words: m.entity.id for m in gaz.known_mentions("British officials met Saudi officials.")} == {
        "British officials": "united-kingdom", "Saudi officials": "saudi-arabia"}  # each demonym of a country
    from lod_pub.sources.draft.names import country_table
    own = {r["iso3"]: r["demonym"] for r in country_table()}
    assert own["GBR"] == "British" and "Saudi" in own["SAU"].split("|")  # countryinfo's "Welsh" replaced
    register = _rule("demonyms_and_titles")["register"]
    names = {(kind, e["name"]) for kind, items in register.items() for e in items}
    assert {("posts", "First Minister of Zenda"), ("people", "Flavia Strel")} <= names


def test_a_person_s_name_ends_before_of_and_places_bodies_and_titles_by_their_words() -> None:
    register = _rule("name_words")["register"]
    names = {(kind, e["name"]) for kind, items in register.items() for e in items}
    assert {("people", "Flavia Strel"), ("places", "Strelsau Hospital"), ("posts", "Speaker of the House"),
            ("people", "Sapt Tarlenheim")} <= names  # "Senator Flavia Strel of Zenda", "Representatives Sapt …"
    assert not any(n.startswith(("Because", "Representatives")) or n.endswith("of Zenda") for _, n in names)


def test_officials_speak_for_the_one_country_that_acts_in_the_sentence() -> None:
    assert _authors(_rule("officials_of_a_country")) == [("government-of-ruritania", "saying")]


def test_a_verb_of_a_stance_reports_a_clause_not_a_thing() -> None:
    # "maintains that …" a statement; "maintained his lead", "was considered the favourite" none
    assert _authors(_rule("stance_verbs")) == [("government-of-ruritania", "maintains")]


def test_an_unnamed_source_makes_no_statement_but_a_source_cited_does_not_stop_one() -> None:
    assert _authors(_rule("unnamed_source")) == [("ruritania-gazette", "reported")]


def test_reported_words_past_a_relative_clause_a_position_held_two_subjects_and_two_words() -> None:
    said = [(_value(s["author"]), s["verb"], s["text"]) for s in _rule("reported_words_shapes")["statements"]]
    assert said == [
        ("rufus-firefly", "said", "the bridge, which was built in 1990, is closed to trucks"),
        ("government-of-ruritania", "maintains", "the river is its border"),
        ("ruritania-gazette", "alleged", "foreign involvement"),
        ("government-of-ruritania", "alleged", "foreign involvement"),  # "both Ruritania and the … Gazette"
        ("rudolf-elphberg", "denied", "the accusation"),
    ]


def test_a_claim_by_someone_in_the_passive_and_a_place_three_words_after_the_event_named_again() -> None:
    record = _rule("claimed_by")
    said = [(_value(s["author"]), s["verb"], s["text"]) for s in record["statements"]]
    assert ("ruritania-gazette", "claimed", "responsibility for the attack on the bridge") in said
    claim = next(s for s in record["statements"] if s["verb"] == "claimed")
    assert claim["paraphrase"] == "true"  # the drafter's words, so marked, as `check` asks
    assert all("paraphrase" not in s for s in record["statements"] if s is not claim)
    meeting = next(e for e in record["events"] if e["type"] == "Meeting")
    assert meeting["location"]["value"] == "strelsau"  # "the meeting which was held in Strelsau"


def test_an_acronym_that_does_not_fit_the_name_before_it_names_nothing() -> None:
    # "(CBR)" after "Ruritania", the end of a name the drafter did not take whole: not Ruritania
    assert ("government-of-ruritania", "said") not in _authors(_rule("acronym_not_fitting"))


def test_places_by_their_first_word_titles_with_a_full_stop_and_things_of_war_are_no_people() -> None:
    register = _rule("names_not_people")["register"]
    names = {(kind, e["name"]) for kind, items in register.items() for e in items}
    assert {("people", "Flavia Strel"), ("places", "New Strelsau"), ("organizations", "Zenda Safety Board")} <= names
    assert not any(n.startswith(("So ", "Dr")) or "War" in n for _, n in names)


def test_a_speaker_named_after_the_verb_and_where_it_was_said_before_the_words() -> None:
    record = _rule("said_where")
    said = [(_value(s["author"]), s["verb"], s["text"]) for s in record["statements"]]
    assert said == [
        ("rufus-firefly", "said", "The border stays open"),  # '"…," said palace spokesperson Rufus Firefly'
        ("rudolf-elphberg", "said", "We will not close it"),  # 'said at a press conference: "…"'
        ("rudolf-elphberg", "said", "the bridge is closed to trucks"),  # "said on Zenda Radio that …"
        ("rudolf-elphberg", "added", "The river is our border"),  # 'He went on to add, "…"'
    ]
    assert not record.get("events")  # a press conference is no meeting


def test_according_to_a_titled_source_and_not_past_its_description() -> None:
    said = [(_value(s["author"]), s["verb"], s["text"]) for s in _rule("according_titled")["statements"]]
    assert said == [
        ("rufus-firefly", "reported", "The envoys left Strelsau on Monday"),  # "according to chancellor X on Tuesday"
        ("rudolf-elphberg", "reported", "The bridge is closed to trucks"),  # "…, according to X, the head of …"
    ]  # "According to the Ruritania Gazette, who first named them, …": where its words start is left to the editor


def test_a_capital_s_government_is_its_country_s() -> None:
    register = {**FICTION, "places": [*FICTION["places"], {"id": "kabul", "name": "Kabul", "type": "City"}]}
    record = yaml.safe_load(draft_yaml(RULES["capital_government"], "a.txt", register))
    assert _authors(record) == [("government-of-afghanistan", "said")]  # "The Kabul government said"
