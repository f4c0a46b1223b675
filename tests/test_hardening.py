"""Bad and hostile input to ``finkg build`` and the exporters: one line, a documented exit code, bounded time.

Each test here failed before the fix it guards (issue: harden serve and build).  Time bounds are generous
deadlines (a case that used to run for minutes), not measurements: the figures are in bench/.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from contextlib import contextmanager

import networkx as nx
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from finkg.builder import build_graph, sample_path
from finkg.builder.document import Document
from finkg.builder.extract.common import JoinedText
from finkg.builder.extract.major import _best_division, _Cell
from finkg.builder.extract.tables.tokens import _caption
from finkg.cli import main
from finkg.errors import EXIT_CODES
from finkg.export import export_graph
from finkg.ontology import FKG


@contextmanager
def deadline(seconds: int):
    """Fail (instead of hanging) when the block runs past ``seconds``."""

    def stop(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def finkg(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "finkg", *args], capture_output=True, text=True, timeout=timeout)


def one_line_error(proc: subprocess.CompletedProcess, code: int, words: str) -> None:
    assert proc.returncode == code, proc.stderr
    assert code in EXIT_CODES
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("finkg: error: "), proc.stderr
    assert words in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


SAMPLE_LINES = sample_path().read_text(encoding="utf-8").splitlines()


# --- 4. time linear in the size of the report ---------------------------------------------------------------


def test_joined_text_is_linear_in_the_lines():
    doc = Document.from_text("big.txt", "\n".join(f"第{k}行，本行资产总额1,234亿元。" for k in range(300_000)))
    with deadline(20):  # adding to a string attribute line by line took minutes here
        joined = JoinedText(doc, range(1, len(doc.lines) + 1))
    assert joined.line_at(len(joined.text) - 1) == 300_000
    assert joined.text.startswith("第0行，本行资产总额1,234亿元。第1行")


def test_a_line_of_thousands_of_numbers_does_not_explode_the_table_solver(tmp_path):
    lines = list(SAMPLE_LINES)
    k = len(lines) // 3
    assert lines[k].strip() == "5,971,662"  # a value inside a statistical table
    lines[k] = lines[k] * 3000  # 30,000 characters: pairs of thousands of candidate columns took 254 s
    path = tmp_path / "long-line.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    with deadline(60):
        result = build_graph([path])
    assert result.facts[0].bank.get("name_zh") == "深圳前海微众银行股份有限公司"


def test_a_table_caption_is_found_in_linear_time():
    assert _caption("本行主要会计数据如下：") == "本行主要会计数据"
    assert _caption("报告期内，本行存款结构如下:  ") == "本行存款结构"
    assert _caption("本行存款结构") is None
    with deadline(10):
        assert _caption("资" * 200_000 + "。") is None
        assert _caption("资" * 200_000 + "如下：") == "资" * 200_000


def test_the_major_shareholder_division_search_is_bounded():
    cells = [_Cell(f"单位{k}", k, (1000 + k,)) for k in range(30)]
    with deadline(20):  # 30 cells over 3 columns of 10 are 5.5e12 divisions
        best = _best_division(cells, ["controlling", "actual", "concert"], 10, [], {})
    assert sorted(len(v) for v in best.values()) == [10, 10, 10]
    assert sorted(c for v in best.values() for c in v) == sorted(c.text for c in cells)


# --- 6. a shuffled report: no KeyError --------------------------------------------------------------------


def test_a_shuffled_report_builds_without_a_traceback(tmp_path):
    lines = list(SAMPLE_LINES)
    random.Random(1).shuffle(lines)  # gave KeyError: '股份性质' in people._reconcile
    path = tmp_path / "shuffled.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    with deadline(60):
        result = build_graph([path])
    assert len(result.graph) > 1000


# --- 7. the glossary -----------------------------------------------------------------------------------------


def test_a_gb18030_glossary_is_read(tmp_path):
    glossary = tmp_path / "glossary.csv"
    glossary.write_bytes("zh,en,kind\n微众银行,WeBank Test Name,org\n".encode("gb18030"))
    code = main(["build", "-q", "--glossary", str(glossary), "-o", str(tmp_path / "out")])
    assert code == 0
    assert "WeBank Test Name" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


@pytest.mark.parametrize("content, words", [
    (None, "--glossary"), (b"name,value\n1,2\n", "not a glossary"), (b"\x00\x01\x02" * 100, "binary"),
    (b"zh,en\n", "no entry"),
])
def test_a_bad_glossary_is_one_line_and_exit_2(tmp_path, content, words):
    glossary = tmp_path / "g.csv"
    if content is not None:
        glossary.write_bytes(content)
    proc = finkg("build", "--glossary", str(glossary), "-o", str(tmp_path / "out"))
    one_line_error(proc, 2, words)
    assert not (tmp_path / "out").exists()


# --- 8 and 10. files that are not regular files; what is said about them ---------------------------------


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    proc = finkg("build", str(fifo), "-o", str(tmp_path / "out"), timeout=30)  # blocked for ever before
    one_line_error(proc, 2, "is a FIFO")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_at_once(tmp_path, device):
    proc = finkg("build", device, "-o", str(tmp_path / "out"), timeout=30)  # read until memory ran out before
    one_line_error(proc, 2, "is a device")


def test_a_symlink_loop_is_named_as_such(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    one_line_error(finkg("build", str(tmp_path / "a.txt")), 2, "loops back on itself")
    one_line_error(finkg("build", str(tmp_path / "none.txt")), 2, "no such file")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_is_read_as_the_same_report(tmp_path, encoding):
    (tmp_path / encoding).mkdir()
    path = tmp_path / encoding / "webank_2021_annual_report.txt"
    path.write_bytes(sample_path().read_text(encoding="utf-8").encode(encoding))  # was called binary
    assert isomorphic(build_graph([path]).graph, build_graph().graph)


def test_an_input_over_the_size_cap_is_refused(tmp_path):
    proc = finkg("build", str(sample_path()), "--max-input-mb", "0.1", "-o", str(tmp_path / "out"))
    one_line_error(proc, 13, "over the 0.1 MB finkg reads as text")


def test_a_bug_is_one_line_too(monkeypatch, capsys):
    import finkg.api

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(finkg.api, "build", broken)
    monkeypatch.delenv("FINKG_DEBUG", raising=False)
    assert main(["build", "-q"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("finkg: error: internal error: KeyError: 'boom'")


# --- 9. exporters: list values with every delimiter; carriage returns -----------------------------------------


def _odd_graph() -> Graph:
    g = Graph()
    node = URIRef("https://example.org/id/x")
    g.add((node, RDF.type, FKG.Organization))
    g.add((node, RDFS.label, Literal("某公司", lang="zh")))
    g.add((node, URIRef(str(FKG) + "note"), Literal("a;b")))
    g.add((node, URIRef(str(FKG) + "note"), Literal("c|d")))
    g.add((node, URIRef(str(FKG) + "note"), Literal("e\x1ff")))
    g.add((node, URIRef(str(FKG) + "memo"), Literal("line one\r\nline two\rthree")))
    return g


def test_neo4j_export_finds_a_delimiter_no_value_holds(tmp_path):
    folder = export_graph(_odd_graph(), "neo4j", tmp_path / "neo4j")  # StopIteration before
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "--array-delimiter=$'\\u001e'" in readme
    rows = (folder / "nodes" / "Organization.csv").read_text(encoding="utf-8")
    assert '"a;b\x1ec|d\x1ee\x1ff"' in rows, rows


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_exports_keep_carriage_returns(tmp_path, fmt):
    path = export_graph(_odd_graph(), fmt, tmp_path / f"g.{fmt}")
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    values = [d.get("memo") for _, d in read(path).nodes(data=True) if d.get("memo")]
    assert values == ["line one\r\nline two\rthree"]  # an XML parser made \r\n a \n before
    notes = [d.get("note") for _, d in read(path).nodes(data=True) if d.get("note")]
    assert notes == ["a;b; c|d; e\ufffdf"]  # XML 1.0 cannot hold \x1f: the file was not well-formed
