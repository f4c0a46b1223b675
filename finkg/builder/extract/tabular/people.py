"""Directors, supervisors and senior managers from the people table of any bank's report, and the seats of
the committees of the board and of the board of supervisors.

The people table is found by its header (姓名 with 职务, ``conventions/columns.csv``).  Cells are told by
what they hold: a name, 男/女, a birth year or an age, a cell of positions (split into the titles of
:mod:`..roles`, also where the table runs them together: 董事长非执行董事), the terms of office
(:func:`.grid.terms`, one per position when the cell prints several).  A row that starts with a position
carries on the person above (a second position with its own term).  Rows under a heading that says 离任,
and positions printed 原…, are past: their term's end is kept.  Each position goes to the body it belongs
to: the board, the board of supervisors or senior management.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...document import Document, Span
from ...facts import Appointment, CommitteeRow, PersonRow
from ...sections import Section, find_section
from ..common import JoinedText, is_cjk_name, name_key, span_lines
from ..roles import BOARD_ROLES, ROLES, SUPERVISOR_ROLES
from .grid import row_at, terms

_HEADER = re.compile(r"姓\s*名")
_POSITION_HEADER = re.compile(r"职\s*务|职\s*位")
_FORMER = re.compile(r"离任|离职|辞任")
_BLOCK = re.compile(r"^(?:现任)?(董事|监事|高级管理人员|董事会成员|监事会成员|高管)$")
_END = re.compile(r"^\s*(?:注|说明|附注)")
_SEE = re.compile(r"见上文|见上表|同上")
_STATUS = {"现任": False, "离任": True, "离职": True, "已离任": True, "任期届满离任": True}


@dataclass
class _Person:
    name: str
    gender: str | None
    former: bool
    line: int
    end_line: int
    positions: list[tuple[str, str | None, str | None]]  # (role, start, end)


def split_positions(cell: str) -> list[str] | None:
    """The titles of a cell of positions, in order (原 kept as a mark of a past one), or None when the cell
    holds anything else: ``董事长非执行董事`` → [董事长, 非执行董事]; ``原执行董事、行长`` → [原执行董事, 原行长]."""
    text = re.sub(r"[\s、，,/／;；及和兼]", "", cell)
    text = re.sub(r"[（(][^）)]*[)）]", "", text)
    former = text.startswith("原")
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("原", i):
            i += 1
            continue
        role = next((r for r in ROLES if text.startswith(r, i)), None)
        if role is None:
            return None
        out.append(("原" if former else "") + role)
        i += len(role)
    return out or None


def body_of(role: str) -> str:
    role = role.removeprefix("原")
    if role in BOARD_ROLES:
        return "board"
    if role in SUPERVISOR_ROLES:
        return "supervisors"
    return "management"


def people(doc: Document, sections: list[Section], as_of: str | None = None) -> list[PersonRow]:
    """The people table.  A position whose printed term ended before the report can have been published
    (within four months of ``as_of``, the period's end, as listed banks must) is a past one: a manager who
    left between the year's end and the report (``2018.6-2022.2``)."""
    section = find_section(sections, "people") or find_section(sections, "governance")
    if section is None:
        return []
    lines = list(span_lines(doc, section))
    start = next((n for n in lines if _is_header(doc, n)), None)
    if start is None:
        return []
    persons: list[_Person] = []
    former = False
    misses = 0
    for n in range(start + 1, section.end + 1):
        row = row_at(doc, n)
        cells = [c.strip() for c in row.cells if c.strip()]
        if not cells or _is_header(doc, n):
            continue
        text = "".join(cells)
        if _END.match(text):
            if persons:
                break
            continue
        if _FORMER.search(text) and len(text) <= 14 and len(cells) <= 2:
            former = True
            continue
        if len(cells) == 1 and _BLOCK.match(text):
            continue
        person = _read_row(cells, former, n)
        if person == "continue" and persons:
            roles, spans = _positions_and_terms(cells)
            _assign(persons[-1], roles, spans)
            persons[-1].end_line = n
            misses = 0
            continue
        if isinstance(person, _Person):
            persons.append(person)
            misses = 0
            continue
        if person == "skip":
            continue
        misses += 1
        if persons and misses > 6:
            break
    if as_of and re.match(r"\d{4}-\d{2}", as_of):
        year, month = int(as_of[:4]), int(as_of[5:7]) + 4  # the last month the report can be published in
        published = f"{year + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}"
        for p in persons:
            if p.positions and all(end and end[:7] <= published for _, _, end in p.positions):
                p.former = True
    return _rows(doc, persons)


def _is_header(doc: Document, n: int) -> bool:
    text = doc.line(n)
    return bool(_HEADER.search(text) and _POSITION_HEADER.search(text))


def _read_row(cells: list[str], former: bool, n: int) -> _Person | str | None:
    first = cells[0]
    if split_positions(first):
        return "continue"
    # a name printed with a space between its characters (姚 红) split at that space
    if len(cells) > 1 and len(first) == 1 and len(cells[1]) in (1, 2) and is_cjk_name(first + cells[1]):
        cells = [first + cells[1], *cells[2:]]
        first = cells[0]
    name = name_key(first)
    if not (is_cjk_name(name) or re.fullmatch(r"[A-Za-z][A-Za-z .'\-]{2,40}", first)):
        return None
    if any(_SEE.search(c) for c in cells[1:]):
        return "skip"
    gender = next(({"男": "male", "女": "female"}[c] for c in cells[1:] if c in ("男", "女")), None)
    # a status column (任职状态: 现任 / 离任) says it for the row, whatever heading the row is under
    status = next((c for c in cells[1:] if c in _STATUS), None)
    former = _STATUS[status] if status else former
    person = _Person(name, gender, former, n, n, [])
    roles, spans = _positions_and_terms(cells[1:])
    if not roles:
        return None
    _assign(person, roles, spans)
    return person


def _positions_and_terms(cells: list[str]) -> tuple[list[str], list[tuple[str, str | None]]]:
    roles: list[str] = []
    cells_terms: list[list[tuple[str, str | None]]] = []
    for c in cells:
        if c in ("男", "女"):
            continue
        found = split_positions(c)
        if found:
            roles += found
            continue
        if re.search(r"(?:19|20)\d{2}\s*(?:年|[.．/]\d)", c) or re.fullmatch(r"(?:19|20)\d{2}\s*[-–—至~]", c):
            cells_terms.append(terms(c))
    # 任期起始日期 and 任期终止日期 in two columns: two cells of one date each, the start and the end of a term
    if (len(cells_terms) == 2 and all(len(t) == 1 and t[0][1] is None for t in cells_terms)
            and cells_terms[0][0][0] <= cells_terms[1][0][0]):
        return roles, [(cells_terms[0][0][0], cells_terms[1][0][0])]
    return roles, [span for t in cells_terms for span in t]


def _assign(person: _Person, roles: list[str], spans: list[tuple[str, str | None]]) -> None:
    for k, role in enumerate(roles):
        start, end = spans[k] if len(spans) == len(roles) else spans[0] if spans else (None, None)
        past = person.former or role.startswith("原")
        person.positions.append((role.removeprefix("原"), start, end))
        if past:
            person.former = True


def _rows(doc: Document, persons: list[_Person]) -> list[PersonRow]:
    out: list[PersonRow] = []
    order = {"board": 0, "supervisors": 0, "management": 0}
    for p in persons:
        bodies: dict[str, list[Appointment]] = {}
        for role, start, end in p.positions:
            bodies.setdefault(body_of(role), []).append(Appointment(role, start, end if p.former else None))
        for body, appts in bodies.items():
            order[body] += 1
            span = Span(p.line, p.end_line, doc.span(p.line).page)
            out.append(PersonRow(body, order[body], p.name, p.gender, tuple(_unique(appts)), span))
    return out


def _unique(appts: list[Appointment]) -> list[Appointment]:
    seen, out = set(), []
    for a in appts:
        if a.role not in seen:
            seen.add(a.role)
            out.append(a)
    return out


# --- committees ----------------------------------------------------------------------------------

_COMMITTEE = re.compile(r"([\u4e00-\u9fff、与和及]{2,30}?委员会)")
_CHAIR_MARK = re.compile(r"[（(]\s*(?:主席|主任委员|主任|召集人|组长)\s*[)）]")
_CHAIR_SAYS = re.compile(r"(?:为|担任|任|代为履行)(?:[^，。；]{0,30}?委员会)?(?:主席|主任委员|召集人)")


def committees(doc: Document, sections: list[Section], persons: list[PersonRow]) -> list[CommitteeRow]:
    """Seats of the committees, where the report lists them: a table of committees and their members (one row
    a committee, the chair marked （主席）), or sentences (X委员会由…组成…，其中Y为主席 / Y担任主席)."""
    names = sorted({p.name for p in persons}, key=len, reverse=True)
    if not names:
        return []
    members_of = {p.name: p.body for p in persons}
    patterns = _row_patterns(names)
    section_keys = ("governance", "people")
    out: dict[tuple[str, str], CommitteeRow] = {}
    for key in section_keys:
        section = find_section(sections, key)
        if section is None:
            continue
        lines = list(span_lines(doc, section))
        for k in range(len(lines)):
            for row in _committee_rows(doc, lines, k, names, members_of, patterns):
                out.setdefault((row.body, row.name), row)
        for row in _prose_rows(doc, lines, names, members_of):
            out.setdefault((row.body, row.name), row)
    bodies = {body for body, _ in out}
    for key in section_keys:  # a body whose committees no table or sentence lists: its members' biographies
        section = find_section(sections, key)
        if section is not None:
            for row in _biography_rows(doc, list(span_lines(doc, section)), names, members_of):
                if row.body not in bodies:
                    out.setdefault((row.body, row.name), row)
    return list(out.values())


_SEAT = re.compile(r"([\u4e00-\u9fff]+?委员会)(主任委员|副主任委员|主席|副主席|召集人|委员)?")
_OTHER_POSTS = re.compile(r"^(?:兼任|并任|同时|亦|曾任|现任[^本])")


def _biography_rows(doc: Document, lines: list[int], names: list[str], members_of: dict[str, str]) -> list[CommitteeRow]:
    """Seats stated in biographies: 张三先生，…现任本行…，监事会监督委员会主任委员、提名与评价委员会委员。"""
    if not lines:
        return []
    text = JoinedText(doc, range(lines[0], lines[-1] + 1))
    seats: dict[tuple[str, str], dict] = {}
    rx = re.compile(rf"({_name_alt(names)})(?:先生|女士)?[，,][^。]{{0,24}}?现任(?:本行|本公司)?([^。]*)。")
    for m in rx.finditer(text.text):
        person = m.group(1)
        body = None
        for part in re.split(r"[，,；;]", m.group(2)):
            if _OTHER_POSTS.match(part):
                break
            if "委员会" not in part:
                continue
            pending: list[str] = []
            for sm in _SEAT.finditer(part):
                name = re.sub(r"^[、和及与]", "", sm.group(1))
                if name.startswith(("董事会", "监事会")):
                    body = "supervisors" if name.startswith("监事会") else "board"
                    name = name[3:]
                pending.append(name)
                if sm.group(2):
                    role = "member" if sm.group(2) in ("委员",) else "chair" if not sm.group(2).startswith("副") else "member"
                    for c in pending:
                        b = body or ("supervisors" if members_of.get(person) == "supervisors" else "board")
                        entry = seats.setdefault((b, c), {"chair": None, "members": [], "span": text.span(m.start(), m.end())})
                        if role == "chair" and entry["chair"] is None:
                            entry["chair"] = person
                        elif person not in entry["members"]:
                            entry["members"].append(person)
                    pending = []
    return [CommitteeRow(name, body, e["chair"], tuple(e["members"]), e["span"]) for (body, name), e in seats.items()
            if len(e["members"]) + (1 if e["chair"] else 0) >= 2]


def _row_patterns(names: list[str]) -> tuple[re.Pattern, re.Pattern]:
    """A table row of a committee and its members (the first of them on its line); a line of more members."""
    alt = _name_alt(names)
    return (re.compile(rf"^([\u4e00-\u9fff、与和及]{{2,30}}?委员会)(?=.*{alt})"),
            re.compile(rf"^(?:{alt})(?:（[^）]*）)?(?:[、，,]|$)"))


def _committee_rows(doc: Document, lines: list[int], k: int, names: list[str], members_of: dict[str, str],
                    patterns: tuple[re.Pattern, re.Pattern]) -> list[CommitteeRow]:
    n = lines[k]
    if "会" not in doc.line(n):  # a row begins with a committee (…委员会, maybe spaced out)
        return []
    text = re.sub(r"\s+", "", doc.line(n))
    # a table row: the committee, then its members (wrapped onto the next lines)
    head, members = patterns
    m = head.match(text)
    if m and not re.search(r"[。；]", text):
        committee = m.group(1)
        rest = text[m.end():]
        end = n
        for nxt in lines[k + 1 : k + 4]:
            more = re.sub(r"\s+", "", doc.line(nxt))
            if members.match(more) and "委员会" not in more:
                rest += more
                end = nxt
            else:
                break
        row = _seats(committee, rest, names, members_of, Span(n, end, doc.span(n).page), table=True)
        return [row] if row else []
    return []


_MADE_OF = re.compile(r"([\u4e00-\u9fff、与和及]{2,30}?委员会)(?:现|目前)?由([^。]{0,300}?)(?:组成|构成)")
_GOES_ON = re.compile(r"^(?:包括|成员包括|其中|成员为|分别为|[\u4e00-\u9fff]{2,4}(?:先生|女士)(?:为|担任|任|代为履行))")


def _prose_rows(doc: Document, lines: list[int], names: list[str], members_of: dict[str, str]) -> list[CommitteeRow]:
    """Sentences: X委员会由…组成 (the members there or in the sentences after it that begin 包括 / 其中 …)."""
    text = JoinedText(doc, range(lines[0], lines[-1] + 1))
    out = []
    for m in _MADE_OF.finditer(text.text):
        committee = re.sub(r"^.*?(?:，|,|本行|本公司)(?=[\u4e00-\u9fff])", "", m.group(1)) if "，" in m.group(1) else m.group(1)
        committee = re.sub(r"^(?:截至[^，]*，)?(?:本行|本公司|公司)?", "", committee)
        committee = committee.split("委员会")[-2] + "委员会"  # a heading run into the sentence: the last name
        end = text.text.find("。", m.end())
        end = len(text.text) if end < 0 else end + 1
        while end < len(text.text) and _GOES_ON.match(text.text[end:end + 12]):
            nxt = text.text.find("。", end)
            end = len(text.text) if nxt < 0 else nxt + 1
        row = _seats(committee, text.text[m.start(2):end], names, members_of, text.span(m.start(), end), table=False)
        if row:
            out.append(row)
    return out


def _name_alt(names: list[str]) -> str:
    return "|".join(map(re.escape, names))


def _seats(committee: str, text: str, names: list[str], members_of: dict[str, str], span: Span,
           table: bool) -> CommitteeRow | None:
    body = "supervisors" if committee.startswith("监事会") else "board"
    committee = re.sub(r"^(?:董事会|监事会)(?:下设)?(?:的)?", "", committee) or committee
    found: list[tuple[int, str]] = []
    taken = [False] * len(text)
    for name in names:
        for m in re.finditer(re.escape(name), text):
            if not any(taken[m.start():m.end()]):
                found.append((m.start(), name))
                for i in range(m.start(), m.end()):
                    taken[i] = True
    if len(found) < 2:
        return None
    found.sort()
    chair = None
    for pos, name in found:
        after = text[pos + len(name): pos + len(name) + 40]
        if table and _CHAIR_MARK.match(after):
            chair = name
        elif not table and _CHAIR_SAYS.match(re.sub(r"^(?:先生|女士)", "", after)):
            chair = name
    members = tuple(dict.fromkeys(name for _, name in found if name != chair))
    if any(members_of.get(m) == "supervisors" for m in members):
        body = "supervisors" if all(members_of.get(m) in ("supervisors", None) for m in members) else body
    return CommitteeRow(committee, body, chair, members, span)
