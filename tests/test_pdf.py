"""Reading PDFs: the sample report rendered two ways gives the gold facts, with pages; broken PDFs give one
line and their exit code.  The PDFs are generated (tests/pdf_fixtures.py) once per code change, cached in
pytest's cache folder."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, SCORES
from rdflib.compare import isomorphic
from scoring import SECTIONS, report, score

pytest.importorskip("reportlab")
import pdf_fixtures as fx  # noqa: E402

from finkg.builder import build_graph  # noqa: E402
from finkg.builder.readers import read_document  # noqa: E402
from finkg.builder.readers.normalize import collapse_cell, normalize_text  # noqa: E402
from finkg.builder.readers.pdf import PdfDocument, read_pdf  # noqa: E402
from finkg.queries import run_query  # noqa: E402

GOLD = DATA / "gold" / "sample.json"


def _cache_key() -> str:
    digest = hashlib.sha256()
    for path in (Path(fx.__file__), fx.GOLD, fx.SAMPLE):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def pdfs(request, tmp_path_factory) -> dict[str, Path]:
    """The fixture PDFs, made again whenever their generator, the gold or the sample changes."""
    folder = Path(request.config.cache.mkdir("finkg-pdf")) / _cache_key()
    done = folder / "done"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        blocks = fx.report_blocks()
        (folder / "sample.txt").write_text(fx.text_rendition(blocks), encoding="utf-8")
        fx.render_reportlab(blocks, folder / "sample-reportlab.pdf")
        if fx.chromium():
            fx.render_chromium(blocks, folder / "sample-chromium.pdf")
        fx.bad_pdfs(folder / "bad", folder / "sample-reportlab.pdf")
        done.write_text("ok", encoding="utf-8")
    out = {p.stem: p for p in folder.glob("*.pdf")} | {p.stem: p for p in (folder / "bad").glob("*.pdf")}
    out["text"] = folder / "sample.txt"
    return out


@pytest.fixture(scope="session")
def reportlab_doc(pdfs) -> PdfDocument:
    return read_pdf(pdfs["sample-reportlab"])


@pytest.fixture(scope="session")
def builds(pdfs) -> dict:
    cache: dict = {}

    def get(name: str):
        if name not in cache:
            if name == "sample-chromium" and name not in pdfs:
                pytest.skip("chromium is not installed")
            cache[name] = build_graph([pdfs[name]])
        return cache[name]

    return get


# --- the facts --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample-reportlab", "sample-chromium"])
def test_facts_from_the_pdf_match_the_gold(name, builds):
    build = builds(name)
    scores = score(build.graph, GOLD)
    SCORES[f"{name}.pdf"] = report(f"{name}.pdf", scores)
    print(SCORES[f"{name}.pdf"])
    precision, recall, *_ = scores["overall"]
    assert precision >= 0.98 and recall >= 0.98, SCORES[f"{name}.pdf"]
    for section in SECTIONS:
        p, r, *_ = scores[section]
        assert p >= 0.95 and r >= 0.95, f"{section}: precision {p:.3f} recall {r:.3f}"
    assert build.warnings == []


def test_the_pdf_gives_the_same_facts_as_its_text(builds, pdfs):
    text = build_graph([pdfs["text"]])
    pdf = builds("sample-reportlab")
    for section in SECTIONS:
        assert run_query(pdf.graph, section).dicts() == run_query(text.graph, section).dicts(), section


@pytest.mark.parametrize("name", ["sample-reportlab", "sample-chromium"])
def test_two_passes_give_the_graph_of_reading_every_page(name, builds, pdfs):
    """pypdfium2's text first, pdfplumber on the pages the facts need: the graph of pdfplumber on every page."""
    two_pass = builds(name)
    every = build_graph([pdfs[name]], all_pages=True)
    assert len(two_pass.graph) > 4000
    assert isomorphic(two_pass.graph, every.graph)
    assert two_pass.warnings == every.warnings


def test_a_pdf_span_is_counted_on_its_page(builds):
    graph = builds("sample-reportlab").graph
    rows = graph.query("""
        PREFIX fkg: <https://w3id.org/finkg/ontology#>
        SELECT ?span ?page ?start ?end WHERE { ?span a fkg:SourceSpan ; fkg:page ?page ;
            fkg:startLine ?start ; fkg:endLine ?end . FILTER NOT EXISTS { ?span fkg:endPage ?p } }""")
    spans = list(rows)
    assert len(spans) > 100
    for span, page, start, end in spans:
        assert str(span).endswith(f"/p{page}/L{start}-{end}") and 1 <= start.toPython() <= end.toPython() < 200
    over = list(graph.query("""PREFIX fkg: <https://w3id.org/finkg/ontology#>
        SELECT ?page ?last WHERE { ?span fkg:page ?page ; fkg:endPage ?last }"""))
    assert all(last.toPython() > page.toPython() for page, last in over)
    # the named queries that give a fact's first line give its page too, and order by page, then line
    projects = run_query(graph, "open_source").dicts()
    assert {r["project"] for r in projects} == {"FATE", "FISCOBCOS", "WeDPR"}  # those the fixture prints
    assert all(isinstance(r["page"], int) and r["page"] > 1 and r["line"] >= 1 for r in projects)
    assert [(r["page"], r["line"]) for r in projects] == sorted((r["page"], r["line"]) for r in projects)


def test_cli_all_pages_gives_the_same_file(pdfs, tmp_path):
    for folder, extra in (("two", []), ("all", ["--all-pages"])):
        proc = run("build", str(pdfs["sample-reportlab"]), "-o", str(tmp_path / folder), *extra)
        assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "two" / "graph.ttl").read_bytes() == (tmp_path / "all" / "graph.ttl").read_bytes()


# --- layout -----------------------------------------------------------------------------------


def test_running_header_and_page_numbers_are_removed(reportlab_doc):
    assert fx.RUNNING_HEADER not in reportlab_doc.lines
    assert not [line for line in reportlab_doc.lines if line.strip().isdigit()]


def test_printed_page_numbers_are_read_beside_the_pdf_pages(reportlab_doc):
    printed = reportlab_doc.printed_pages
    assert printed[0] is None  # the cover carries no number
    assert printed[1:5] == ("1", "2", "3", "4")  # page 2 of the file is page 1 of the report
    n = reportlab_doc.lines.index("CORPORATE INFORMATION") + 1
    assert reportlab_doc.pages[n - 1] == 4 and reportlab_doc.printed_page(n) == "3"


def test_a_table_broken_across_two_pages_is_joined_and_its_header_kept_once(reportlab_doc):
    lines = reportlab_doc.lines
    header = [n for n, line in enumerate(lines) if line == "项目 2021年 2020年 2019年"]
    assert len(header) == 1
    rows = lines[header[0] + 1 : header[0] + 32]
    first = rows.index("营业收入 26,989,261 19,880,616 14,870,331")
    last = rows.index("杠杆率 5.87% 5.80% 5.52%")
    pages = set(reportlab_doc.pages[header[0] + 1 + first : header[0] + 2 + last])
    assert len(pages) == 2  # the table runs over two pages


def test_table_rows_are_lines_of_cells_apart_by_one_space(reportlab_doc):
    lines = reportlab_doc.lines
    assert "1 深圳市腾讯网域计算机网络有限公司 1,260,000,000 30.00" in lines
    assert "顾敏 男 董事长、执行董事 2014年12月－换届止" in lines  # 顾 敏, letter-spaced in its cell
    assert "注册地址： 广东省深圳市前海深港合作区前湾一路1号A栋201室（入驻深圳市前海商务秘书有限公司）" in lines


def test_two_columns_are_read_one_after_the_other_and_paragraphs_rejoined(reportlab_doc):
    bios = [line for line in reportlab_doc.lines if "先生，" in line[:8] or "女士，" in line[:8]]
    names = [line.split("，")[0][:-2] for line in bios]
    assert names[:3] == ["顾敏", "李南青", "黄黎明"] and names[-2:] == ["王立鹏", "方震宇"] and len(names) == 20
    assert all(line.endswith(("。", "等。", "。")) for line in bios)  # one paragraph per line, whole


def test_every_line_and_fact_has_its_page_and_position(reportlab_doc, builds):
    doc = reportlab_doc
    assert len(doc.pages) == len(doc.lines) == len(doc.boxes) and all(doc.pages)
    n = doc.lines.index("1 深圳市腾讯网域计算机网络有限公司 1,260,000,000 30.00") + 1
    x0, top, x1, bottom = doc.position(n)
    assert 0 < x0 < x1 < 600 and 0 < top < bottom < 842
    assert doc.span(n).page == doc.pages[n - 1]
    graph = builds("sample-reportlab").graph
    pages = run_query(graph, "provenance", {"entity": "深圳市腾讯网域计算机网络有限公司"}).dicts()
    assert pages and any(r["page"] for r in pages)


@pytest.mark.parametrize("name", ["sample-reportlab", "sample-chromium", "partial"])
def test_lean_pages_give_pdfplumbers_characters_and_other_objects(name, pdfs):
    """pdfplumber's pages with characters read lean (plumber.LeanPage): every character with the values
    pdfplumber gives it, for the keys kept; the other objects (lines, rectangles, images) as pdfplumber's."""
    import pdfplumber

    from finkg.builder.readers.pdf.plumber import CHAR_KEYS, lean_pages

    if name not in pdfs:
        pytest.skip("chromium is not installed")
    with pdfplumber.open(pdfs[name]) as pdf:
        for page, lean in zip(pdf.pages, lean_pages(pdf.pages)):
            full, kept = page.objects, lean.objects
            assert set(full) == set(kept)
            assert all(full[kind] == kept[kind] for kind in full if kind != "char")
            assert [{k: c[k] for k in CHAR_KEYS} for c in full.get("char", [])] == kept.get("char", [])


def test_the_fixture_pdfs_streams_read_as_pdfminer_reads_them(pdfs):
    """Every page's content streams, and every form drawn on it, of the fixture PDFs."""
    import pdfplumber
    from pdfminer.pdftypes import dict_value, list_value, stream_value
    from pdfminer.psparser import LIT
    from test_pdf_content import ours, pdfminers, same

    checked = 0
    for name in ("sample-reportlab", "sample-chromium"):
        if name not in pdfs:
            continue  # chromium not installed: the reportlab fixture is still read
        with pdfplumber.open(pdfs[name]) as pdf:
            for page in pdf.pages:
                todo = [list_value(page.page_obj.contents)]
                xobjects = dict_value(page.page_obj.resources or {}).get("XObject")
                for x in dict_value(xobjects or {}).values():
                    if stream_value(x).get("Subtype") is LIT("Form"):
                        todo.append([x])
                for streams in todo:
                    streams = [stream_value(s) for s in streams]
                    expected = pdfminers(streams)
                    assert same(ours(b"\n".join(s.get_data() for s in streams)), expected)
                    checked += len(expected)
    assert checked > 100_000


def test_a_page_that_cannot_go_on_in_columns_needs_no_gutter_of_the_page_before():
    """layout.may_go_on: False only where same_gutter finds no columns, whatever the gutter of the page before."""
    import random

    from finkg.builder.readers.pdf.layout import MIN_GUTTER, may_go_on, middle, same_gutter

    def word(x0: float, x1: float, top: float) -> dict:
        return {"text": "字" * max(1, int((x1 - x0) // 10)), "x0": x0, "x1": x1, "top": top, "bottom": top + 10}

    span, height = middle(600.0), 800.0
    prose = [word(60, 290, top) for top in range(100, 400, 14)] + [word(310, 540, top) for top in range(100, 400, 14)]
    assert may_go_on(prose, height, span)
    assert not may_go_on([*prose, word(250, 350, 420)], height, span)  # a line across the middle
    assert not may_go_on([word(60, 540, 100), word(60, 40, 20)], height, span)  # in the margin: not body
    assert not may_go_on([], height, span)
    rng = random.Random(14)
    kept = went_on = 0
    for _ in range(300):
        gap, width = rng.uniform(170, 420), rng.uniform(0, 20)  # two columns apart by a gap, narrow or wide
        words = []
        for top in range(80, 720, 14):
            if rng.random() < 0.01:  # now and then a line across the gap
                words.append(word(rng.uniform(50, gap - 1), rng.uniform(gap + width + 1, 550), top))
                continue
            words.append(word(rng.uniform(50, 70), gap - rng.uniform(0, 3), top))
            words.append(word(gap + width + rng.uniform(0, 3), rng.uniform(530, 550), top))
        if may_go_on(words, height, span):
            went_on += any(same_gutter(words, (float(g0), float(g0 + MIN_GUTTER), 100.0, 700.0), height)
                           for g0 in range(span[0], span[1] - MIN_GUTTER + 1))
            continue
        kept += 1
        for g0 in range(span[0], span[1] - MIN_GUTTER + 1):
            for g1 in (g0 + MIN_GUTTER, min(g0 + 20, span[1])):
                assert same_gutter(words, (float(g0), float(g1), 100.0, 700.0), height) is None
    assert kept > 30 and went_on > 30  # both ways, often


def test_the_pages_read_stay_as_read_when_the_document_is_assembled(pdfs):
    """Assembling joins tables and paragraphs and strips running lines of copies: assembled again, the same."""
    from finkg.builder.readers.pdf import PdfPages

    with PdfPages(pdfs["sample-reportlab"]) as pdf:
        pdf.read(range(1, pdf.page_count + 1, 2))
        first, second = pdf.document(), pdf.document()
    assert first == second and first.lines and first.boxes == second.boxes


def test_pdfplumber_lists_the_pages_only_as_far_as_a_page_read(pdfs):
    """pypdfium2 counts the pages; pdfplumber's are listed up to the last page read, as pdfplumber lists them."""
    import pdfplumber

    from finkg.builder.readers.pdf import PdfPages

    with pdfplumber.open(pdfs["sample-reportlab"]) as plumber:
        expected = [(p.page_number, p.initial_doctop, p.bbox) for p in plumber.pages]
    with PdfPages(pdfs["sample-reportlab"]) as pdf:
        assert pdf.page_count == len(expected) and not pdf.pages
        pdf.read([3])
        assert [(p.page_number, p.initial_doctop, p.bbox) for p in pdf.pages] == expected[:3]
        pdf.read([len(expected)])
        assert [(p.page_number, p.initial_doctop, p.bbox) for p in pdf.pages] == expected


def test_a_page_pdfminer_cannot_list_is_a_page_that_cannot_be_parsed(pdfs, monkeypatch):
    """A page tree pdfminer lists only in part (broken, or shorter than pypdfium2 counts): the pages past it are
    read as pages that cannot be parsed, the others as ever."""
    import finkg.builder.readers.pdf as reader

    listing = reader.iter_lean_pages

    def broken(pdf):
        for page in listing(pdf):
            if page.page_number == 3:
                raise ValueError("a broken node of the page tree")
            yield page

    monkeypatch.setattr(reader, "iter_lean_pages", broken)
    with reader.PdfPages(pdfs["sample-reportlab"]) as pdf:
        pdf.read([2, 4])
        doc = pdf.document()
    assert pdf.read_pages[2].status == "ok" and pdf.read_pages[4].status == "damaged"
    assert "PDF page 4: cannot be parsed: not read" in doc.warnings and doc.page_count == pdf.page_count
    with pytest.raises(reader.DamagedPdf, match="damaged or truncated"):  # listing every page: as before
        monkeypatch.setattr(reader._Pdfium, "count", lambda self: None)
        reader.PdfPages(pdfs["sample-reportlab"])


def test_a_pdf_pypdfium2_cannot_open_is_listed_and_read_by_pdfplumber_alone(pdfs, monkeypatch):
    """pypdfium2 gives no page count: pdfplumber lists every page first, and reads them as ever."""
    import finkg.builder.readers.pdf as reader

    expected = read_pdf(pdfs["sample-reportlab"])
    monkeypatch.setattr(reader._Pdfium, "count", lambda self: None)
    with reader.PdfPages(pdfs["sample-reportlab"]) as pdf:
        assert len(pdf.pages) == pdf.page_count == expected.page_count
        pdf.read(range(1, pdf.page_count + 1))
        assert pdf.document() == expected


# --- normalisation ----------------------------------------------------------------------------


def test_radical_look_alikes_and_full_width_forms_are_normalised():
    assert normalize_text("本⾏董事⻓、⾏⻓及⼈员") == "本行董事长、行长及人员"
    assert normalize_text("\uf9dc") == "隆"  # a CJK compatibility ideograph
    assert normalize_text("１，２６０，０００ ３０．００％") == "1,260,000 30.00%"
    assert normalize_text("毕马威华振会计师事务所（特殊普通合伙）") == "毕马威华振会计师事务所（特殊普通合伙）"
    assert collapse_cell("顾 敏") == "顾敏" and collapse_cell("WeBank Co.,\nLtd.") == "WeBank Co., Ltd."
    assert collapse_cell("广东省深圳市前海\n深港合作区") == "广东省深圳市前海深港合作区"


def test_chromium_look_alikes_never_reach_the_document(pdfs):
    if "sample-chromium" not in pdfs:
        pytest.skip("chromium is not installed")
    import pdfplumber

    with pdfplumber.open(pdfs["sample-chromium"]) as pdf:
        raw = pdf.pages[2].extract_text()
    assert "\u2f8f" in raw  # ⾏: what the Noto CJK font gives for 行
    text = "\n".join(read_pdf(pdfs["sample-chromium"]).lines)
    assert not [c for c in text if 0x2E80 <= ord(c) <= 0x2FDF]


def test_characters_without_a_unicode_map_are_counted():
    from finkg.builder.readers.pdf import _unmapped

    texts = ["", "\x01", "\x1f", "\ufffd", "(cid:12)", " ", "a", "字", "fi", "\x01x"]
    assert _unmapped([{"text": t} for t in texts]) == 5


def test_a_page_pdfplumber_cannot_decode_is_read_with_pypdfium2(pdfs, monkeypatch):
    import finkg.builder.readers.pdf as reader

    monkeypatch.setattr(reader, "_unmapped", len)  # as if every character came out (cid:NN)
    doc = read_pdf(pdfs["poem"])
    assert doc.lines[:2] == ("床前明月光，疑是地上霜。", "举头望明月，低头思故乡。")
    assert any("pypdfium2" in w for w in doc.warnings)


# --- the command line -------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "finkg.cli", *args], capture_output=True, text=True, encoding="utf-8")


def test_finkg_build_reads_a_pdf_quietly(pdfs, tmp_path):
    proc = run("build", str(pdfs["sample-reportlab"]), "-o", str(tmp_path), "-q")
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == "", proc.stderr
    assert (tmp_path / "graph.ttl").stat().st_size > 10_000


@pytest.mark.parametrize(
    "name, code, words",
    [("encrypted", 10, "encrypted"), ("encrypted-empty", 10, "encrypted (with an empty password)"),
     ("scanned", 12, "no text layer"), ("cid", 12, "(cid:NN)"),
     ("truncated", 11, "damaged or truncated"), ("corrupt", 11, "damaged or truncated"),
     ("poem", 5, "no part of a bank")],
)
def test_a_bad_pdf_gives_one_line_and_its_exit_code(pdfs, tmp_path, name, code, words):
    if name == "cid" and not fx.CJK_TTF.exists():
        pytest.skip("needs the embedded TrueType font (fonts-wqy-zenhei)")
    proc = run("build", str(pdfs[name]), "-o", str(tmp_path / "out"))
    assert proc.returncode == code, proc.stderr
    assert proc.stdout == "" and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith("finkg: error: ") and words in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_a_partial_pdf_builds_what_it_can_and_names_what_is_missing(pdfs, tmp_path):
    proc = run("build", str(pdfs["partial"]), "-o", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    warnings = proc.stderr.splitlines()
    assert all(w.startswith("finkg: warning: partial.pdf: ") for w in warnings)
    import pdfplumber

    with pdfplumber.open(pdfs["partial"]) as pdf:
        last = len(pdf.pages)  # the scanned page, added at the end
    assert any("only images, no text layer" in w and f"page {last}:" in w for w in warnings), warnings
    assert any("could not find: directors, supervisors, senior management, committees" in w for w in warnings)
    rows = run("query", "shareholders", "-g", str(tmp_path / "graph.ttl"), "--format", "csv").stdout
    assert len(rows.splitlines()) == 11


def test_progress_bar_on_stderr_only_when_asked(pdfs, capsys):
    read_document(pdfs["poem"], progress=True)
    assert "poem.pdf" in capsys.readouterr().err
    read_document(pdfs["poem"])
    assert capsys.readouterr().err == ""


def test_a_pdf_is_known_by_its_header_whatever_its_name(pdfs, tmp_path):
    renamed = tmp_path / "report.dat"
    renamed.write_bytes(pdfs["poem"].read_bytes())
    assert "床前明月光，疑是地上霜。" in read_document(renamed).lines[0]
