"""A Draft written out in the record format, laid out as docs/records.md writes records: every quote of the
article (`evidence`, a statement's `text`, an `inferred` reason) double-quoted, so that no colon, comma or '#'
can break it; ids, types, codes and verbs plain where YAML reads them back as the same string (`type: Attack`,
`cameo: "040"`); every value the editor must decide followed by a `#?` mark saying what to decide.

`lod-pub check` lists the marks left, in the order of the text (corpus.draft_marks); the editor confirms a
value by deleting its mark, corrects it, or deletes the value.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import yaml

from .drafter import Draft
from .facts import DraftEvent, DraftStatement, Fact
from .names import Entity
from .text import line_of

MARK = "#?"
HEADER = """\
# A draft of {file} written by `lod-pub draft`: a proposal, not a record yet.
# Every value followed by `{mark}` is the drafter's guess: check it against the text, correct it or delete it,
# then delete the mark. `lod-pub check` lists the marks still left, in the order of the text, and publishes
# nothing while any is left. The `register` section at the end proposes new entries for seeds/entities.yaml:
# move each one you keep there (a record does not publish them), or replace its id here with a known one.
# Facts the drafter did not find are yours to add (docs/records.md); passages left out go in `left_out`.
"""


#: characters YAML reads as a line break (or drops) inside a quoted value, which JSON leaves as they are
_YAML_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085", "\ufeff": "\\ufeff"}


def q(value: str) -> str:
    """value as a YAML quoted string, read back as exactly value: single-quoted when it holds a double quote
    mark and nothing YAML would fold or escape (as records write '"…," he said.'), else double-quoted (JSON's
    escapes are YAML's)."""
    if '"' in value and not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]", value) and value.strip() == value:
        return "'" + value.replace("'", "''") + "'"
    quoted = json.dumps(value, ensure_ascii=False)
    for char, escape in _YAML_BREAKS.items():
        quoted = quoted.replace(char, escape)
    return quoted


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def p(value: str, flow: bool = False) -> str:
    """value plain where YAML reads it back as exactly that string (inside `{…}` or `[…]` when flow), else
    quoted: `Attack`, `maidan-shahr`, `Benin, Nigeria join …` (a comma is plain outside `{…}`), `"040"` (a number
    otherwise), `"yes"` (a boolean otherwise); a day (`2019-01-24`) plain, as records write dates."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value  # a day plain, as records write dates (YAML reads it as a date)
    shape = r"[A-Za-z0-9][\w.'’/()-]*(?: [\w.'’/()-]+)*" if flow else r"[A-Za-z0-9](?:[^\s#:]|:(?! )|[ \t](?!#))*"
    if not re.fullmatch(shape, value) or value.endswith((":", " ")):
        return q(value)
    try:
        back = yaml.load(f"[{value}]" if flow else f"k: {value}", Loader=_LOADER)
    except yaml.YAMLError:
        return q(value)
    return value if back == ([value] if flow else {"k": value}) else q(value)


def _mark(text: str, why: str, quote: str = "") -> str:
    if not why:
        return ""
    where = f" (text line {line_of(text, text.find(quote))})" if quote and quote in text else ""
    return f"  {MARK} {why}{where}".replace("\n", " ")


def _value(fact: Fact, flow: bool) -> str:
    """A fact's value; a year plain where the fact is a date ("startDate: {value: 2015, …}", as records write
    it), not where it could be a code ("1832")."""
    return fact.value if fact.year and re.fullmatch(r"\d{4}", fact.value) else p(fact.value, flow)


def _fact(fact: Fact) -> str:
    parts = [f"value: {_value(fact, True)}"]
    if fact.evidence:
        parts.append(f"evidence: {q(fact.evidence)}")
    if fact.inferred:
        parts.append(f"inferred: {q(fact.inferred)}")
    return "{" + ", ".join(parts) + "}"


def _line(indent: str, key: str, value: Any, text: str) -> str:
    if isinstance(value, Fact):
        mark = _mark(text, value.mark, value.evidence or text[:1])
        if value.evidence and value.inferred:  # a fact with its quote and its reason: a line each, as records have it
            return "\n".join([f"{indent}{key}:{mark}", f"{indent}  value: {_value(value, False)}",
                              f"{indent}  evidence: {q(value.evidence)}", f"{indent}  inferred: {q(value.inferred)}"])
        body = _fact(value) if (value.evidence or value.inferred) else _value(value, False)
        return f"{indent}{key}: {body}{mark}"
    if isinstance(value, dict):
        inner = ", ".join(f"{k}: {p(str(v), True)}" for k, v in value.items())
        return f"{indent}{key}: {{{inner}}}"
    return f"{indent}{key}: {p(str(value))}"


def _facts(indent: str, key: str, facts: list[Fact], text: str, one: bool = False) -> list[str]:
    """A list of facts, one a line; a single one as the value itself when one (`location: {value: …}`)."""
    if not facts:
        return []
    if one and len(facts) == 1:
        return [f"{indent}{key}: {_fact(facts[0])}{_mark(text, facts[0].mark, facts[0].evidence)}"]
    lines = [f"{indent}{key}:"]
    for fact in facts:
        lines.append(f"{indent}  - {_fact(fact)}{_mark(text, fact.mark, fact.evidence)}")
    return lines


def _event(event: DraftEvent, text: str) -> list[str]:
    s = event.sentence.text
    why = f"an event? from {event.trigger!r}: its type, CAMEO code, name and id"
    lines = [f"  - id: {p(event.id)}{_mark(text, why, s)}",
             f"    type: {p(event.type)}",
             f"    cameo: {p(event.cameo)}",
             f"    name: {p(event.name)}"]
    for key, fact in event.dates.items():
        lines.append(_line("    ", key, fact, text))
    if event.status is not None:
        lines.append(_line("    ", "status", event.status, text))
    if event.location:
        lines += _facts("    ", "location", event.location, text, one=True)
    lines += _facts("    ", "attendees", event.attendees, text)
    lines += _facts("    ", "organizers", event.organizers, text)
    if event.participants:
        lines.append("    participants:")
        for fact, role in event.participants:
            lines.append(f"      - {{agent: {p(fact.value, True)}, role: {p(role, True)}, evidence: {q(fact.evidence)}}}"
                         f"{_mark(text, fact.mark, fact.evidence)}")
    return lines


PARAPHRASED = "the words of `text` are the drafter's, not the article's: keep them so marked, or quote the article"


def _statement(st: DraftStatement, text: str) -> list[str]:
    how = "quoted in the article" if st.quoted else "in reported speech"
    s = st.evidence or st.sentence.text
    # the author's evidence is the statement's own as a rule: then the author is the plain id, as records write it
    author = p(st.author.value) if st.author.evidence in ("", s) and not st.author.inferred else _fact(st.author)
    return [f"  - id: {p(st.id)}{_mark(text, 'a statement? its id, and what it is about (`about`)', s)}",
            f"    author: {author}{_mark(text, st.author.mark, s)}",
            f"    verb: {p(st.verb)}",
            f"    text: {q(st.text)}{_mark(text, f'what was said? ({how})', s)}",
            *([f'    paraphrase: "true"{_mark(text, PARAPHRASED, s)}'] if st.paraphrase else []),
            f"    about: [{', '.join(p(a, True) for a in st.about)}]",
            f"    evidence: {q(s)}"]


def _entry(entity: Entity, words: str, text: str, at: int) -> str:
    fields = [f"id: {p(entity.id, True)}", f"name: {p(entity.name, True)}"]
    if entity.kind in ("organization", "place"):
        fields.append(f"type: {p(entity.type, True)}")
    if entity.same_as:
        fields.append(f"sameAs: {q(entity.same_as)}")
    if entity.location:
        fields.append(f"location: {p(entity.location, True)}")
    what = f"a new {entity.kind}? first named as {words!r} (text line {line_of(text, at)})"
    if entity.kind == "post":
        what += "; give the organisation it is a post in (postIn)"
    return "    - {" + ", ".join(fields) + "}  " + MARK + " " + what.replace("\n", " ")


def render(draft: Draft) -> str:
    text = draft.text
    out = [HEADER.format(file=draft.file_name, mark=MARK), "article:"]
    for key, value in draft.article.items():
        if key != "curation":  # last, after `about`, as records have it
            out.append(_line("  ", key, value, text))
    lede = [(m, s) for m, s in draft.about if s.index <= 2]
    others = [(m, s) for m, s in draft.about if s.index > 2]
    if others:
        out.append("  # also named, in no drafted fact (add any that belongs to a fact): " + "; ".join(
            f"{m.entity.id} ({m.words!r}, text line {line_of(text, m.start)})" for m, _ in others))
    if lede:  # a list of ids on one line, as records write `about`; one mark naming each one's words
        named = "; ".join(f"{m.entity.id}: {m.words!r}" + (f" ({m.note})" if m.note else "") for m, _ in lede)
        why = f"what the article is about? keep only those it is about ({named})"
        out.append(f"  about: [{', '.join(p(m.entity.id, True) for m, _ in lede)}]{_mark(text, why, lede[0][1].text)}")
    if "curation" in draft.article:
        out.append(_line("  ", "curation", draft.article["curation"], text))
    if draft.events:
        out.append("\nevents:")
        for event in draft.events:
            out += _event(event, text)
    if draft.statements:
        out.append("\nstatements:")
        for st in draft.statements:
            out += _statement(st, text)
    if draft.holdings:
        out.append("\nrelations:")
        for h in draft.holdings:
            former = ", former: true" if h.former else ""
            out.append(f"  - {{type: holds, person: {p(h.person, True)}, post: {p(h.post, True)}{former}, "
                       f"evidence: {q(h.evidence)}}}{_mark(text, 'holds this post?', h.evidence)}")
    sections = {"person": "people", "organization": "organizations", "place": "places", "post": "posts"}
    entries = [(e, m) for e, m in draft.new if e.kind in sections]
    if entries:
        out.append("\nregister:")
        for kind, section in sections.items():
            mine = [(e, m) for e, m in entries if e.kind == kind]
            if mine:
                out.append(f"  {section}:")
                out += [_entry(e, m.words, text, m.start) for e, m in mine]
    return "\n".join(out) + "\n"
