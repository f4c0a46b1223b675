"""Link the extracted facts: one name per person, the bank's own names as one entity,
English names the report prints beside Chinese ones, and the cross-checks between tables."""

from __future__ import annotations

import re

from .document import Document
from .extract.common import name_key
from .facts import ReportFacts

# a Latin name alone at the end of a line (often glued to a page number): "…行05David Ku"
_LATIN_NAME = re.compile(r"(?:^|(?<=\d))([A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})\s*$")


def report_english_names(doc: Document, people: set[str]) -> dict[str, str]:
    """``Wei Zhang`` printed on the line before ``张  伟董事长…`` is 张伟's English name."""
    out: dict[str, str] = {}
    for n in range(1, len(doc.lines)):
        text = doc.line(n).strip()
        if not "a" <= text[-1:] <= "z":  # a name ends the line: its last letter, lower case
            continue
        m = _LATIN_NAME.search(text)
        if not m:
            continue
        following = name_key(doc.line(n + 1))
        for person in sorted(people, key=len, reverse=True):
            if following.startswith(person):
                out.setdefault(person, m.group(1))
                break
    return out


_LEGAL = re.compile(r"(股份有限公司|有限责任公司|有限公司|公司)$")


def group_members(names: list[str], places: list[str]) -> list[tuple[str, str]]:
    """(member, group) pairs: a company whose name begins with a group's core name.

    ``甲乙集团`` is the group of ``深圳市甲乙网络科技有限公司`` and of ``甲乙公司``; the two stay
    different organisations, linked by fkg:memberOf.  The core is the group's name without its
    place and without 集团 and the legal form; a member's name must begin with it (after its place).
    """
    known = frozenset(places)
    sizes = sorted({len(p) for p in known}, reverse=True)  # the longest place a name begins with goes

    def strip_place(name: str) -> str:
        return next((name[size:] for size in sizes if name[:size] in known), name)

    out = []
    for group in names:
        base = _LEGAL.sub("", group)
        if not base.endswith("集团"):
            continue
        core = strip_place(base[: -len("集团")])
        if len(core) < 2:
            continue
        for other in names:
            if other != group and strip_place(other).startswith(core) and not _LEGAL.sub("", other).endswith("集团"):
                out.append((other, group))
    return sorted(set(out))


def cross_checks(facts: ReportFacts) -> list[str]:
    """Warnings where tables disagree with each other."""
    warnings: list[str] = []
    directors = {r.name for r in facts.people if r.body == "board"}
    supervisors = {r.name for r in facts.people if r.body == "supervisors"}
    for c in facts.committees:
        pool = directors if c.body == "board" else supervisors
        for person in filter(None, [c.chair, *c.members]):
            if pool and person not in pool:
                warnings.append(f"committee {c.name}: {person} is not in the "
                                f"{'board of directors' if c.body == 'board' else 'board of supervisors'} table")
    if facts.share_capital and facts.share_capital.total:
        total = facts.share_capital.total.value
        for s in facts.shareholders:
            computed = round(s.shares * 100 / total, 2)
            if abs(float(s.pct) - computed) > 0.011:
                warnings.append(f"shareholder {s.name}: {s.pct}% printed, {computed}% computed from shares")
    return warnings
