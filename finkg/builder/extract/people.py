"""Directors, supervisors and senior managers, from their tables and biographies.

A people table comes out of designed PDFs column by column (all names, all genders, all
positions, all dates), with cells glued to their neighbours (``衣龙新执行董事``) and
multi-line cells split apart (``2016年11月起任执行董事，2016年3月`` … ``起任常务副行长``).
Each table is tokenised by kind — header word, name, gender, position cell, date cell —
and the columns are zipped when their counts agree.  The biographies (``张三先生，董事长、
执行董事。``) then check the row order: a position cell that fits another row's biography
better is moved there, and the disagreement is recorded.
"""

from __future__ import annotations

import itertools
import re

from ..document import Document
from ..facts import Appointment, Biography, CommitteeRow, Conflict, PersonRow
from ..numbers import chinese_date
from ..sections import Section, find_section
from .common import CJK, LEADING_PAGE, is_cjk_name, name_key, span_lines, strip_glued_heading
from .roles import ROLE, ROLE_CELL, split_roles

TABLES = (
    ("board", re.compile(r"董事会(?:人员|成员)?构成|董事会成员")),
    ("supervisors", re.compile(r"监事会(?:人员|成员)?构成|监事会成员")),
    ("management", re.compile(r"高级管理(?:人员|层)(?:人员|成员)?构成|高级管理人员")),
)
_SUBHEADING = re.compile(r"[（(][一二三四五六七八九十]+[)）]")
_HEADER = re.compile(r"姓名|性别|职务|任职起止日期|任职起始日期|任职日期|任期起止日期|任期")
_DATE = r"\d{4}年\d{1,2}月(?:\d{1,2}日)?"
_TOKEN = re.compile(
    rf"(?P<header>{_HEADER.pattern})"
    rf"|(?P<date>{_DATE}(?:\s*[－\-—~至]+\s*(?:换届止|至今|今|{_DATE}))?(?:起(?:任{ROLE}(?:、{ROLE})*)?)?(?:[，,]\s*(?={_DATE}))?)"
    rf"|(?P<tail>起任{ROLE}(?:、{ROLE})*)"
    rf"|(?P<role>{ROLE_CELL.pattern})"
    rf"|(?P<gender>[男女](?![{CJK}]{{2}}[士生]))"
)
_COMMITTEE_LINE = re.compile(r"(?<!\d)\d+、\S*委员会|主任委员[:：]|^委员[:：]")
_NOTE = re.compile(r"注[:：][^。]*。?")
_BIO = re.compile(rf"([{CJK}·]{{2,8}})(先生|女士)[，,]([^。\n]{{2,80}})。")


def _tokens(doc: Document, first: int, last: int) -> list[tuple[str, str, int]]:
    """(kind, text, line) of the table between two lines."""
    out: list[tuple[str, str, int]] = []
    for n in range(first, last + 1):
        text = strip_glued_heading(doc.line(n))
        if n == first:
            text = re.split(r"构成|成员", text, maxsplit=1)[-1]
        elif (m := _SUBHEADING.search(text)):
            text = text[: m.start()]
        if (m := _COMMITTEE_LINE.search(text)):
            text = text[: m.start()]
        text = _NOTE.sub("", text)
        text = LEADING_PAGE.sub("", text.strip())
        pos = 0
        while pos < len(text):
            if text[pos].isspace() or text[pos].isdigit() and not re.match(_DATE, text[pos:]):
                pos += 1
                continue
            m = _TOKEN.match(text, pos)
            if m:
                kind = m.lastgroup or ""
                if kind != "header":
                    out.append((kind, m.group(0), n))
                pos = m.end()
                continue
            nxt = _TOKEN.search(text, pos + 1)
            end = nxt.start() if nxt else len(text)
            chunk = text[pos:end].strip()
            while end > pos and chunk and chunk[-1].isdigit():
                chunk = chunk[:-1].strip()
            if is_cjk_name(chunk):
                out.append(("name", name_key(chunk), n))
            pos = end
    return out


def _merge_split_dates(dates: list[tuple[str, str, int]]) -> list[tuple[str, int]]:
    """Join date cells broken over lines.

    ``2016年11月起任执行董事，`` + ``2016年3月`` printed apart from ``起任常务副行长``: the
    pieces of one line are joined first; a cell that ends in a bare date (a head) then takes
    the next orphan ``起任…`` piece (a tail), in printed order, and stands where the tail stood.
    """
    joined: list[tuple[str, str, int]] = []
    for kind, text, line in dates:
        if joined and joined[-1][0] == "date" and joined[-1][1].endswith(("，", ",")) and kind == "date":
            joined[-1] = ("date", joined[-1][1] + text, joined[-1][2])
        else:
            joined.append((kind, text, line))
    heads = [d for d in joined if d[0] == "date" and "起任" in d[1] and re.search(rf"{_DATE}$", d[1])]
    tails = [d for d in joined if d[0] == "tail"]
    glued = {id(t): h[1] + t[1] for h, t in zip(heads, tails)}
    used_heads = {id(h) for h in heads[: len(tails)]}
    out = []
    for d in joined:
        if id(d) in used_heads:
            continue
        out.append((glued.get(id(d), d[1]).rstrip("，,"), d[2]))
    return out


def _appointments(roles: list[str], date_cell: str | None) -> tuple[Appointment, ...]:
    if not date_cell:
        return tuple(Appointment(r, None) for r in roles)
    per_role: dict[str, str] = {}
    for m in re.finditer(rf"({_DATE})起任((?:{ROLE})(?:、{ROLE})*)", date_cell):
        for r in split_roles(m.group(2)):
            per_role[r] = chinese_date(m.group(1)) or ""
    default = chinese_date(date_cell)
    return tuple(Appointment(r, per_role.get(r, default)) for r in roles)


def _table(doc: Document, body: str, first: int, last: int) -> list[PersonRow]:
    tokens = _tokens(doc, first, last)
    names = [t for t in tokens if t[0] == "name"]
    genders = [t for t in tokens if t[0] == "gender"]
    roles = [t for t in tokens if t[0] == "role"]
    dates = _merge_split_dates([t for t in tokens if t[0] in ("date", "tail")])
    n = len(names)
    if n == 0 or len(roles) != n:
        return []
    rows = []
    for k, (name, role) in enumerate(zip(names, roles)):
        gender = {"男": "male", "女": "female"}.get(genders[k][1]) if len(genders) == n else None
        date = dates[k][0] if len(dates) == n else None
        lines = [name[2], role[2]] + ([dates[k][1]] if len(dates) == n else [])
        rows.append(PersonRow(body, k + 1, name[1], gender, _appointments(split_roles(role[1]), date),
                              doc.span(min(lines), max(lines))))
    return rows


def biographies(doc: Document, sections: list[Section]) -> list[Biography]:
    section = find_section(sections, "people")
    out: list[Biography] = []
    lines = list(span_lines(doc, section))
    for n in lines:
        for m in _BIO.finditer(doc.line(n)):
            name = m.group(1)
            # the sentence before may be glued: 曾任职于…。李四先生 → keep the last 2–4 ideographs
            for size in (4, 3, 2):
                if len(name) >= size and is_cjk_name(name[-size:]) and re.fullmatch(ROLE_CELL.pattern + r"(?:、.*)?", m.group(3)):
                    name = name[-size:]
                    break
            else:
                continue
            roles = [r for r in re.split(r"[、，,]", m.group(3)) if re.fullmatch(ROLE, r)]
            if not roles:
                continue
            text = doc.line(n)[m.start() :]
            out.append(Biography(name, "male" if m.group(2) == "先生" else "female", tuple(roles), text, doc.span(n)))
    return _dedupe_bios(out)


def _dedupe_bios(bios: list[Biography]) -> list[Biography]:
    seen: set[str] = set()
    out = []
    for b in bios:
        if b.name not in seen:
            seen.add(b.name)
            out.append(b)
    return out


def _reconcile(rows: list[PersonRow], bios: dict[str, Biography]) -> tuple[list[PersonRow], list[Conflict]]:
    """Move position cells to the rows whose biographies they fit; record each move."""

    def fit(row: PersonRow, appointments: tuple[Appointment, ...]) -> float:
        bio = bios.get(row.name)
        if bio is None:
            return 0.0
        cell = {a.role for a in appointments}
        return len(cell & set(bio.roles)) / len(cell | set(bio.roles))

    cells = [r.appointments for r in rows]
    known = [k for k, r in enumerate(rows) if r.name in bios]  # positions move only between rows a biography backs
    improved = True
    while improved:
        improved = False
        for i, j in itertools.combinations(known, 2):
            before = fit(rows[i], cells[i]) + fit(rows[j], cells[j])
            after = fit(rows[i], cells[j]) + fit(rows[j], cells[i])
            if after > before + 1e-9:
                cells[i], cells[j] = cells[j], cells[i]
                improved = True
    out, conflicts = [], []
    for row, cell in zip(rows, cells):
        if cell != row.appointments:
            bio = bios[row.name]
            conflicts.append(Conflict(
                subject=row.name,
                kept="、".join(a.role for a in cell),
                rejected="、".join(a.role for a in row.appointments),
                kept_span=bio.span, rejected_span=row.span,
                note="the table's row order gives these positions to another person; the biography agrees "
                     "with the positions kept",
            ))
            # the date column stays with the row: re-date the moved positions from it
            dates = {a.role: a.start for a in row.appointments}
            default = row.appointments[0].start if row.appointments else None
            cell = tuple(Appointment(a.role, dates.get(a.role, default)) for a in cell)
        out.append(PersonRow(row.body, row.order, row.name, row.gender, cell, row.span))
    return out, conflicts


def _gender_check(rows: list[PersonRow], bios: dict[str, Biography]) -> tuple[list[PersonRow], list[Conflict]]:
    out, conflicts = [], []
    for row in rows:
        bio = bios.get(row.name)
        if bio and row.gender and bio.gender != row.gender:
            conflicts.append(Conflict(row.name, bio.gender or "", row.gender, bio.span, row.span,
                                      "the table's gender column disagrees with the biography (先生/女士)"))
            row = PersonRow(row.body, row.order, row.name, bio.gender, row.appointments, row.span)
        elif bio and not row.gender:
            row = PersonRow(row.body, row.order, row.name, bio.gender, row.appointments, row.span)
        out.append(row)
    return out, conflicts


def people(doc: Document, sections: list[Section]) -> tuple[list[PersonRow], list[Biography], list[Conflict]]:
    section = find_section(sections, "people")
    lines = list(span_lines(doc, section))
    bios = biographies(doc, sections)
    by_name = {b.name: b for b in bios}
    starts: list[tuple[int, str]] = []
    for n in lines:
        for body, rx in TABLES:
            m = rx.search(doc.line(n))
            if m and _SUBHEADING.search(doc.line(n)[: m.start()] or "") and body not in [b for _, b in starts]:
                starts.append((n, body))
    starts.sort()
    rows: list[PersonRow] = []
    conflicts: list[Conflict] = []
    for n, body in starts:
        last = next((m for m in lines if m > n and _SUBHEADING.search(doc.line(m))), lines[-1])
        table = _table(doc, body, n, last)
        table, moved = _reconcile(table, by_name)
        table, genders = _gender_check(table, by_name)
        rows += table
        conflicts += moved + genders
    return rows, bios, conflicts


_COMMITTEE = re.compile(rf"(\d+)、([{CJK}A-Za-z与及和、]{{2,30}}委员会)")
_NAMES = rf"([{CJK}·]{{2,4}}(?:、[{CJK}·]{{2,4}})*)"


def committees(doc: Document, sections: list[Section], rows: list[PersonRow]) -> list[CommitteeRow]:
    section = find_section(sections, "people")
    lines = list(span_lines(doc, section))
    board = {r.name for r in rows if r.body == "board"}
    supervisors = {r.name for r in rows if r.body == "supervisors"}
    context = "board"
    found: list[CommitteeRow] = []
    current: dict | None = None

    def close() -> None:
        if current and (current["chair"] or current["members"]):
            people = {current["chair"], *current["members"]} - {None}
            body = current["context"]
            if people and people <= supervisors and not people <= board:
                body = "supervisors"
            elif people and people <= board:
                body = "board"
            found.append(CommitteeRow(current["name"], body, current["chair"], tuple(current["members"]),
                                      doc.span(current["start"], current["end"])))

    for n in lines:
        text = _NOTE.sub("", doc.line(n))
        if re.search(r"监事会专门委员会|监事会下设", text):
            context = "supervisors"
        elif re.search(r"董事会专门委员会|董事会下设", text):
            context = "board"
        # a committee's number starts where its digits start: tried at every digit of a long run of digits, the
        # lookahead took time quadratic in its length
        for piece in re.split(rf"(?<!\d)(?=\d+、[{CJK}A-Za-z与及和、]{{2,30}}委员会)", text):
            m = _COMMITTEE.match(piece)
            if m:
                close()
                current = {"name": m.group(2), "context": context, "chair": None, "members": [], "start": n, "end": n}
                continue
            if current is None:
                continue
            chair = re.search(rf"主任委员[:：]\s*{_NAMES}", piece)
            members = re.search(rf"(?<!主任)委员[:：]\s*{_NAMES}", piece)
            if chair:
                current["chair"] = name_key(chair.group(1))
                current["end"] = n
            if members:
                current["members"] = [name_key(x) for x in members.group(1).split("、") if is_cjk_name(x)]
                current["end"] = n
                close()
                current = None
    close()
    return found
