"""What the fuzzing suite feeds finkg, and what finkg must do with it (tests/test_fuzz.py, bench/fuzz_long.py).

Each :class:`Target` pairs a Hypothesis strategy of inputs with a check of finkg's contract on one input:
a result, or a :class:`~finkg.errors.FinkgError` whose exit code is in README's table and whose message is
one line; never another exception, and never more than :data:`LIMIT` seconds.  The test file runs each
target for a few dozen examples; the bench script runs the same targets for thousands.

Inputs are the bundled sample and the Shenzhen-style test report mutated (lines shuffled, dropped,
duplicated, cut, chapter titles and random lines put in, the numbers of tables replaced, rows swapped),
either written as plain text or in the corpus layout (form-feed pages, list-literal rows); arbitrary bytes
and text in UTF-8, GB18030 and UTF-16; documents whose table rows are random cells; number-like strings;
and a two-page PDF made with reportlab, truncated, bit-flipped, padded with garbage, without its xref or
with objects repeated.
"""

from __future__ import annotations

import functools
import logging
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from hypothesis import strategies as st

from finkg.builder import sample_path
from finkg.builder.document import Document
from finkg.errors import EXIT_CODES, FinkgError

HERE = Path(__file__).parent
LIMIT = 10.0  # seconds: the most one case may take (the acceptance of "Harden serve and build")
HANG = 60  # seconds: a case still running then is stopped, so that a hang fails instead of blocking CI

SAMPLE_LINES: tuple[str, ...] = tuple(sample_path().read_text(encoding="utf-8").splitlines())
SZSE_LINES: tuple[str, ...] = tuple((HERE / "data" / "szse_style_report.txt").read_text(encoding="utf-8").splitlines())
SEEDS = {"sample": SAMPLE_LINES, "szse": SZSE_LINES}


# --- the contract -------------------------------------------------------------------------------------------


class Slow(AssertionError):
    """A case that took longer than :data:`LIMIT`."""


@contextmanager
def bounded(what: str = "case"):
    """Fail a case that runs past :data:`LIMIT` seconds, and stop one that hangs (SIGALRM, main thread)."""

    def stop(signum, frame):
        raise Slow(f"{what}: still running after {HANG} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(HANG)
    start = time.perf_counter()
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    took = time.perf_counter() - start
    TIMES.append(took)
    if took > LIMIT:
        raise Slow(f"{what}: {took:.1f} s, over the {LIMIT:g} s a case may take")


TIMES: list[float] = []  # every case's seconds, for the bench script


def check_error(exc: FinkgError) -> None:
    """A FinkgError as the CLI prints it: a documented exit code, one line, no control character."""
    assert exc.exit_code in EXIT_CODES, (type(exc).__name__, exc.exit_code)
    line = exc.one_line()
    assert line.strip(), type(exc).__name__
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", line), repr(line)


def outcome(call: Callable[[], object], what: str) -> object | FinkgError:
    """The result of ``call`` or the FinkgError it raised (checked), within the time bound."""
    with bounded(what):
        try:
            return call()
        except FinkgError as exc:
            check_error(exc)
            return exc


def check_document(doc: Document) -> None:
    """The invariants the extractors rely on: one page and one row (or None) per line."""
    assert isinstance(doc, Document)
    assert all(isinstance(line, str) for line in doc.lines)
    if doc.pages:
        assert len(doc.pages) == len(doc.lines)
        assert all(isinstance(p, int) and p >= 1 for p in doc.pages)
    if doc.cells:
        assert len(doc.cells) == len(doc.lines)
        assert all(row is None or all(isinstance(c, str) for c in row) for row in doc.cells)


# --- text -----------------------------------------------------------------------------------------------------

_SAMPLE_CHARS = "".join(sorted(set("".join(SAMPLE_LINES + SZSE_LINES)) - {"\f"}))
_PUNCT = "，。、：；（）()%％,.-—–－…·　 \t/|*①⑴注“”‘’[]'\"\\"
_FULL_WIDTH = "０１２３４５６７８９"
_CN_NUM = "一二三四五六七八九十"

report_chars = st.sampled_from(_SAMPLE_CHARS + _PUNCT + _FULL_WIDTH)
report_text = st.text(alphabet=report_chars, max_size=80)  # a line of the report's own characters
any_text = st.text(max_size=60)  # any code point but surrogates: controls, U+2028, private use …


@st.composite
def numberish(draw) -> str:
    """A printed number, well formed or not: grouped, negative in brackets, percent, 亿元, full width, huge."""
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return draw(st.sampled_from([
            "1,234.56", "（12.3）", "(1,234)", "-", "—", "–", "－", "12.3%", "1.2亿元", "269.89亿元", "１２３",
            "１，２６０．５％", "1e9999", "1E+5", "NaN", "Infinity", "-0", "+5", "--3", "1,23,4", "0.0.0", "12.3%%",
            "((1))", ",元", ",,,元", ".5", "5.", "1,234,", "亿元", "不适用", "无", "/", "2021年2月31日", "2021年13月",
            "2021年0月0日", "9999年99月99日", "2021/2/30",
            "33,863,453438,747,807", "7,881,7821.75%", "2.1538", "≥10.5", "≤5", "0.00", "-0.00%", "(0)", "（-12）"]))
    if kind == 1:
        digits = draw(st.integers(1, 30))
        value = Decimal(draw(st.integers(-(10**digits), 10**digits))).scaleb(-draw(st.integers(0, 6)))
        text = f"{value:,}" if draw(st.booleans()) else f"{value}"
        if draw(st.booleans()):
            text = f"({text.lstrip('-')})"
        return text + draw(st.sampled_from(["", "%", "亿元", "万元", "元", "％"]))
    if kind == 2:
        return draw(st.text(alphabet=st.sampled_from("0123456789０１２３,.()（）%％-+－—–亿万千元年月日 e"), max_size=30))
    if kind == 3:
        return "9" * draw(st.integers(300, 20_000)) + draw(st.sampled_from(["", ".5", "%", "亿元"]))
    if kind == 4:
        year, month, day = draw(st.integers(0, 9999)), draw(st.integers(0, 99)), draw(st.integers(0, 99))
        return draw(st.sampled_from([f"{year}年{month}月{day}日", f"{year}年{month}月", f"{year}.{month}",
                                     f"{year}年{month}月-", f"{year}/{month}/{day}"]))
    return draw(any_text)


def chapter_title() -> st.SearchStrategy[str]:
    """A line that looks like a heading: 第X节/第X章 with a chapter's wording, 一、, 1., 目录, or English capitals."""
    from finkg.builder.conventions import rows

    words = sorted({w for r in rows("chapters") for w in r["wording"].split("|") if w})
    number = st.one_of(st.integers(1, 20).map(str), st.text(alphabet=_CN_NUM, min_size=1, max_size=3))
    title = st.one_of(st.sampled_from(words), st.sampled_from(words).map(lambda w: w + "及股东情况"), report_text)
    page = st.one_of(st.just(""), st.integers(0, 999).map(str), st.integers(0, 999).map(lambda n: f" {n}"))
    return st.one_of(
        st.builds(lambda n, k, sp, t, p: f"第{n}{k}{sp}{t}{p}", number, st.sampled_from("节章"), st.sampled_from(["", " ", "　"]),
                  title, page),
        st.builds(lambda n, t, p: f"{n}、{t}{p}", st.text(alphabet=_CN_NUM, min_size=1, max_size=2), title, page),
        st.builds(lambda n, t, p: f"{n}.{t}{p}", st.integers(1, 15), title, page),
        st.sampled_from(["目录", "目 录", "目录 2", "CONTENTS", "SHARE CHANGES AND", "SHAREHOLDER INFORMATION",
                         "股份变动及股东情况37", "CORPORATE INFORMATION", "12FINANCIAL REPORT", "释义"]),
    )


def list_literal_line() -> st.SearchStrategy[str]:
    """A line written as a Python list literal, well formed or not."""
    cell = st.one_of(report_text, numberish(), any_text)
    cells = st.lists(cell, max_size=8)
    return st.one_of(
        cells.map(repr),
        cells.map(lambda cs: "[" + ", ".join(f"'{c}'" for c in cs) + "]"),  # quotes not escaped: unbalanced
        st.builds(lambda cs, cut: repr(cs)[:cut], cells, st.integers(0, 60)),  # cut short
        st.integers(1, 4000).map(lambda n: "[" + ", ".join(["'1,234'"] * n) + "]"),  # huge, up to 36,000 chars
        st.sampled_from(["[]", "['a', 'b']", "['a', 'b'", "['a\\', 'b']", "[\"a\", 'b']", "['''']", "[1, 2]",
                         "['a', ['b']]", "['\\x00']", "['\\N{BOGUS}']", "['\\u12']", "[" * 200 + "]" * 200,
                         "['a' 'b']", "['a',]", "[ 'a' , 'b' ]  ", "['\\\n']"]),
    )


line_strategy = st.one_of(report_text, chapter_title(), list_literal_line(), numberish(), any_text)


# --- mutations of a report --------------------------------------------------------------------------------------

_POS = st.integers(0, 10**6)  # a position, taken modulo the number of lines
_NUMBER_TOKEN = re.compile(r"[(（]?-?\d[\d,]*(?:\.\d+)?%?[)）]?")


def _random_number(rng: random.Random) -> str:
    value = Decimal(rng.randint(-(10**rng.randint(1, 13)), 10**rng.randint(1, 13))).scaleb(-rng.choice([0, 0, 2, 2, 4]))
    form = rng.randint(0, 11)
    if form == 11:  # a run of digits longer than any number: glued page numbers, junk
        return "9" * rng.choice([30, 400, 5000])
    if form == 0:
        return f"{value:,}"
    if form == 1:
        return f"({abs(value):,})"
    if form == 2:
        return f"{value}%"
    if form == 3:
        return rng.choice(["-", "–", "—", "不适用", "0"])
    return f"{value}"


_DATE_TOKEN = re.compile(r"(?:19|20)\d{2}(?:年\d{1,2}月(?:\d{1,2}日)?|/\d{1,2}(?:/\d{1,2})?)")


def _random_date(rng: random.Random, printed: str) -> str:
    """Another date in the same form, its month or day possibly one the calendar does not have (2月30日, 13月)."""
    year, month, day = rng.randint(1990, 2030), rng.choice([1, 2, 6, 12, 0, 13]), rng.choice([1, 15, 28, 29, 30, 31, 0])
    if "/" in printed:
        return f"{year}/{month}/{day}" if printed.count("/") == 2 else f"{year}/{month}"
    return f"{year}年{month}月{day}日" if "日" in printed else f"{year}年{month}月"


def operation() -> st.SearchStrategy[tuple]:
    """One edit of a list of lines (see :func:`apply`)."""
    return st.one_of(
        st.tuples(st.just("drop"), _POS, st.integers(1, 60)),
        st.tuples(st.just("dup"), _POS, st.integers(1, 30), _POS),
        st.tuples(st.just("swap"), _POS, _POS),
        st.tuples(st.just("shuffle"), _POS, st.integers(2, 3000), st.integers(0, 2**32)),
        st.tuples(st.just("cut"), _POS),
        st.tuples(st.just("tail"), _POS),
        st.tuples(st.just("clip"), _POS, st.integers(0, 40)),
        st.tuples(st.just("insert"), _POS, line_strategy),
        st.tuples(st.just("renumber"), _POS, st.integers(1, 80), st.integers(0, 2**32)),
        st.tuples(st.just("join"), _POS),
        st.tuples(st.just("split"), _POS, st.integers(1, 30)),
        st.tuples(st.just("redate"), _POS, st.integers(1, 200), st.integers(0, 2**32)),
    )


def apply(lines: list[str], ops: list[tuple]) -> list[str]:
    """The lines after each edit: drop, duplicate, swap, shuffle a run, cut the end or the head, truncate a
    line, insert a line, replace the numbers of a run of lines (a table region) with random ones, join two
    lines, split one, replace the dates of a run of lines."""
    lines = list(lines)
    for op in ops:
        n = len(lines)
        if not n:
            if op[0] == "insert":
                lines.append(op[2])
            continue
        kind, at = op[0], op[1] % n
        if kind == "drop":
            del lines[at : at + op[2]]
        elif kind == "dup":
            lines[op[3] % n : op[3] % n] = lines[at : at + op[2]]
        elif kind == "swap":
            other = op[2] % n
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "shuffle":
            run = lines[at : at + op[2]]
            random.Random(op[3]).shuffle(run)
            lines[at : at + op[2]] = run
        elif kind == "cut":
            lines = lines[: at + 1]
        elif kind == "tail":
            lines = lines[at:]
        elif kind == "clip":
            lines[at] = lines[at][: op[2]]
        elif kind == "insert":
            lines.insert(at, op[2])
        elif kind == "renumber":
            rng = random.Random(op[3])
            for k in range(at, min(n, at + op[2])):
                lines[k] = _NUMBER_TOKEN.sub(lambda m, rng=rng: _random_number(rng), lines[k])
        elif kind == "redate":
            rng = random.Random(op[3])
            for k in range(at, min(n, at + op[2])):
                lines[k] = _DATE_TOKEN.sub(lambda m, rng=rng: _random_date(rng, m.group(0)), lines[k])
        elif kind == "join" and at + 1 < n:
            lines[at : at + 2] = [lines[at] + lines[at + 1]]
        elif kind == "split":
            cut = op[2] % (len(lines[at]) + 1)
            lines[at : at + 1] = [lines[at][:cut], lines[at][cut:]]
    return lines


@st.composite
def mutated_lines(draw, seeds: tuple[str, ...] = ("sample", "szse"), max_ops: int = 8) -> list[str]:
    """A seed report's lines after a few random edits."""
    seed = SEEDS[draw(st.sampled_from(seeds))]
    return apply(list(seed), draw(st.lists(operation(), max_size=max_ops)))


def paged_text(lines: list[str], breaks: list[int]) -> str:
    """The corpus layout: lines of two or more words written as list literals, form feeds at ``breaks``."""
    out = []
    for k, line in enumerate(lines):
        words = line.split()
        text = repr(words) if len(words) >= 2 and not line.startswith(("[", "第")) else line
        out.append(("\f" if k in breaks else "") + text)
    return "\n".join(out) + "\n"


@st.composite
def report_text_file(draw) -> str:
    """A mutated report as the text of a file: plain, or in the corpus layout."""
    lines = draw(mutated_lines())
    if draw(st.booleans()):
        breaks = draw(st.lists(st.integers(0, max(0, len(lines) - 1)), max_size=30))
        return paged_text(lines, set(breaks))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n", "\f"]))


ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be")


@st.composite
def text_bytes(draw) -> bytes:
    """Bytes of a text file: arbitrary, or text (a report, random lines) encoded, maybe damaged."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.binary(max_size=3000))
    if kind == 1:
        text = "\n".join(draw(st.lists(line_strategy, max_size=30)))
        if draw(st.booleans()):
            text = "\f".join(text.split("\n\n"))
    elif kind == 2:
        text = draw(report_text_file())
    else:
        text = draw(st.text(max_size=400))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if draw(st.booleans()):
        data = damage(data, draw(st.lists(damage_op(), max_size=3)))
    return data


# --- bytes damaged --------------------------------------------------------------------------------------------


def damage_op() -> st.SearchStrategy[tuple]:
    return st.one_of(
        st.tuples(st.just("truncate"), _POS),
        st.tuples(st.just("flip"), _POS, st.integers(1, 255)),
        st.tuples(st.just("insert"), _POS, st.binary(min_size=1, max_size=64)),
        st.tuples(st.just("delete"), _POS, st.integers(1, 200)),
        st.tuples(st.just("nul"), _POS),
    )


def damage(data: bytes, ops: list[tuple]) -> bytes:
    data = bytearray(data)
    for op in ops:
        if not data:
            break
        at = op[1] % len(data)
        if op[0] == "truncate":
            del data[at:]
        elif op[0] == "flip":
            data[at] ^= op[2]
        elif op[0] == "insert":
            data[at:at] = op[2]
        elif op[0] == "delete":
            del data[at : at + op[2]]
        elif op[0] == "nul":
            data[at] = 0
    return bytes(data)


# --- documents whose rows are cells ----------------------------------------------------------------------------

_HEADERS = tuple((
    "项目|2022年|2021年|2020年|2022年末|2021年12月31日|本年比上年增减|"
    "本年末比上年末增减|监管标准|股东名称|股东性质|持股数量|持股比例(%)|持有有限售条件股份数量|"
    "质押或冻结|股份种类|姓名|性别|出生年份|职务|任期起止日期|专门委员会|成员|"
    "单位：人民币百万元|（%）|数量|比例"
).split("|"))
_LABELS = tuple((
    "营业收入|净利润|资产总额|资本充足率|不良贷款率|中国XX集团有限公司|"
    "香港中央结算（代理人）有限公司|国有法人|境内非国有法人|境外法人|人民币普通股|境外上市外资股|"
    "有限售条件股份|无限售条件股份|股份总数|柯明远|左思源|男|女|董事长|独立董事|监事|行长|"
    "副行长|董事会秘书|离任|战略委员会|审计委员会|合计|其中：|注1|控股股东|实际控制人|"
    "法定代表人|注册地址|股票代码|002999|公司的中文名称|青川农商银行股份有限公司|"
    "2019年5月-2022年5月|2013年1月-|2021年4月－换届止|1965|"
    "正常类关注类次级类可疑类|1.2816.4263.3281.80"
).split("|"))
cell_text = st.one_of(st.sampled_from(_HEADERS), st.sampled_from(_LABELS), numberish(), report_text, any_text)
_CHAPTERS = ("第一节 重要提示、目录和释义", "第二节 公司简介和主要财务指标", "第三节 会计数据和财务指标摘要",
             "第四节 管理层讨论与分析", "第五节 风险管理", "第六节 股份变动及股东情况",
             "第七节 董事、监事、高级管理人员和员工情况", "第八节 公司治理", "第九节 财务报告")


@st.composite
def cell_rows(draw) -> list[tuple[str, ...] | str]:
    """A chapter of rows: a header row of column titles, then rows of labels, numbers, percentages, marks."""
    out: list[tuple[str, ...] | str] = [draw(st.sampled_from(_CHAPTERS))]
    width = draw(st.integers(1, 8))
    out.append(tuple(draw(st.lists(st.sampled_from(_HEADERS), min_size=width, max_size=width))))
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            out.append(draw(report_text))  # running text between the rows
        else:
            n = draw(st.integers(0, 9)) if kind == 1 else width
            out.append((draw(st.sampled_from(_LABELS)),) + tuple(draw(st.lists(cell_text, min_size=n, max_size=n))))
    return out


@st.composite
def cell_documents(draw) -> Document:
    """A document of numbered chapters whose table rows come with their cells, as a PDF's or a corpus file's do."""
    items: list[tuple[str, ...] | str] = ["青川农商银行股份有限公司", "2022年年度报告"]
    for chapter in draw(st.lists(cell_rows(), min_size=1, max_size=5)):
        items += chapter
    lines = tuple(" ".join(c for c in item if c) if isinstance(item, tuple) else item for item in items)
    cells = tuple(item if isinstance(item, tuple) else None for item in items)
    pages = tuple(1 + k // 20 for k in range(len(lines))) if draw(st.booleans()) else ()
    return Document(name="cells.txt", lines=lines, sha256="0" * 64, pages=pages, cells=cells)


@st.composite
def table_documents(draw) -> Document:
    """The sample with the numbers of its table regions replaced, rows swapped or shuffled, nothing else."""
    lines = list(SAMPLE_LINES)
    ops = draw(st.lists(st.one_of(
        st.tuples(st.just("renumber"), _POS, st.integers(1, 200), st.integers(0, 2**32)),
        st.tuples(st.just("swap"), _POS, _POS),
        st.tuples(st.just("shuffle"), _POS, st.integers(2, 40), st.integers(0, 2**32)),
        st.tuples(st.just("split"), _POS, st.integers(1, 30)),
        st.tuples(st.just("join"), _POS),
    ), min_size=1, max_size=10))
    return Document.from_text("tables.txt", "\n".join(apply(lines, ops)))


# --- PDFs --------------------------------------------------------------------------------------------------------


@functools.cache
def small_pdfs() -> tuple[bytes, bytes, bytes]:
    """Three tiny two-page PDFs (CJK text, a ruled table, a page number): streams compressed, not compressed,
    and compressed with the fonts' Unicode maps blanked out (pdfplumber gives (cid:NN): pypdfium2 reads it)."""
    sys.path.insert(0, str(HERE))
    from pdf_fixtures import cjk_font
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for compress in (1, 0):
            path = Path(tmp) / f"small{compress}.pdf"
            c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=compress)
            font = cjk_font()
            for page in range(2):
                c.setFont(font, 11)
                c.drawString(60, 800, "深圳前海微众银行股份有限公司 2021年年度报告")
                c.drawString(60, 770, "第四节 股份变动及股东情况" if page else "第二节 公司简介和主要财务指标")
                rows = [("项目", "2021年", "2020年"), ("营业收入", "1,234.56", "(12.3)"), ("不良贷款率", "1.17%", "–")]
                for k, row in enumerate(rows):
                    y = 740 - 20 * k
                    for j, cell in enumerate(row):
                        c.drawString(64 + 120 * j, y - 14, cell)
                    c.line(60, y, 420, y)
                c.line(60, 740 - 20 * len(rows), 420, 740 - 20 * len(rows))
                for j in range(4):
                    c.line(60 + 120 * j, 740, 60 + 120 * j, 740 - 20 * len(rows))
                c.drawString(60, 640, "本行法定代表人顾敏，注册地址深圳市南山区。")
                c.drawString(290, 40, str(page + 1))
                c.showPage()
            c.save()
            out.append(path.read_bytes())
    cid = re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group(0)), out[0])  # as pdf_fixtures does
    return out[0], out[1], cid


def pdf_op() -> st.SearchStrategy[tuple]:
    return st.one_of(
        damage_op(),
        st.tuples(st.just("no-xref")),
        st.tuples(st.just("dup-object"), _POS, _POS),
        st.tuples(st.just("drop-object"), _POS),
        st.tuples(st.just("bad-length"), _POS, st.integers(-10**6, 10**9)),
        st.tuples(st.just("bad-ref"), _POS, st.integers(0, 10**6)),
        st.tuples(st.just("no-eof")),
    )


_OBJECT = re.compile(rb"\d+ 0 obj.*?endobj\s*", re.S)


def damage_pdf(data: bytes, ops: list[tuple]) -> bytes:
    """``data`` after each edit: the byte damages of :func:`damage`, or the xref dropped, an object repeated
    or dropped, a stream /Length or a reference made wrong, the %%EOF removed."""
    for op in ops:
        objects = list(_OBJECT.finditer(data))
        if op[0] == "no-xref":
            data = re.sub(rb"xref.*?(?=trailer)", b"", data, count=1, flags=re.S)
        elif op[0] == "dup-object" and objects:
            obj = objects[op[1] % len(objects)]
            at = objects[op[2] % len(objects)].start()
            data = data[:at] + obj.group(0) + data[at:]
        elif op[0] == "drop-object" and objects:
            obj = objects[op[1] % len(objects)]
            data = data[: obj.start()] + data[obj.end() :]
        elif op[0] == "bad-length":
            lengths = list(re.finditer(rb"/Length (\d+)", data))
            if lengths:
                m = lengths[op[1] % len(lengths)]
                data = data[: m.start(1)] + str(op[2]).encode() + data[m.end(1) :]
        elif op[0] == "bad-ref":
            refs = list(re.finditer(rb"(\d+) 0 R", data))
            if refs:
                m = refs[op[1] % len(refs)]
                data = data[: m.start(1)] + str(op[2]).encode() + data[m.end(1) :]
        elif op[0] == "no-eof":
            data = data.replace(b"%%EOF", b"")
        else:
            data = damage(data, [op])
    return data


@st.composite
def pdf_bytes(draw) -> bytes:
    """One of the small PDFs, damaged by up to four edits."""
    data = small_pdfs()[draw(st.integers(0, 2))]
    return damage_pdf(data, draw(st.lists(pdf_op(), max_size=4)))


# --- the checks of each target -------------------------------------------------------------------------------------


def _write(data: bytes, suffix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="finkg-fuzz-"))
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    return path


def _remove(path: Path) -> None:
    import shutil

    shutil.rmtree(path.parent, ignore_errors=True)


def check_decode(data: bytes) -> None:
    from finkg.builder.readers.text import decode_text, paged_document

    text = outcome(lambda: decode_text(data, "input.txt"), "decode_text")
    if isinstance(text, FinkgError):
        return
    assert isinstance(text, str) and "\r" not in text
    doc = outcome(lambda: paged_document("input.txt", text), "paged_document")
    if doc is not None:
        check_document(doc)


def _check_read(data: bytes, suffix: str, read, name: str):
    """``data`` written to a file and read by ``read``: the document (checked) or the FinkgError."""
    path = _write(data, suffix)
    try:
        doc = outcome(lambda: read(path), name)
    finally:
        _remove(path)
    if not isinstance(doc, FinkgError):
        check_document(doc)
    return doc


def check_read_text(data: bytes) -> None:
    from finkg.builder.readers.text import read_text

    doc = _check_read(data, ".txt", read_text, "read_text")
    if not isinstance(doc, FinkgError):
        assert "".join(doc.lines).strip(), "a document of white space only"


def check_round_trip(text: str, encoding: str) -> None:
    """Text in UTF-8 (with or without BOM) or in UTF-16 with a BOM decodes back to itself."""
    from finkg.builder.readers.text import decode_text

    if not text.strip():
        return
    assert decode_text(text.encode(encoding), "input.txt") == text


def check_list_row(line: str) -> None:
    from finkg.builder.readers.text import list_row

    with bounded("list_row"):
        row = list_row(line)
    assert row is None or (isinstance(row, tuple) and all(isinstance(c, str) for c in row))


def check_segment(lines: list[str]) -> None:
    from finkg.builder.sections import segment

    doc = Document.from_text("mutated.txt", "\n".join(lines))
    with bounded("segment"):
        sections = segment(doc)
    keys = [s.key for s in sections]
    assert len(keys) == len(set(keys)), keys
    for s in sections:
        assert 1 <= s.start <= s.end <= len(doc.lines), s
    assert [s.start for s in sections] == sorted(s.start for s in sections)


def check_facts(lines: list[str]) -> None:
    from finkg.builder import document_to_facts

    doc = Document.from_text("mutated.txt", "\n".join(lines))
    got = outcome(lambda: document_to_facts(doc), "document_to_facts")
    if not isinstance(got, FinkgError):
        facts, warnings = got
        assert all(isinstance(w, str) and "\n" not in w for w in warnings), warnings


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def nothing_logged():
    """Fail when a library logs a warning (rdflib logs a traceback for an ill-typed literal): the CLI would print
    it on stderr, outside finkg's one-line messages; a Python warning would show there too."""
    import warnings

    handler = _Records()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield
    finally:
        root.removeHandler(handler)
    assert not handler.records, [f"{r.name}: {r.getMessage()}" for r in handler.records]


def check_build(text: str) -> None:
    """``finkg build`` in process: a graph written, or a FinkgError; nothing else on stderr."""
    from finkg.api import build

    path = _write(text.encode("utf-8"), ".txt")
    try:
        with nothing_logged():
            got = outcome(lambda: build([path], path.parent / "out"), "build")
    finally:
        _remove(path)
    if not isinstance(got, FinkgError):
        _, result = got
        assert len(result.graph) > 0
        assert all("\n" not in w for w in result.warnings), result.warnings


def check_tables(doc: Document) -> None:
    """The statistical tables and every table extractor on one document: a result, never an exception."""
    from finkg.builder.extract import tables as tables_x
    from finkg.builder.extract import tabular as tabular_x
    from finkg.builder.sections import segment

    check_document(doc)
    with bounded("tables"):
        sections = segment(doc)
        tables_x.statistical_tables(doc, sections)
        tabular_x.bank_profile(doc, sections)
        capital = tabular_x.share_capital(doc, sections, "2022-12-31")
        total = capital.total.value if capital and capital.total else None
        top = tabular_x.top_shareholders(doc, sections, total)
        tabular_x.controllers(doc, sections, [r.name for r in top])
        people = tabular_x.people(doc, sections, "2022-12-31")
        tabular_x.committees(doc, sections, people)
        tabular_x.key_metrics(doc, sections)


def check_cell_document(doc: Document) -> None:
    """The table extractors, then the whole extraction, on a document of random cells."""
    from finkg.builder import document_to_facts

    check_tables(doc)
    outcome(lambda: document_to_facts(doc), "document_to_facts")


def check_numbers(text: str, decimals: int | None) -> None:
    from finkg.builder.extract.tabular.grid import number, terms
    from finkg.builder.numbers import Number, chinese_date, is_none_mark, normalize, parse_amount, parse_number, split_numbers

    with bounded("numbers"):
        assert isinstance(normalize(text), str)
        n = parse_number(text)
        assert n is None or (isinstance(n, Number) and n.value.is_finite() and n.decimals >= 0)
        split = split_numbers(text, decimals)
        assert all(isinstance(x, Number) and x.value.is_finite() for x in split), split
        amount = parse_amount(text)
        assert amount is None or (amount[0].is_finite() and amount[1] == "CNY")
        assert isinstance(is_none_mark(text), bool)
        date = chinese_date(text)
        assert date is None or _valid_date(date), date
        value = number(text)
        assert value is None or value.is_finite()
        for start, end in terms(text):
            assert re.fullmatch(r"\d{4}(-\d{2})?", start) and (end is None or re.fullmatch(r"\d{4}(-\d{2})?", end))


def _valid_date(iso: str) -> bool:
    import datetime

    parts = [int(p) for p in iso.split("-")]
    try:
        datetime.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def check_number_round_trip(value: Decimal, grouped: bool, bracket: bool, percent: bool, full_width: bool) -> None:
    """A number printed as a report prints it parses back to its value."""
    from finkg.builder.numbers import parse_number

    text = f"{abs(value):,f}" if grouped else f"{abs(value):f}"
    if value < 0:
        text = f"({text})" if bracket else f"-{text}"
    text += "%" if percent else ""
    if full_width:
        text = text.translate(str.maketrans("0123456789,.%()-", "０１２３４５６７８９，．％（）－"))
    n = parse_number(text)
    assert n is not None, text
    assert n.value == value and n.percent is percent, (text, n)
    assert split_numbers_one(text) == value


def check_heading_at_end(text: str) -> None:
    """The linear search for an English heading at the end of a line finds what a plain search finds."""
    from finkg.builder.extract.common import GLUED_HEADING
    from finkg.builder.extract.tables.tokens import _EN, _EN_LAST
    from finkg.builder.sections import _EN_HEADING_GLUED, _HEADING_LAST, heading_at_end

    for pattern, last in ((_EN, _EN_LAST), (_EN_HEADING_GLUED, _HEADING_LAST), (GLUED_HEADING, None)):
        fast, plain = heading_at_end(pattern, text, last), pattern.search(text)
        assert (fast and (fast.span(), fast.groups())) == (plain and (plain.span(), plain.groups())), (pattern, text)


def check_chinese_title(lines: list[str], toc: str) -> None:
    """The chapter title read in one pass is the one read by stripping the digits of every prefix (as before)."""
    from finkg.builder.sections import _chinese_title

    def before(i: int) -> tuple[str, int] | None:
        first = re.sub(r"^\d+", "", lines[i]).strip()
        joined, used = first, 1
        if i + 1 < len(lines) and first.endswith(("、", "，")):
            joined, used = first + lines[i + 1].strip(), 2
        for end in range(len(joined), 1, -1):
            candidate = re.sub(r"\d+$", "", joined[:end])
            if candidate and candidate in toc and (end == len(joined) or not joined[end - 1].isdigit()):
                return (candidate, used) if len(candidate) >= 2 else None
        return None

    if toc:
        for i in range(len(lines)):
            assert _chinese_title(tuple(lines), i, toc) == before(i), (lines[i], toc)


def check_too_many_digits(digits: str) -> None:
    """A run of more digits than any number (MAX_DIGITS) is no number, wherever the point falls."""
    from finkg.builder.numbers import MAX_DIGITS, parse_number

    assert len(digits) > MAX_DIGITS
    for text in (digits, digits[:3] + "." + digits[3:], f"{int(digits):,}", digits + "%"):
        assert parse_number(text) is None, text


def split_numbers_one(text: str) -> Decimal:
    from finkg.builder.numbers import split_numbers

    found = split_numbers(text)
    assert len(found) == 1, (text, found)
    return found[0].value


def check_pdf(data: bytes) -> None:
    from finkg.builder.readers import read_document

    _check_read(data, ".pdf", read_document, "read_pdf")


def check_cli(data: bytes, suffix: str) -> None:
    """``python -m finkg build PATH -o DIR``: an exit code of README's table, stderr only finkg's own lines."""
    path = _write(data, suffix)
    try:
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "finkg", "build", "-q", str(path), "-o", str(path.parent / "out")],
                              capture_output=True, text=True, timeout=HANG, env=_env())
        took = time.perf_counter() - start
    finally:
        _remove(path)
    TIMES.append(took)
    assert proc.returncode in EXIT_CODES, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    for line in proc.stderr.splitlines():
        assert line.startswith(("finkg: error: ", "finkg: warning: ")), proc.stderr
    assert (proc.returncode == 0) == ("finkg: error: " not in proc.stderr), proc.stderr
    if took > LIMIT + 5:  # the interpreter's start and finkg's imports count here too
        raise Slow(f"finkg build: {took:.1f} s")


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("FINKG_DEBUG", None)
    env["PYTHONWARNINGS"] = "default"  # a warning finkg lets through would show on stderr
    return env


@st.composite
def cli_inputs(draw) -> tuple[bytes, str]:
    kind = draw(st.integers(0, 2))
    if kind == 0:
        return draw(report_text_file()).encode(draw(st.sampled_from(["utf-8", "gb18030", "utf-16"]))), ".txt"
    if kind == 1:
        return draw(text_bytes()), ".txt"
    return draw(pdf_bytes()), ".pdf"


# --- the targets --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    strategy: st.SearchStrategy
    check: Callable[..., None]  # called with the drawn value (a tuple is spread over the arguments)
    suffix: str = ".txt"  # how a failing input is saved, when it is bytes or text


def _spread(check: Callable[..., None]) -> Callable[[tuple], None]:
    return lambda args: check(*args)


TARGETS: dict[str, Target] = {t.name: t for t in [
    Target("decode_text", text_bytes(), check_decode),
    Target("read_text", text_bytes(), check_read_text),
    Target("text_round_trip", st.tuples(st.text(alphabet=st.one_of(report_chars, st.sampled_from("\n\t\f")), max_size=300),
                                        st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])), _spread(check_round_trip)),
    Target("list_row", st.one_of(list_literal_line(), line_strategy), check_list_row),
    Target("segment", mutated_lines(max_ops=12), check_segment),
    Target("document_to_facts", mutated_lines(), check_facts),
    Target("build", report_text_file(), check_build),
    Target("cell_tables", cell_documents(), check_cell_document),
    Target("sample_tables", table_documents(), check_tables),
    Target("numbers", st.tuples(numberish(), st.sampled_from([None, 0, 2])), _spread(check_numbers)),
    Target("number_round_trip", st.tuples(
        st.builds(lambda i, e: Decimal(i).scaleb(-e), st.integers(-(10**14), 10**14), st.integers(0, 6)),
        st.booleans(), st.booleans(), st.booleans(), st.booleans()), _spread(check_number_round_trip)),
    Target("too_many_digits", st.text(alphabet="0123456789", min_size=21, max_size=400).map(lambda d: "1" + d),
           check_too_many_digits),
    Target("heading_at_end", st.text(alphabet="AZB1２ ,'’&/-xa。\t\u3000", max_size=30), check_heading_at_end),
    Target("chinese_title", st.tuples(
        st.lists(st.text(alphabet="股份变动及东情况12１、，3 ", max_size=14), min_size=1, max_size=3),
        st.text(alphabet="股份变动及东情况", max_size=12)), _spread(check_chinese_title)),
    Target("read_pdf", pdf_bytes(), check_pdf, ".pdf"),
    Target("cli_build", cli_inputs(), _spread(check_cli)),
]}
