"""read → segment → extract → link → graph, wired together in :func:`build_graph` only."""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from rdflib import Graph

from ..errors import NotAnAnnualReport
from ..ontology import GlossaryEntry, load_glossary
from . import pages as pages_x
from .document import Document
from .extract import audit as audit_x
from .extract import awards as awards_x
from .extract import bank as bank_x
from .extract import careers as careers_x
from .extract import headlines as headlines_x
from .extract import major as major_x
from .extract import metrics as metrics_x
from .extract import opensource as opensource_x
from .extract import people as people_x
from .extract import products as products_x
from .extract import shares as shares_x
from .extract import tables as tables_x
from .extract import tabular as tabular_x
from .facts import BankProfile, ReportFacts
from .graph import bank_short_names, facts_to_graph, new_graph
from .labels import Labeller
from .link import cross_checks, report_english_names
from .readers import check_file, check_input, read_checked
from .sections import REQUIRED_CHAPTERS, Section, find_section, segment

__all__ = ["BuildResult", "build_graph", "document_to_facts", "read_report", "sample_path"]


def sample_path() -> Path:
    """The bundled sample: WeBank's 2021 annual report as pdfplumber extracted it."""
    return Path(str(resources.files("finkg").joinpath("data/webank_2021_annual_report.txt")))


# the facts each required chapter holds: a report that gives them from another chapter lacks nothing
_HOLDS = {"corporate_info": ("bank profile",), "key_data": ("key accounting data",),
          "shares": ("share capital", "top-ten shareholders"), "people": ("directors", "supervisors", "senior management"),
          "mda": ("products",)}

@dataclass
class BuildResult:
    graph: Graph
    facts: list[ReportFacts]
    warnings: list[str] = field(default_factory=list)


def document_to_facts(doc: Document, sections: list | None = None) -> tuple[ReportFacts, list[str]]:
    """Extract every kind of fact from one document; warnings name what is missing."""
    sections = segment(doc) if sections is None else sections
    warnings: list[str] = []
    defs = bank_x.definitions(doc, sections)
    as_of = shares_x.report_period_end(defs, doc)
    # numbered chapters (the CSRC's structure) are read table by table; chapters opened by English titles
    # by the layout extractors; each falls back on the other where it finds nothing
    tabular = not any(s.title_en for s in sections)

    def first(*extractors):
        for extract in (extractors if tabular else extractors[::-1]):
            found = extract()
            if found:
                return found
        return found

    bank = first(lambda: _profile(tabular_x.bank_profile(doc, sections)), lambda: bank_x.bank_profile(doc, sections, defs))
    bank = bank or BankProfile({})
    capital = first(lambda: tabular_x.share_capital(doc, sections, as_of), lambda: shares_x.share_capital(doc, sections, as_of))
    total = capital.total.value if capital and capital.total else None
    top = first(lambda: tabular_x.top_shareholders(doc, sections, total), lambda: shares_x.top_shareholders(doc, sections, total))
    major = major_x.major_shareholders(doc, sections, top) if top and not tabular else []
    controlling, actual, no_controlling, _ = (tabular_x.controllers(doc, sections, [r.name for r in top]) if tabular
                                              else (None, None, False, False))
    people_rows = tabular_x.people(doc, sections, as_of) if tabular else []
    if people_rows:
        rows, bios, conflicts = people_rows, [], []
        committees = tabular_x.committees(doc, sections, rows)
    else:
        rows, bios, conflicts = people_x.people(doc, sections)
        committees = people_x.committees(doc, sections, rows)
    products = products_x.products(doc, sections)
    glossary = load_glossary()
    known_orgs = [e.zh for e in glossary if e.kind in ("org", "regulator")] + [r.name for r in top]
    educations, employments, titles = careers_x.careers(doc, sections, rows, known_orgs)
    departments = careers_x.organisation_chart(doc, sections)
    metrics = first(lambda: tabular_x.key_metrics(doc, sections), lambda: metrics_x.key_metrics(doc, sections))
    projects, project_counts = opensource_x.open_source(doc, sections, frozenset(e.zh for e in glossary))
    analysis = tables_x.analysis_tokens(doc, sections)  # read by the headline figures, then the statistical tables
    headlines = headlines_x.headline_figures(doc, sections, analysis)
    headlines = tuple(headlines) + tuple(replace(c, order=len(headlines) + k) for k, c in enumerate(project_counts))
    people_names = {r.name for r in rows}
    english = report_english_names(doc, people_names)
    found = {
        "bank profile": bool(bank.fields),
        "share capital": capital is not None,
        "top-ten shareholders": bool(top),
        "major shareholders": bool(major) or controlling is not None or no_controlling,
        "directors": any(r.body == "board" for r in rows),
        "supervisors": any(r.body == "supervisors" for r in rows),
        "senior management": any(r.body == "management" for r in rows),
        "committees": bool(committees),
        "products": bool(products),
        "key accounting data": bool(metrics),
    }
    if not any(found.values()):
        raise NotAnAnnualReport(f"{doc.name}: no part of a bank's annual report was recognised "
                                "(no chapters, profile, tables or people)")
    # a chapter is missing when neither it nor the facts it holds were found (people may sit in 公司治理)
    missing_chapters = [f"{key} ({what})" for key, what in REQUIRED_CHAPTERS.items()
                        if find_section(sections, key) is None and not any(found[f] for f in _HOLDS.get(key, ()))]
    if missing_chapters:
        warnings.append(f"{doc.name}: chapters not found: " + ", ".join(missing_chapters))
    missing = tuple(k for k, ok in found.items() if not ok)
    if missing:
        warnings.append(f"{doc.name}: could not find: " + ", ".join(missing))
    facts = ReportFacts(
        bank=bank, definitions=tuple(defs), share_capital=capital, shareholders=tuple(top),
        major_shareholders=tuple(major), people=tuple(rows), biographies=tuple(bios),
        committees=tuple(committees), products=tuple(products), metrics=tuple(metrics),
        conflicts=tuple(conflicts), english_names=english, missing=missing, educations=tuple(educations),
        employments=tuple(employments), professional_titles=tuple(titles), departments=tuple(departments),
        tables=tuple(tables_x.statistical_tables(doc, sections, analysis)), headlines=headlines,
        awards=tuple(awards_x.awards(doc, sections)), meetings=tuple(awards_x.meetings(doc, sections)),
        audit_opinions=tuple(audit_x.audit_opinions(doc, bank.auditor.value if bank.auditor else None)),
        open_source=tuple(projects), controlling_shareholder=controlling, actual_controller=actual,
    )
    warnings += [f"{doc.name}: {w}" for w in cross_checks(facts)]
    return facts, warnings


def _profile(profile):
    return profile if profile.fields else None


MAX_ROUNDS = 8  # of reading the pages the facts ask for, before every page is read
GC_THRESHOLD = 10_000  # new objects between two of the collector's youngest passes while a report is built (else 700)


def read_report(path: str | Path, progress: bool = False, max_mb: float | None = None,
                all_pages: bool = False) -> tuple[Document, list[Section], ReportFacts, list[str]]:
    """Read one report and extract its facts: (document, chapters, facts, warnings).

    A PDF is read in two passes (:mod:`.pages`): pypdfium2's text of every page, then pdfplumber on the
    pages the facts need, until no fact comes from a page pdfplumber has not read; ``all_pages`` reads every
    page with pdfplumber (the same graph, slower)."""
    path = Path(path)
    pdf_file = check_input(path, max_mb)
    if not pdf_file or all_pages:
        doc = read_checked(path, pdf_file, progress)
        sections = segment(doc)
        return (doc, sections, *document_to_facts(doc, sections))
    from .readers.pdf import PdfPages

    with PdfPages(path, progress) as pdf:
        every = range(1, pdf.page_count + 1)
        if not pdf.texts_usable():
            pdf.read(every)
        else:
            # the pages the first pass's text alone asks for are read before the first extraction: what their
            # layout gives (the people of a table, and with them their careers) asks for its pages in that round
            pdf.read(pages_x.from_text({n: t.lines for n, t in pdf.texts.items()}))
        for round_ in range(MAX_ROUNDS + 1):
            doc = pdf.document()
            sections = segment(doc)
            try:
                facts, warnings = document_to_facts(doc, sections)
                missing = None
            except NotAnAnnualReport as exc:
                facts = warnings = None
                missing = exc
            if len(pdf.read_pages) == pdf.page_count:
                break
            todo = pages_x.needed(doc, sections, facts, pdf.read_pages) - set(pdf.read_pages)
            if round_ == MAX_ROUNDS or (missing is not None and not todo):
                todo = set(every)  # nothing found yet, or pages kept asking for more: every page, as a full read
            elif not todo:
                break
            pdf.read(todo)
            # in the same round, the pages the layout read now may join to those the facts start on: what the next
            # round would ask for of the same facts
            pdf.read(pages_x.neighbours(doc, facts, pdf.read_pages))
        if missing is not None:
            raise missing
    return doc, sections, facts, warnings


def build_graph(inputs: list[str | Path] | None = None, glossary: Path | None = None,
                progress: bool = False, max_mb: float | None = None, all_pages: bool = False) -> BuildResult:
    """Build one graph from the given reports (the bundled sample when none are given).

    ``progress`` shows progress bars on stderr (reports, and the pages of each PDF); a report larger
    than ``max_mb`` megabytes is refused (default: :data:`~finkg.builder.readers.MAX_TEXT_MB` for text,
    :data:`~finkg.builder.readers.MAX_PDF_MB` for a PDF); ``all_pages`` reads every page of a PDF with
    pdfplumber, where by default only the pages that hold facts are (:func:`read_report`)."""
    with _fewer_collections():
        return _build_graph(inputs, glossary, progress, max_mb, all_pages)


def _build_graph(inputs, glossary, progress, max_mb, all_pages) -> BuildResult:
    paths = [Path(p) for p in inputs] if inputs else [sample_path()]
    entries = load_glossary(glossary)  # a bad glossary, then a bad input, fail before any work
    for p in paths:
        check_file(p)  # every input is there before any is read
    reports = [read_report(p, progress=progress, max_mb=max_mb, all_pages=all_pages) for p in _bar(paths, progress)]
    graph = new_graph()
    all_facts, warnings = [], []
    for doc, sections, facts, found_warnings in reports:
        warnings += [f"{doc.name}: {w}" for w in getattr(doc, "warnings", ())]  # a PDF's unreadable pages
        # the bank's English names (某某银行 → its English) are words of the glossary after it; its products are words
        # inside awards
        short = {zh: en for zh, en in bank_short_names(facts).items() if len(zh) > 1}
        own = tuple(GlossaryEntry(zh, en, "org") for zh, en in short.items())
        labeller = Labeller((*entries, *own), dict(facts.english_names),
                            products=tuple(dict.fromkeys(p.name for p in facts.products)), bank_short=short)
        built = facts_to_graph(doc, facts, labeller, sections)
        if len(reports) == 1:
            graph = built  # one report: its graph as it is (a copy of 20,000 triples costs more than extracting them)
        else:
            graph += built
        all_facts.append(facts)
        warnings += found_warnings
    from ..ontology.namespaces import PREFIXES

    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return BuildResult(graph, all_facts, warnings)


_COLLECTING = threading.Lock()
_building = [0, None]  # builds under way, and the collector's thresholds before the first of them


@contextmanager
def _fewer_collections():
    """Python's cyclic garbage collector run less often while reports are built: reading a PDF makes millions of
    short-lived objects (pdfminer's tokens, pdfplumber's characters), and each of the collector's passes walks
    the objects of its generations: on the CMBC report 0.31 s of CPU with passes every 700 new objects, 0.18 s
    every :data:`GC_THRESHOLD` (12 MB more at the peak).  The thresholds before the first build under way are put
    back when the last ends."""
    with _COLLECTING:
        if not _building[0]:
            _building[1] = gc.get_threshold()
            gc.set_threshold(max(_building[1][0], GC_THRESHOLD), *_building[1][1:])
        _building[0] += 1
    try:
        yield
    finally:
        with _COLLECTING:
            _building[0] -= 1
            if not _building[0]:
                gc.set_threshold(*_building[1])


def _bar(paths: list[Path], progress: bool):
    if not progress or len(paths) < 2:
        return paths
    import sys

    from tqdm import tqdm

    return tqdm(paths, desc="reports", unit="report", file=sys.stderr, leave=False)
