"""Event verbs read from the CAMEO codebook itself (lod_pub.cameo, data/cameo_codes.json), beyond the
drafter's own table (facts.VERB_EVENTS, which wins where both have a verb).

Each code's name gives the verbs of its events: "Criticize or denounce" (111), "Arrest, detain, or charge
with legal action" (173), "Expel or withdraw" (166). A name is split at its commas and `or`s; the first word
of each part is a verb of the code when English uses it as a verb (lemminflect's table) and it is not one of
the light verbs the codebook builds its names with ("Make a visit", "Engage in negotiation", "Provide aid":
the verb says nothing of the event) or a verb of everyday news prose that names no event by itself (`take`,
`return`, `release`, `charge`, `restrict` …: `LIGHT`). A verb used by several codes gets their closest common code ("threaten"
130 … 1385: 130; "accuse" 112 … 1125: 112); where the codes are under several roots, the root holding most of
them ("demand" 100 … 108 and one "demand for material aid" under 12: 100); a tie gives no code.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

LIGHT = frozenset(
    "make express engage provide conduct use employ carry increase reduce impose grant give bring find accept "
    "allow receive return share stop break block consider decline ease yield defend rally police demonstrate "
    "halt accede request demands discuss declare de-escalate seize damage physically fight detonate violate "
    "cooperate take attempt charge release acknowledge claim deny restrict".split())


def _parts(name: str) -> list[str]:
    name = name.lower().replace("threate n", "threaten")  # the codebook's text splits "threaten" in two
    name = re.sub(r"\(.*?\)|,?\s*not specified below", "", name)
    return [p.strip() for p in re.split(r",\s*(?:or\s+)?|\s+or\s+", name) if p.strip()]


def _lineage(code: str, parents: dict[str, str | None]) -> list[str]:
    path: list[str] = []
    at: str | None = code
    while at:
        path.insert(0, at)
        at = parents.get(at)
    return path


def _common(found: list[str], parents: dict[str, str | None]) -> str | None:
    """The closest code above (or equal to) every one of found; a root ("13") as its unspecified code ("130")."""
    roots = Counter(_lineage(c, parents)[0] for c in found)
    (top, n), *rest = roots.most_common()
    if rest and rest[0][1] == n:
        return None
    paths = [_lineage(c, parents) for c in found if _lineage(c, parents)[0] == top]
    common = top
    for level in zip(*paths):
        if len(set(level)) > 1:
            break
        common = level[0]
    return common + "0" if len(common) == 2 else common


def event_type(code: str) -> str:
    """The record type of an event of a code: an assault (18) an `Attack`, a fight, mass violence or a show of
    force (19, 20, 15) a `MilitaryOperation`, verbal cooperation (QuadClass 1) a `DiplomaticEvent`, else `Event`."""
    from lod_pub.cameo import codes

    root = code[:2]
    if root == "18":
        return "Attack"
    if root in ("15", "19", "20"):
        return "MilitaryOperation"
    found = codes().get(code)
    return "DiplomaticEvent" if found is not None and found.quad_class == 1 else "Event"


@cache
def codebook_verbs() -> dict[str, tuple[str, str]]:
    """verb lemma -> (event type, CAMEO code), from the names of the codebook's codes."""
    from lemminflect import getAllLemmas  # type: ignore[import-untyped]  # lemminflect ships no type information

    from lod_pub.cameo import codes

    table = codes()
    parents = {c.code: c.parent for c in table.values()}
    heads: dict[str, list[str]] = {}
    for c in table.values():
        if c.parent is None:
            continue
        for part in _parts(c.name):
            head = part.split()[0]
            if head not in LIGHT and head in getAllLemmas(head).get("VERB", ()):  # a verb's own lemma
                heads.setdefault(head, []).append(c.code)
    verbs: dict[str, tuple[str, str]] = {}
    for head, found in heads.items():
        code = _common(found, parents)
        if code is not None and code in table:
            verbs[head] = (event_type(code), code)
    return verbs


#: words of the codebook's names that tell nothing of a narrower code
FILLER = frozenset("not specified below of for to or and in on at with the a an by against as other others target "
                   "that engage make express intent provide conduct use employ carry out impose".split())


def _content(words: str) -> frozenset[str]:
    return frozenset(w.rstrip("s") for w in re.findall(r"[a-z]+", words.lower()) if w not in FILLER)


@cache
def narrower_words() -> dict[str, list[tuple[str, frozenset[str]]]]:
    """code -> [(a narrower code, the words its name adds to the code's)]: 112 "Accuse" -> (1121, {crime}),
    (1121, {corruption}), (1124, {war, crime}) …; each part of a name (split at its commas and `or`s) apart."""
    from lod_pub.cameo import codes

    table = codes()
    found: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for c in table.values():
        parent = table.get(c.parent) if c.parent else None
        if parent is None:
            continue
        # a root's unspecified code ("020" of "02") stands for the root: the root's other codes are narrower
        key = parent.code + "0" if parent.parent is None else parent.code
        if key == c.code:
            continue
        known = _content(parent.name)
        for part in _parts(c.name):
            words = _content(part) - known
            if words:
                found.setdefault(key, []).append((c.code, words))
    return found


def narrower(code: str, words: str) -> str:
    """The narrowest code under code whose name's own words are all among words (the words after the event
    word): "accused … of war crimes" 1124, "appealed for humanitarian aid" 0233, "threatened sanctions" 1312."""
    present = _content(words)
    fits = [(len(needed), child) for child, needed in narrower_words().get(code, []) if needed <= present]
    return narrower(max(fits)[1], words) if fits else code  # the most words matched: "war crimes" 1124, not 1121
