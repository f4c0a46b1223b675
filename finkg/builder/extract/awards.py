"""Honours and awards (荣誉与奖项) and the meetings of the governing bodies (公司治理报告).

The awards chapter prints its list as one run of text: each award's name, then who gave it, then the
date (``2021/7/22``, or ``2021/6`` for a month), glued together and wrapped at random.  The dates cut
the run into awards; the issuer is the tail of each piece — a publication in 《》, an organisation in
capitals after English words (…Asia PacificTHEASIANBANKER), or the Chinese organisation after the last
word that ends an award's name (…奖, …单位, …企业, …案例) — and an issuer read once with confidence is
recognised again where the split is unclear.

The governance report states the meetings in sentences: ``2021年5月13日召开2020年度股东大会``,
``召开董事会会议7次、董事会专门委员会会议27次，其中，战略与ESG委员会6次，…``.
"""

from __future__ import annotations

import re

from ..document import Document
from ..facts import AwardRow, MeetingRow
from ..numbers import chinese_date, parse_count
from ..sections import Section, find_section
from .common import CJK, JoinedText, span_lines

__all__ = ["awards", "meetings"]

_DATE = re.compile(r"(20\d{2}|19\d{2})/(1[0-2]|0?[1-9])(?:/(3[01]|[12]\d|0?[1-9]))?")
_AWARD_END = re.compile(r"奖项|奖|单位|组织|企业|产品|案例|银行|社区|项目|机构|榜单|称号|平台|品牌")
_ORG_END = re.compile(r"(?:局|委|院|社|会|府|报|闻|财经|刊|部|厅|所|中心|集团|公司|银行|联盟|网|台|\+)$")
_NOT_ORG_START = re.compile(r"^(?:——|—|年度|最佳|优秀|首届|第[一二三四五六七八九十\d]+届)")
_PRIZE = re.compile(r"奖|案例|单位|榜|称号|产品|项目|——")  # never inside an organisation's name
_MEDIA = re.compile(rf"[{CJK}]{{2}}(?:新闻|财经|日报|时报|周刊)$")


def _issuer_split(piece: str, known: frozenset[str] = frozenset()) -> tuple[str, str | None, str]:
    """(award name, issuer, how the issuer was found) of one ``name + issuer`` piece."""
    m = re.search(r"《([^》]+)》$", piece)
    if m and m.start() > 0:
        return piece[: m.start()], m.group(1), "brackets"
    m = re.search(rf"(?<=[a-z\d\s{CJK}])[A-Z]{{4,}}$", piece)
    if m and m.start() > 0:
        return piece[: m.start()], m.group(), "capitals"
    for issuer in sorted(known, key=len, reverse=True):
        if piece.endswith(issuer) and len(piece) > len(issuer):
            return piece[: -len(issuer)], issuer, "known"
    for m in _AWARD_END.finditer(piece):  # the first end of a name that leaves an organisation after it
        rest = piece[m.end():].lstrip("》”\" ")
        if _org_like(rest):
            return piece[: len(piece) - len(rest)], rest, "name end"
    for m in re.finditer(rf"[A-Za-z](?=[{CJK}])", piece):  # …——Linkis中国信息通信研究院
        rest = piece[m.end():]
        if _org_like(rest):
            return piece[: m.end()], rest, "latin"
    m = _MEDIA.search(piece)
    if m and m.start() > 0:
        return piece[: m.start()], m.group(), "media"
    return piece, None, ""


def _org_like(text: str) -> bool:
    return (2 <= len(text) <= 30 and bool(_ORG_END.search(text)) and not _PRIZE.search(text)
            and not _NOT_ORG_START.search(text))


def awards(doc: Document, sections: list[Section]) -> list[AwardRow]:
    """The awards listed in the honours chapter: name, issuer and date."""
    section = find_section(sections, "awards")
    if section is None:
        return []
    body = JoinedText(doc, span_lines(doc, section))
    dates = list(_DATE.finditer(body.text))
    if not dates:
        return []
    intro_end = body.text.rfind("。", 0, dates[0].start()) + 1
    tail = re.sub(r"^\d{1,3}(?!\d)", "", body.text[dates[-1].end():].strip())
    pieces: list[tuple[int, int, re.Match]] = []
    if not tail:  # name, issuer, then the date
        starts = [intro_end] + [d.end() for d in dates[:-1]]
        pieces = [(s, d.start(), d) for s, d in zip(starts, dates)]
    else:  # the date first, then name and issuer
        ends = [d.start() for d in dates[1:]] + [len(body.text)]
        pieces = [(d.end(), e, d) for d, e in zip(dates, ends)]
    rows: list[tuple[str, int, int, re.Match]] = []
    for start, end, date in pieces:
        raw = body.text[start:end]
        lead = re.match(r"\s*\d{1,3}(?!\d)(?=\D)", raw) if start == intro_end else None  # the page number
        if lead:
            start, raw = start + lead.end(), raw[lead.end():]
        text = raw.strip()
        if text:
            rows.append((text, start, end, date))
    # an organisation read after English words or in 《》 is recognised where it ends another piece
    known = frozenset(issuer for _, issuer, how in (_issuer_split(text) for text, *_ in rows) if how == "latin")
    out = []
    for text, start, _end, date in rows:
        name, issuer, _ = _issuer_split(text, known)
        year, month, day = date.group(1), int(date.group(2)), date.group(3)
        iso = f"{year}-{month:02d}-{int(day):02d}" if day else f"{year}-{month:02d}"
        out.append(AwardRow(_tidy(name), _tidy(issuer) if issuer else None, iso, body.span(start, date.end())))
    return out


def _tidy(text: str) -> str:
    return re.sub(r"^[\s—]+|[\s—]+$", "", re.sub(r"\s+", " ", text))


# --- meetings -----------------------------------------------------------------------------------

_GENERAL_MEETING = re.compile(r"((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)(?:在[^，。]{0,20})?(?:召开|举行)(?:了)?"
                              rf"((?:(?:19|20)\d{{2}}年)?[{CJK}\d]{{0,12}}?股东(?:大会|会议))")
_GENERAL_COUNT = re.compile(r"(?:共)?(?:召开|举行)(?:了)?(\d+)次(?:[^，。；]{0,6})?股东(?:大会|会议)")
_BODY_COUNT = re.compile(r"(?:召开|举行)(?:了)?(董事会|监事会)(?:会议)?(\d+)次")
_COMMITTEE_COUNT = re.compile(rf"([{CJK}A-Za-z]{{2,20}}?委员会)(?:会议)?(\d+)次")
_BODIES = {"董事会": "board", "监事会": "supervisors"}


def meetings(doc: Document, sections: list[Section]) -> list[MeetingRow]:
    """Shareholders' general meetings with their dates, and how often each body and committee met."""
    section = find_section(sections, "governance")
    if section is None:
        return []
    body = JoinedText(doc, span_lines(doc, section))
    out: list[MeetingRow] = []
    for m in _GENERAL_COUNT.finditer(body.text):
        if (count := parse_count(m.group(1))) is not None:  # a run of digits no count has is none
            out.append(MeetingRow("shareholders", None, None, count, body.span(m.start(), m.end())))
    for m in _GENERAL_MEETING.finditer(body.text):
        out.append(MeetingRow("shareholders", chinese_date(m.group(1)), re.sub(r"\s+", "", m.group(2)), None,
                              body.span(m.start(), m.end())))
    for sentence in re.finditer(r"[^。]+", body.text):
        counted = list(_BODY_COUNT.finditer(sentence.group()))
        if not counted:
            continue
        for m in counted:
            at = sentence.start() + m.start()
            if (count := parse_count(m.group(2))) is not None:
                out.append(MeetingRow(_BODIES[m.group(1)], None, None, count, body.span(at, at + len(m.group()))))
        for m in _COMMITTEE_COUNT.finditer(sentence.group()):
            name = re.sub(r"^(?:其中|以及|和|及|与)", "", m.group(1))
            at = sentence.start() + m.start()
            if (count := parse_count(m.group(2))) is not None:
                out.append(MeetingRow(name, None, None, count, body.span(at, at + len(m.group()))))
    return out
