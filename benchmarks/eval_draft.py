"""How close `lod-pub draft` comes to the curated records of seeds/ (docs/drafting.md gives the figures).

    python benchmarks/eval_draft.py [--seeds seeds] [--show ARTICLE]

Not a test and not timed: it drafts every curated article and prints precision, recall and F1 of the
drafted entities, events, statements and dates against its record, and the editing still needed, for the
articles the drafter was tuned on and, apart, for the held-out ones (HELD_OUT: fixed before any tuning; their
records were not read while writing the drafter).

Each article is drafted as if it were new: the register entries that only its own record names are taken
out of the register first (leave one out), so a name the curators added for this article must be found as
a new name, not looked up.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from lod_pub.sources.draft import draft_yaml
from lod_pub.sources.draft.dates import find_dates
from lod_pub.sources.draft.text import Sentence, sentences

#: fixed before tuning: tuned on the others, never looked at while writing the drafter
HELD_OUT = ("003_wikinews_jolo_cathedral", "005_wikinews_g7_amazon_fires", "008_wikinews_us_syria_withdrawal",
            "010_wikinews_soleimani_funeral", "012_wikinews_qaboos")
SECTIONS = ("people", "organizations", "places", "posts")
DATE_KEYS = ("startDate", "endDate", "earliestBegin", "latestEnd", "date")
AGENT_KEYS = ("attendees", "organizers", "participants", "supportedBy")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


@dataclass
class Result:
    scores: dict[str, Score] = field(default_factory=dict)
    edit_text: list[tuple[int, int]] = field(default_factory=list)  # (changed lines, curated lines)
    edit_facts: list[tuple[int, int]] = field(default_factory=list)
    edit_unquoted: list[tuple[int, int]] = field(default_factory=list)  # lines, quoting aside

    def score(self, name: str) -> Score:
        return self.scores.setdefault(name, Score())


def load(path: Path) -> Any:
    return yaml.load(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def scalars(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from scalars(value)
    elif isinstance(node, list):
        for value in node:
            yield from scalars(value)
    elif node is not None:
        yield str(node)


def register_ids(register: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for s in SECTIONS for e in register.get(s) or [] if isinstance(e, dict)}


def leave_one_out(register: dict[str, Any], mine: set[str], others: set[str]) -> dict[str, Any]:
    """The register without the entries only this article's record names."""
    drop = mine - others
    return {s: [e for e in register.get(s) or [] if e.get("id") not in drop] for s in SECTIONS}


def sentence_at(sents: list[Sentence], offset: int) -> int:
    return next((s.index for s in sents if s.start <= offset < s.end), -1)


def sentences_of(quotes: list[str], text: str, sents: list[Sentence]) -> set[int]:
    found = set()
    for quote in quotes:
        at = text.find(quote) if quote else -1
        if at >= 0:
            found.add(sentence_at(sents, at))
    return found - {-1}


def evidences(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = [node["evidence"]] if isinstance(node.get("evidence"), str) else []
        for key, value in node.items():
            if key != "evidence":
                out += evidences(value)
        return out
    if isinstance(node, list):
        return [q for v in node for q in evidences(v)]
    return []


def value(fact: Any) -> str:
    return str(fact.get("value", fact.get("agent", ""))) if isinstance(fact, dict) else str(fact)


def facts(node: Any) -> list[Any]:
    return node if isinstance(node, list) else ([] if node is None else [node])


def named_in_comment(draft_text: str) -> set[str]:
    """The ids of the draft's "also named" comment: entities found in the text but in no drafted value."""
    line = next((x for x in draft_text.splitlines() if x.strip().startswith("# also named")), "")
    return set(re.findall(r"([\w.-]+) \('", line))


def entity_score(gold: dict[str, Any], drafted: dict[str, Any], known: dict[str, dict[str, Any]],
                 also: set[str] = frozenset(), misses: list[str] | None = None) -> Score:  # type: ignore[assignment]
    gold_ids = {v for v in scalars({k: gold.get(k) for k in ("article", "events", "statements", "documents",
                                                              "relations")}) if v in known}
    draft_ids = {v for v in scalars({k: drafted.get(k) for k in ("article", "events", "statements", "relations")})
                 if v in known} | (also & set(known))
    proposed = [e for s in SECTIONS for e in (drafted.get("register") or {}).get(s) or []]
    names = {i: [known[i]["name"], *(known[i].get("alternateNames") or [])] for i in gold_ids}
    for entry in proposed:
        draft_ids.discard(entry["id"])
        scored = sorted((fuzz.ratio(entry["name"], n), i) for i in gold_ids for n in names[i])
        match = next((i for i in gold_ids if entry.get("sameAs") and known[i].get("sameAs") == entry.get("sameAs")),
                     None) or (scored[-1][1] if scored and scored[-1][0] >= 90 else None)  # the closest name
        draft_ids.add(match or f"new:{entry['id']}")
    if misses is not None:
        misses += [f"missed {i} ({known[i]['name']})" for i in sorted(gold_ids - draft_ids)]
        misses += [f"false {i} ({known[i]['name'] if i in known else ''})" for i in sorted(draft_ids - gold_ids)]
    return Score(len(gold_ids & draft_ids), len(draft_ids - gold_ids), len(gold_ids - draft_ids))


#: the CAMEO code of a type when a record gives none (docs/records.md): a record's Meeting without `cameo` is 040
DEFAULT_CAMEO = {"Meeting": "040", "Summit": "040", "OfficialVisit": "042", "PhoneCall": "041", "StaffTalks": "046",
                 "MilitaryOperation": "190", "Attack": "180"}


def event_attrs(event: dict[str, Any]) -> Counter[tuple[str, str]]:
    cameo = str(event.get("cameo") or DEFAULT_CAMEO.get(str(event.get("type")), "None"))
    attrs: Counter[tuple[str, str]] = Counter({("type", str(event.get("type"))): 1, ("cameo", cameo): 1})
    for key in DATE_KEYS:
        if key in event:
            attrs[("date", f"{key}={value(event[key])}")] += 1
    for place in facts(event.get("location")):
        attrs[("place", value(place))] += 1
    agents = {value(a) for key in AGENT_KEYS for a in facts(event.get(key))}
    for agent in agents:
        attrs[("participant", agent)] += 1
    return attrs


def statement_attrs(st: dict[str, Any]) -> Counter[tuple[str, str]]:
    authors = sorted(value(a) for a in facts(st.get("author")))
    return Counter({("author", ",".join(authors)): 1, ("verb", str(st.get("verb", "stated"))): 1,
                    ("text", bare(str(st.get("text", "")))): 1})


def bare(words: str) -> str:
    return re.sub(r"[\"“”.,]", "", words).strip().lower()


def match_items(gold: list[dict[str, Any]], drafted: list[dict[str, Any]], text: str, sents: list[Sentence],
                attrs: Any, prefix: str, result: Result) -> None:
    """Pair drafted and curated items that share a sentence (the best attribute overlap first), then count
    detection and attribute-level true and false positives. A drafted event with no fact (no date, place or
    participant: no evidence) is in the sentence its name is cut from, as the drafter names an event."""
    g_sent = [sentences_of(evidences(g) + [str(g.get("text", ""))], text, sents) for g in gold]
    d_sent = [sentences_of(evidences(d) + [str(d.get("text", ""))], text, sents)
              or sentences_of([str(d.get("name", "")).rstrip("…")], text, sents) for d in drafted]  # no fact: its name
    pairs = sorted(((sum((attrs(g) & attrs(d)).values()), i, j) for i, g in enumerate(gold)
                    for j, d in enumerate(drafted) if g_sent[i] & d_sent[j]), reverse=True)
    used_g: set[int] = set()
    used_d: set[int] = set()
    detect, attr = result.score(f"{prefix} found"), result.score(prefix)
    for _, i, j in pairs:
        if i in used_g or j in used_d:
            continue
        used_g.add(i)
        used_d.add(j)
        a, b = attrs(gold[i]), attrs(drafted[j])
        detect.tp += 1
        attr.tp += sum((a & b).values())
        attr.fn += sum((a - b).values())
        attr.fp += sum((b - a).values())
        for kind in ("type", "cameo", "date", "place", "participant", "author", "verb", "text"):
            sub = result.score(f"  {prefix}: {kind}")
            sub.tp += sum(n for (k, _), n in (a & b).items() if k == kind)
            sub.fn += sum(n for (k, _), n in (a - b).items() if k == kind)
            sub.fp += sum(n for (k, _), n in (b - a).items() if k == kind)
    for i, g in enumerate(gold):
        if i not in used_g:
            detect.fn += 1
            attr.fn += sum(attrs(g).values())
            for (k, _), n in attrs(g).items():
                result.score(f"  {prefix}: {k}").fn += n
    for j, d in enumerate(drafted):
        if j not in used_d:
            detect.fp += 1
            attr.fp += sum(attrs(d).values())
            for (k, _), n in attrs(d).items():
                result.score(f"  {prefix}: {k}").fp += n


def date_score(gold: dict[str, Any], text: str, sents: list[Sentence], published: date, result: Result) -> None:
    """Every curated date of an event, statement, document or relation with the sentence it is in, against
    every date the drafter reads in that sentence."""
    golden: list[tuple[set[int], str, str]] = []  # (sentences, field, value)
    for section in ("events", "statements", "documents", "relations"):
        for item in gold.get(section) or []:
            anchor = sentences_of(evidences(item), text, sents)
            for key in DATE_KEYS:
                for fact in facts(item.get(key)):
                    ev = fact.get("evidence") if isinstance(fact, dict) else None
                    where = sentences_of([ev], text, sents) if isinstance(ev, str) else anchor
                    golden.append((where, key, value(fact)))
    read = {s.index: find_dates(s.text, published) for s in sents}
    score, exact = result.score("dates"), result.score("  dates: exact where located")
    matched: set[tuple[int, int]] = set()
    for where, key, val in golden:
        hits = [(i, k) for i in where for k, d in enumerate(read.get(i, []))
                if val in (d.value, d.earliest if key == "earliestBegin" else None,
                           d.latest if key == "latestEnd" else None)]
        located = any(read.get(i) for i in where)
        if hits:
            score.tp += 1
            exact.tp += 1
            matched.add(hits[0])
        else:
            score.fn += 1
            if located:
                exact.fp += 1
    score.fp += sum(len(v) for v in read.values()) - len(matched)


def content_lines(yaml_text: str, unquote: bool = False) -> list[str]:
    """The lines of a record without comments, marks and blank lines; with `unquote`, a value quoted whole
    (`evidence: "…"`, `text: '…'`) without its quotes, so that lines that differ only in how they quote compare
    equal."""
    lines = []
    for line in yaml_text.splitlines():
        line = re.sub(r"\s+#\?.*$", "", line).rstrip()
        if line.strip() and not line.lstrip().startswith("#"):
            if unquote:
                line = re.sub(r'^(\s*(?:- )?\w+: )"(.*)"$', lambda m: m.group(1) + m.group(2).replace('\\"', '"'), line)
                line = re.sub(r"^(\s*(?:- )?\w+: )'(.*)'$", lambda m: m.group(1) + m.group(2).replace("''", "'"), line)
            lines.append(line)
    return lines


def changed_lines(a: list[str], b: list[str]) -> int:
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in
               difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op != "equal")


def flat(node: Any, path: str = "") -> Iterator[str]:
    """A record as one line per value: "events.attendees.value = taliban" (list positions dropped)."""
    if isinstance(node, dict):
        for key, v in node.items():
            yield from flat(v, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for v in node:
            yield from flat(v, path)
    elif node is not None:
        yield f"{path} = {node}"


def editing(draft_text: str, gold_text: str, drafted: dict[str, Any], gold: dict[str, Any],
            result: Result, show_diff: bool = False) -> None:
    body = draft_text.split("\nregister:")[0]
    a, b = content_lines(body), content_lines(gold_text)
    changed = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            changed += max(i2 - i1, j2 - j1)
            if show_diff:
                print("\n".join([f"- {x}" for x in a[i1:i2]] + [f"+ {x}" for x in b[j1:j2]]))
    result.edit_text.append((changed, len(b)))
    result.edit_unquoted.append((changed_lines(content_lines(body, True), content_lines(gold_text, True)), len(b)))
    mine = Counter(flat({k: v for k, v in drafted.items() if k != "register"}))
    theirs = Counter(flat(gold))
    result.edit_facts.append((sum((mine - theirs).values()) + sum((theirs - mine).values()), sum(theirs.values())))


def evaluate(seeds: Path, names: list[str], show: str | None = None, misses: bool = False,
             diff: str | None = None) -> Result:
    register = load(seeds / "entities.yaml")
    known = register_ids(register)
    records = {p.stem: load(p) for p in sorted((seeds / "articles").glob("*.yaml"))}
    refs = {name: {v for v in scalars(rec) if v in known} for name, rec in records.items()}
    result = Result()
    for name in names:
        gold = records[name]
        others = set().union(*(refs[o] for o in records if o != name))
        text = (seeds / "articles" / gold["article"]["text"]).read_text("utf-8")
        published = date.fromisoformat(value(gold["article"]["datePublished"]))
        taken = {i for o, rec in records.items() if o != name for i in scalars({"a": rec.get("article", {}).get("id")})}
        drafted_text = draft_yaml(text, gold["article"]["text"], leave_one_out(register, refs[name], others),
                                  gold["article"].get("url"), published, taken)
        if show == name:
            print(drafted_text)
        drafted = yaml.safe_load(drafted_text)
        sents = sentences(text)
        found: list[str] | None = [] if misses else None
        result.score("entities").add(entity_score(gold, drafted, known, misses=found))
        for line in found or []:
            print(f"{name}: {line}")
        result.score("  entities named anywhere").add(entity_score(gold, drafted, known,
                                                                   named_in_comment(drafted_text)))
        match_items(gold.get("events") or [], drafted.get("events") or [], text, sents, event_attrs, "events", result)
        match_items(gold.get("statements") or [], drafted.get("statements") or [], text, sents, statement_attrs,
                    "statements", result)
        date_score(gold, text, sents, published, result)
        editing(drafted_text, (seeds / "articles" / f"{name}.yaml").read_text("utf-8"), drafted, gold, result,
                diff in (name, "all"))
    return result


def table(title: str, result: Result) -> str:
    rows = [f"{title}", f"| {'what':<34} | {'P':>5} | {'R':>5} | {'F1':>5} | {'TP':>4} | {'FP':>4} | {'FN':>4} |",
            f"|{'-' * 36}|{'-' * 7}|{'-' * 7}|{'-' * 7}|{'-' * 6}|{'-' * 6}|{'-' * 6}|"]
    for name, s in result.scores.items():
        if not s.tp + s.fp + s.fn:
            continue
        rows.append(f"| {name:<34} | {s.p:5.2f} | {s.r:5.2f} | {s.f1:5.2f} | {s.tp:4d} | {s.fp:4d} | {s.fn:4d} |")
    for label, pairs in (("editing, text lines", result.edit_text), ("editing, values", result.edit_facts),
                         ("  editing, text lines, quoting aside", result.edit_unquoted)):
        changed, total = sum(c for c, _ in pairs), sum(t for _, t in pairs)
        per = ", ".join(f"{c / t:.2f}" for c, t in pairs)
        rows.append(f"{label}: {changed} changed of {total} curated = {changed / max(total, 1):.2f} "
                    f"(per article: {per})")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=Path, default=Path("seeds"))
    ap.add_argument("--show", help="print the draft of this article (its file name without .yaml)")
    ap.add_argument("--diff", help="print the lines that differ from draft (-) to record (+) of this tuned article "
                    "(its file name without .yaml), or of every tuned one (all)")
    ap.add_argument("--misses", action="store_true", help="list the entities missed and wrongly drafted (tuned only)")
    ap.add_argument("--tuned-only", action="store_true", help="score only the articles tuned on")
    args = ap.parse_args(argv)
    names = sorted(p.stem for p in (args.seeds / "articles").glob("*.yaml"))
    tuned = [n for n in names if n not in HELD_OUT]
    print(table(f"tuned on ({len(tuned)} articles)", evaluate(args.seeds, tuned, args.show, args.misses, args.diff)))
    if not args.tuned_only:
        held = [n for n in names if n in HELD_OUT]
        print()
        print(table(f"held out ({len(held)} articles)", evaluate(args.seeds, held)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
