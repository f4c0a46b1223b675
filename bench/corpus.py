"""A synthetic corpus for benchmarks: N reports made from the bundled sample by renaming its
people, companies, products and the bank, and by changing the numbers of its key-data table,
built by finkg and written as one N-Quads file, each report's facts in its own named graph.

    python bench/corpus.py --reports 1000 --core -o /tmp/finkg-corpus.nq

Names come from the hand-made mapping of tests/data/make_variant.py, made unique per copy by
two characters taken from the copy's number, so every copy has its own bank, people and
companies (and IRIs).
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥春夏秋冬东南西北金木"  # 32 characters: see code_for
_SEP = r"(?:\n|[\u2002\u2003 ]+)?"


def _variant():
    spec = importlib.util.spec_from_file_location("make_variant", ROOT / "tests/data/make_variant.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def code_for(k: int) -> str:
    """Two characters for each of the first 1,024 copies, three for the next 31,744: no two copies alike."""
    n = len(CODE)
    two = CODE[k // n % n] + CODE[k % n]
    if k < n * n:
        return two
    if k >= n * n * n:
        raise ValueError(f"the corpus names at most {n ** 3:,} copies apart")
    return CODE[k // (n * n)] + two


def mapping_for(k: int) -> dict[str, str]:
    v = _variant()
    code = code_for(k)
    out: dict[str, str] = {}
    for old, new in v.PERSONS.items():
        out[old] = new if old.isascii() else new[0] + code  # a new given name per copy
    for table in (v.COMPANIES, v.PRODUCTS):
        for old, new in table.items():
            out[old] = new + code if not old.isascii() else new
    for old, new in v.BANK.items():
        out[old] = new.replace("汇川", "汇" + code) if "汇川" in new else new
    return out


def rename(text: str, mapping: dict[str, str]) -> str:
    keys = sorted(mapping, key=len, reverse=True)
    pattern = re.compile("|".join(_SEP.join(map(re.escape, key)) if not key.isascii() else re.escape(key) for key in keys))
    lookup = {key: mapping[key] for key in keys}

    def sub(m: re.Match) -> str:
        found = re.sub(r"[\n\u2002\u2003 ]", "", m.group(0)) if not m.group(0).isascii() else m.group(0)
        return lookup.get(found, m.group(0))

    return pattern.sub(sub, text)


def renumber(text: str, k: int) -> str:
    """Change the key-data table's numbers (not the share tables, whose sums must hold)."""
    start = text.index("会计数据和财务指标摘要09")
    end = text.index("DISCUSSION AND", start)
    factor = Decimal(1) + Decimal(k % 97) / Decimal(1000)

    def scale(m: re.Match) -> str:
        digits = m.group(0).replace(",", "")
        value = (Decimal(digits) * factor).quantize(Decimal(1))
        return f"{value:,}"

    body = re.sub(r"\d{1,3}(?:,\d{3})+", scale, text[start:end])
    return text[:start] + body + text[end:]


def report_nquads(k: int) -> tuple[int, str]:
    from finkg.builder import document_to_facts, sample_path
    from finkg.builder.document import Document
    from finkg.builder.graph import facts_to_graph
    from finkg.builder.labels import Labeller
    from finkg.builder.sections import segment
    from finkg.ontology import load_glossary

    text = renumber(rename(sample_path().read_text(encoding="utf-8"), mapping_for(k)), k)
    doc = Document.from_text(f"synthetic_report_{k:04d}.txt", text)
    sections = segment(doc)
    facts, _ = document_to_facts(doc, sections)
    if CORE_ONLY:  # the facts of issues 2–5 only: 3.75 million triples for 1,000 reports, which rdflib can still hold
        facts = replace(facts, employments=(), educations=(), professional_titles=(), departments=(), tables=(),
                        headlines=(), awards=(), meetings=())
    graph = facts_to_graph(doc, facts, Labeller(load_glossary(), dict(facts.english_names)), sections)
    report = f"<https://w3id.org/finkg/id/report/{doc.sha256[:16]}>"
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return len(lines), "".join(f"{line[:-1].rstrip()} {report} .\n" for line in lines if line.strip())


CORE_ONLY = "--core" in sys.argv


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("-o", "--output", type=Path, default=Path("/tmp/finkg-corpus.nq"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--core", action="store_true", help="only the headline facts (profile, shares, people, key data)")
    args = parser.parse_args()
    start = time.perf_counter()
    total = 0
    with open(args.output, "w", encoding="utf-8") as out, ProcessPoolExecutor(args.jobs) as pool:
        from rdflib import Graph

        from finkg.ontology import ontology_text

        out.write(Graph().parse(data=ontology_text(), format="turtle").serialize(format="nt"))
        for n, quads in pool.map(report_nquads, range(args.reports), chunksize=8):
            out.write(quads)
            total += n
    print(f"{args.reports} reports, {total:,} triples → {args.output} in {time.perf_counter() - start:.0f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
