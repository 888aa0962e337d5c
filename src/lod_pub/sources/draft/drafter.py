"""An article's text in, a proposed record out (a Draft, written as YAML by emit.py).

    draft(text, file_name, register, url=None, published=None, countries=None) -> Draft
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import unquote, urlsplit

from .dates import find_dates, published_date
from .facts import (ACCORDING, ADVERBS, ATTENDED, CLAUSE_START, NOUN_EVENTS, PLACE_PREPOSITIONS, PRONOUNS, REPORTING, DraftEvent,
                    DraftStatement, Fact, Holding, after, as_reported, date_facts, event_triggers, holdings, lemma, quotes_in,
                    reported_parts, reporting_verbs, statement_clause, statement_text)
from .names import TITLE_HEADS, TITLE_WORDS, Entity, Gazetteer, Mention, org_type, place_type, post_name, slug, unknown_names
from .text import Sentence, sentences


@dataclass
class Draft:
    file_name: str
    text: str
    article: dict[str, Any]  # field -> Fact or str
    events: list[DraftEvent] = field(default_factory=list)
    statements: list[DraftStatement] = field(default_factory=list)
    holdings: list[Holding] = field(default_factory=list)
    about: list[tuple[Mention, Sentence]] = field(default_factory=list)
    new: list[tuple[Entity, Mention]] = field(default_factory=list)  # proposed entries, first mention
    mentions: list[Mention] = field(default_factory=list)


class _Ids:
    def __init__(self, taken: Iterable[str]):
        self.taken = set(taken)

    def mint(self, base: str) -> str:
        base = slug(base)[:80].strip("-") or "item"
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        return candidate


def _sentence_of(sents: list[Sentence], offset: int) -> Sentence:
    return next((s for s in sents if s.start <= offset < s.end), sents[-1])


KILLED = re.compile(r"\b(?:killed|kills|killing|assassinated|murdered|shot dead)\b")
HEADS = "|".join(sorted({w.lower() for w in TITLE_HEADS} - {"state", "general"}))


def _demonym_posts(text: str, gaz: Gazetteer, taken: list[Mention], ids: _Ids,
                   proposed: dict[str, Entity]) -> list[Mention]:
    """"the Greek prime minister Kyriakos Mitsotakis": a post in lower case after a demonym, before a name
    (one entity a name: proposed holds the new entities by name, and gets those made here)."""
    if not gaz.demonyms:
        return []
    pattern = re.compile(rf"\b({'|'.join(map(re.escape, gaz.demonyms))}) ((?:[a-z]+ ){{0,2}}?(?:{HEADS}))"
                         rf"(?= [A-Z])")
    found = []
    for m in pattern.finditer(text):
        if any(not (m.end() <= t.start or m.start() >= t.end) for t in taken):
            continue
        name = post_name(m.group(), gaz.demonyms)
        entity = _known_post(gaz, name) or proposed.get(name) or Entity(ids.mint(name), "post", name, new=True)
        proposed.setdefault(name, entity)
        found.append(Mention(m.start(), m.end(), m.group(), entity))
    return found


def _post_of(gaz: Gazetteer, holder: Entity, title: str, ids: _Ids, proposed: dict[str, Entity]) -> Entity:
    """The post `title` of a country or an organisation: the register's ("Chairperson of the African Union"),
    else one proposed (one entity a name)."""
    title = " ".join(w[:1].upper() + w[1:] for w in title.split())
    names = [f"{title} of {holder.name}", f"{title} of the {holder.name}"]
    if holder.kind == "organization" and not holder.name.startswith(("Government", "the ")):
        names.reverse()  # "Chairperson of the African Union"
    for name in names:
        if (known := _known_post(gaz, name)) is not None:
            return known
        if name in proposed:
            return proposed[name]
    entity = Entity(ids.mint(names[0]), "post", names[0], new=True)
    proposed[names[0]] = entity
    return entity


#: words of a title before its head, in lower case ("energy minister", "foreign secretary")
PORTFOLIOS = {"energy", "trade", "finance", "health", "interior", "defence", "defense", "foreign", "prime",
              "deputy", "vice", "chief", "military", "economy", "justice", "education", "oil", "transport",
              "environment", "agriculture", "home", "state", "acting", "interim", "senior", "general"}
TITLE_RUN = rf"((?:[A-Za-z]+ ){{0,2}}?(?:{HEADS}|{HEADS.title()}))"


def _holder_posts(text: str, gaz: Gazetteer, taken: list[Mention], ids: _Ids,
                  proposed: dict[str, Entity]) -> list[Mention]:
    """A title after a country or an organisation, before a name: "Niger's president Mahamadou Issoufou",
    "AU chairperson President Abdel Fattah el-Sisi" (the post of that country or organisation); and a title
    before a name and its country: "President Abdel Fattah el-Sisi of Egypt"."""
    found: list[Mention] = []
    holders = [m for m in taken if m.entity.kind == "organization" or m.entity.type == "Country"]
    for h in holders:
        m = re.match(rf"(?:'s|’s)? {TITLE_RUN}(?= [A-Z])", text[h.end:])
        if m is None or m.group(1).split()[0] in TITLE_HEADS and m.group(1).count(" ") or not all(
                w.lower() in PORTFOLIOS or w.title() in TITLE_WORDS for w in m.group(1).split()[:-1]):
            continue  # "AU chairperson President …": the first title only; "Ruritania sent Minister …": none
        start, end = h.start, h.end + m.end()
        if any(not (end <= t.start or start >= t.end) for t in taken if t is not h) or any(
                t.start == start for t in found):
            continue
        found.append(Mention(start, end, text[start:end], _post_of(gaz, h.entity, m.group(1), ids, proposed)))
    people = [m for m in taken if m.entity.kind == "person"]
    found += _bare_titles(text, gaz, people, [*taken, *found])
    for p in people:
        after_name = re.match(r" of (?:the )?", text[p.end:])
        country = next((t for t in holders if after_name and t.start == p.end + after_name.end()), None)
        title = re.search(rf"\b({'|'.join(sorted(TITLE_HEADS, key=len, reverse=True))})s? $", text[max(0, p.start - 30):p.start])
        if country is None or title is None:
            continue
        at = p.start - len(title.group())
        if any(not (p.start <= t.start or at >= t.end) for t in [*taken, *found]):
            continue
        found.append(Mention(at, p.start - 1, text[at:p.start - 1], _post_of(gaz, country.entity, title.group(1),
                                                                             ids, proposed)))
    return found


BARE_TITLE = re.compile(r"((?:[A-Z][a-z]+ (?:of |for )?){1,4})$")


def _bare_titles(text: str, gaz: Gazetteer, people: list[Mention], taken: list[Mention]) -> list[Mention]:
    """A title without its country before a known person ("sent Secretary of State Mike Pompeo"): the one
    post of the register whose name ends with it ("United States Secretary of State"); none when several do."""
    posts = [e for e in gaz.entities.values() if e.kind == "post"]
    found = []
    for p in people:
        m = BARE_TITLE.search(text[max(0, p.start - 60):p.start])
        if m is None:
            continue
        words = m.group(1).split()
        while words and words[0] not in TITLE_WORDS:
            words = words[1:]  # "sent Secretary …", "Later President …"
        if not words or not all(w in TITLE_WORDS or w in ("of", "for") for w in words) or not any(
                w in TITLE_HEADS for w in words):
            continue
        title = " ".join(words)
        matches = [e for e in posts if e.name == title or e.name.endswith(" " + title)
                   or e.name.startswith(title + " of ")]
        if len(matches) > 1:  # "Ruritania sent Foreign Minister …": the post of a country or body named just before
            near = {t.entity.name for t in taken if p.start - 150 <= t.start < p.start and t.entity.kind != "person"}
            matches = [e for e in matches if any(e.name.endswith(" " + n) for n in near)]
        at = p.start - len(title) - 1
        if len(matches) != 1 or any(not (p.start - 1 <= t.start or at >= t.end) for t in taken):
            continue
        found.append(Mention(at, p.start - 1, text[at:p.start - 1], matches[0],
                             f"the title alone: the register's {matches[0].name}?"))
    return found


def _known_post(gaz: Gazetteer, name: str) -> Entity | None:
    eid = gaz.full.get(name)
    return gaz.entities[eid] if eid is not None and gaz.entities[eid].kind == "post" else None


#: a short form opening a new body's or post's name, written out as the register writes names
SHORT_FORMS = {"US": "United States", "U.S.": "United States", "UK": "United Kingdom", "UN": "United Nations",
               "EU": "European Union"}


def _new_entity(name: str, kind: str, ids: _Ids, demonyms: Mapping[str, str] | None = None) -> Entity:
    first, _, rest = name.partition(" ")
    if kind in ("post", "organization") and first in SHORT_FORMS and rest:
        name = f"{SHORT_FORMS[first]} {rest}"  # "US Ambassador to Germany": United States Ambassador to Germany
    if kind == "post":
        name = post_name(name, demonyms or {})
        return Entity(ids.mint(name), kind, name, new=True)
    if kind == "organization":
        return Entity(ids.mint(name), kind, name, org_type(name), new=True)
    if kind == "place":
        return Entity(ids.mint(name), kind, name, place_type(name), new=True)
    return Entity(ids.mint(name), kind, name, new=True)


def _resolve_unknown(text: str, sents: list[Sentence], gaz: Gazetteer, known: list[Mention],
                     ids: _Ids) -> tuple[list[Mention], list[tuple[Entity, Mention]]]:
    """Mentions of names the register lacks: a close spelling of a known name, or a proposed new entry."""
    by_name: dict[str, Entity] = {}
    found: list[Mention] = []
    new: list[tuple[Entity, Mention]] = []
    for s in sents:
        taken = [(m.start - s.start, m.end - s.start) for m in known if s.start <= m.start < s.end]
        for start, end, name, kind in unknown_names(s.text, taken):
            if name.split(" ")[-1] in gaz.demonyms:
                continue  # "Turkish Cypriot", "North American": a people's name, not an entity's
            at = s.start + start
            mention_words = text[at:s.start + end]
            if name in by_name:
                found.append(Mention(at, s.start + end, mention_words, by_name[name]))
                continue
            given = next((e for e in by_name.values() if kind == "person" and " " not in name and e.kind == "person"
                          and e.name.split()[0] == name != e.name), None)
            if given is not None:  # "Envoy Sapt" after "Sapt Tarlenheim": the given name after a title
                found.append(Mention(at, s.start + end, mention_words, given, f"the given name of {given.name}"))
                continue
            close = gaz.closest(name, (kind,) if kind != "person" else ("person",))
            if close is not None:
                entity, score = close
                found.append(Mention(at, s.start + end, mention_words, entity,
                                     f"spelt '{name}' here; the register's {entity.name} ({score:.0f}% alike)"))
                by_name[name] = entity
                continue
            entity = _new_entity(name, kind, ids, gaz.demonyms)
            if kind == "post" and (known_post := _known_post(gaz, entity.name)) is not None:
                entity = known_post
                found.append(Mention(at, s.start + end, mention_words, entity))
                by_name[name] = entity
                continue
            by_name[name] = entity
            mention = Mention(at, s.start + end, mention_words, entity)
            found.append(mention)
            new.append((entity, mention))
    _family_names(text, found, by_name)
    return found, new


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """Mentions not inside another ("Pakistan" inside a new post "Foreign Secretary of Pakistan")."""
    kept: list[Mention] = []
    for m in mentions:
        if not any(k.start <= m.start and m.end <= k.end for k in kept):
            kept.append(m)
    return kept


REPORTS = r"(?:said|says|added|told|stated|noted|stressed|explained|continued|warned)"
#: a capitalised word right before or after a reporting verb ("Saree said", "said Saree")
BESIDE_REPORT = re.compile(rf"\b([A-Z][a-z]+) {REPORTS}\b|\b{REPORTS} ([A-Z][a-z]+)\b(?! [A-Z])")


def _family_names(text: str, found: list[Mention], by_name: dict[str, Entity]) -> None:
    """A new person's family name alone after the full name ("Hotak" after "Sharif Hotak"); the same name
    spelt another way beside a reporting verb ("Saree said" after "Yahya Sarea": rapidfuzz ratio ≥ 80, the
    same first three letters); the given name alone after a title ("Ambassador Stefano" after "Stefano
    Pontecorvo")."""
    from rapidfuzz import fuzz

    people = {e.name.split()[-1]: e for e in by_name.values() if e.kind == "person" and e.new}
    taken = [(m.start, m.end) for m in found]

    def add(at: int, words: str, entity: Entity, why: str) -> None:
        if all(at >= b or at + len(words) <= a for a, b in taken):
            found.append(Mention(at, at + len(words), words, entity, why))
            taken.append((at, at + len(words)))

    for family, entity in people.items():
        first = min((m.end for m in found if m.entity is entity), default=len(text))
        for m in re.finditer(rf"\b{re.escape(family)}\b", text[first:]):
            add(first + m.start(), family, entity, f"the short name of {entity.name}")
        for m in BESIDE_REPORT.finditer(text[first:]):
            group = 1 if m.group(1) else 2
            word = m.group(group)
            if word != family and word[:3] == family[:3] and fuzz.ratio(word, family) >= 80:
                add(first + m.start(group), word, entity, f"{entity.name}, spelt {word!r} here?")
        given = entity.name.split()[0]
        if len(entity.name.split()) >= 2 and given != family:
            at = text.find(f" {given}", first)
            while at >= 0:  # a title, then the given name alone ("Ambassador Stefano thanked")
                end = at + 1 + len(given)
                title = text[:at].rsplit(" ", 1)[-1].split("\n")[-1]
                if title in TITLE_HEADS and not re.match(r"\w| [A-Z]", text[end:end + 2]):
                    add(at + 1, given, entity, f"the given name of {entity.name}")
                at = text.find(f" {given}", end)


def _published(text: str, given: date | None) -> tuple[date | None, Fact | None]:
    head = "\n".join(text.strip().splitlines()[:3])
    found = published_date(head)
    if given is not None:
        evidence = found[1] if found and found[0] == given else ""
        return given, Fact(given.isoformat(), evidence, "", "" if evidence else "given on the command line")
    if found is None:
        return None, None
    return found[0], Fact(found[0].isoformat(), found[1], "", "the article's date, from its first lines?")


def _title(text: str, url: str | None, sents: list[Sentence]) -> str:
    if url:
        last = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]).replace("_", " ").strip()
        if len(last.split()) >= 3:
            return last
    first = next((s.text for s in sents if len(s.text.split()) >= 5), sents[0].text if sents else "untitled")
    return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"


def _publisher(gaz: Gazetteer, url: str | None, text: str) -> Fact:
    media = [e for e in gaz.entities.values() if e.kind == "organization" and e.type == "NewsMediaOrganization"]
    host = (urlsplit(url).hostname or "") if url else ""
    for e in media:
        if host and (e.id.replace("-", "") in host.replace("-", "") or slug(e.name).replace("-", "") in host):
            return Fact(e.id, "", "", f"the publisher, from the address {host}")
    head = text[:400]
    for e in media:
        names = [n for n, i in gaz.full.items() if i == e.id]
        if any(re.search(rf"\(\s*{re.escape(n)}\s*\)", head) for n in names):
            return Fact(e.id, "", "", "the publisher, from the dateline")
    return Fact(media[0].id if media else "publisher", "", "",
                "the publisher: the text does not say; name it (an organisation of the register)")


DATELINE = re.compile(r"^([A-Z][\w’' -]{1,40}?), (?:\d{1,2} [A-Z][a-z]+|[A-Z][a-z]+ \d{1,2}),? \d{4}\b", re.M)


def _new_dateline(text: str, ids: _Ids) -> tuple[Entity, Mention] | None:
    """A dateline's place that the register lacks: "Islamabad, 21 October 2021 (TDI):"."""
    m = DATELINE.search(text[:600])
    if m is None or m.group(1).split()[0] in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                                              "Sunday"):
        return None
    entity = Entity(ids.mint(m.group(1)), "place", m.group(1), "City", new=True)
    return entity, Mention(m.start(1), m.end(1), m.group(1), entity)


def _dateline(text: str, mentions: list[Mention]) -> Fact | None:
    """"Islamabad, 21 October 2021 (TDI):": the place a story was filed from, at the start of a line."""
    for m in mentions:
        if m.entity.kind == "place" and (m.start == 0 or text[m.start - 1] == "\n") and text[m.end:m.end + 2] == ", ":
            line = text[m.start:text.find("\n", m.start) if "\n" in text[m.start:] else len(text)]
            if re.search(r"\d{4}", line[:60]):
                quote = line[:line.find(":")] if ":" in line[:80] else m.words
                return Fact(m.entity.id, quote, "", "where the story was filed?")
    return None


def _mentions(text: str, sents: list[Sentence], gaz: Gazetteer, ids: _Ids
              ) -> tuple[list[Mention], list[tuple[Entity, Mention]]]:
    """Every mention of the text, known or new, the outermost where they nest; and the new entities."""
    known = gaz.known_mentions(text)
    found, new = _resolve_unknown(text, sents, gaz, known, ids)
    proposed = {e.name: e for e, _ in new}
    posts = _demonym_posts(text, gaz, known + found, ids, proposed)
    posts += _holder_posts(text, gaz, _outermost(sorted(known + found + posts, key=lambda m: (m.start, -m.end))),
                           ids, proposed)
    for m in posts:
        found.append(m)
        if m.entity.new and all(e.id != m.entity.id for e, _ in new):
            new.append((m.entity, m))
    mentions = _outermost(sorted(known + found, key=lambda m: (m.start, -m.end)))
    mentions = _acronyms(text, mentions, gaz)
    for m in mentions:  # countries of the table the register lacks, found by name or by a close spelling
        if m.entity.new and all(e.id != m.entity.id for e, _ in new):
            new.append((m.entity, m))
    if _dateline(text, mentions) is None and (place := _new_dateline(text, ids)) is not None:
        if all(m.start != place[1].start for m in mentions):
            mentions = sorted([*mentions, place[1]], key=lambda m: m.start)
            new.append(place)
    return mentions, new


ACRONYM = re.compile(r"\s?\(([A-Z][A-Za-z]{0,2}[A-Z]{1,6})\)")


def _initials(short: str, words: str) -> bool:
    """Whether an acronym can stand for the words before it: its first letter theirs, and two of its letters
    initials of their words in order ("FSB" for "Federal Security Service", not "CBCP" for "Philippines")."""
    initials = [w[0] for w in re.findall(r"[A-Z][\w'’-]*", words)]
    if not initials or short[0] != initials[0]:
        return False
    found, at = 0, 0
    for letter in short.upper():
        if letter in initials[at:]:
            at = initials.index(letter, at) + 1
            found += 1
    return found >= min(2, len(short))


def _acronyms(text: str, mentions: list[Mention], gaz: Gazetteer) -> list[Mention]:
    """An acronym in brackets right after a name ("the Popular Mobilization Forces (PMF)") names the same
    entity wherever it stands alone after it, unless the register gives it to another."""
    added: list[Mention] = []
    for m in mentions:
        bracket = ACRONYM.match(text, m.end)
        if bracket is None or bracket.group(1) in gaz.full or m.entity.kind in ("person", "post") or not _initials(
                bracket.group(1), m.words):
            continue
        short = bracket.group(1)
        for hit in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text[bracket.end():]):
            at = bracket.end() + hit.start()
            if not any(k.start < at + len(short) and at < k.end for k in mentions + added):
                added.append(Mention(at, at + len(short), short, m.entity, f"{short}: the {m.entity.name}?"))
    return sorted(mentions + added, key=lambda m: m.start) if added else mentions


def _article(text: str, file_name: str, sents: list[Sentence], gaz: Gazetteer, ids: _Ids, url: str | None,
             day: date | None, date_fact: Fact | None, mentions: list[Mention]) -> dict[str, Any]:
    """The `article` section: what the text, its address and the register say of it."""
    title = _title(text, url, sents)
    publisher = _publisher(gaz, url, text)
    article: dict[str, Any] = {
        "id": Fact(ids.mint(f"{publisher.value}-{day.isoformat() if day else ''}-{' '.join(title.split()[:6])}"),
                   mark="the article's id: once published, never changed"),
        "text": file_name,
        "name": Fact(title, mark="a title for the article"),
    }
    if url:
        article["headline"] = Fact(title, mark="the published headline (from the address)?")
        article["url"] = url
    article["publisher"] = publisher
    article["datePublished"] = date_fact or Fact("", mark="the article's date: not found; give --published")
    if (line := _dateline(text, mentions)) is not None:
        article["dateline"] = line
    article["inLanguage"] = Fact("en", mark="the language of the text?")
    article["curation"] = {"by": "lod-pub editors", "type": "Organization", "on": date.today().isoformat()}
    return article


def draft(text: str, file_name: str, register: Mapping[str, Any], url: str | None = None,
          published: date | None = None, countries: Iterable[Mapping[str, str]] | None = None,
          taken_ids: Iterable[str] = ()) -> Draft:
    """The proposed record of an article: taken_ids are ids other records claim (none is minted again)."""
    gaz = Gazetteer.of(register, countries)
    sents = sentences(text)
    claimed = set(taken_ids)
    ids = _Ids([*gaz.entities, *claimed])
    mentions, new = _mentions(text, sents, gaz, ids)
    day, date_fact = _published(text, published)
    article = _article(text, file_name, sents, gaz, ids, url, day, date_fact, mentions)
    result = Draft(file_name, text, article, new=new, mentions=mentions)
    result.holdings = holdings(text, mentions)
    _facts(result, sents, gaz, ids, day)
    result.new += gaz.proposed
    # a country or government another draft proposes already is referred to, not proposed again
    result.new = sorted(((e, m) for e, m in result.new if e.id not in claimed), key=lambda n: n[1].start)
    _about(result, sents)
    return result


def _in(sentence: Sentence, mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if sentence.start <= m.start < sentence.end]


def _dateline_end(result: Draft) -> int:
    """Where the dateline ("Islamabad, 21 October 2021 (TDI):") ends: its place, date and publisher are the
    article's, not the first sentence's facts."""
    line = result.article.get("dateline")
    if isinstance(line, Fact) and line.evidence and (at := result.text.find(line.evidence)) >= 0:
        return at + len(line.evidence)
    return -1


def _facts(result: Draft, sents: list[Sentence], gaz: Gazetteer, ids: _Ids, day: date | None) -> None:
    last_person: Entity | None = None
    skip = _dateline_end(result)
    for s in sents:
        here = [m for m in _in(s, result.mentions) if m.start >= skip]
        dates = [d for d in find_dates(s.text, day) if s.start + d.start >= skip]
        _events(result, s, here, dates, gaz, ids, day)
        before = len(result.statements)
        last_person = _statements(result, s, here, gaz, ids, last_person)
        last_person = _topic(result, s, here, before) or last_person


def _topic(result: Draft, s: Sentence, here: list[Mention], before: int) -> Entity | None:
    """Whom a later "he said" refers to: the last person who spoke (an author of this sentence's statements),
    else the person the sentence is about (its first person: the subject in a news sentence), not merely the
    last person it names."""
    speakers = [st.author.value for st in result.statements[before:]]
    known = {m.entity.id: m.entity for m in result.mentions if m.entity.kind == "person"}
    spoke = [known[i] for i in speakers if i in known]  # a speaker named before ("he continued", a quotation)
    if spoke:
        return spoke[-1]
    quoted = quotes_in(s.text)  # a name inside a quotation is no subject of the sentence
    people = [m.entity for m in here if m.entity.kind == "person"
              and not any(a <= m.start - s.start < b for a, b in quoted)]
    return people[0] if people else None


#: a capital named as the subject of a verb: its country's government ("Athens expelled", "Washington says")
CAPITAL_ACTS = re.compile(r"\s+(?:(?:also|has|have|had|will|would|then|later) )?(?:[a-z]+ed|says|said|has|have|had|"
                          r"will|would)\b|\s+(?:government|regime|administration)\b")  # "the Kabul government"


def _agent_of(m: Mention, gaz: Gazetteer, s: Sentence | None = None) -> Entity | None:
    """Who acts in a mention: a person or organisation; a country acts through its government (the
    register's, or a new entry proposed for it), and so does its capital as the subject of a verb."""
    if m.entity.kind in ("person", "organization"):
        return m.entity
    capital_of = gaz.capitals.get(m.entity.name) if m.entity.kind == "place" else None
    if capital_of is not None and s is not None and CAPITAL_ACTS.match(s.text[m.end - s.start:]) and (
            country := gaz.entities.get(capital_of)) is not None:
        return _agent_of(Mention(m.start, m.end, m.words, country), gaz)
    if m.entity.kind == "place" and m.entity.type == "Country":
        government = gaz.government_of(m.entity.id)
        if government is None:
            government = Entity(f"government-of-{m.entity.id}", "organization", f"Government of {m.entity.name}",
                                "GovernmentOrganization", location=m.entity.id, new=True)
            gaz.entities[government.id] = government
            gaz.proposed.append((government, m))
        return government
    return None


def _events(result: Draft, s: Sentence, here: list[Mention], dates: list[Any], gaz: Gazetteer, ids: _Ids,
            published: date | None) -> None:
    quotes = quotes_in(s.text)
    names = [(m.start - s.start, m.end - s.start) for m in here if m.entity.kind != "post"]  # "Democratic Rally"
    triggers = [t for t in event_triggers(s, quotes + names) if not (t[4] and _reported(s.text, t[0]))]
    # one event a sentence (a second one where _another allows): the most specific code first ("killed … in an
    # airstrike": 195, not 180), then verbs
    triggers.sort(key=lambda t: (t[3].endswith("0"), not t[4], t[0]))
    made: list[tuple[int, str, bool]] = []  # (offset, code, is_verb) of the events drafted from this sentence
    for at, words, kind, code, is_verb in triggers:
        if made and not _another(s.text, made, at, code, is_verb):
            continue
        before = s.text[:at].split()[-2:]
        same = [e for e in result.events if e.type == kind]
        if not is_verb and same and not s.text[at + len(words):].startswith(" of ") and any(
                w.lower() in ("the", "this", "that", "monday's", "sunday's") or w.lower().endswith(("'s", "’s"))
                for w in before):
            _enrich(same[-1], s, here, dates, published, at + len(words))  # "The meeting took place on 20th October"
            continue
        event = _event(s, here, dates, gaz, ids, kind, code, words, at, published, is_verb)
        result.events.append(event)
        made.append((at, code, is_verb))


def _another(text: str, made: list[tuple[int, str, bool]], at: int, code: str, is_verb: bool) -> bool:
    """Whether a second event word of a sentence reports an event of its own: a verb of another CAMEO root
    than the event drafted, in a clause of its own joined by `and` or `;` ("Germany banned the airline and
    expelled its staff"), not a verb of a relative or subordinate clause ("…, which killed …")."""
    if len(made) > 1 or not is_verb or not made[0][2] or code[:2] == made[0][1][:2]:
        return False
    first = made[0][0]
    between = text[min(first, at):max(first, at)]
    return bool(re.search(r"\band\b|;", between)) and not re.search(
        r"\b(?:which|who|that|after|before|when|while|following|as|to)\b", between)


REPORTED_CLAUSE = re.compile(r"\b(?:[a-z]+ed|says|said) that\b")


def _reported(text: str, at: int) -> bool:
    """Whether a verb is inside what someone is reported to have said ("He noted that the House rejected the
    demarcation"): a statement's words, background to the article's events, not an event of its own."""
    return any(lemma(m.group().split()[0]) in REPORTING for m in REPORTED_CLAUSE.finditer(text[:at]))


def _planned(event: DraftEvent, s: Sentence, published: date | None) -> None:
    """An event dated after the article is one the article reports as planned: `status: scheduled`."""
    start = event.dates.get("startDate") or event.dates.get("earliestBegin")
    if start is not None and published is not None and after(start.value, published):
        event.status = Fact("scheduled", s.text, mark="planned? its date is after the article's (or `postponed`, …)")


def _enrich(event: DraftEvent, s: Sentence, here: list[Mention], dates: list[Any], published: date | None,
            end: int = 0) -> None:
    """An event named again ("The meeting took place on 20th October"): its date, and a place where the
    sentence says where it took place ("took place … at X", "was held in X", "the meeting in X"), not a place
    its topic names ("The meeting boiled down to … developments in Afghanistan")."""
    if not event.dates:
        event.dates = date_facts(dates, s)
        _planned(event, s, published)
    if not event.location:
        held, right = HELD.search(s.text), TOOK_PLACE.match(s.text, end)
        event.location = [f for f in _places(s, here, end) if (right is not None and f.at in (right.end(), right.end() + 4))
                          or (held is not None and held.end() <= f.at <= held.end() + 40)]


#: a place right after an event's word, or its verb: "the meeting in Doha", "The evacuation ended in Strelsau"
TOOK_PLACE = re.compile(r"\s+(?:[a-z]+\s+){0,3}?(?:in|at|near)\s")
#: where a sentence says where an event took place: "took place on 20th October at X", "was held in X"
HELD = re.compile(r"\b(?:took place|(?:was|were|is|be|being|been) held)\b")


def _places(s: Sentence, here: list[Mention], at: int = 0) -> list[Fact]:
    """The places after a preposition (`in`, `at`, `near` …), the nearest to the event word first."""
    found: list[Fact] = []
    for m in sorted(here, key=lambda m: abs(m.start - s.start - at)):
        if m.entity.kind != "place" or any(f.value == m.entity.id for f in found):
            continue
        before = s.text[:m.start - s.start].split()[-1:]
        if before and before[0] in PLACE_PREPOSITIONS:
            found.append(Fact(m.entity.id, s.text, "", f"where the event took place? \"{before[0]} {m.words}\"",
                              at=m.start - s.start))
    return found[:2]


def _place_before(s: Sentence, here: list[Mention], at: int) -> list[Fact]:
    """A place (not a country: "United States sanctions" name who, not where) named right before an event's
    noun: "a Kabul car bombing", "the Strelsau summit"."""
    for m in here:
        if m.entity.kind != "place" or m.entity.type == "Country":
            continue
        follow = re.match(r"(?:'s|’s)?\s+([a-z]+)(?:\s+([a-z]+))?", s.text[m.end - s.start:])
        if follow and (follow.group(1) in NOUN_EVENTS or f"{follow.group(1)} {follow.group(2)}" in NOUN_EVENTS):
            return [Fact(m.entity.id, s.text, "", f"where the event took place? \"{m.words} {follow.group(1)}\"")]
    return []


def _may_act(s: Sentence, m: Mention, here: list[Mention] = []) -> bool:  # noqa: B006 (read only)
    """Whether a mention can name one who took part: not a news agency reporting it, not a country named
    as a place ("in Iraq", "Niamey, Niger's capital"), nor one that describes a person named before it
    ("Patrice Talon of Benin", "Zalmay Khalilzad, a US peace envoy")."""
    if m.entity.kind == "organization" and m.entity.type == "NewsMediaOrganization":
        return False
    if m.entity.kind == "place" and m.entity.type == "Country":
        person = next((p for p in reversed(here) if p.end <= m.start and p.entity.kind == "person"), None)
        if person is not None and re.fullmatch(r"(?: of|, (?:an?|the)(?: former| then)?) ",
                                               s.text[person.end - s.start:m.start - s.start]):
            return False
    if m.entity.kind == "place":
        before = s.text[:m.start - s.start].rstrip()
        after = s.text[m.end - s.start:]
        if before.split()[-1:] and before.split()[-1] in (*PLACE_PREPOSITIONS, "from", "across", "throughout"):
            return False
        if before.endswith(",") and re.match(r"(?:'s|’s) (?:capital|city|region|province|north|south|east|west)",
                                             after):
            return False
    return True


def _event(s: Sentence, here: list[Mention], dates: list[Any], gaz: Gazetteer, ids: _Ids, kind: str, code: str,
           words: str, at: int, published: date | None, is_verb: bool = True) -> DraftEvent:
    # the first date after the event word ("… since an assault in Ghazni in August 2018"), else the nearest before
    # it ("On Monday, X met Y"); not a date of the subject's ("The Front, founded in 1990, attacked … on Monday")
    dated = date_facts(sorted(dates, key=lambda d: (d.start < at, d.start if d.start >= at else -d.start)), s)
    start = dated.get("startDate") or dated.get("earliestBegin")
    name = s.text if len(s.text) <= 100 else s.text[:97].rsplit(" ", 1)[0] + "…"
    places = _places(s, here, at) or _place_before(s, here, at)
    anchor = places[0].value if places else (here[0].entity.id if here else "event")
    event = DraftEvent(ids.mint(f"{kind}-{anchor}-{start.value if start else ''}"), kind, code, name, s, words,
                       dated, places)
    _planned(event, s, published)
    agents: list[tuple[Mention, Entity]] = []
    for m in here:
        if not _may_act(s, m, here):
            continue
        agent = _agent_of(m, gaz, s)
        if agent is not None and agent.id not in [a.id for _, a in agents]:
            agents.append((m, agent))
    passive = PASSIVE.search(s.text[:at]) is not None and is_verb
    by = re.compile(r"\s+by\s+(?:the\s+)?$")
    for m, agent in agents:
        fact = Fact(agent.id, s.text, "", f"took part? \"{m.words}\"")
        if kind in ATTENDED:
            event.attendees.append(fact)
        elif passive and m.start - s.start > at and by.search(s.text[at:m.start - s.start]):
            _doer(event, kind, fact, m)  # "was killed by X", "were arrested by the police": the one who did it
        elif passive and m.start - s.start < at:
            if kind in ("Attack", "MilitaryOperation") and agent.kind == "person":
                fact.mark = f"a victim? \"{m.words}\""
                event.participants.append((fact, "victim"))  # "Soleimani was killed": whom it was done to
        elif kind in ("Attack", "MilitaryOperation") and agent.kind == "person" and (
                (kill := KILLED.search(s.text)) is not None and m.start - s.start > kill.start()):
            fact.mark = f"a victim? \"{m.words}\""
            event.participants.append((fact, "victim"))  # "killed Qasem Soleimani"
        elif m.start - s.start < at and not passive:
            _doer(event, kind, fact, m)
    if kind in ("Meeting", "PhoneCall") and len(event.attendees) < 2:
        event.type = "DiplomaticEvent"  # a meeting names both sides (the shapes say so): the editor adds the other
        event.trigger += f"; a {kind} once both sides are in `attendees`"
    return event


def _doer(event: DraftEvent, kind: str, fact: Fact, m: Mention) -> None:
    """The one who did it: an attack's or an operation's perpetrator, another event's organiser."""
    if kind in ("Attack", "MilitaryOperation"):
        fact.mark = f"the perpetrator? \"{m.words}\" (a claim of someone's? add `claim`)"
        event.participants.append((fact, "perpetrator"))
    else:
        fact.mark = f"who did it? \"{m.words}\""
        event.organizers.append(fact)


#: a verb in the passive voice: "was killed", "were arrested", "had been detained", "is being held"
PASSIVE = re.compile(r"\b(?:was|were|is|are|be|been|being)\s+(?:[a-z]+ly\s+)?$")


def _continued_quote(result: Draft, s: Sentence, ids: _Ids) -> bool:
    """A sentence that is a quotation only, right after a quoted statement: the same speaker goes on
    ("… our targets will keep expanding", Saree said. "We have the right to strike back …")."""
    words = s.text.strip()
    if not re.fullmatch(r"[\"“][^\"“”]+[\"”]\.?", words) or not result.statements:
        return False
    last = result.statements[-1]
    if not last.quoted or s.start - last.sentence.end > 2:
        return False
    said = words.strip("\"“”.").strip()
    sid = ids.mint(f"{last.author.value.split('-')[-1]}-{last.verb}-{' '.join(said.split()[:4])}")
    author = Fact(last.author.value, s.text, "", "the author? the speaker of the quotation before")
    result.statements.append(DraftStatement(sid, author, last.verb, said, True, s, list(last.about)))
    return True


#: a text and who issued it after "according to": "a statement issued by X", "a tweet on Monday by X"
BY_SOURCE = re.compile(r"(?:a|an|the) (?:[\w-]+ ){0,2}?(statement|tweet|report|post|message|release|letter|"
                       r"announcement|analysis|interview)(?: [\w-]+){0,3}? by ")
#: the words of a title before the source after "according to": "current president", "police spokesman"
TITLED = re.compile(r"(?:the )?(?:(?!(?:a|an|citing|by|reports?|which|in|on|from|at|and|or)\b)[\w.’'-]+ ){1,4}")
#: the verb of what the source is: a statement states, a tweet tweets, a letter writes
BY_VERBS = {"statement": "stated", "tweet": "tweeted", "post": "posted", "letter": "wrote", "interview": "said",
            "announcement": "announced", "release": "stated", "message": "stated"}


#: the particle of a phrasal verb of saying: "called on Italy to join", "pointing to the attack" (not "on Monday")
PARTICLE = re.compile(r" (on|to|for)\b(?! (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|the \d|\d))")


def _according(result: Draft, s: Sentence, here: list[Mention], gaz: Gazetteer, ids: _Ids,
               last_person: Entity | None = None) -> bool:
    """"According to the Saudi Press Agency, the attacks occurred at 4:00 A.M.": a statement reported;
    "According to him, …": the last person named as speaker or subject."""
    m = ACCORDING.search(s.text)
    if m is None:
        return False
    source = next((x for x in here if x.start - s.start in (m.end(), m.end() + 4)), None)  # "to (the )X"
    by = BY_SOURCE.match(s.text, m.end())
    if source is None and by is not None:  # "according to a statement issued by the Foreign Office"
        source = next((x for x in here if by.end() <= x.start - s.start <= by.end() + 40
                       and _agent_of(x, gaz) is not None), None)  # "by US Secretary of State Mike Pompeo"
    if source is None and by is None and not reporting_verbs(s):  # "according to current president Emmerson
        # Mnangagwa"; not "According to news agency ISNA, the prosecutor … said …": the prosecutor's statement
        source = next((x for x in here if x.start - s.start > m.end() and _agent_of(x, gaz, s) is not None
                       and TITLED.fullmatch(s.text, m.end(), x.start - s.start)), None)
    agent = _agent_of(source, gaz) if source is not None else None
    pronoun = re.match(r"(him|her)\b(?! [a-z])", s.text[m.end():])
    if pronoun is not None and last_person is not None:
        agent, source = last_person, Mention(s.start + m.end(), s.start + pronoun.end() + m.end(), pronoun.group(),
                                             last_person)
    comma = s.text.find(", ", m.end())
    if agent is None or source is None:
        return False
    tail = s.text[source.end - s.start:]
    if m.start() == 0 and re.match(r",\s+(?:who|whose|which)\b", tail):
        return False  # "According to X, who is …, in the United States …": where X's words start is unclear
    described = m.start() > 0 and re.match(r",\s+(?:who|whose|which|the|a|an)\b", tail) is not None  # "…,
    # according to prosecutor Josh Bash, the U.S. Attorney for …": the words before are Bash's
    last = described or re.fullmatch(r"(?: \([^)]*\))?(?: on [A-Z][a-z]+day| yesterday| today)?[\s.\"”]*",
                                     tail) is not None  # "…, according to X (on Friday)."
    if last and (m.start() == 0 or reporting_verbs(s)):
        return False  # a source named last reports the sentence only where no verb of its own does
    if not last and (comma < 0 or comma > source.end - s.start + 2):
        return False
    said = s.text[comma + 2:].rstrip(".").strip() if not last else s.text[:m.start()].rstrip(" ,").strip()
    if len(said.split()) < 3:
        return False
    verb = BY_VERBS.get(by.group(1), "reported") if by is not None else "reported"  # a statement's words: stated
    quoted = re.fullmatch(r"[\"“][^\"“”]+[\"”]", said) is not None
    said = said.strip("\"“”").rstrip(",").strip() if quoted else said
    sid = ids.mint(f"{agent.id.split('-')[-1]}-{verb}-{' '.join(said.split()[:4])}")
    about = [e.id for e in result.events if e.sentence is s] or [e.id for e in result.events[:1]] or [agent.id]
    result.statements.append(DraftStatement(sid, Fact(agent.id, s.text, "", f"the author? \"{source.words}\""),
                                            verb, said, quoted, s, about))
    return True


def _statements(result: Draft, s: Sentence, here: list[Mention], gaz: Gazetteer, ids: _Ids,
                last_person: Entity | None) -> Entity | None:
    if _according(result, s, here, gaz, ids, last_person) or _continued_quote(result, s, ids):
        return last_person
    covered: list[tuple[int, int]] = []  # the words of the statements of this sentence so far
    for verb in reporting_verbs(s):
        if len(covered) >= 2 or any(a <= verb.start() < b for a, b in covered):
            continue  # a reporting verb inside what was said is part of it
        passive = _passive_claim(s, here, gaz, verb)
        said = passive[1] if passive else statement_text(s, verb)
        if said is None or any(s.text.find(said[0]) < b and a < s.text.find(said[0]) + len(said[0])
                               for a, b in covered):
            continue
        holders = {h.post: e for h in result.holdings if h.at < s.start
                   for e in [next((m.entity for m in result.mentions if m.entity.id == h.person), None)] if e}
        seen = [m for m in result.mentions if m.start < s.start + verb.start()]
        author = passive[0] if passive else _author(s, here, verb.start(), verb.end(), gaz, last_person, holders,
                                                    seen)
        if author is None:
            continue
        entity, words = author
        clause = s.text[max((m.end() for m in CLAUSE_START.finditer(s.text) if m.end() <= verb.start()), default=0):
                        verb.start()]
        if UNNAMED.search(re.sub(r"\b(?:citing|quoting|according to) [^,]*", "", clause)) or UNNAMED.fullmatch(said[0]):
            continue  # "A source within the Interior Ministry said": an author the article does not name
        named_after = next((m.end - s.start for m in here if m.entity is entity and m.start - s.start >= verb.end()
                            and m.start - s.start - verb.end() <= 2), None)  # "…," said Hotak
        particle = PARTICLE.match(s.text, verb.end()) if lemma(verb.group()) in ("call", "point") else None
        said_as = as_reported(s.text, verb) + (f" {particle.group(1)}" if particle else "")  # "called on"
        if particle and said[0].startswith(f"{particle.group(1)} "):
            said = (said[0][len(particle.group(1)) + 1:], said[1])
        sid = ids.mint(f"{entity.id.split('-')[-1]}-{verb.group()}-{' '.join(said[0].split()[:4])}")
        inside = s.text.find(said[0]) + s.start
        about = [e.id for e in result.events if e.sentence is s] or [
            m.entity.id for m in here if m.entity is not entity and inside <= m.start < inside + len(said[0])][:3] or [
            e.id for e in result.events[:1]] or [entity.id]
        mark = f"the author? \"{words}\"" + (" (he/she: the last person named before)" if words in PRONOUNS else "")
        for n, part in enumerate(reported_parts(said[0]) if not said[1] else [said[0]]):
            part_id = sid if n == 0 else ids.mint(f"{entity.id.split('-')[-1]}-{verb.group()}-"
                                                   f"{' '.join(part.split()[:4])}")
            # a second part ("…, and the ban followed …") is its own clause, from its "and"
            vstart = verb.start() if n == 0 else max(0, s.text.find(part))
            author_at = s.text.rfind(words, 0, verb.start()) if n == 0 and words else -1
            evidence = statement_clause(s.text, vstart, verb.end() if n == 0 else vstart, part,
                                        author_at if author_at >= 0 else None, named_after)
            result.statements.append(DraftStatement(part_id, Fact(entity.id, evidence, "", mark), said_as, part,
                                                    said[1], s, about, evidence=evidence,
                                                    paraphrase=part not in s.text))
            for other, other_words in _co_authors(s, here, gaz, entity, verb.start()) if n == 0 else []:
                other_id = ids.mint(f"{other.id.split('-')[-1]}-{verb.group()}-{' '.join(part.split()[:4])}")
                result.statements.append(DraftStatement(  # "both Saudi Arabia and the United States have alleged"
                    other_id, Fact(other.id, evidence, "", f"the author? \"{other_words}\" (one of two)"), said_as,
                    part, said[1], s, about, evidence=evidence))
        covered.append((s.text.find(said[0]), s.text.find(said[0]) + len(said[0])))  # "said …, and added …"
    return last_person


def _holder(m: Mention, holders: dict[str, Entity]) -> Entity | None:
    """"The Foreign Secretary also underscored": the person the article has named as holding the post."""
    return holders.get(m.entity.id) if m.entity.kind == "post" else None


def _appositive(s: Sentence, m: Mention, vstart: int) -> bool:
    """A name inside an apposition between a subject and its verb ("Sharif Hotak, of the Maidan Wardak
    provincial council, described"): not the one who speaks."""
    at = m.start - s.start
    head = s.text[:at]
    comma = head.rfind(", ")
    return (comma > 0 and "," in s.text[m.end - s.start:vstart] and at < vstart
            and re.fullmatch(r", (?:of |from |a |an |the |who |whose |which |led by |backed by |citing |including |"
                             r"along with |together with |speaking (?:to|on|at|with) )[^,]*", head[comma:]) is not None)


SUBJECT = re.compile(r"[Tt]he (?:[A-Za-z-]+ ){0,2}?[A-Za-z-]+ (?=[a-z])")
DESCRIBED = re.compile(r"\b[Tt]he ((?:[A-Za-z-]+ ){0,2}?[A-Za-z-]+) (?:(?:also|further|then|later|again) )?$")


def _described(before_verb: str, gaz: Gazetteer, holders: dict[str, Entity],
               seen: list[Mention]) -> tuple[Entity, str] | None:
    """"The Foreign Secretary also underscored", "The agency … said": a definite description before the verb
    names the last person named as holding a post of those words, else the last organisation named whose
    name holds its last word."""
    m = DESCRIBED.search(before_verb)
    if m is None:
        return None
    words = m.group(1).lower()
    for post_id, person in reversed(list(holders.items())):
        post = gaz.entities.get(post_id) or next((x.entity for x in seen if x.entity.id == post_id), None)
        if post is not None and post.name.lower().startswith(words):
            return person, m.group()
    head = words.split()[-1]
    for x in reversed(seen):
        if x.entity.kind == "organization" and head in x.entity.name.lower().split():
            return x.entity, m.group()
    return None


def _author(s: Sentence, here: list[Mention], vstart: int, vend: int, gaz: Gazetteer,
            last_person: Entity | None, holders: dict[str, Entity],
            seen: list[Mention] = []) -> tuple[Entity, str] | None:  # noqa: B006 (read only)
    head = re.sub(r"\s*\b(?:went|goes|go|going) on to\s*$", "", s.text[:vstart])  # "He went on to add"
    before_verb = [w for w in head.split() if w not in ADVERBS][-1:]
    if before_verb and before_verb[0] in PRONOUNS and last_person is not None:
        return last_person, before_verb[0]
    if before_verb and before_verb[0] in ("officials", "authorities") and (
            country := _acting_country(s, here, gaz, vstart)) is not None:
        return country, f"{before_verb[0]} (of the country that acts in the sentence?)"  # "Germany banned …, with
        # officials saying …": the government of the country the sentence is about
    if before_verb and before_verb[0] in ("It", "it"):
        bodies = [m.entity for m in seen if m.entity.kind == "organization" and m.start < s.start]
        if bodies:  # "It said", "It also urged": the last organisation named before the sentence
            return bodies[-1], before_verb[0]
    agents = [(m, _agent_of(m, gaz, s) or _holder(m, holders)) for m in here if not _appositive(s, m, vstart)]
    before = [(m, a) for m, a in agents if a is not None and m.start - s.start < vstart]
    subject = SUBJECT.match(s.text[:vstart])
    if not before and (described := _described(s.text[:vstart], gaz, holders, seen) or _described(
            subject.group() if subject else "", gaz, holders, seen)):
        return described  # "The Foreign Secretary also underscored", "The agency did not …, but said"
    if before:
        people = [(m, a) for m, a in before if a.kind == "person"]
        m, a = (people or before)[-1]
        return a, m.words
    after = [(m, a) for m, a in agents if a is not None and m.start - s.start >= vend]
    if after and (after[0][0].start - s.start - vend <= 2 or TITLE_BETWEEN.fullmatch(
            s.text, vend, after[0][0].start - s.start) or QUOTE_BEFORE.search(s.text, 0, vstart) and DESCRIPTION_BETWEEN.fullmatch(
            s.text, vend, after[0][0].start - s.start)):  # "said Hotak", "said County Sheriff Bill Brown", '"…,"
        return after[0][1], after[0][0].words  # said study co-author Karen Alley'
    if re.match(r"\s*(he|she)\b", s.text[vend:]) and last_person is not None:
        return last_person, s.text[vend:].split()[0]
    return None


def _passive_claim(s: Sentence, here: list[Mention], gaz: Gazetteer, verb: re.Match[str]
                   ) -> tuple[tuple[Entity, str], tuple[str, bool]] | None:
    """"The attack was claimed by the Houthi movement": the one after `by` claimed it, and what a claim of a
    deed claims is responsibility for it (as records write it)."""
    if lemma(verb.group()) != "claim" or not re.search(r"\b(?:was|were|has been|have been|had been)\s+$",
                                                         s.text[:verb.start()]):
        return None  # "was described by X as …": what X said is not the subject; left to the editor
    by = re.match(r"\s+by\s+(?:the\s+)?", s.text[verb.end():])
    agent = next((m for m in here if by is not None and m.start - s.start == verb.end() + by.end()), None)
    doer = _agent_of(agent, gaz, s) if agent is not None else None
    if doer is None or agent is None:
        return None
    begin = max((m.end() for m in CLAUSE_START.finditer(s.text) if m.end() <= verb.start()), default=0)
    subject = re.sub(r"\s+(?:was|were|has been|have been|had been)\s+$", "", s.text[begin:verb.start()]).strip()
    if not subject:
        return None
    subject = subject[0].lower() + subject[1:] if re.match(r"(?:The|A|An|This|These|Its) ", subject) else subject
    return (doer, agent.words), (f"responsibility for {subject}", False)


def _co_authors(s: Sentence, here: list[Mention], gaz: Gazetteer, author: Entity, vstart: int
                ) -> list[tuple[Entity, str]]:
    """The other subject of a verb two subjects share: "both Saudi Arabia and the United States have alleged",
    "X and Y said": the one named before the author, joined to it by `and`, the author right before the verb."""
    before = [m for m in here if m.end - s.start <= vstart]
    if len(before) < 2 or not re.fullmatch(r"\s+(?:(?:have|has|had|also|both|jointly|together)\s+)*",
                                           s.text[before[-1].end - s.start:vstart]):
        return []
    first, second = before[-2], before[-1]
    one, two = _agent_of(first, gaz, s), _agent_of(second, gaz, s)
    if one is None or two is None or two.id != author.id or one.id == author.id or not re.fullmatch(
            r",? and (?:the )?", s.text[first.end - s.start:second.start - s.start]):
        return []
    return [(one, first.words)]


def _acting_country(s: Sentence, here: list[Mention], gaz: Gazetteer, before: int) -> Entity | None:
    """The government of the one country (or government) named before a word of the sentence, as the subject
    of its verb ("Germany on Monday banned …"), not a place ("in Iraq"); none where two countries are named."""
    named = {a.id: a for m in here if m.start - s.start < before and _may_act(s, m, here)
             and (m.entity.kind == "place" and m.entity.type == "Country" or m.entity.type == "GovernmentOrganization"
                  and m.entity.name.startswith("Government of"))
             for a in [_agent_of(m, gaz, s)] if a is not None}
    return next(iter(named.values())) if len(named) == 1 else None


#: a source the article does not name: a statement needs an author it names (docs/records.md)
UNNAMED = re.compile(r"\b(?:an?|one|two|several|some) (?:[\w-]+ ){0,3}?(?:source|sources)\b|\bsources\b", re.I)


#: a title between a reporting verb and the name after it: "said Santa Barbara County Sheriff Bill Brown"
TITLE_BETWEEN = re.compile(r"\s+(?:(?:[A-Z][\w.’'-]*|of|the|for)\s+){1,6}")
#: a description between a reporting verb and the name after it, where a quotation ends right before the verb
#: ('"…," said study co-author Karen Alley', '"…", wrote student protester Joshua Wong'): the verb comes before
#: its subject there, so the name after it is the speaker
QUOTE_BEFORE = re.compile(r"[,!?][\"”]\s*$|[\"”][,!?]?\s*$")
DESCRIPTION_BETWEEN = re.compile(r"\s+(?:(?:the|a|an)\s+)?(?:[\w.’'-]+\s+){1,4}")


def _about(result: Draft, sents: list[Sentence]) -> None:
    """Known entities the drafted facts do not name: offered for `about`, each with its first quote."""
    used = {f.value for e in result.events for f in (*e.location, *e.attendees, *e.organizers)}
    used |= {f.value for e in result.events for f, _ in e.participants}
    used |= {st.author.value for st in result.statements} | {x for st in result.statements for x in st.about}
    used |= {h.person for h in result.holdings} | {h.post for h in result.holdings}
    for key in ("publisher", "dateline"):
        if isinstance(result.article.get(key), Fact):
            used.add(result.article[key].value)
    for m in result.mentions:
        if m.entity.id not in used and m.entity.kind != "post":
            used.add(m.entity.id)
            result.about.append((m, _sentence_of(sents, m.start)))
