#!/usr/bin/env python3
"""Consistency check for the built-in gazetteer (see FORMAT.md in this folder).

Checks every file that exists among states.toml, places.toml, organisations.toml and
people.toml: the shape of each entry, id syntax and uniqueness across all files, the
capital -> place links, `country` / `affiliation` references, the leading-article rule,
`weak` lists, and names (of any kind: name, alias, acronym, demonym, seat, surname) that
occur in more than one entry.

A name shared by two entries makes every match of it ambiguous, so each shared name must
be listed in INTENDED_SHARED below with the reason it is shared.

Usage: python3 data/gazetteer/check.py      (exit status 0 when everything passes)
"""

import re
import sys
import tomllib
import unicodedata
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

STATUSES = {"member", "observer", "territory", "disputed"}
PLACE_KINDS = {"city", "region", "territory", "crossing", "river", "sea", "other"}
ORG_KINDS = {"organisation", "armed-group"}

STR = "string"
LIST = "list of strings"
INT = "integer"

# file -> (top-level array name, {key: (type, required)}, allowed enum per key)
SCHEMAS = {
    "states.toml": (
        "state",
        {
            "id": (STR, True),
            "name": (STR, True),
            "aliases": (LIST, False),
            "acronyms": (LIST, False),
            "demonyms": (LIST, False),
            "capital": (STR, False),
            "seats": (LIST, False),
            "status": (STR, True),
            "weak": (LIST, False),
        },
        {"status": STATUSES},
    ),
    "places.toml": (
        "place",
        {
            "id": (STR, True),
            "name": (STR, True),
            "aliases": (LIST, False),
            "country": (STR, False),
            "kind": (STR, True),
            "weak": (LIST, False),
        },
        {"kind": PLACE_KINDS},
    ),
    "organisations.toml": (
        "organisation",
        {
            "id": (STR, True),
            "name": (STR, True),
            "kind": (STR, True),
            "aliases": (LIST, False),
            "acronyms": (LIST, False),
            "affiliation": (STR, False),
            "weak": (LIST, False),
        },
        {"kind": ORG_KINDS},
    ),
    "people.toml": (
        "person",
        {
            "id": (STR, True),
            "name": (STR, True),
            "aliases": (LIST, False),
            "surnames": (LIST, False),
            "role": (STR, False),
            "affiliation": (STR, False),
            "weak": (LIST, False),
        },
        {},
    ),
}

# Fields whose strings are matched in running text.
NAME_FIELDS = ("name", "aliases", "acronyms", "demonyms", "seats", "surnames")

# Names in which a leading article is really part of the name.
ARTICLE_NAMES = {"The Hague", "The Gambia"}

# name -> (ids that may share it, reason). Anything else shared is an error.
INTENDED_SHARED: dict[str, tuple[set[str], str]] = {}

# Letters that Unicode decomposition does not reduce to ASCII.
SPECIAL_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss",
     "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"}
)


def slug(text: str) -> str:
    """Page slug of a name: ASCII-folded, lowercase, apostrophes dropped, other runs of
    non-alphanumerics turned into one hyphen (`N'Djamena` -> `ndjamena`,
    `Chișinău` -> `chisinau`, `St. George's` -> `st-georges`)."""
    folded = unicodedata.normalize("NFKD", text.translate(SPECIAL_LETTERS))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    folded = re.sub(r"['\u2019\u02bb`]", "", folded)
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.notes: list[str] = []

    def error(self, msg: str) -> None:
        self.errors.append(msg)

    def note(self, msg: str) -> None:
        self.notes.append(msg)


def type_ok(value: object, kind: str) -> bool:
    if kind == STR:
        return isinstance(value, str)
    if kind == LIST:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    return False


def load(report: Report) -> dict[str, list[dict]]:
    """Reads every present file; returns file -> entries (each entry tagged with `_file`)."""
    loaded: dict[str, list[dict]] = {}
    for fname, (table, keys, enums) in SCHEMAS.items():
        path = HERE / fname
        if not path.exists():
            if fname in ("states.toml", "places.toml"):
                report.error(f"{fname}: missing")
            else:
                report.note(f"{fname}: not present, skipped")
            continue
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            report.error(f"{fname}: not valid TOML: {err}")
            continue
        allowed_top = {table} | ({"version"} if fname == "states.toml" else set())
        for key in doc:
            if key not in allowed_top:
                report.error(f"{fname}: unknown top-level key `{key}`")
        if fname == "states.toml":
            version = doc.get("version")
            if not type_ok(version, INT) or version < 1:
                report.error("states.toml: `version` must be an integer >= 1")
        entries = doc.get(table, [])
        if not isinstance(entries, list):
            report.error(f"{fname}: `{table}` must be an array of tables ([[{table}]])")
            continue
        good = []
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                report.error(f"{fname} [[{table}]] #{i + 1}: not a table")
                continue
            where = f"{fname} [[{table}]] #{i + 1} ({entry.get('id', '?')})"
            ok = True
            for key, value in list(entry.items()):
                if key not in keys:
                    report.error(f"{where}: unknown key `{key}`")
                elif not type_ok(value, keys[key][0]):
                    report.error(f"{where}: `{key}` must be a {keys[key][0]}")
                    # Drop the bad value so the later checks see a well-typed entry.
                    del entry[key]
                    ok = ok and not keys[key][1]
            for key, (_, required) in keys.items():
                if required and key not in entry and ok:
                    report.error(f"{where}: missing `{key}`")
                    ok = False
            for key, allowed in enums.items():
                if key in entry and entry[key] not in allowed:
                    report.error(f"{where}: `{key}` = {entry[key]!r}, expected one of {sorted(allowed)}")
            if ok:
                entry["_file"] = fname
                good.append(entry)
        loaded[fname] = good
    return loaded


def names_of(entry: dict) -> list[tuple[str, str]]:
    """(field, string) for every matchable string of an entry."""
    out = []
    for field in NAME_FIELDS:
        value = entry.get(field)
        if isinstance(value, str):
            out.append((field, value))
        elif isinstance(value, list):
            out.extend((field, v) for v in value)
    return out


def check(report: Report, loaded: dict[str, list[dict]]) -> None:
    all_entries = [e for entries in loaded.values() for e in entries]
    by_id: dict[str, dict] = {}
    for e in all_entries:
        eid = e["id"]
        if not ID_RE.match(eid):
            report.error(f"{e['_file']}: id `{eid}` is not a lowercase hyphenated slug")
        if eid in by_id:
            report.error(f"id `{eid}` used twice ({by_id[eid]['_file']} and {e['_file']})")
        else:
            by_id[eid] = e

    states = {e["id"]: e for e in loaded.get("states.toml", [])}
    places = {e["id"]: e for e in loaded.get("places.toml", [])}
    orgs = {e["id"]: e for e in loaded.get("organisations.toml", [])}

    # capital -> place
    for s in states.values():
        capital = s.get("capital", "")
        if not capital:
            continue
        pid = slug(capital)
        place = places.get(pid)
        if place is None:
            report.error(f"state `{s['id']}`: capital {capital!r} has no place with id `{pid}`")
        elif capital != place["name"] and capital not in place.get("aliases", []):
            report.error(f"state `{s['id']}`: capital {capital!r} is not a name of place `{pid}`")

    # references
    for p in places.values():
        country = p.get("country", "")
        if country and country not in states:
            report.error(f"place `{p['id']}`: country `{country}` is not a state id")
    for fname in ("organisations.toml", "people.toml"):
        for e in loaded.get(fname, []):
            aff = e.get("affiliation", "")
            if aff and aff not in states and aff not in orgs:
                report.error(f"{fname} `{e['id']}`: affiliation `{aff}` is not a state or organisation id")

    # strings: shape, articles, weak, duplicates inside and across entries
    owners: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for e in all_entries:
        seen: dict[str, str] = {}
        entry_names = names_of(e)
        for field, text in entry_names:
            where = f"{e['_file']} `{e['id']}` {field} {text!r}"
            if not text or text != text.strip() or "  " in text:
                report.error(f"{where}: empty or stray whitespace")
                continue
            if re.match(r"(?i)the\s", text) and text not in ARTICLE_NAMES:
                report.error(f"{where}: leading article (write the name without `the`)")
            if text in seen:
                report.error(f"{where}: listed twice in the entry (also as {seen[text]})")
                continue
            seen[text] = field
            owners[text].append((e["id"], field, e["_file"]))
        matchable = {t for _, t in entry_names}
        for w in e.get("weak", []):
            if w not in matchable:
                report.error(f"{e['_file']} `{e['id']}`: weak {w!r} is not one of its names")

    shared = {t: o for t, o in owners.items() if len(o) > 1}
    for text in sorted(shared):
        ids = {eid for eid, _, _ in shared[text]}
        listing = ", ".join(f"{eid} ({field}, {fname})" for eid, field, fname in shared[text])
        intended = INTENDED_SHARED.get(text)
        if intended and ids <= intended[0]:
            report.note(f"shared name {text!r}: {listing} - {intended[1]}")
        else:
            report.error(f"name {text!r} belongs to several entries: {listing}")
    for text, (ids, _) in INTENDED_SHARED.items():
        if text not in shared:
            report.note(f"INTENDED_SHARED entry {text!r} is no longer shared")

    counts = ", ".join(f"{f}: {len(v)}" for f, v in loaded.items())
    report.note(f"entries - {counts}")


def main() -> int:
    report = Report()
    loaded = load(report)
    check(report, loaded)
    for note in report.notes:
        print(f"note: {note}")
    for err in report.errors:
        print(f"error: {err}")
    print("ok" if not report.errors else f"{len(report.errors)} error(s)")
    return 0 if not report.errors else 1


if __name__ == "__main__":
    sys.exit(main())
