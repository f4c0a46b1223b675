"""The command line as a user runs it: build, query, errors with their exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from finkg.cli import main


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "finkg.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    proc = run("build", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out / "graph.ttl", proc


def test_build_writes_graph_and_prints_a_count_per_class(built):
    graph, proc = built
    assert graph.is_file() and graph.stat().st_size > 100_000
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"wrote {graph}")
    counts = {line.split()[1]: int(line.split()[0]) for line in lines[1:]}
    assert counts["fkg:Bank"] == 1
    assert counts["fkg:Shareholding"] == 10
    # key data, the other tables, the prose figures, the counts of open-source projects (total, new)
    assert counts["fkg:MetricObservation"] == 72 + 333 + 31 + 2
    assert counts["fkg:AuditOpinion"] == 2 and counts["fkg:OpenSourceProject"] == 5
    assert counts["fkg:CommitteeMembership"] == 27


def test_build_default_output_is_finkg_out_in_the_working_folder(tmp_path):
    proc = run("build", "-q", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == ""
    assert (tmp_path / "finkg-out" / "graph.ttl").is_file()
    q = run("query", "shareholders", "--format", "csv", cwd=tmp_path)  # default graph ./finkg-out/graph.ttl
    assert q.returncode == 0 and len(q.stdout.splitlines()) == 11


def test_query_csv_has_the_contract_columns(built):
    graph, _ = built
    proc = run("query", "directors", "-g", str(graph), "--format", "csv")
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    assert rows[0] == ["name_zh", "name_en", "gender", "position_zh", "position_en", "term_start"]
    assert ["顾敏", "David Ku", "male", "董事长", "Chairman", "2014-12"] in rows
    assert ["方燕", "Fang Yan", "female", "独立董事", "Independent Director", "2020-12"] in rows


def test_query_json_is_sparql_results(built):
    graph, _ = built
    proc = run("query", "share_capital", "-g", str(graph), "--format", "json")
    doc = json.loads(proc.stdout)
    assert doc["head"]["vars"] == ["class_zh", "class_en", "shares", "pct", "bank_zh", "bank_en", "as_of"]
    first = doc["results"]["bindings"][0]
    assert first["class_zh"] == {"type": "literal", "value": "社会法人股", "xml:lang": "zh"}
    assert first["shares"]["value"] == "3850000000"
    assert first["bank_zh"] == {"type": "literal", "value": "深圳前海微众银行股份有限公司", "xml:lang": "zh"}
    assert first["as_of"] == {"type": "literal", "value": "2021-12-31",
                              "datatype": "http://www.w3.org/2001/XMLSchema#date"}


def test_query_table_aligns_chinese_double_width(built):
    graph, _ = built
    out = run("query", "products", "-g", str(graph)).stdout.splitlines()
    assert out[0].startswith("product_zh")
    from finkg.queries.runner import _width

    def second_column(line: str) -> int:  # display column where the second cell starts
        first_end = line.index("  ")
        rest = line[first_end:]
        return _width(line[:first_end]) + len(rest) - len(rest.lstrip())

    assert len({second_column(line) for line in [out[0]] + out[2:]}) == 1


def test_query_list_names_every_query_with_titles():
    proc = run("query", "--list")
    names = [line.split("\t")[0] for line in proc.stdout.splitlines()]
    assert names == sorted(["bank_profile", "share_capital", "shareholders", "major_shareholders", "directors",
                            "supervisors", "senior_management", "committees", "key_metrics", "products", "labels",
                            "person", "ownership", "shareholder_links", "metric_trend", "provenance", "search",
                            "audit_opinions", "open_source", "controllers", "former", "compare_banks", "board_changes",
                            "cross_holdings", "restatements"])
    assert "\t股本结构\tShare capital" in proc.stdout


def test_query_accepts_a_file_and_sparql_text(built, tmp_path):
    graph, _ = built
    rq = tmp_path / "count.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/finkg/ontology#Person> }", encoding="utf-8")
    assert run("query", str(rq), "-g", str(graph), "--format", "csv").stdout == "n\n25\n"
    text = "PREFIX fkg: <https://w3id.org/finkg/ontology#> SELECT ?p WHERE { ?b a fkg:Bank ; fkg:phone ?p }"
    assert run("query", text, "-g", str(graph), "--format", "csv").stdout == "p\n95384\n"


def test_param_is_bound_as_a_value_not_spliced(built):
    graph, _ = built
    text = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "SELECT ?s WHERE { ?s rdfs:label ?name }")
    ok = run("query", text, "-g", str(graph), "--param", "name=x", "--format", "csv")
    assert ok.returncode == 0 and ok.stdout == "s\n"
    evil = run("query", text, "-g", str(graph), "--param", 'name=x" } ; DROP ALL ; {"', "--format", "csv")
    assert evil.returncode == 0 and evil.stdout == "s\n" and evil.stderr == ""


@pytest.mark.parametrize(
    "make, code, words",
    [
        (lambda p: p / "missing.txt", 2, "no such file"),
        (lambda p: p, 2, "is a directory"),
        (lambda p: (p / "empty.txt").write_bytes(b"") and p / "empty.txt" or p / "empty.txt", 3, "empty"),
        (lambda p: (p / "blank.txt").write_text("  \n\n ", encoding="utf-8") and p / "blank.txt", 3, "empty"),
        (lambda p: (p / "bin.dat").write_bytes(bytes(range(256)) * 40) and p / "bin.dat", 4, "binary"),
        (lambda p: (p / "poem.txt").write_text("床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n" * 20,
                                               encoding="utf-8") and p / "poem.txt", 5, "no part of a bank"),
    ],
    ids=["missing", "directory", "empty", "whitespace", "binary", "not-a-report"],
)
def test_bad_input_gives_one_line_and_its_exit_code(tmp_path, make, code, words):
    path = make(tmp_path)
    proc = run("build", str(path), "-o", str(tmp_path / "out"))
    assert proc.returncode == code
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("finkg: error: ")
    assert words in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_failed_build_leaves_the_previous_graph_intact(tmp_path):
    out = tmp_path / "out"
    assert main(["build", "-q", "-o", str(out)]) == 0
    before = (out / "graph.ttl").read_bytes()
    (tmp_path / "bad.txt").write_text("这不是年度报告。\n" * 5, encoding="utf-8")
    assert main(["build", str(tmp_path / "bad.txt"), "-o", str(out)]) == 5
    assert (out / "graph.ttl").read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["graph.ttl"]  # no temporary file left behind


def test_a_report_missing_sections_builds_what_it_can_and_names_the_rest(tmp_path, sample_lines):
    # drop the people chapter (from its English heading to the governance chapter)
    start = next(i for i, line in enumerate(sample_lines) if line.endswith("INFORMATION OF DIRECTORS, "))
    end = next(i for i, line in enumerate(sample_lines) if line.endswith("CORPORATE") and i > start)
    partial = tmp_path / "partial.txt"
    partial.write_text("\n".join(sample_lines[:start] + sample_lines[end:]), encoding="utf-8")
    proc = run("build", str(partial), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "chapters not found: people (directors, supervisors and senior management)" in proc.stderr
    assert "could not find: directors, supervisors, senior management, committees" in proc.stderr
    rows = run("query", "shareholders", "-g", str(tmp_path / "out" / "graph.ttl"), "--format", "csv").stdout
    assert len(rows.splitlines()) == 11


def test_gb18030_text_gives_the_same_facts(tmp_path, sample_lines):
    path = tmp_path / "report-gbk.txt"
    path.write_bytes("\n".join(sample_lines).encode("gb18030"))
    proc = run("build", str(path), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    rows = run("query", "key_metrics", "-g", str(tmp_path / "out" / "graph.ttl"), "--format", "csv").stdout
    assert "营业收入,Operating income,全年经营成果,2021,26989261,CNY thousand" in rows


def test_unknown_query_and_missing_graph_are_clean_errors(built, tmp_path):
    graph, _ = built
    proc = run("query", "no_such_query", "-g", str(graph))
    assert proc.returncode == 7 and "unknown query" in proc.stderr and len(proc.stderr.splitlines()) == 1
    proc = run("query", "directors", "-g", str(tmp_path / "nope.ttl"))
    assert proc.returncode == 6 and "no graph file" in proc.stderr
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle {", encoding="utf-8")
    proc = run("query", "directors", "-g", str(bad))
    assert proc.returncode == 6 and "not a readable RDF graph" in proc.stderr and len(proc.stderr.splitlines()) == 1
    proc = run("query", "SELECT ?x WHERE { ?x ", "-g", str(graph))
    assert proc.returncode == 7 and "Traceback" not in proc.stderr


def test_lang_keeps_one_languages_label_columns_and_engines_agree(built):
    graph, _ = built
    en = run("query", "directors", "-g", str(graph), "--lang", "en").stdout.splitlines()
    assert en[0].split() == ["name_en", "gender", "position_en", "term_start"]
    assert "David Ku" in en[2] and "顾敏" not in "\n".join(en)
    zh = run("query", "directors", "-g", str(graph), "--lang", "zh").stdout.splitlines()
    assert zh[0].split() == ["name_zh", "gender", "position_zh", "term_start"]
    for name in ("committees", "ownership"):
        a = run("query", name, "-g", str(graph), "--format", "tsv", "--engine", "rdflib").stdout
        b = run("query", name, "-g", str(graph), "--format", "tsv", "--engine", "oxigraph").stdout
        assert a == b and a.count("\n") > 5


def test_xml_results(built):
    graph, _ = built
    out = run("query", "share_capital", "-g", str(graph), "--format", "xml").stdout
    assert out.startswith('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
    assert '<binding name="class_zh"><literal xml:lang="zh">社会法人股</literal></binding>' in out


def test_the_command_ends_a_build_quickly_with_its_output_and_caches_written(tmp_path):
    """``finkg build`` (the console script and ``python -m finkg``) ends without Python's teardown: what it
    prints, the graph and, on a machine without it, the cache of CC-CEDICT's choices are all written first."""
    import os
    from pathlib import Path

    env = {**os.environ, "TMPDIR": str(tmp_path)}
    script = Path(sys.executable).parent / "finkg"  # the console script of this interpreter's install
    commands = [[sys.executable, "-m", "finkg"]] + ([[str(script)]] if script.exists() else [])
    for k, command in enumerate(commands):
        out = tmp_path / f"out{k}"
        proc = subprocess.run([*command, "build", "-o", str(out)], capture_output=True, text=True, env=env)
        assert proc.returncode == 0, proc.stderr
        lines = proc.stdout.splitlines()
        assert lines[0].startswith(f"wrote {out / 'graph.ttl'} (") and len(lines) > 10  # the count of every class
        assert lines[-1].split()[0].isdigit() and (out / "graph.ttl").read_bytes().startswith(b"@prefix")
    assert len(list(tmp_path.glob("finkg-cedict-*.marshal"))) == 1 and list(tmp_path.glob("*.tmp")) == []
    # a failed build still ends as before: one line, its exit code
    proc = subprocess.run([sys.executable, "-m", "finkg", "build", str(tmp_path / "none.txt"), "-o", str(out)],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 2 and proc.stderr.startswith("finkg: error:") and proc.stderr.count("\n") == 1
