"""The facts a draft proposes, sentence by sentence: events from the verbs (and nouns) that report them,
statements from reporting verbs, posts held, each with the sentence's own words as evidence.

lemminflect gives each word's lemma ("met" -> meet, "underscored" -> underscore), so one table of lemmas
covers every inflection; the tables below are the drafter's whole vocabulary, with the CAMEO code of each
event verb (docs/drafting.md lists them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from .cameo_words import narrower
from .dates import DateMention
from .names import Entity, Mention
from .text import Sentence

#: verb lemma -> (event type, CAMEO code)
VERB_EVENTS: dict[str, tuple[str, str]] = {
    "meet": ("Meeting", "040"), "visit": ("OfficialVisit", "042"), "host": ("OfficialVisit", "043"),
    "sign": ("DiplomaticEvent", "057"), "condemn": ("Event", "111"), "denounce": ("Event", "111"),
    "criticise": ("Event", "111"), "criticize": ("Event", "111"), "accuse": ("Event", "112"),
    "attack": ("Attack", "180"), "kill": ("Attack", "180"), "bomb": ("Attack", "183"),
    "assassinate": ("Attack", "186"), "ban": ("Event", "163"), "sanction": ("Event", "163"),
    "invade": ("MilitaryOperation", "192"), "shell": ("MilitaryOperation", "194"),
    "withdraw": ("Event", "087"), "arrest": ("Event", "173"), "detain": ("Event", "173"),
    "abduct": ("Event", "181"), "kidnap": ("Event", "181"), "threaten": ("Event", "130"),
    "urge": ("DiplomaticEvent", "020"), "appeal": ("DiplomaticEvent", "020"), "announce": ("Event", "010"),
    "negotiate": ("StaffTalks", "046"), "evacuate": ("Evacuation", "070"),
    # CAMEO 04-17 beyond the first table: mediate, recognise, apologise, aid, protest, expel, mobilise, blockade
    "mediate": ("DiplomaticEvent", "045"), "recognise": ("DiplomaticEvent", "054"),
    "recognize": ("DiplomaticEvent", "054"), "apologise": ("DiplomaticEvent", "055"),
    "apologize": ("DiplomaticEvent", "055"), "protest": ("Event", "140"), "expel": ("Event", "174"),
    "deport": ("Event", "174"), "deploy": ("MilitaryOperation", "154"), "mobilise": ("MilitaryOperation", "154"),
    "mobilize": ("MilitaryOperation", "154"), "blockade": ("MilitaryOperation", "191"),
    "occupy": ("MilitaryOperation", "192"),
    # 183 "Conduct suicide, car, or other non-military bombing": a bomb that explodes or is detonated
    "explode": ("Attack", "183"), "detonate": ("Attack", "183"),
    # verbs of news prose for codes whose names use others: encouraging is an appeal or request (020),
    # suspending (relations, operations) reduces relations (160)
    "encourage": ("DiplomaticEvent", "020"), "suspend": ("Event", "160"),
}
#: noun -> (event type, CAMEO code): "held a meeting", "the summit", "drone attacks"
NOUN_EVENTS: dict[str, tuple[str, str]] = {
    "meeting": ("Meeting", "040"), "talks": ("Meeting", "040"), "summit": ("Summit", "040"),
    "visit": ("OfficialVisit", "042"), "attack": ("Attack", "180"), "attacks": ("Attack", "180"),
    "bombing": ("Attack", "183"), "bombings": ("Attack", "183"), "airstrike": ("Attack", "195"),
    "airstrikes": ("MilitaryOperation", "195"), "strike": ("Attack", "195"),
    "invasion": ("MilitaryOperation", "192"), "offensive": ("MilitaryOperation", "190"),
    "assault": ("Attack", "190"), "ban": ("Event", "163"), "sanctions": ("Event", "163"),
    "explosion": ("Attack", "183"), "blast": ("Attack", "183"), "phone call": ("PhoneCall", "041"),
    "telephone call": ("PhoneCall", "041"), "conference": ("Meeting", "040"),
    "claimed responsibility": ("Event", "015"), "claim responsibility": ("Event", "015"),
    "claiming responsibility": ("Event", "015"), "denied responsibility": ("Event", "016"),
    "drone attack": ("Attack", "1952"), "drone attacks": ("Attack", "1952"),
    "drone strike": ("Attack", "1952"), "drone strikes": ("MilitaryOperation", "1952"),
    "suicide bombing": ("Attack", "1831"), "suicide bomber": ("Attack", "1831"), "car bomb": ("Attack", "1832"),
    "humanitarian aid": ("Event", "073"), "military aid": ("Event", "072"), "economic aid": ("Event", "071"),
    "evacuation": ("Evacuation", "070"), "protests": ("Event", "140"), "negotiations": ("StaffTalks", "046"),
    "agreement was signed": ("DiplomaticEvent", "057"), "peace talks": ("StaffTalks", "046"),
    "deployment": ("MilitaryOperation", "154"), "expulsion": ("Event", "174"),
    "speech": ("Event", "010"), "withdrawal": ("Event", "087"), "ceasefire": ("DiplomaticEvent", "0871"),
    "truce": ("DiplomaticEvent", "0871"),
    # the nouns of the codebook's names ("Arrest, detain …" 173, "Conduct hunger strike" 142, "Impose curfew"
    # 1723, "Employ aerial weapons" 195 …), as news writes them; multi-word ones are matched as a whole
    "staff talks": ("StaffTalks", "046"), "state visit": ("OfficialVisit", "042"),
    "official visit": ("OfficialVisit", "042"), "meetings": ("Meeting", "040"), "visits": ("OfficialVisit", "042"),
    "phone conversation": ("PhoneCall", "041"), "telephone conversation": ("PhoneCall", "041"),
    "mediation": ("DiplomaticEvent", "045"), "apology": ("DiplomaticEvent", "055"),
    "investigation": ("Event", "090"), "inquiry": ("Event", "090"), "arrest": ("Event", "173"),
    "arrests": ("Event", "173"), "detention": ("Event", "173"), "deportation": ("Event", "174"),
    "deportations": ("Event", "174"), "kidnapping": ("Attack", "181"), "abduction": ("Attack", "181"),
    "hijacking": ("Attack", "181"), "assassination": ("Attack", "186"), "assassination attempt": ("Attack", "185"),
    "torture": ("Attack", "1822"), "riot": ("Event", "145"), "riots": ("Event", "145"),
    "demonstration": ("Event", "141"), "demonstrations": ("Event", "141"), "rally": ("Event", "141"),
    "rallies": ("Event", "141"), "hunger strike": ("Event", "142"), "embargo": ("Event", "163"),
    "boycott": ("Event", "163"), "curfew": ("Event", "1723"), "state of emergency": ("Event", "1724"),
    "martial law": ("Event", "1724"), "veto": ("Event", "129"), "ultimatum": ("Event", "139"),
    "lawsuit": ("Event", "115"), "blockade": ("MilitaryOperation", "191"), "occupation": ("MilitaryOperation", "192"),
    "shelling": ("MilitaryOperation", "194"), "air strike": ("Attack", "195"),
    "air strikes": ("MilitaryOperation", "195"), "missile strike": ("Attack", "195"),
    "missile strikes": ("MilitaryOperation", "195"), "roadside bomb": ("Attack", "1833"),
    "roadside bombing": ("Attack", "1833"),
    "suicide bombings": ("Attack", "1831"), "car bombing": ("Attack", "1832"),
    "cyberattack": ("Event", "176"), "cyber attack": ("Event", "176"), "massacre": ("MilitaryOperation", "202"),
    "mass killings": ("MilitaryOperation", "202"), "ethnic cleansing": ("MilitaryOperation", "203"),
    "chemical attack": ("MilitaryOperation", "2041"), "military exercises": ("MilitaryOperation", "150"),
    "military exercise": ("MilitaryOperation", "150"), "clashes": ("MilitaryOperation", "190"),
    "fighting": ("MilitaryOperation", "190"), "peacekeeping": ("Event", "074"),
    "asylum": ("Event", "075"), "surrender": ("Event", "0874"), "retreat": ("Event", "0874"),
    # 017 "Engage in symbolic act": mourning and commemoration
    "mourning": ("Event", "017"), "commemoration": ("Event", "017"), "vigil": ("Event", "017"),
    "minute of silence": ("Event", "017"), "moment of silence": ("Event", "017"),
}
#: reporting verbs (lemmas): a statement
REPORTING = {
    "say", "add", "state", "underscore", "thank", "claim", "allege", "describe", "report", "tell", "warn",
    "stress", "note", "deny", "highlight", "emphasise", "emphasize", "insist", "explain", "write", "tweet",
    "confirm", "argue", "assert", "declare", "vow", "pledge", "reaffirm", "affirm", "reiterate", "praise",
    "welcome", "share", "suggest", "estimate", "predict", "acknowledge", "admit", "announce", "accuse", "blame",
    "continue", "call", "justify", "appreciate", "advise", "ask", "reassert", "underline", "denounce", "envision",
    "hail", "condemn", "criticise", "criticize", "promise", "threaten", "demand", "dismiss", "reject", "respond",
    "reply", "comment", "observe", "remark", "recall", "conclude", "cite", "quote", "inform", "mention",
    # verbs of saying in news prose beyond the first list (not from the curated records)
    # (not `charge`, `question`, `request`: their forms are nouns as often)
    "urge", "express", "lament", "characterise", "characterize", "disclose", "reveal", "indicate", "recommend",
    "assure", "reassure", "contend", "speculate", "caution", "concede", "complain", "retort", "proclaim", "plead",
    "boast",
    # verbs of a stance held, which records keep as statements ("Turkey maintains a position that …", "the EU
    # considers it a PCI"): in the active voice only (not "was considered the founding father")
    *(STANCE := {"maintain", "consider", "believe", "expect", "hope", "fear"}),
}
SOURCING = {"cite", "quote"}  # "citing X, reported …": the report is the statement
ATTENDED = ("Meeting", "Summit", "PhoneCall", "OfficialVisit", "StaffTalks")
PLACE_PREPOSITIONS = ("in", "at", "near", "to", "outside", "inside")
PRONOUNS = {"he", "she", "He", "She"}
ADVERBS = {"also", "further", "then", "later", "again", "previously", "earlier", "subsequently", "additionally"}
QUOTED = re.compile(r"[\"“]([^\"“”]{3,}?)[\"”]")


@cache
def lemma(word: str) -> str:
    from lemminflect import getLemma  # type: ignore[import-untyped]  # lemminflect ships no type information

    found = getLemma(word.lower(), upos="VERB")
    return str(found[0]) if found else word.lower()


def as_reported(text: str, verb: re.Match[str]) -> str:
    """A reporting verb as a record writes it: its own form, but a base form after "went on to" or "goes on
    to" in the tense of "went" or "goes" ("He went on to add" -> added)."""
    went = GOES_ON.search(text, 0, verb.start())
    if went is None or verb.group().lower() != lemma(verb.group()):
        return verb.group()
    from lemminflect import getInflection

    form = getInflection(verb.group().lower(), tag="VBD" if went.group().startswith("went") else "VBZ")
    return str(form[0]) if form else verb.group()


@dataclass
class Fact:
    value: str
    evidence: str = ""
    inferred: str = ""
    mark: str = ""  # what the editor must decide ("" for nothing)
    year: bool = False  # a date: a value of four digits is a year, written plain
    at: int = -1  # where its words start in the sentence of its evidence, where that matters


@dataclass
class DraftEvent:
    id: str
    type: str
    cameo: str
    name: str
    sentence: Sentence
    trigger: str
    dates: dict[str, Fact] = field(default_factory=dict)
    location: list[Fact] = field(default_factory=list)
    attendees: list[Fact] = field(default_factory=list)
    organizers: list[Fact] = field(default_factory=list)
    participants: list[tuple[Fact, str]] = field(default_factory=list)  # (agent, role)
    status: Fact | None = None  # `scheduled` for an event dated after the article


@dataclass
class DraftStatement:
    id: str
    author: Fact
    verb: str
    text: str
    quoted: bool
    sentence: Sentence
    about: list[str] = field(default_factory=list)
    date: Fact | None = None
    evidence: str = ""  # the clause of the statement; the whole sentence where empty
    paraphrase: bool = False  # the text is the drafter's words ("responsibility for the attack"), not the article's


@dataclass
class Holding:
    person: str
    post: str
    evidence: str
    at: int
    former: bool = False


def _words(sentence: str) -> Iterator[re.Match[str]]:
    return re.finditer(r"[A-Za-z]+(?:-[A-Za-z]+)*", sentence)


def _agent(entity: Entity, government: Entity | None) -> Entity | None:
    """The agent a mention stands for: a person or organisation; a country acts through its government."""
    if entity.kind in ("person", "organization"):
        return entity
    if entity.kind == "place" and entity.type == "Country" and government is not None:
        return government
    return None


def verb_event(base: str) -> tuple[str, str] | None:
    """(event type, CAMEO code) of a verb lemma: the drafter's table, else the codebook's names (either
    spelling: "criticise", "criticize")."""
    from .cameo_words import codebook_verbs

    for form in (base, re.sub(r"ise$", "ize", base)):
        found = VERB_EVENTS.get(form) or codebook_verbs().get(form)
        if found is not None:
            return found
    return None


#: phrases holding an event word that name no event: a press conference is where something is said, not a
#: meeting of parties ("said at a press conference")
NOT_EVENTS = {"press conference", "news conference", "press conferences", "news conferences", "video conference",
              "press briefing"}


@cache
def _phrases() -> re.Pattern[str]:
    """The event phrases of NOUN_EVENTS ("staff talks", "car bomb") and NOT_EVENTS in one pattern, the longest
    first."""
    phrases = sorted([*(n for n in NOUN_EVENTS if " " in n), *NOT_EVENTS], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in phrases) + r")\b", re.IGNORECASE)


def event_triggers(sentence: Sentence, skip: list[tuple[int, int]]) -> list[tuple[int, str, str, str, bool]]:
    """(offset in sentence, words, type, cameo, is_verb) of the event words of a sentence, outside the spans
    skipped (quotations, names: "the Democratic Rally"); a word inside a longer event phrase ("talks" in "staff
    talks") is the phrase's."""
    found: list[tuple[int, str, str, str, bool]] = []
    text = sentence.text
    spans: list[tuple[int, int]] = []
    for m in _phrases().finditer(text):
        if m.group().lower() in NOT_EVENTS:
            spans.append((m.start(), m.end()))
        elif not any(a <= m.start() < b for a, b in skip):
            kind, code = NOUN_EVENTS[m.group().lower()]
            found.append((m.start(), m.group(), kind, code, False))
            spans.append((m.start(), m.end()))
    for m in _words(text):
        if any(a <= m.start() < b for a, b in (*skip, *spans)):
            continue
        word = m.group()
        low = word.lower()
        noun = low if low in NOUN_EVENTS else _singular(low)
        if noun in NOUN_EVENTS and not (noun == "visit" and _is_verb_context(text, m.start())):
            kind, code = NOUN_EVENTS[noun]
            found.append((m.start(), word, kind, code, False))
            continue
        if word[0].isupper() and m.start() > 0:
            continue  # a name, not a verb
        base = lemma(low)
        typed = verb_event(base)
        typed = _by_object(base, _following(text, m.end())) or typed
        if typed is not None and low != base + "s" and (low != base or _is_verb_context(text, m.start())):
            kind, code = typed
            if kind == "Attack" and re.search(r"\bcar bomb", text, re.IGNORECASE):
                code = "1832"
            found.append((m.start(), word, kind, code, True))
    return sorted((at, words, kind, narrower(code, _following(text, at + len(words))), is_verb)
                  for at, words, kind, code, is_verb in found)


#: (verb lemma, what it acts on) -> (type, CAMEO code), where the object makes the act another code's:
#: withdrawing from an agreement rejects it (127 "Reject plan, agreement"), not a military withdrawal (087);
#: sending troops mobilises them (154 "Mobilize or increase armed forces")
BY_OBJECT: dict[tuple[str, str], tuple[str, str]] = {
    ("withdraw", r"\bfrom (?:the |a |an |its |their )?(?:[\w-]+ ){0,3}(?:deal|agreement|treaty|accord|pact)\b"):
        ("DiplomaticEvent", "127"),
    ("send", r"^(?:more |additional |[\w,]+ )?(?:troops|soldiers|forces|warships)\b"): ("MilitaryOperation", "154"),
    ("deploy", r"^(?:more |additional |[\w,]+ )?(?:troops|soldiers|forces|warships)\b"): ("MilitaryOperation", "154"),
    # designating a group a terrorist organisation: "Impose administrative sanctions" (172)
    **{(verb, r"^(?:[\w-]+ ){1,6}?as (?:a |an )?(?:[\w-]+ )?terrorist\b"): ("Event", "172")
       for verb in ("designate", "label", "list", "blacklist")},
    # pledging or offering aid: "Express intent to provide material aid" (033; "humanitarian" narrows it to 0333)
    **{(verb, r"^(?:[\w$,.-]+ ){0,6}?(?:aid|assistance|funding)\b"): ("DiplomaticEvent", "033")
       for verb in ("pledge", "promise", "offer", "vow")},
}


def _by_object(base: str, following: str) -> tuple[str, str] | None:
    for (verb, pattern), typed in BY_OBJECT.items():
        if base == verb and re.search(pattern, following):
            return typed
    return None


def _singular(word: str) -> str:
    """An event noun's singular ("explosions", "rallies"), or "" when the word is none."""
    for plural, single in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(plural) and (found := word[:-len(plural)] + single) in NOUN_EVENTS and " " not in found:
            return found
    return ""


def _following(text: str, at: int) -> str:
    """The words after an event word that may narrow its code: to the end of the clause, twelve at most."""
    clause = re.split(r"[;:]|, (?:which|who|while|but|and)\b", text[at:], maxsplit=1)[0]
    return " ".join(clause.split()[:12])


def _is_verb_context(text: str, at: int) -> bool:
    before = text[:at].split()[-1:] if text[:at].strip() else []
    return bool(before) and before[0].lower() in ("to", "will", "would", "could", "should", "may", "might", "did",
                                                   "not", "also", "they", "we", "i")


def reporting_verbs(sentence: Sentence) -> list[re.Match[str]]:
    """The reporting verbs of a sentence in an inflected form (said, added, says, claimed, saying)."""
    text = sentence.text
    found = [m for m in _words(text) if not m.group()[0].isupper() and lemma(m.group()) in REPORTING
             and (m.group().lower() != lemma(m.group()) or lemma(m.group()) in GOES_ON_TO
                  and GOES_ON.search(text, 0, m.start()))
             and not _modifier(text, m.start())
             and not (lemma(m.group()) in STANCE and (PASSIVE_BEFORE.search(text, 0, m.start())
                                                       or not STANCE_CLAUSE.match(text, m.end())))]
    # "Reuters, citing anonymous sources, reported …": the source cited is no statement when a verb follows
    return [m for i, m in enumerate(found) if not (lemma(m.group()) in SOURCING and found[i + 1:])]


#: a reporting verb's base form that reports: "went on to add", "goes on to say"
GOES_ON = re.compile(r"\b(?:went|goes|go|going) on to $")
GOES_ON_TO = {"say", "add", "explain", "note", "state", "describe", "warn", "claim", "argue", "write", "tell"}


#: what a verb of a stance holds, to be a statement: a clause ("believes that …", "maintains a position that …")
#: or a judgement ("considers the pipeline to be …"), not a thing ("maintained his lead")
STANCE_CLAUSE = re.compile(r"\s+(?:(?:[\w-]+\s+){0,3}?that\b|(?:[\w-]+\s+){1,4}?to be\b)")
#: an auxiliary of the passive right before a verb: "was considered", "is widely believed", "are expected"
PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:[a-z]+ly\s+)?$")


def _modifier(text: str, at: int) -> bool:
    """Whether a verb form modifies a noun, not a verb of its sentence: after an article, a possessive or `of`
    ("a proposed end point", "days of public mourning", "its stated aim")."""
    before = text[:at].split()[-2:]
    gerund = text[at:].split()[0].rstrip(",.;").endswith("ing")
    return bool(before) and (before[-1].lower() in DETERMINERS or (
        gerund and len(before) == 2 and before[0].lower() == "of" and before[1].islower()))


DETERMINERS = {"a", "an", "the", "its", "their", "his", "her", "our", "this", "these", "of"}  # not "that": "a note that said"
ACCORDING = re.compile(r"\b[Aa]ccording to ")


def quotes_in(text: str) -> list[tuple[int, int]]:
    return [(m.start(1), m.end(1)) for m in QUOTED.finditer(text)]


CLAUSE_END = re.compile(r",\s+(?=(?:which|who|whom|whose|where|while|but|after|before|since|because|although|with|"
                        r"according|(?:further|also|then|before|later) [a-z]+ing|[a-z]+ing)\b)|;\s+|\s+\((?=[^)]*\)$)"
                        r"|(?<=,[\"”])\s+(?=(?:further |also |then )?[a-z]+ing\b)")


#: where the words were said, at the end of what was said: "… in a statement", "… in its January 3 security alert"
SOURCE_ADJUNCT = re.compile(r",?\s+(?:in|on|during|via|through) (?:a|an|the|its|his|her|their) (?:[\w-]+ ){0,3}?"
                            r"(?:statement|alert|tweet|interview|speech|address|post|briefing|press conference|"
                            r"news conference|letter|message|broadcast)$")


#: ", and" before a clause of its own: what was said goes on as a second statement ("said it is possible …, and
#: the ban followed discussions")
AND_CLAUSE = re.compile(r"[\"”]?,[\"”]?\s+and\s+(?=(?:the|a|an|it|he|she|they|we|this|these|those)\s+(?:[\w-]+\s+)?"
                        r"(?:[a-z]+ed|is|are|was|were|has|have|had|will|would|can|could|may|might)\b)")


def reported_parts(words: str) -> list[str]:
    """The words of a statement in reported speech, as one or two statements: split at ", and" before a
    clause with its own subject and verb."""
    cut = AND_CLAUSE.search(words)
    if cut is None or len(words[:cut.start()].split()) < 3:
        return [words]
    return [words[:cut.start()].strip().strip("\"“”").strip(), words[cut.end():].strip()]


#: where a clause of its own starts inside a sentence: ", but", ", and", ", while", ", with", "; ", a participle
CLAUSE_START = re.compile(r"(?:, (?=(?:but|and|while|whereas|with|further|also|[a-z]+ing)\b)|; )")
#: what follows the words of a statement that records leave out of its quote: another clause, a participle
CLAUSE_AFTER = re.compile(r"[,;] (?:whose|with|and|but|while|further|also|[a-z]+ing)\b")


def statement_clause(text: str, vstart: int, vend: int, said: str, author_at: int | None = None,
                     after_end: int | None = None) -> str:
    """The words of a sentence that hold a statement, as records quote it: from the start of the clause of
    its author and verb (the sentence's, or after ", but", ", and", "; " …; a participle's own: "further
    saying, "…"") to the end of what was said and its closing quotation mark ('"…," he said': to the verb,
    and a name after it), where another clause follows (", whose …", ", saying …", ", and …"); else the
    rest of the sentence. `author_at`: where an author named before the verb starts; `after_end`: the end
    of one named after it."""
    at = text.find(said)
    if at < 0:
        return text
    head = min(vstart, at - 1 if at > 0 and text[at - 1] in "\"“" else at)
    participle = re.search(r"(?:, (?:(?:further|also|then) )?)$", text[:vstart]) and text[vstart:vend].endswith("ing")
    if author_at is not None and author_at < head and not participle:
        head = author_at
    begin = max((m.end() for m in CLAUSE_START.finditer(text) if m.end() <= head), default=0)
    if at < vstart:
        end = max(vend, after_end or 0)
    else:
        end = at + len(said)
        closing = re.match(r"[,.!?]?[\"”]", text[end:])
        end += closing.end() if closing else 0
    if not CLAUSE_AFTER.match(text, end) and not CLAUSE_AFTER.match(text, end - 1) or len(
            re.findall(r"[\"“”]", text[begin:end])) % 2:
        end = len(text)  # nothing left out, or a quotation left open
    return text[begin:end].strip() or text


#: where or to whom it was said, between a reporting verb and the `that` of what was said: "said on Fox News
#: that", "stated to the CBC in late June that" (not "threatened to withhold funds from districts that")
HEARD_THAT = re.compile(r"^(?:(?:(?:on|in|at|during|via|through)\s+(?:[\w’'-]+\s+){1,5}?|to\s+(?:the\s+)?"
                        r"(?:[A-Z][\w’'-]*\s+){1,3}|to\s+(?:reporters|journalists|the press|the media)\s+)){1,2}that\s+")


#: a day or a month after a verb ("said on Monday that"), not what it acts on ("called on Italy")
DAY_WORDS = ("Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
             "August|September|October|November|December|\\d+\\w*|the \\d+\\w*|that day|this \\w+")


def _quote_after_colon(text: str, verb: re.Match[str], quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    """'appreciated Soleimani's lifepath: "…"', 'justified the strike … as "defensive" in nature: "…"': the
    quotation a colon after the verb opens, with no other reporting verb between."""
    for start, end in quotes:
        if start > verb.end() and re.search(r":\s*[\"“]$", text[:start]) and not any(
                lemma(m.group()) in REPORTING for m in _words(text[verb.end():start])):
            return start, end
    return None


#: where or to whom it was said, between the verb and its quotation: ' at a press conference: "', ' in his
#: live stream, "', ' on Fox News, "'
ADJUNCT_THEN_QUOTE = re.compile(r"\s+(?:on|in|at|during|to|via|through|from)\s+[^,:;\"“”]{1,40}?[,:]\s*")


def _adjacent_quote(text: str, verb: re.Match[str], quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The quotation the verb reports as such: '"…," he said', '"…", said X', 'said: "…"', 'said "…"'; a
    participle ("further saying, "…"") reports the one after it."""
    if verb.group().endswith("ing"):
        quotes = sorted(quotes, key=lambda q: q[0] < verb.start())
    for start, end in quotes:
        between_after = text[verb.end():start - 1]
        if re.fullmatch(r"[,:]?\s*", between_after) or ADJUNCT_THEN_QUOTE.fullmatch(between_after):
            return start, end
        between_before = text[end + 1:verb.start()]
        if end < verb.start() and re.fullmatch(r"[,.!?]?\s*[\w’'. -]{0,60}?\s*", between_before) and (
                text[end:end + 3].lstrip("\"”").startswith((",", "!", "?")) or text[end - 1] in ",!?"):
            return start, end
    return None


#: verbs of saying to someone: "told reporters", "assured them", "warned the Saudis that"
TOLD = {"tell", "inform", "assure", "reassure", "warn", "remind", "brief", "notify", "advise"}
AUDIENCE = re.compile(r"\s+(?:reporters|journalists|the press|the media|parliament|lawmakers|(?:the|a) [a-z]+|him|her|them|"
                      r"us|me|(?:the )?[A-Z][\w’'-]+(?: [A-Z][\w’'-]+){0,3})(?: on [A-Z][a-z]+day)?"
                      r"(?=\s*:|,?\s+(?:that\b|[\"“]))")


#: two words reported, a thing named ("alleged Iranian involvement", "denied the accusation"), not an adjunct
#: ("at conventions", "on Saturday", "Wikinews yesterday")
TWO_WORDS = re.compile(r"(?!(?:of|at|on|in|from|as|out|to|for|with|by|into|over|about|up|off|down|were|was|is|are|"
                       r"had|has|have|be|been|it|them|him|there|here|so|not|that|also|then|now|still|yet)\b)"
                       r"[A-Za-z][a-z-]* (?!yesterday\b|today\b|tomorrow\b|earlier\b|later\b)[a-z][a-z-]+")
#: the words of a stance before what it holds: "a position that", "the view that"
STANCE_HELD = re.compile(r"^(?:a|the|its|his|her|their) (?:position|view|belief|opinion|stance) that ")
#: the main clause going on after a relative one: "the project, which involves Greece, Cyprus and Israel, is open"
MAIN_GOES_ON = re.compile(r", (?:is|are|was|were|has|have|had|will|would|can|could|must|may|should|remains?)\b")


def _clause_end(words: str) -> int | None:
    """Where the reported words end: at the first CLAUSE_END, but past a relative clause ("…, which …,")
    after which the main clause goes on with its verb."""
    at = 0
    while (cut := CLAUSE_END.search(words, at)) is not None:
        if re.match(r",\s+(?:which|who)\b", words[cut.start():]) and (
                more := MAIN_GOES_ON.search(words, cut.end(), cut.end() + 120)) is not None:
            at = more.start() + 1
            continue
        return cut.start()
    return None


def statement_text(sentence: Sentence, verb: re.Match[str]) -> tuple[str, bool] | None:
    """(the words said, whether the article quotes them) for a reporting verb of a sentence: the quotation
    it introduces, else the clause after it (a quotation inside stays, with its marks: a passage of the
    article), else the clause before ', he said'."""
    text = sentence.text
    heard = AUDIENCE.match(text, verb.end()) if lemma(verb.group()) in TOLD else None
    if heard is not None:  # "told reporters on Monday that …": what was said comes after whom it was said to
        verb = re.compile(re.escape(text[verb.start():heard.end()])).match(text, verb.start()) or verb
    quotes = quotes_in(text)
    near = _adjacent_quote(text, verb, quotes) or _quote_after_colon(text, verb, quotes)
    if near is not None:
        words = text[near[0]:near[1]].strip().rstrip(",.").strip()
        return (words, True) if len(words) >= 3 else None
    after = text[verb.end():].strip()
    if lemma(verb.group()) == "claim" and re.match(r"responsibility\b", after):
        return after.rstrip(".").split(",")[0].strip(), False  # "have claimed responsibility (for …)"
    after = HEARD_THAT.sub("", after)  # "on Fox News that", "to the CBC in late June that"
    after = re.sub(rf"^(?:that|on (?:{DAY_WORDS})|in \w+|,(?: [^,\"“]{{1,30}},)?)\s+", "", after)
    after = STANCE_HELD.sub("", after)  # "maintains a position that only …": what the position is
    if (cut := _clause_end(after)) is not None:
        after = after[:cut]
    after = SOURCE_ADJUNCT.sub("", after.rstrip(".").strip()).strip()
    after = re.sub(r",?\s+(?:again|too|as well)$", "", after)  # "denounced the agreement again"
    if len(after.split()) >= 3 or TWO_WORDS.fullmatch(after):
        return after, False
    before = text[:verb.start()]
    cut_at = before.rfind(",")
    if cut_at > 0 and len(before[:cut_at].split()) >= 3:
        return before[:cut_at].strip(), False
    return None


def holdings(text: str, mentions: list[Mention]) -> list[Holding]:
    """Posts held, where a post and a person are named side by side: "Foreign Secretary of Pakistan, Sohail
    Mahmood", "US Secretary of State Mike Pompeo", "Zalmay Khalilzad, a US peace envoy"."""
    found: list[Holding] = []
    for a, b in zip(mentions, mentions[1:]):
        gap = text[a.end:b.start]
        if not re.fullmatch(r",? ?(?:an? |the )?(?:(?:acting|interim|current|new|former|then) )?", gap):
            continue
        kinds = (a.entity.kind, b.entity.kind)
        before = text[max(0, a.start - 7):a.start].lower()
        if kinds == ("post", "person"):
            found.append(Holding(b.entity.id, a.entity.id, text[a.start:b.end], a.start, "former" in before))
        elif kinds == ("person", "post") and gap.startswith(","):
            found.append(Holding(a.entity.id, b.entity.id, text[a.start:b.end], a.start, "former" in gap))
    return found


def after(value: str, published: date) -> bool:
    """Whether every day of a date (YYYY, YYYY-MM, YYYY-MM-DD) is after the published date."""
    return value > published.isoformat()[:len(value)]


def date_facts(dates: list[DateMention], sentence: Sentence) -> dict[str, Fact]:
    """The dates of an event from the first date its sentence gives."""
    if not dates:
        return {}
    d = dates[0]
    mark = f"the date of this event? \"{d.words}\""
    if d.value:
        return {"startDate": Fact(d.value, sentence.text, d.inferred, mark, year=True)}
    return {"earliestBegin": Fact(d.earliest, sentence.text, d.inferred, mark, year=True),
            "latestEnd": Fact(d.latest, sentence.text, d.inferred, mark, year=True)}
