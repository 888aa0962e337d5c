"""Who and what an article names: the register's entities and the country table's countries, found with
their names, aliases and common variants; and the names the register does not know, proposed as new entries.

    Gazetteer.of(register, countries) -> Gazetteer
    gazetteer.mentions(text) -> [Mention]

pyahocorasick finds every name variant in one pass over the text (the register grows to thousands of names;
a regular expression per name would not); rapidfuzz ranks an unknown name against the register's names,
so that a spelling the register lacks ("Yahya Saree") is offered as the known entity, marked for the
editor. Nothing here guesses a Wikidata id: a new country takes the table's, anything else none.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import ahocorasick  # type: ignore[import-not-found]  # pyahocorasick ships no type information
from rapidfuzz import fuzz, process

SECTIONS = {"people": "person", "organizations": "organization", "places": "place", "posts": "post"}
#: a fuzzy match of an unknown name to a register name at or above this rapidfuzz ratio is offered as that entity
FUZZY_CUTOFF = 88.0
ORG_WORDS = {
    "Ministry", "Office", "Council", "Union", "Organization", "Organisation", "Agency", "Party", "Army", "Forces",
    "Force", "Corps", "Bank", "Company", "Airlines", "Airways", "Air", "Court", "Committee", "Government",
    "Directorate", "Group", "Association", "Institute", "University", "Commission", "Guards", "Guard", "News",
    "Department", "Parliament", "Assembly", "Congress", "Senate", "Police", "Navy", "Command", "Front", "Movement",
    "Federation", "Fund", "Authority", "Service", "Services", "Foundation", "Network", "Times", "Post",
    "Press", "Agence", "Reuters", "Television", "TV", "Radio", "Broadcasting", "Cabinet", "Brigade", "Militia",
    "Alliance", "Coalition", "League", "Secretariat", "Bureau", "Center", "Centre", "Corporation", "Inc", "Ltd",
    "Embassy", "Consulate", "Partnership", "College", "School", "Academy", "House", "Institution", "Society",
    "Board", *{"Mail", "Herald", "Tribune", "Gazette", "Observer", "Telegraph", "Journal", "Insider",
                              "Guardian", "Chronicle", "Independent"},
}
#: the last word of a paper's name, whose "The" is its own ("The Daily Telegraph", "The Guardian")
PAPER_WORDS = {"Times", "Post", "Telegraph", "Guardian", "Independent", "Herald", "Tribune", "Gazette", "Observer",
               "Journal", "Chronicle", "Economist"}
#: a point of the compass before a place's name: the name of another place ("Northern Cyprus")
COMPASS = {"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "Upper",
           "Lower"}
#: common nouns after a name that make it a place's or a body's ("the Khurais oil field", "provincial council")
AFTER_PLACE = re.compile(r" (?:oil ?field|gas ?field|refinery|province|district|region|county|airport|airbase|"
                         r"air base|naval base|military base|border crossing)\b")
AFTER_ORG = re.compile(r" (?:provincial council|city council|municipal council|militia)\b")
#: the end of a people's adjective ("Iraqi air base", "Eastern European region"), not of a name
ADJECTIVE = re.compile(r"(?:ern|ean|ian|ese|ish|[^ae]i)$")
#: a country's formal name before its short one ("the Islamic Republic of Iran", "the Kingdom of Bahrain")
STATE_OF = re.compile(r"\b(?:Republic|Kingdom|Sultanate|Emirate) of (?:the )?$")
#: a body's word that names none alone ("the Embassy", "the Ministry"), unlike "Congress" or "Parliament"
NO_NAME_ALONE = {"Embassy", "Consulate", "Ministry", "Office", "Council", "Committee", "Company", "Inc", "Ltd", "TV",
                 "Times", "Post", "News", "Group", "Government", "Agency", "Department", "Court", "Commission",
                 "University", "Union", "Federation", "Alliance", "Coalition", "Air", "Radio", "Television", "Service",
                 "Services", "Bureau", "Center", "Centre", "Corporation", "Organization", "Organisation", "Party",
                 "Directorate", "Association", "Institute", "Network", "Authority", "Fund", "Foundation", "Mail",
                 "House", "Society", "Institution", "College", "School", "Academy"}
GOVERNMENT_WORDS = {"Ministry", "Office", "Government", "Directorate", "Department", "Parliament", "Army", "Police",
                    "Navy", "Cabinet", "Senate", "Congress", "Assembly", "Agency", "Authority", "Forces", "Guards"}
PLACE_WORDS = {"Province", "province", "Island", "Islands", "City", "Region", "District", "Gulf", "Sea", "Ocean",
               "Strait", "Valley", "Mountains", "River", "Airport", "Square", "Street", "Palace", "Cathedral",
               "County", "Hospital", "Mosque", "Church", "Temple", "Stadium", "Park", "Avenue", "Road", "Bridge",
               "Bay", "Lake", "Mount", "Harbour", "Harbor", "Beach", "Camp", "Prison"}
CONNECTORS = {"of", "for", "the", "al", "bin", "de", "del", "dela", "von", "van", "el", "ibn", "da", "di"}
NOT_NAMES = {
    "The", "A", "An", "In", "On", "At", "He", "She", "It", "They", "We", "I", "His", "Her", "Their", "Its", "This",
    "That", "These", "Those", "But", "And", "Or", "As", "After", "Before", "During", "While", "When", "Since",
    "Some", "Many", "Other", "Others", "Both", "All", "According", "Last", "Next", "Earlier", "Later", "Also",
    "However", "Meanwhile", "Moreover", "Additionally", "Several", "Over", "With", "Without", "From", "To", "By",
    "For", "Of", "If", "Although", "Following", "Under", "Among", "Between", "Efforts", "There", "Yesterday",
    "Today", "Mr", "Mrs", "Ms", "Dr", "Sir", "President", "Prime", "Minister", "Secretary", "General", "Chancellor",
    "Ambassador", "Former", "Chief", "Senior", "Deputy", "Vice", "Spokesperson", "Spokesman", "Spokeswoman",
    "Leaders", "Leader", "Members", "Residents", "Presidents", "Ministers", "Witnesses", "Troops", "Forces", "Soldiers", "Analysts",
    "King", "Queen", "Sultan", "Emir", "Sheikh", "Pope", "Crown", "Prince", "Princess", "Governor", "Mayor",
    "Commander", "Colonel", "Major", "Captain", "Lieutenant", "Admiral", "Sergeant", "Officials", "Police",
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "Photo", "Source", "Sources", "Image", "Reports", "Report", "Wikinews", "Thus", "Still", "Even", "Now",
    "Such", "Each", "Every", "No", "Not", "Only", "Once", "Then", "What", "Which", "Who", "Why", "How", "Where",
    "Islam", "Christianity", "Judaism", "Hinduism", "Buddhism", "Sikhism",
    "Because", "Though", "Whether", "Unless", "Despite", "Until", "Upon", "Within", "Against", "Amid",
    "Representatives", "Senators", "Congressmen", "Judges", "Officers", "Ambassadors", "Governors", "Mayors",
    "So", "Well", "Yes", "Basically", "Actually", "Okay", "Oh",
}
#: the first word of a place's name, not a person's ("New York", "San Francisco", "Fort Worth")
PLACE_FIRST = {"New", "San", "Santa", "Los", "Las", "Saint", "Port", "Fort", "Mount", "Lake", "Cape"}
#: a word anywhere in the name of a thing, not an entity the register records ("World War II")
THING_INSIDE = {"War"}
#: the last word of a name of a thing, not of an entity the register records ("Sacred Defence Week")
THINGS = {"Week", "Day", "Bill", "Act", "Project", "Programme", "Program", "Initiative", "Plan", "Prize", "Award",
          "Games", "Cup", "Festival", "Interest", "Relations", "Declaration", "Accord", "Doctrine", "Time",
          "Agreement", "Treaty", "Convention", "Protocol", "Income", "Moviefilm", "Medal", "Honour", "Fame"}
#: titles of offices and callings before a name, beyond those of diplomacy ("Senate Minority Whip Dick Durbin",
#: "County Sheriff Bill Brown", "Professor Jane Doe")
PERSON_TITLE_WORDS = {"Whip", "Attorney", "Sheriff", "Judge", "Justice", "Congressman", "Congresswoman", "Professor",
                      "Prof", "Detective", "Inspector", "Councillor", "Councilor", "Coach", "Rabbi", "Reverend",
                      "Father", "Senator", "Premier", "Marshal", "Constable", "Prosecutor", "Auditor", "Treasurer",
                      "CEO", "VP", "Mme", "Chairwoman", "Dean", "Registrar"}
#: words of a title before a name ("US Secretary of State Mike Pompeo", "Syrian President Bashar al-Assad")
TITLE_WORDS = {"President", "Minister", "Secretary", "Chancellor", "Ambassador", "Governor", "Mayor", "King", "Queen",
               "Sultan", "Emir", "Sheikh", "Pope", "Prince", "Princess", "General", "Admiral", "Commander", "Colonel",
               "Major", "Captain", "Lieutenant", "Senator", "Spokesperson", "Spokesman", "Spokeswoman", "Director",
               "Chairperson", "Chairman", "Chair", "Commissioner", "Envoy", "Representative", "State", "Affairs",
               "Defence", "Defense", "Foreign", "Prime", "Interior", "Chief", "Superintendent", "Officer", "Mr",
               "Mrs", "Ms", "Dr", "Sir", "Ayatollah", "Imam", "Archbishop", "Bishop", "Cardinal", "Speaker",
               "Supreme", "Leader", "Deputy", "Head", "Vice", *PERSON_TITLE_WORDS}
#: the head of a title: a title without one ("Sacred Defence") is no post
TITLE_HEADS = {"President", "Minister", "Secretary", "Chancellor", "Ambassador", "Governor", "Mayor", "Spokesperson",
               "Spokesman", "Spokeswoman", "Director", "Chairperson", "Chairman", "Chair", "Commissioner", "Envoy",
               "Representative", "Chief", "Commander", "Speaker", "Senator", "King", "Queen", "Sultan", "Emir",
               "Prince", "Princess", "General", "Admiral", "Pope", "Sheikh", "Ayatollah", "Imam", "State", "Leader",
               "Head", *PERSON_TITLE_WORDS}
TITLES = {"President", "Prime Minister", "Minister", "Secretary", "General", "Chancellor", "Ambassador", "Mr",
          "Mrs", "Ms", "Dr", "Sir", "King", "Queen", "Sultan", "Emir", "Sheikh", "Pope", "Governor", "Mayor",
          "Commander", "Colonel", "Major", "Captain", "Admiral", "spokesperson", "spokesman", "Senator", "Chief"}
_TOKEN = re.compile(r"[A-Z][\w’'.-]*|[a-z]+|\S")


@dataclass
class Entity:
    id: str
    kind: str  # person, organization, place, post
    name: str
    type: str = ""  # an organisation's or place's type
    same_as: str = ""
    location: str = ""  # a government's country
    new: bool = False  # not in the register: a proposed entry


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    words: str
    entity: Entity
    note: str = ""  # why the editor should look at it (a fuzzy or a short-name match)


def slug(words: str) -> str:
    plain = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "entity"


def _ascii(words: str) -> str:
    return unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()


def _post_variants(name: str) -> set[str]:
    """'Foreign Secretary of Pakistan' is also 'Pakistan's Foreign Secretary' and 'Pakistan Foreign Secretary'."""
    m = re.fullmatch(r"(.+?) (?:of|to|for) (?:the )?(.+)", name)
    if not m:
        return set()
    title, holder = m.groups()
    return {f"{holder}'s {title}", f"{holder}’s {title}", f"{holder} {title}"}


def _org_variants(item: Mapping[str, Any]) -> set[str]:
    m = re.fullmatch(r"Government of (?:the )?(.+)", str(item.get("name", "")))
    if not m:
        return set()
    country = m.group(1)
    return {f"{country} government", f"{country}'s government", f"{country}’s government",
            f"government of {country}", f"Government of {country}", f"government of the {country}"}


def _variants(kind: str, item: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """(full names, short names) of a register entry; a short name (a family name) counts only after
    the full name has been seen in the same text."""
    names = {str(item["name"])} | {str(a) for a in item.get("alternateNames") or [] if isinstance(a, str)}
    short: set[str] = set()
    if kind == "post":
        names |= {v for n in list(names) for v in _post_variants(n)}
    if kind == "organization":
        names |= _org_variants(item)
    if kind == "person":
        family = item.get("familyName") or str(item["name"]).split()[-1]
        if isinstance(family, str) and len(family) >= 4 and family not in names:
            short.add(family)
    for long, abbreviated in (("United States", "US"), ("United Kingdom", "UK"), ("United Nations", "UN"),
                              ("European Union", "EU")):
        names |= {n.replace(long, abbreviated) for n in names if long in n and n != long}
    names |= {_ascii(n) for n in names if _ascii(n) != n and len(_ascii(n)) >= 2}
    short |= {_ascii(n) for n in short if _ascii(n) != n and len(_ascii(n)) >= 4}
    return names, short - names


@dataclass
class Gazetteer:
    entities: dict[str, Entity] = field(default_factory=dict)
    full: dict[str, str] = field(default_factory=dict)  # name -> id
    short: dict[str, str] = field(default_factory=dict)
    automaton: Any = None
    proposed: list[tuple[Entity, Mention]] = field(default_factory=list)  # entries made while drafting
    demonyms: dict[str, str] = field(default_factory=dict)  # "Greek" -> "Greece"
    capitals: dict[str, str] = field(default_factory=dict)  # "Athens" -> the id of Greece
    _places: dict[str, Entity] = field(default_factory=dict, repr=False)
    _places_seen: int = -1
    _governments: dict[str, Entity] = field(default_factory=dict, repr=False)
    _governments_seen: int = -1

    @classmethod
    def of(cls, register: Mapping[str, Any], countries: Iterable[Mapping[str, str]] | None = None) -> Gazetteer:
        g = cls()
        for section, kind in SECTIONS.items():
            for item in register.get(section) or []:
                if not isinstance(item, dict) or not isinstance(item.get("id"), str) or "name" not in item:
                    continue
                g._add(Entity(item["id"], kind, str(item["name"]), str(item.get("type", "")),
                              str(item.get("sameAs", "") or ""), str(item.get("location", "") or "")),
                       *_variants(kind, item))
        rows = list(countries if countries is not None else country_table())
        for row in rows:
            g._add_country(row)
        rows.sort(key=lambda row: -int(row.get("population") or 0))  # a shared demonym names the largest
        each = [{**row, "demonym": d} for row in rows for d in str(row.get("demonym") or "").split("|") if d]
        g._add_demonyms(register, each)
        g.demonyms = {}
        for row in each:
            g.demonyms.setdefault(row["demonym"], row["name"])
        g._add_officials(each)
        for row in rows:
            country = g._place_by_wikidata().get(row["wikidata"])
            if country is not None and row.get("capital"):
                g.capitals.setdefault(row["capital"], country.id)
        g._build()
        return g

    def _add_officials(self, rows: Sequence[Mapping[str, str]]) -> None:
        """"German officials", "Saudi authorities": the country's government speaking (as the records have it);
        found as the country, for which the drafter takes its government."""
        for row in rows:
            country = self._place_by_wikidata().get(row["wikidata"])
            if country is None or not row.get("demonym"):
                continue
            government = self.government_of(country.id)
            for word in ("officials", "authorities", "government", "Government"):
                self.full.setdefault(f"{row['demonym']} {word}", government.id if government else country.id)

    def _add_demonyms(self, register: Mapping[str, Any], rows: Sequence[Mapping[str, str]]) -> None:
        """"Greek prime minister" for the post Prime Minister of Greece, "German government" for the Government
        of Germany: a country's demonym (each of countryinfo's, and OWN_DEMONYMS) before the title."""
        demonyms: dict[str, list[str]] = {}
        for row in rows:
            demonyms.setdefault(row["name"], []).append(row["demonym"])
        for section, kind in (("posts", "post"), ("organizations", "organization")):
            for item in register.get(section) or []:
                if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                    continue
                m = re.fullmatch(r"(.+?) of (?:the )?(.+)", str(item.get("name", "")))
                if not m or m.group(2) not in demonyms:
                    continue
                title = m.group(1)
                if kind == "organization" and title != "Government":
                    continue
                for demonym in demonyms[m.group(2)]:
                    for form in {title, title.lower()}:
                        self.full.setdefault(f"{demonym} {form}", item["id"])

    def _add(self, entity: Entity, names: set[str], short: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.entities.setdefault(entity.id, entity)
        for name in names:
            self.full.setdefault(name, entity.id)
        for name in short:
            self.short.setdefault(name, entity.id)

    def _add_country(self, row: Mapping[str, str]) -> None:
        names = {row["name"], row["wikidata_label"], *(a for a in row["aliases"].split("|") if a)}
        names = {n for n in names if n and "," not in n and "(" not in n}
        if "US" in names:
            names |= {"U.S.", "the United States"}
        known = self._place_by_wikidata().get(row["wikidata"])
        if known is None:
            known = Entity(slug(row["name"]), "place", row["name"], "Country", row["wikidata"], new=True)
            if known.id in self.entities:
                return
        self._add(known, names)

    def _build(self) -> None:
        automaton = ahocorasick.Automaton()
        for name, eid in self.full.items():
            automaton.add_word(name, (name, eid, False))
        for name, eid in self.short.items():
            if name not in self.full:
                automaton.add_word(name, (name, eid, True))
        automaton.make_automaton()
        self.automaton = automaton

    def _place_by_wikidata(self) -> dict[str, Entity]:
        """The places by their Wikidata IRI, made again only when entities were added since."""
        if self._places_seen != len(self.entities):
            self._places = {e.same_as: e for e in reversed(list(self.entities.values()))
                            if e.kind == "place" and e.same_as}
            self._places_seen = len(self.entities)
        return self._places

    def government_of(self, place_id: str) -> Entity | None:
        """The register's (or the draft's) government whose location is the country (a country acts through it)."""
        if self._governments_seen != len(self.entities):
            self._governments = {}
            for e in self.entities.values():
                if e.kind == "organization" and e.type == "GovernmentOrganization" and e.name.startswith(
                        "Government of") and e.location:
                    self._governments.setdefault(e.location, e)
            self._governments_seen = len(self.entities)
        return self._governments.get(place_id)

    def known_mentions(self, text: str) -> list[Mention]:
        """Every known name in the text at word boundaries, the longest where they overlap."""
        hits: list[tuple[int, int, str, str, bool]] = []
        for end, (name, eid, is_short) in self.automaton.iter(text):
            start = end - len(name) + 1
            if _bounded(text, start, end + 1):
                hits.append((start, end + 1, name, eid, is_short))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        chosen: list[Mention] = []
        seen: set[str] = set()
        last_end = -1
        for start, end, _name, eid, is_short in hits:
            if start < last_end:
                continue
            if is_short and eid not in seen and not _titled(text, start):
                continue  # a family name alone names the person only after the full name, or after a title
            entity = self.entities[eid]
            note = f"the short name of {entity.name}" if is_short else ""
            chosen.append(Mention(start, end, text[start:end], entity, note))
            seen.add(eid)
            last_end = end
        return chosen

    def closest(self, words: str, kinds: tuple[str, ...]) -> tuple[Entity, float] | None:
        choices = {n: eid for n, eid in self.full.items() if self.entities[eid].kind in kinds}
        found = process.extractOne(words, list(choices), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if found is None:
            return None
        return self.entities[choices[found[0]]], float(found[1])


def _titled(text: str, start: int) -> bool:
    """Whether a title stands right before a name ("President Trump", "Chancellor Merkel")."""
    before = text[max(0, start - 30):start].split()
    return bool(before) and before[-1] in TITLE_WORDS and before[-1] not in ("State", "Affairs", "Foreign")


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "-") and not (after.isalnum() or after in "-")


@cache
def _capitals() -> dict[str, str]:
    """ISO 3166 alpha-3 code -> the country's capital ("GRC" -> "Athens"), from the countryinfo package (MIT)."""
    from countryinfo import all_countries

    found: dict[str, str] = {}
    for country in all_countries():
        code, capital = country.iso(3), country.capital()
        if isinstance(code, str) and isinstance(capital, str) and capital:
            found[code] = capital
    return found


#: demonyms news prose uses that countryinfo lacks or gives wrong (it gives "Welsh" for the United Kingdom and
#: only "Saudi Arabian" for Saudi Arabia): these replace its own for the country
OWN_DEMONYMS = {"GBR": "British", "SAU": "Saudi Arabian|Saudi", "PHL": "Filipino|Philippine"}


@cache
def _demonyms() -> dict[str, tuple[str, int]]:
    """ISO 3166 alpha-3 code -> (demonyms joined by "|", population) ("GRC" -> ("Greek", …),
    "BIH" -> ("Bosnian|Herzegovinian", …)), from the countryinfo package (MIT) and OWN_DEMONYMS; the
    population decides which country a shared demonym ("French") names."""
    from countryinfo import all_countries

    found: dict[str, tuple[str, int]] = {}
    for country in all_countries():
        code, demonym, people = country.iso(3), country.demonym(), country.population()
        if isinstance(code, str) and isinstance(demonym, str) and demonym:
            own = OWN_DEMONYMS.get(code) or "|".join(d.strip() for d in demonym.split(",") if d.strip())
            found[code] = (own, people if isinstance(people, int) else 0)
    return found


def country_table() -> list[dict[str, str]]:
    """The countries with a Wikidata id (src/lod_pub/data/countries.csv, from Our World in Data, MIT), each
    with its demonym where countryinfo has one, and its population."""
    with resources.files("lod_pub").joinpath("data/countries.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    demonyms = _demonyms()
    capitals = _capitals()
    return [{**row, "demonym": demonyms.get(row["iso3"], ("", 0))[0],
             "population": str(demonyms.get(row["iso3"], ("", 0))[1]), "capital": capitals.get(row["iso3"], "")}
            for row in rows]


# --- names the register does not know ----------------------------------------------------------------

def _capital(word: str) -> bool:
    return word[0].isupper() or re.match(r"(?:al|el|ad|as|ash|at|ul|bin|ibn|de|da)-[A-Z]", word) is not None


#: titles whose holder is sent to a place or body: "Ambassador to Germany", "Envoy to the United Nations"
TO_TITLES = {"Ambassador", "Envoy", "Representative", "Adviser", "Advisor", "Delegate", "Observer"}


def _candidates(sentence: str) -> Iterator[tuple[int, int]]:
    """(start, end) of runs of capitalised words, with connectors (of, al, bin, ...) inside them; a
    possessive ends a run ("NATO’s Senior Civil Representative": NATO, then the rest)."""
    tokens = []
    for m in re.finditer(r"[\w’'.-]+", sentence):
        word = m.group()
        poss = re.search(r"(?:’s|'s)$", word)
        if poss:
            tokens.append((m.start(), m.start() + poss.start(), word[:poss.start()] + "\0"))
        elif word.endswith(".") and len(word.rstrip(".")) > 2 and word.rstrip(".") not in ("Mr", "Mrs", "Dr", "St"):
            tokens.append((m.start(), m.end() - 1, word.rstrip(".") + "\0"))  # a full stop ends the name
        else:
            tokens.append((m.start(), m.end(), word.rstrip(".")))
    i = 0
    while i < len(tokens):
        if not tokens[i][2] or not _capital(tokens[i][2]):
            i += 1
            continue
        j = i
        last_cap = i
        while j + 1 < len(tokens) and not tokens[j][2].endswith("\0"):
            nxt = tokens[j + 1][2]
            gap = sentence[tokens[j][1]:tokens[j + 1][0]]
            if gap not in (" ", "-") or not nxt:
                break
            if _capital(nxt):
                last_cap = j + 1
            elif (nxt.lower() not in CONNECTORS and not (nxt == "to" and tokens[j][2] in TO_TITLES)) or (
                    nxt == "the" and tokens[j][2] not in ("of", "for", "to")):
                break
            j += 1
        yield tokens[i][0], tokens[last_cap][1]
        i = last_cap + 1


def _trim(words: str) -> tuple[int, str]:
    """The name without a leading article or title word and a trailing possessive or full stop; (cut, name)."""
    cut = 0
    parts = words.split(" ")
    while parts and (parts[0] in NOT_NAMES or parts[0].rstrip(".") in NOT_NAMES or parts[0].lower() in CONNECTORS):
        cut += len(parts[0]) + 1
        parts = parts[1:]
    name = " ".join(parts)
    name = re.sub(r"(?:'s|’s|\.)$", "", name)
    while name.split(" ")[-1:] and name.split(" ")[-1].lower() in CONNECTORS | {"to"}:
        name = name.rsplit(" ", 1)[0] if " " in name else ""
    return cut, name


def _title_split(name: str) -> tuple[str, str]:
    """("US Secretary of State", "Mike Pompeo") of a title and a name run together; ("", name) without one."""
    words = name.split(" ")
    last = max((i for i, w in enumerate(words) if w in TITLE_WORDS), default=-1)
    if last < 0 or last == len(words) - 1 or (any(w in ORG_WORDS for w in words[last + 1:])
                                              and words[last + 1].lower() not in CONNECTORS):
        return "", name
    if not any(w in TITLE_HEADS for w in words[:last + 1]) or (last == len(words) - 2 and words[last] not in TITLE_HEADS):
        return "", name  # "Sacred Defence Week": no title, and no one named
    if words[last + 1].lower() in CONNECTORS:  # "Speaker of the House", "Sheriff of Milwaukee County"
        rest = words[last + 1:]
        if len(rest) >= 4 and all(w[:1].isupper() and w.lower() not in CONNECTORS for w in rest[-2:]) and not any(
                w in ORG_WORDS | PLACE_WORDS for w in rest[-2:]) and rest[-3].lower() not in CONNECTORS:
            return " ".join(words[:-2]), " ".join(words[-2:])  # "First Minister of Scotland Nicola Sturgeon"
        return name, ""  # "District Attorney of San Bernardino County": a title of a place, no one named
    return " ".join(words[:last + 1]), " ".join(words[last + 1:])


def unknown_names(sentence: str, taken: list[tuple[int, int]]) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, name, kind) of capitalised names of a sentence outside the known mentions (taken,
    offsets in the sentence), with the kind the name's words and neighbours suggest; a title before a
    person's name is offered as a post."""
    for start, end in _candidates(sentence):
        inside = [(a, b) for a, b in taken if not (end <= a or start >= b)]
        if inside and (titled := _post_of_known(sentence, start, end, inside, taken)):
            yield from titled  # "Chief of Army Staff of Pakistan", "US Ambassador to Germany Richard Grenell"
            continue
        if inside and (longer := _around_known(sentence, start, end, inside, taken)) is not None:
            yield longer
            continue
        if inside and min(inside)[0] > start:  # "President Hassan Rouhani of Iran": the name before a known one
            a, b = min(inside)
            title = sentence[start:a]
            if STATE_OF.search(title):
                continue  # "the Islamic Republic of Iran": the country's own name, found as the country
            if re.fullmatch(r"(?:[A-Z][a-z]+ )+(?:of|to|for) (?:the )?", title) and all(
                    w in TITLE_WORDS for w in title.split()[:-1] if w != "the"):
                yield start, b, sentence[start:b], "post"  # "Foreign Secretary of Pakistan"
                continue
            head = re.fullmatch(r"(?:[A-Z][a-z]+ )*([A-Z][a-z]+) of (?:the )?", title)
            if head and head.group(1) in ORG_WORDS | PLACE_WORDS and head.group(1) not in TITLE_WORDS:
                # "the Federal Aviation Office of Germany", "the Gulf of Oman": a body or place of a known one
                cut, _ = _trim(sentence[start:b])
                yield start + cut, b, sentence[start + cut:b], "organization" if head.group(1) in ORG_WORDS else "place"
                continue
            end = a
        cut, name = _trim(sentence[start:end].rstrip())
        the = sentence[start:start + cut] == "The " and name != "" and (
            start > 0 and " " in name or name.split(" ")[-1] in PAPER_WORDS)  # "The Daily Telegraph, citing …"
        if the:  # "… reported The Daily Telegraph": a title's "The" mid-sentence, not a person's
            cut, name = 0, f"The {name}"
        if re.search(r"[\w.]-[a-z]", name) or name.split(" ")[-1] in THINGS or THING_INSIDE & set(name.split(" ")):
            continue  # "U.S.-designated", "Sacred Defence Week", "World War II": a word or a thing, not an entity
        start += cut
        title, person = _title_split(name)
        if title:
            if not all(w in TITLE_WORDS or w.lower() in CONNECTORS for w in title.split()) and not any(
                    not (start + len(title) <= a or start >= b) for a, b in taken):
                yield start, start + len(title), title, "post"
            start += len(name) - len(person)
            name = person
        end = start + len(name)
        if not name or any(not (end <= a or start >= b) for a, b in taken):
            continue
        words = name.split(" ")
        if the:
            yield start, end, name, "organization"
            continue
        kind = "person" if title and len(words) >= 1 and not any(w in ORG_WORDS for w in words) else _kind(
            words, sentence[:start], sentence[end:])
        if not title and not ADJECTIVE.search(name) and (
                noun := AFTER_PLACE.match(sentence, end) or AFTER_ORG.match(sentence, end)):
            kind = "place" if noun.re is AFTER_PLACE else "organization"  # "the Khurais oil field"
            end = noun.end()
            name = sentence[start:end]
        if kind == "person" and (of := re.search(r" (?:of|for) ", name)) and len(name[:of.start()].split()) >= 2:
            name = name[:of.start()]  # "Marco Rubio of Florida": the person, then where from
            end = start + len(name)
        if kind:
            yield start, end, name, kind


#: a title, and after it whose: "Chief of Army Staff of", "Ambassador to", "Secretary-General of the"
POST_TITLE = re.compile(r"((?:[A-Z][a-z]+ )+)(?:(?:of|for) (?:the )?(?:[A-Z][a-z]+ )+)*(?:of|to|for) (?:the )?")


def _post_of_known(sentence: str, start: int, end: int, inside: list[tuple[int, int]],
                   taken: list[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    """A post named by a title and the known place or body it is of, with a known name before it or none
    ("US Ambassador to Germany", "Chief of Army Staff of Pakistan"), and a new person's name right after it."""
    spans = sorted(inside)
    lead = sentence[start:spans[0][0]].split()
    cut = 0
    while lead and lead[0] in NOT_NAMES and lead[0] not in TITLE_WORDS:
        cut += len(lead.pop(0)) + 1
    begin = start + cut
    of = spans[0] if begin < spans[0][0] else (spans[1] if len(spans) > 1 and spans[0][0] == begin else None)
    if of is None:
        return []
    title_at = begin if of is spans[0] else spans[0][1] + 1
    title = POST_TITLE.fullmatch(sentence, title_at, of[0])
    if title is None or title_at > of[0] or sentence[spans[0][1]:title_at] not in ("", " "):
        return []
    words = title.group(1).split()
    if not all(w in TITLE_WORDS for w in words) or not any(w in TITLE_HEADS for w in words) or (
            words[0] not in TITLE_HEADS and all(w in ("Foreign", "State", "Affairs", "Defence", "Defense")
                                                 for w in words)):
        return []
    found = [(begin, of[1], sentence[begin:of[1]], "post")]
    rest = re.match(r" ((?:[A-Z][\w’'-]+ ?){2,4})", sentence[of[1]:end + 1])
    if rest and not any(a < end and b > of[1] + 1 for a, b in taken if (a, b) != of):
        person = rest.group(1).rstrip()
        found.append((of[1] + 1, of[1] + 1 + len(person), person, "person"))
    return found


#: a title's head word before a person's name ("US District Judge Jane Doe"): no body's name goes on past it
PERSON_TITLES = TITLE_HEADS - {"State", "General"} | {"Judge", "Justice", "Mr", "Mrs", "Ms", "Dr"}


def _around_known(sentence: str, start: int, end: int, inside: list[tuple[int, int]],
                  taken: list[tuple[int, int]]) -> tuple[int, int, str, str] | None:
    """A new name around a known one: a point of the compass before a known place ("Northern Cyprus"); a
    body's or place's word after a known name ("the United States Department of Defense", "Baghdad
    International Airport", "Cyprus Mail"; an embassy with the place it is in); a council after a known place
    ("the Maidan Wardak provincial council")."""
    first, last = min(inside), max(inside)
    lead = sentence[start:first[0]].split()
    cut = 0
    while lead and lead[0] in NOT_NAMES:
        cut += len(lead.pop(0)) + 1
    if last[1] >= end and (noun := AFTER_ORG.match(sentence, end)):
        begin = start + cut if lead and all(w in COMPASS | PLACE_FIRST for w in lead) else last[0]
        return begin, noun.end(), sentence[begin:noun.end()], "organization"
    if lead and all(w in COMPASS | PLACE_FIRST for w in lead) and last[1] >= end:
        return start + cut, last[1], sentence[start + cut:last[1]], "place"
    if first[0] > start + cut or last[1] >= end:
        return None
    start += cut
    tail = sentence[last[1]:end].split()
    heads = [w for w in tail if w in ORG_WORDS | PLACE_WORDS]
    if not heads or tail == ["Government"] or tail[0].lower() in CONNECTORS or any(w in PERSON_TITLES for w in tail) \
            or not all(_capital(w) or w.lower() in CONNECTORS for w in tail):
        return None  # "Barack Obama for the Democratic Party", "US District Judge Jane Doe": no one name
    if tail[-1] in ("Embassy", "Consulate") and (there := re.match(r" in ", sentence[end:])):
        after = end + there.end()
        place = next((b for a, b in taken if a == after), None)
        end = place if place is not None else end  # "the United States Embassy in Baghdad"
    name = sentence[start:end]
    return start, end, name, "organization" if any(w in ORG_WORDS for w in tail) else "place"


#: a common noun before a company's or a paper's own name: "the Greek gas producer Energean", "daily Kathimerini"
BODY_NOUNS = {"producer", "supplier", "company", "firm", "newspaper", "daily", "broadcaster", "agency", "airline",
              "carrier", "group", "outlet", "network", "channel", "manufacturer", "operator", "insurer", "bank",
              "automaker", "giant", "conglomerate", "publisher", "magazine", "website", "weekly", "startup", "retailer"}
#: a verb of reporting right after a single unknown name: a news outlet reports ("Rudaw reports")
REPORTS_AFTER = re.compile(r"\s+(?:reports|reported|wrote|writes|published|quoted)\b")


def _kind(words: list[str], before: str, after: str = "") -> str:
    if len(words) == 1 and words[0] in NO_NAME_ALONE | PLACE_WORDS:
        return ""  # "the Embassy": a body named before, by its kind
    if any(w in ORG_WORDS for w in words):
        return "organization"
    if len(words) >= 2 and (words[0] in COMPASS or words[0] in PLACE_FIRST) and all(_capital(w) for w in words):
        return "place"  # "the Eastern Mediterranean", "New York", "San Francisco"
    if any(w in PLACE_WORDS for w in words):
        return "place"
    preceding = before.rstrip().split(" ")[-1:] if before.strip() else []
    if preceding and preceding[0] in ("in", "at", "near", "from", "to") and len(words) <= 3:
        return "place"
    if len(words) == 1 and ((preceding and preceding[0] in BODY_NOUNS) or REPORTS_AFTER.match(after)):
        return "organization"  # one word: a person's name has two, "the gas producer Energean", "Rudaw reports"
    if words[-1].endswith(("ern", "ean", "ian", "ese", "ish")) or words[0] in TITLE_WORDS:
        return ""  # an adjective ("Middle Eastern"), not a name
    if len(words) >= 2 and all(_capital(w) or w.lower() in CONNECTORS for w in words) and len(words) <= 4:
        return "person"
    return ""


def post_name(words: str, demonyms: Mapping[str, str]) -> str:
    """A post's name as the register writes it: "Greek prime minister" -> "Prime Minister of Greece",
    "Iranian President" -> "President of Iran"; other words as they are."""
    first, _, rest = words.partition(" ")
    if first in demonyms and rest:
        title = " ".join(w[:1].upper() + w[1:] if w.lower() not in CONNECTORS else w for w in rest.split())
        return f"{title} of {demonyms[first]}"
    return words


def org_type(name: str) -> str:
    return "GovernmentOrganization" if any(w in GOVERNMENT_WORDS for w in name.split()) else "Organization"


def place_type(name: str) -> str:
    return "AdministrativeArea" if re.search(r"\b[Pp]rovince|Region|District|State\b", name) else "Place"
