"""The wording of annual reports as data: chapter titles, table column headers, their synonyms.

Extraction follows the report's structure and wording; the words it looks for live in the CSV files of this
package, so that a report that words a chapter or a column otherwise needs a row here, not a change of code.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of ``name``.csv in this package."""
    text = resources.files(__package__).joinpath(f"{name}.csv").read_text(encoding="utf-8")
    return tuple(csv.DictReader(text.splitlines()))


def alternation(words: str) -> str:
    """``a|b|c`` (literal words) as a regular expression."""
    return "|".join(re.escape(w) for w in words.split("|") if w)


@cache
def chapter_keys() -> tuple[tuple[str, str], ...]:
    """(key, pattern) for each kind of chapter, tried in order."""
    return tuple((r["key"], alternation(r["wording"])) for r in rows("chapters"))


@cache
def columns() -> dict[str, re.Pattern]:
    """column kind → the pattern of its header (any of its synonyms)."""
    return {r["kind"]: re.compile(alternation(r["headers"])) for r in rows("columns")}


@cache
def words(kind: str) -> tuple[str, ...]:
    """The words of one kind in words.csv, longest first."""
    found = {r["word"] for r in rows("words") if r["kind"] == kind}
    return tuple(sorted(found, key=lambda w: (-len(w), w)))
