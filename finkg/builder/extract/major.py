"""The major-shareholder table: each major shareholder's controlling shareholder,
actual controller, persons acting in concert and ultimate beneficiary.

In designed PDFs this table is extracted frame by frame: header cells, then whole
columns or single cells, in no fixed order, with long names broken over lines and the
pieces far apart.  It is rebuilt in four steps:

1. cut the region into fragments (header words, row numbers, cell text);
2. join broken names: a fragment that begins a shareholder name of the top-ten table takes
   the nearest fragment that completes it; other incomplete organisation names take the
   next fragment or the nearest orphan legal-form tail (有限公司, （有限合伙）…);
3. a column that repeats the shareholders themselves is the ultimate beneficiary (the
   only column that may name the shareholder itself); a run of as many "none" marks as
   there are rows is the column whose header precedes it;
4. the remaining cells are split over the remaining columns by trying every order-keeping
   division and scoring it: organisations are not actual controllers, "none" is not a
   controlling shareholder, a cell printed after a column header belongs to it, and cells
   printed on one line belong to one row.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ..document import Document, Span
from ..facts import MajorShareholderRow, ShareholderRow
from ..numbers import is_none_mark
from ..sections import Section, find_section
from .common import TAIL, is_cjk_name, is_complete_org, span_lines, split_glued_names

COLUMNS = {"控股股东": "controlling", "实际控制人": "actual", "一致行动人": "concert", "最终受益人": "beneficiary"}
_HEADERS = re.compile(r"(控股股东|实际控制人|一致行动人|最终受益人|主要股东名称|股东名称|序号)")
_COLUMN_WORDS = re.compile("|".join(COLUMNS))
_TOP_TEN = re.compile(r"(前|最大)\s*十\s*名股东")
_NONE_GLUED = re.compile(r"^(无|-|－|—|–)(?=\S)")
_HEADING = re.compile(r"[（(][一二三四五六七八九十]+[)）]\s*\S*主要股东\S*")


@dataclass
class _Frag:
    index: int
    line: int
    text: str
    kind: str  # header | rownum | cell
    used: bool = False


@dataclass
class _Cell:
    text: str
    pos: int  # stream index of its first fragment
    lines: tuple[int, ...]
    row: int | None = None  # known row (shareholder names)


def _is_person_list(text: str) -> bool:
    parts = [p for p in re.split(r"[、，,]", text) if p]
    return bool(parts) and all(is_cjk_name(p) for p in parts)


def _region(doc: Document, lines: list[int]) -> list[int]:
    head = next((n for n in lines if _HEADING.search(doc.line(n))), None)
    if head is None:
        return []
    first = head
    for n in reversed([k for k in lines if k < head]):  # the table may start before its heading
        if len(doc.line(n)) > 40 or _TOP_TEN.search(doc.line(n)):
            break
        if _COLUMN_WORDS.search(doc.line(n)):
            first = n
    region = []
    for n in (k for k in lines if k >= first):
        if n > head and len(doc.line(n)) > 30 and re.search(r"[，。；]", doc.line(n)):
            break
        region.append(n)
    return region


def _fragments(doc: Document, region: list[int]) -> list[_Frag]:
    frags: list[_Frag] = []
    for k, n in enumerate(region):
        text = _HEADING.sub(" ", doc.line(n))
        if k == 0 and (m := _HEADERS.search(text)):
            text = text[m.start() :]  # what precedes the first header belongs to the last table
        for piece in _HEADERS.split(text):
            if not piece.strip():
                continue
            if _HEADERS.fullmatch(piece):
                frags.append(_Frag(len(frags), n, piece, "header"))
                continue
            for token in piece.split():
                lead = re.match(r"^(\d{1,2})(?=\D|$)", token)
                if lead:
                    frags.append(_Frag(len(frags), n, lead.group(1), "rownum"))
                    token = token[lead.end() :]
                none = _NONE_GLUED.match(token)
                if none and (none.group(1) != "无" or TAIL.match(token[1:])):
                    frags.append(_Frag(len(frags), n, none.group(1), "cell"))
                    token = token[1:]
                for part in split_glued_names(token):
                    frags.append(_Frag(len(frags), n, part, "cell"))
    return frags


def _join_shareholders(frags: list[_Frag], names: list[str]) -> list[tuple[str, list[_Frag]]]:
    """Find every printed copy of each shareholder name: (name, its fragments)."""
    copies: list[tuple[str, list[_Frag]]] = []
    needs: list[tuple[int, str, _Frag]] = []  # (distance, tail, head)
    for f in frags:
        if f.kind != "cell":
            continue
        for name in names:
            if f.text == name:
                f.used = True
                copies.append((name, [f]))
                break
            if len(f.text) >= 4 and name.startswith(f.text):
                needs.append((0, name, f))
                break
    pairs = []
    for _, name, head in needs:
        tail = name[len(head.text) :]
        for t in frags:
            if t.kind == "cell" and t.text == tail and t is not head:
                pairs.append((abs(t.index - head.index), head.index, t.index, name, head, t))
    pairs.sort(key=lambda p: (p[0], p[1], p[2]))
    for _, _, _, name, head, tail in pairs:
        if head.used or tail.used:
            continue
        head.used = tail.used = True
        copies.append((name, [head, tail]))
    copies.sort(key=lambda c: c[1][0].index)
    return copies


def _join_others(frags: list[_Frag]) -> list[_Cell]:
    cells: list[_Cell] = []
    open_orgs: list[_Cell] = []
    rest = [f for f in frags if f.kind == "cell" and not f.used]
    k = 0
    while k < len(rest):
        f = rest[k]
        text = f.text
        lines = [f.line]
        if TAIL.match(text) and not _is_person_list(text):
            k += 1
            continue  # orphan tail, placed below
        # join following continuation fragments printed right after an incomplete name
        while (not is_complete_org(text) and not _is_person_list(text) and not is_none_mark(text)
               and k + 1 < len(rest) and rest[k + 1].index == rest[k].index + 1
               and not _is_person_list(rest[k + 1].text) and not is_none_mark(rest[k + 1].text)):
            k += 1
            text += rest[k].text
            lines.append(rest[k].line)
            rest[k].used = True
        f.used = True
        cell = _Cell(text, f.index, tuple(lines))
        cells.append(cell)
        if not _is_person_list(text) and not is_none_mark(text):
            open_orgs.append(cell)
        k += 1
    # orphan tails: each goes to the nearest organisation name that can take it
    tails = [f for f in frags if f.kind == "cell" and not f.used]
    pairs = sorted(
        (abs(c.pos - f.index), f.index, c.pos, k, j)
        for k, f in enumerate(tails) for j, c in enumerate(open_orgs) if _fits(c.text, f.text)
    )
    taken: set[int] = set()
    hosts: set[int] = set()
    for _, _, _, k, j in pairs:
        if k in taken or j in hosts:
            continue
        taken.add(k)
        hosts.add(j)
        open_orgs[j].text += tails[k].text
        open_orgs[j].lines += (tails[k].line,)
        tails[k].used = True
    return cells


def _fits(host: str, tail: str) -> bool:
    """Can ``tail`` (a legal-form piece) end the name ``host``?"""
    if is_complete_org(host) and not host.endswith(("合伙企业", "中心")):
        return False
    if tail.startswith(("（", "(")):
        return host.endswith(("企业", "中心", "合伙"))
    if tail.startswith("限公司"):
        return host.endswith("有")
    return not host.endswith(("企业", "中心", "有", "）", ")"))


def _split(text: str) -> tuple[str, ...]:
    if is_none_mark(text):
        return ()
    return tuple(p for p in re.split(r"[、，,]", text) if p)


def major_shareholders(doc: Document, sections: list[Section], top: list[ShareholderRow]) -> list[MajorShareholderRow]:
    section = find_section(sections, "shares")
    region = _region(doc, list(span_lines(doc, section)))
    if not region:
        return []
    inline = _inline_rows(doc, region, [r.name for r in top])
    if inline:
        return inline
    frags = _fragments(doc, region)
    headers = [f for f in frags if f.kind == "header" and f.text in COLUMNS]
    copies = _join_shareholders(frags, [r.name for r in top])
    row_names: list[str] = []
    for name, _ in copies:
        if name not in row_names:
            row_names.append(name)
    n_rows = len(row_names)
    if n_rows == 0:
        return []
    row_of = {name: i for i, name in enumerate(row_names)}
    # line → row, from the first copy of each shareholder (its printed row)
    line_row: dict[int, int] = {}
    seen: set[str] = set()
    for name, parts in copies:
        if name not in seen:
            seen.add(name)
            for p in parts:
                line_row.setdefault(p.line, row_of[name])
    columns = [COLUMNS[h.text] for h in headers]
    assigned: dict[str, list[str]] = {}
    extra = [c for c in copies if sum(1 for x in copies if x[0] == c[0]) > 1]
    if extra and "beneficiary" in columns and len(extra) >= 2 * n_rows:
        assigned["beneficiary"] = list(row_names)
    cells = _join_others(frags)
    remaining = [c for c in columns if c not in assigned]
    # a run of n_rows "none" marks is one column: the nearest unassigned header before it
    k = 0
    while k + n_rows <= len(cells):
        run = cells[k : k + n_rows]
        if all(is_none_mark(c.text) for c in run):
            before = [h for h in headers if h.index < run[0].pos and COLUMNS[h.text] in remaining]
            if before:
                column = COLUMNS[max(before, key=lambda h: h.index).text]
                assigned[column] = [c.text for c in run]
                remaining.remove(column)
                del cells[k : k + n_rows]
                continue
        k += 1
    if len(cells) != n_rows * len(remaining) or len(remaining) > 3:
        return []
    header_at = sorted((h.index, COLUMNS[h.text]) for h in headers)
    best = _best_division(cells, remaining, n_rows, header_at, line_row)
    assigned.update(best)
    out = []
    for r, name in enumerate(row_names):
        lines = [f.line for n2, parts in copies if n2 == name for f in parts]
        out.append(
            MajorShareholderRow(
                order=r + 1,
                shareholder=name,
                controlling=_split(assigned.get("controlling", [""] * n_rows)[r]),
                actual_controller=_split(assigned.get("actual", [""] * n_rows)[r]),
                concert=_split(assigned.get("concert", [""] * n_rows)[r]),
                beneficiary=_split(assigned.get("beneficiary", [""] * n_rows)[r]),
                span=Span(region[0], region[-1]) if not lines else Span(min(region[0], *lines), region[-1]),
            )
        )
    return out


def _inline_rows(doc: Document, region: list[int], names: list[str]) -> list[MajorShareholderRow]:
    """The simple shape, as a PDF's table gives it: a header line naming the columns, then one line per
    row, ``1 深圳市… 深圳市世纪凯旋科技有限公司 马化腾 无 深圳市…``, cells apart by spaces."""
    header = next((n for n in region if len(_COLUMN_WORDS.findall(doc.line(n))) >= 2), None)
    if header is None:
        return []
    columns = [COLUMNS[w] for w in _COLUMN_WORDS.findall(doc.line(header))]
    out: list[MajorShareholderRow] = []
    for n in (k for k in region if k > header):
        m = re.match(r"^\s*(\d{1,2})\s+(\S+)\s+(.+)$", doc.line(n))
        if not m or m.group(2) not in names:
            break
        cells = m.group(3).split()
        if len(cells) != len(columns):
            return []  # a cell with spaces in it: leave the row to the general path
        got = {col: _split(cell) for col, cell in zip(columns, cells)}
        out.append(MajorShareholderRow(len(out) + 1, m.group(2), got.get("controlling", ()), got.get("actual", ()),
                                       got.get("concert", ()), got.get("beneficiary", ()), doc.span(n)))
    return out


DIVISIONS = 20_000  # ways of dividing the cells tried at most (a real table of ten rows needs a few hundred)


def _best_division(cells: list[_Cell], columns: list[str], n_rows: int,
                   header_at: list[tuple[int, str]], line_row: dict[int, int]) -> dict[str, list[str]]:
    """Divide ``cells`` over ``columns`` (``n_rows`` each), keeping printed order within
    a column except for cells pinned to a row by sharing a line with a shareholder name."""

    def column_at(pos: int) -> str | None:
        found = None
        for index, column in header_at:
            if index < pos:
                found = column
        return found

    def cell_score(cell: _Cell, column: str) -> int:
        person = _is_person_list(cell.text)
        none = is_none_mark(cell.text)
        score = 0
        if not person and not none and column in ("actual", "concert"):
            score -= 3  # an organisation is a controlling shareholder, not a controller
        if none and column == "controlling":
            score -= 1
        if column_at(cell.pos) == column:
            score += 1
        return score

    pinned = [c for c in cells if any(line in line_row for line in c.lines)]
    free = [c for c in cells if c not in pinned]
    best_score, best = None, {}
    budget = DIVISIONS  # the ways grow factorially with the cells: the best of the first ones tried is kept
    for choice in itertools.product(columns, repeat=len(pinned)):
        grid: dict[str, list[_Cell | None]] = {col: [None] * n_rows for col in columns}
        clash = False
        for cell, col in zip(pinned, choice):
            row = next(line_row[line] for line in cell.lines if line in line_row)
            if grid[col][row] is not None:
                clash = True
            grid[col][row] = cell
        if clash:
            continue
        slots = {col: [r for r in range(n_rows) if grid[col][r] is None] for col in columns}
        for division in _divisions(len(free), [len(slots[col]) for col in columns]):
            budget -= 1
            if budget < 0:
                return best
            score = sum(cell_score(c, col) for c, col in zip(pinned, choice))
            filled = {col: list(grid[col]) for col in columns}
            for col, members in zip(columns, division):
                for r, i in zip(slots[col], members):
                    filled[col][r] = free[i]
                    score += cell_score(free[i], col)
            if best_score is None or score > best_score:
                best_score = score
                best = {col: [c.text if c else "" for c in filled[col]] for col in columns}
    return best


def _divisions(n: int, sizes: list[int]):
    """Every way to split items 0..n-1 into groups of ``sizes``, each keeping order."""
    if not sizes:
        if n == 0:
            yield []
        return
    if sum(sizes) != n:
        return
    items = list(range(n))

    def rec(remaining: list[int], k: int):
        if k == len(sizes) - 1:
            yield [tuple(remaining)]
            return
        for group in itertools.combinations(remaining, sizes[k]):
            rest = [i for i in remaining if i not in group]
            for tail in rec(rest, k + 1):
                yield [group] + tail

    yield from rec(items, 0)
