"""What the check of each fact of a record finds beside the schema, with file, line and field: a caption
that is not the article's words, an http(s) URL that is no URL, and a quote that YAML cut at an unquoted
comma (reported once, as the cut; a field on a line of its own is no piece of the quote above it)."""

from __future__ import annotations


import pytest

from helpers import edit, problems
from lod_pub.errors import Problem

ARTICLE = "seeds/articles/000_ed0bee0b2eb72bc6.yaml"
ATTENDEE = '- {value: sohail-mahmood, evidence: "Foreign Secretary of Pakistan, Sohail Mahmood, met a delegation"}'
FIELD = "events[0].attendees[0]"


def places(found: list[Problem]) -> list[tuple[str, int | None, str]]:
    return [(p.file, p.line, p.field) for p in found]


def test_a_caption_not_in_the_article_is_refused(project_copy):
    line = edit(project_copy, ARTICLE, "caption: Pakistan's Foreign Secretary,", "caption: Pakistan's Foreign Minister,")
    found = problems(project_copy)
    assert places(found) == [(ARTICLE, line, "article.caption")]
    assert "is not in the article" in found[0].reason


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_url_with_a_port_out_of_range_is_refused_with_its_place(project_copy, scheme):
    line = edit(project_copy, ARTICLE, "  inLanguage: en\n", f"  inLanguage: en\n  url: {scheme}://example.org:99999/news\n")
    found = problems(project_copy)
    assert places(found) == [(ARTICLE, line + 1, "article.url")]
    assert f"'{scheme}://example.org:99999/news' is not a valid URL" in found[0].reason


def test_a_quote_cut_by_an_unquoted_comma_is_reported_once_as_the_cut(project_copy):
    """The words before the comma are not the article's either (a typo): the editor is told of the comma,
    not also of a quote that is only the first piece of theirs."""
    line = edit(project_copy, ARTICLE, ATTENDEE,
                "- {value: sohail-mahmood, evidence: Foreign Secretary of Pakistn, Sohail Mahmood, met a delegation}")
    found = problems(project_copy)
    assert places(found) == [(ARTICLE, line, f"{FIELD}.evidence")]
    assert "unquoted ', '" in found[0].reason


def test_a_field_on_a_line_of_its_own_is_no_piece_of_the_quote_above_it(project_copy):
    line = edit(project_copy, ARTICLE, ATTENDEE, "- value: sohail-mahmood\n        evidence: Foreign Secretary of Pakistn\n"
                                                 "        Sohail Mahmood: met a delegation")
    found = {(p.file, p.line, p.field): p.reason for p in problems(project_copy)}
    assert "is not in the article" in found[(ARTICLE, line + 1, f"{FIELD}.evidence")]
    assert "unknown field 'Sohail Mahmood'" in found[(ARTICLE, line + 2, f"{FIELD}.Sohail Mahmood")]
