"""Facts → RDF.  Every node gets ``rdfs:label`` in ``@zh`` and ``@en``; every fact node
points to the span of the report it came from (``prov:wasDerivedFrom``).

IRIs are deterministic and readable: a slug of the pinyin of the canonical Chinese name
plus a short hash of the name itself, so rebuilding gives the same graph and two reports
that name the same company meet in one node.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from ..ontology.namespaces import FIBO_4217, FKG, ID, ORG, PREFIXES, PROV, QB, TIME
from .document import Document, Span
from .extract.tables.tokens import SCALE_FACTOR
from .facts import ReportFacts
from .labels import Labeller, pinyin_words
from .sections import Section

UNITS = {"CNY thousand": FKG.CNYThousand, "%": FKG.Percent, "CNY": FKG.CNY}  # named in the ontology
UNIT_ZH = {"CNY thousand": "人民币千元", "%": "百分比", "CNY": "人民币元", "CNY ten thousand": "人民币万元",
           "CNY million": "人民币百万元", "CNY hundred million": "人民币亿元", "persons": "人", "projects": "个（项目）"}
UNIT_EN = {"%": "Percent"}
BODY_ZH = {"board": "董事会", "supervisors": "监事会", "management": "高级管理层"}
BODY_CLASS = {"board": FKG.BoardOfDirectors, "supervisors": FKG.BoardOfSupervisors, "management": FKG.SeniorManagement}


def new_graph() -> Graph:
    """An rdflib graph on rdflib's store of triples without contexts (``SimpleMemory``), which adds a
    triple in half the time of the default store; a report's graph has no named graphs."""
    from rdflib.plugins.stores.memory import SimpleMemory

    return Graph(store=SimpleMemory())


@lru_cache(maxsize=1 << 16)  # a name is slugged for each of its facts: 2,328 calls for 494 names in the sample
def slug(text: str, size: int = 24) -> str:
    """``text``'s first ``size`` characters of pinyin (words joined by ``-``), and 6 hex digits of its SHA-1."""
    base = _spelled(text, size)[:size].strip("-") or "x"
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
    return f"{base}-{digest}"


def _spelled(text: str, size: int) -> str:
    """The pinyin words of ``text`` (letters and digits only) joined by ``-``, as far as ``size`` characters
    at least: pypinyin reads each run of Han characters, and each run of others, on its own (its simple_seg),
    so the runs after those are not read (a table row's label can be long)."""
    from pypinyin.seg.simpleseg import simple_seg

    out = ""
    for run in simple_seg(text):
        for word in pinyin_words(run):
            word = re.sub(r"[^a-z0-9]+", "", word.lower())
            if word:
                out = f"{out}-{word}" if out else word
        if len(out) >= size:
            break
    return out


def bank_short_names(facts: ReportFacts) -> dict[str, str]:
    """The bank's short Chinese names (its short name and the aliases the report defines, 本行 aside) → its
    short English name."""
    bank, short_en = facts.bank, facts.bank.get("short_en")
    out: dict[str, str] = {}
    if bank.get("short_zh") and short_en:
        out[bank.get("short_zh")] = short_en
    for alias in bank.aliases:
        if short_en and alias.value != "本行":
            out.setdefault(alias.value, short_en)
    return out


def _gym(iso: str | None) -> Literal | None:
    """An xsd:date, gYearMonth or gYear; None for a day the calendar does not have (2021/2/30 printed in a
    report): rdflib would log a traceback for such an ill-typed xsd:date."""
    if not iso:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        try:
            datetime.date.fromisoformat(iso)
        except ValueError:
            return None
        return Literal(iso, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}", iso):
        return Literal(iso, datatype=XSD.gYearMonth)
    return Literal(iso, datatype=XSD.gYear)


def _decimal(value: Decimal) -> Literal:
    return Literal(format(value.normalize(), "f") if value == value.to_integral() else format(value, "f"),
                   datatype=XSD.decimal)


@dataclass
class GraphWriter:
    doc: Document
    facts: ReportFacts
    labeller: Labeller
    sections: list[Section] = field(default_factory=list)
    graph: Graph = field(default_factory=new_graph)

    def __post_init__(self) -> None:
        for prefix, iri in PREFIXES.items():
            self.graph.bind(prefix, iri, override=True)
        bank_zh = self.facts.bank.get("name_zh") or self.doc.name
        self.bank_key = slug(bank_zh)
        self.bank = ID[f"bank/{self.bank_key}"]
        self.report = ID[f"report/{self.doc.sha256[:16]}"]
        self._spans: dict[tuple[int, int], URIRef] = {}
        self.bank_short = bank_short_names(self.facts)
        # what one report states of its year (positions, observations): kept apart from the other reports of
        # the bank in a store, where the bank, its people and its products are one node across years
        self.scope = f"bank/{self.bank_key}/report-{self.year or self.doc.sha256[:16]}"

    # --- helpers -------------------------------------------------------------------

    def add(self, s, p, o) -> None:
        if o is not None:
            self.graph.add((s, p, o))

    def label(self, node: URIRef, zh: str, en: str, source: str | None = None) -> None:
        self.graph.add((node, RDFS.label, Literal(zh, lang="zh")))
        self.graph.add((node, RDFS.label, Literal(en, lang="en")))
        if source in (None, "composed"):  # put together from other labels: mixed if pinyin is among its words
            source = self.labeller.source_of(en)
        self.graph.add((node, FKG.labelSource, Literal(source)))

    def unit(self, notation: str) -> URIRef:
        """The unit node of ``notation`` (CNY thousand, %, persons …); a scaled currency unit the ontology does
        not name (CNY million) has its currency and scale (fkg:unitScale), so values in it compare."""
        node = UNITS.get(notation) or ID[f"unit/{slug(notation)}"]
        g = self.graph
        if (node, RDF.type, FKG.Unit) not in g:
            g.add((node, RDF.type, FKG.Unit))
            g.add((node, SKOS.notation, Literal(notation)))
            self.label(node, UNIT_ZH.get(notation, notation), UNIT_EN.get(notation, notation), "glossary")
            if notation in SCALE_FACTOR and node not in UNITS.values():
                g.add((node, FKG.currency, FIBO_4217.CNY))
                g.add((node, FKG.unitScale, Literal(Decimal(SCALE_FACTOR[notation]))))
        return node

    def source(self, node: URIRef, span: Span | None) -> None:
        if span is None:
            return
        if span.page is None and self.doc.pages:  # the reader knows the page of every line
            span = Span(span.start, span.end, self.doc.pages[span.start - 1])
        key = (span.start, span.end)
        ref = self._spans.get(key)
        if ref is None:
            # a PDF's lines are counted on their page (the page's own lines, however the others were read);
            # a text file's lines are the file's
            start, end = span.start, span.end
            on_page = getattr(self.doc, "on_page", None)
            end_page = None
            if on_page is not None:
                page, start = on_page(span.start)
                last_page, end = on_page(span.end)
                if last_page != page:  # a span over pages ends on a line of its last page
                    end_page = last_page
                    ref = ID[f"report/{self.doc.sha256[:16]}/p{page}/L{start}-p{last_page}/L{end}"]
                else:
                    ref = ID[f"report/{self.doc.sha256[:16]}/p{page}/L{start}-{end}"]
            else:
                ref = ID[f"report/{self.doc.sha256[:16]}/L{start}-{end}"]
            self._spans[key] = ref
            g = self.graph
            g.add((ref, RDF.type, FKG.SourceSpan))
            g.add((ref, FKG.sourceDocument, self.report))
            g.add((ref, FKG.startLine, Literal(start)))
            g.add((ref, FKG.endLine, Literal(end)))
            if span.page is not None:
                g.add((ref, FKG.page, Literal(span.page)))
            if end_page is not None:
                g.add((ref, FKG.endPage, Literal(end_page)))
            quote = self.doc.text(span)
            if len(quote) > 400:
                quote = quote[:400] + "…"
            g.add((ref, FKG.quote, Literal(quote)))
            chapter = self._section_at(span.start)
            if chapter is not None:
                g.add((ref, FKG.inSection, chapter))
            where = f"{start}" if start == end else f"{start}–{end}"
            plural = "s" if start != end else ""
            if end_page is not None:
                self.label(ref, f"{self.doc.name} 第{page}页第{start}行至第{end_page}页第{end}行",
                           f"{self.doc.name} page {page}, line {start} to page {end_page}, line {end}")
            elif on_page is not None:
                self.label(ref, f"{self.doc.name} 第{page}页第{where}行", f"{self.doc.name} page {page}, line{plural} {where}")
            else:
                self.label(ref, f"{self.doc.name} 第{where}行", f"{self.doc.name} line{plural} {where}")
        self.graph.add((node, PROV.wasDerivedFrom, ref))

    def _section_at(self, line: int) -> URIRef | None:
        found = None
        for k, s in enumerate(self.sections):
            if s.start <= line:
                found = (k, s)
        if found is None:
            return None
        k, s = found
        node = ID[f"report/{self.doc.sha256[:16]}/section/{k + 1}"]
        if (node, RDF.type, FKG.ReportSection) not in self.graph:
            self.graph.add((node, RDF.type, FKG.ReportSection))
            self.graph.add((node, FKG.sectionOf, self.report))
            on_page = getattr(self.doc, "on_page", None)
            if on_page is not None:  # a PDF: where the chapter opens (its end is where the next one opens)
                page, start = on_page(s.start)
                self.graph.add((node, FKG.page, Literal(page)))
                self.graph.add((node, FKG.startLine, Literal(start)))
            else:
                self.graph.add((node, FKG.startLine, Literal(s.start)))
                self.graph.add((node, FKG.endLine, Literal(s.end)))
            en = s.title_en or self.labeller.term(s.title_zh)[0]
            self.label(node, s.title_zh, en, "report" if s.title_en else "composed")
        return node

    def concept(self, prefix: str, zh: str, cls: URIRef, kinds: tuple[str, ...]) -> URIRef:
        node = ID[f"{prefix}/{slug(zh)}"]
        if (node, RDF.type, cls) not in self.graph:
            self.graph.add((node, RDF.type, cls))
            self.graph.add((node, RDF.type, SKOS.Concept))
            en, src = self.labeller.term(zh, kinds)
            self.label(node, zh, en, src)
        return node

    def person(self, name: str, span: Span | None = None) -> URIRef:
        node = ID[f"person/{self.bank_key}/{slug(name)}"]
        if (node, RDF.type, FKG.Person) not in self.graph:
            self.graph.add((node, RDF.type, FKG.Person))
            en, src = self.labeller.person(name)
            self.label(node, name, en, src)
            self.source(node, span)
        return node

    def organization(self, name: str, span: Span | None = None) -> URIRef:
        if name == self.facts.bank.get("name_zh"):
            return self.bank
        node = ID[f"org/{slug(name)}"]
        if (node, RDF.type, FKG.Organization) not in self.graph:
            self.graph.add((node, RDF.type, FKG.Organization))
            en, src = self.labeller.organization(name)
            self.label(node, name, en, src)
            self.source(node, span)
        return node

    def party(self, name: str, span: Span | None) -> URIRef:
        """A shareholder, controller or beneficiary: a person if the name is one."""
        from .extract.common import is_cjk_name

        if is_cjk_name(name) or name in self.people_names:
            return self.person(name, span)
        return self.organization(name, span)

    # --- the graph -----------------------------------------------------------------

    def build(self) -> Graph:
        self.people_names = {r.name for r in self.facts.people}
        self._report()
        self._bank()
        self._share_capital()
        self._shareholders()
        self._major()
        self._people()
        self._committees()
        self._products()
        self._metrics()
        self._careers()
        self._departments()
        self._groups()
        self._conflicts()
        return self.graph

    def _title_en(self, title: str) -> str:
        parts = [p for p in re.split(r"[、，]", title) if p]
        return ", ".join(self.labeller.position(p) for p in parts)

    def _careers(self) -> None:
        g = self.graph
        for e in self.facts.employments:
            person, org = self.person(e.person, e.span), self.organization(e.organization, e.span)
            node = ID[f"bank/{self.bank_key}/employment/{slug(e.person)}/{slug(e.organization)}/{slug(e.title or '-')}"]
            g.add((node, RDF.type, FKG.Employment))
            g.add((node, FKG.person, person))
            g.add((node, FKG.employer, org))
            g.add((node, FKG.current, Literal(e.current)))
            if e.title:
                g.add((node, FKG.title, Literal(e.title, lang="zh")))
            when_zh, when_en = ("现任", "") if e.current else ("曾任职于", "formerly ")
            title_en = self._title_en(e.title) if e.title else ("works at" if e.current else "worked at")
            zh = f"{e.person}{when_zh}{e.organization}{e.title}" if e.current else f"{e.person}{when_zh}{e.organization}"
            en = f"{self._en(person)}: {when_en}{title_en}, {self._en(org)}" if e.title else \
                f"{self._en(person)} {title_en} {self._en(org)}"
            self.label(node, zh, en, "composed")
            self.source(node, e.span)
        for ed in self.facts.educations:
            person = self.person(ed.person, ed.span)
            node = ID[f"bank/{self.bank_key}/education/{slug(ed.person)}/{slug(ed.institution + (ed.degree or ''))}"]
            g.add((node, RDF.type, FKG.Education))
            g.add((node, FKG.person, person))
            if ed.institution:
                g.add((node, FKG.institution, self.organization(ed.institution, ed.span)))
            if ed.degree:
                g.add((node, FKG.degree, Literal(ed.degree, lang="zh")))
            if ed.field:
                g.add((node, FKG.field, Literal(ed.field, lang="zh")))
            inst_en = f", {self._en(self.organization(ed.institution))}" if ed.institution else ""
            self.label(node, f"{ed.person}：{ed.institution}{ed.field or ''}{ed.degree or ''}",
                       f"{self._en(person)}: {self.labeller.degree(ed.degree, ed.field)}{inst_en}", "composed")
            self.source(node, ed.span)
        for name, title, span in self.facts.professional_titles:
            g.add((self.person(name, span), FKG.professionalTitle, Literal(title, lang="zh")))

    def _body(self, name: str) -> URIRef | None:
        key = {"董事会": "board", "监事会": "supervisors", "高级管理层": "management", "管理层": "management"}.get(name)
        if key:
            return ID[f"bank/{self.bank_key}/{key}"]
        if name == "股东大会":
            node = ID[f"bank/{self.bank_key}/shareholders-meeting"]
            if (node, RDF.type, FKG.GoverningBody) not in self.graph:
                self.graph.add((node, RDF.type, FKG.GoverningBody))
                self.graph.add((self.bank, FKG.governingBody, node))
                en, src = self.labeller.term(name, ("body",))
                self.label(node, f"{self.facts.bank.get('name_zh') or ''}{name}", f"{en} of {self._en(self.bank)}", src)
            return node
        return None

    def _departments(self) -> None:
        g = self.graph
        nodes: dict[str, URIRef] = {}
        for d in self.facts.departments:
            node = self._body(d.name)
            if node is None:
                node = ID[f"bank/{self.bank_key}/department/{slug(d.name)}"]
                g.add((node, RDF.type, FKG.Department))
                g.add((node, FKG.order, Literal(d.order)))
                en, src = self.labeller.term(d.name, ("department", "body"))
                self.label(node, d.name, en, src)
                self.source(node, d.span)
            nodes[d.name] = node
        for d in self.facts.departments:
            if d.parent:
                parent = nodes.get(d.parent) or self._body(d.parent)
                if parent is not None:
                    g.add((nodes[d.name], FKG.parentUnit, parent))

    def _groups(self) -> None:
        from .link import group_members

        g = self.graph
        names = {}
        for node in g.subjects(RDF.type, FKG.Organization):
            zh = next((str(lit) for lit in g.objects(node, RDFS.label) if lit.language == "zh"), None)
            if zh:
                names[zh] = node
        places = [e.zh for e in self.labeller.glossary if e.kind == "place"]
        for member, group in group_members(sorted(names), places):
            g.add((names[member], FKG.memberOf, names[group]))

    def _report(self) -> None:
        g, f = self.graph, self.facts
        g.add((self.report, RDF.type, FKG.AnnualReport))
        g.add((self.report, FKG.fileName, Literal(self.doc.name)))
        g.add((self.report, FKG.sha256, Literal(self.doc.sha256)))
        g.add((self.report, FKG.aboutEntity, self.bank))
        year = self.year
        if year:
            g.add((self.report, FKG.reportYear, Literal(year, datatype=XSD.gYear)))
            g.add((self.report, FKG.reportPeriod, self.period))
        name_zh = f.bank.get("name_zh") or self.doc.name
        name_en = f.bank.get("name_en") or self.labeller.organization(name_zh)[0]
        zh = f"{name_zh}{year}年年度报告" if year else f"{name_zh}年度报告"
        en = f"{name_en} Annual Report {year}" if year else f"{name_en} Annual Report"
        self.label(self.report, zh, en, "composed")

    @property
    def period(self) -> URIRef | None:
        """The financial year the report covers, as a time:Interval (a Chinese bank's financial year is the
        calendar year: 会计年度自公历1月1日起至12月31日止); None when the report gives no year."""
        year = self.year
        if not year:
            return None
        node = ID[f"period/{year}"]
        g = self.graph
        if (node, RDF.type, TIME.Interval) not in g:
            g.add((node, RDF.type, TIME.Interval))
            self.label(node, f"{year}年度", f"Financial year {year}", "composed")
            for prop, which, month_day, zh, en in ((TIME.hasBeginning, "start", "01-01", "1月1日", "1 January"),
                                                   (TIME.hasEnd, "end", "12-31", "12月31日", "31 December")):
                instant = ID[f"period/{year}/{which}"]
                g.add((node, prop, instant))
                g.add((instant, RDF.type, TIME.Instant))
                g.add((instant, TIME.inXSDDate, Literal(f"{year}-{month_day}", datatype=XSD.date)))
                self.label(instant, f"{year}年{zh}", f"{en} {year}", "composed")
        return node

    @property
    def year(self) -> str | None:
        as_of = self.facts.share_capital.as_of if self.facts.share_capital else None
        if as_of:
            return as_of[:4]
        years = [m.year for m in self.facts.metrics]
        return str(max(years)) if years else None

    def _bank(self) -> None:
        g, b = self.graph, self.facts.bank
        bank = self.bank
        for cls in (FKG.Bank,):
            g.add((bank, RDF.type, cls))
        name_zh = b.get("name_zh") or self.doc.name
        name_en = b.get("name_en")
        src = "report"
        if not name_en:
            name_en, src = self.labeller.organization(name_zh)
        self.label(bank, name_zh, name_en, src)
        for key, item in b.fields.items():
            if key == "name_zh":
                self.source(bank, item.span)
        if b.get("short_zh"):
            g.add((bank, FKG.shortName, Literal(b.get("short_zh"), lang="zh")))
        if b.get("short_en"):
            g.add((bank, FKG.shortName, Literal(b.get("short_en"), lang="en")))
        for alias in b.aliases:
            g.add((bank, SKOS.altLabel, Literal(alias.value, lang="zh")))
        for key, lang in (("short_zh", "zh"), ("short_en", "en")):
            if b.get(key):
                g.add((bank, SKOS.altLabel, Literal(b.get(key), lang=lang)))
        plain = {"phone": FKG.phone, "website": FKG.website, "business_scope": FKG.businessScope}
        for key, prop in plain.items():
            if b.get(key):
                g.add((bank, prop, Literal(b.get(key))))
        for key, prop in (("reg_addr", FKG.registeredAddress), ("office_addr", FKG.officeAddress)):
            if b.get(key):
                g.add((bank, prop, Literal(b.get(key), lang="zh")))
        if b.get("established"):
            g.add((bank, FKG.establishedDate, _gym(b.get("established"))))
        if b.get("legal_rep"):
            g.add((bank, FKG.legalRepresentative, self.person(b.get("legal_rep"), b.fields["legal_rep"].span)))
        if b.auditor:
            g.add((bank, FKG.auditor, self.organization(b.auditor.value, b.auditor.span)))
        if b.get("auditor_intl"):
            g.add((bank, FKG.internationalAuditor, self.organization(b.get("auditor_intl"), b.fields["auditor_intl"].span)))
        for key, prop in (("a_share_code", FKG.aShareCode), ("h_share_code", FKG.hShareCode)):
            if b.get(key):
                g.add((bank, prop, Literal(b.get(key))))
        for item, prop in ((self.facts.controlling_shareholder, FKG.controllingShareholder),
                           (self.facts.actual_controller, FKG.actualController)):
            if item:
                g.add((bank, prop, self.party(item.value, item.span)))
        for reg in b.regulators:
            g.add((bank, FKG.regulator, self.organization(reg.value, reg.span)))
        for body in ("board", "supervisors", "management"):
            node = ID[f"bank/{self.bank_key}/{body}"]
            g.add((node, RDF.type, BODY_CLASS[body]))
            g.add((bank, FKG.governingBody, node))
            en, src = self.labeller.term(BODY_ZH[body], ("body",))
            self.label(node, f"{name_zh}{BODY_ZH[body]}", f"{en} of {name_en}", src)

    def _share_capital(self) -> None:
        sc = self.facts.share_capital
        if sc is None:
            return
        g = self.graph
        if sc.total or sc.shareholder_count:
            # the totals hold at a date: a node of that date (the bank, one node across a store's reports, would
            # carry every year's totals with none of their dates)
            node = ID[f"bank/{self.bank_key}/share-capital/{sc.as_of or 'na'}"]
            g.add((node, RDF.type, FKG.ShareCapital))
            g.add((node, FKG.shareCapitalOf, self.bank))
            self.add(node, FKG.asOf, _gym(sc.as_of))
            bank_zh = self.facts.bank.get("name_zh") or self.doc.name
            when_zh, when_en = (f"（截至{sc.as_of}）", f" as at {sc.as_of}") if sc.as_of else ("", "")
            self.label(node, f"{bank_zh}股本{when_zh}", f"Share capital of {self._en(self.bank)}{when_en}", "composed")
            for item, prop in ((sc.total, FKG.totalShares), (sc.shareholder_count, FKG.shareholderCount)):
                if item:
                    g.add((node, prop, Literal(item.value)))
                    self.source(node, item.span)
        for row in sc.classes:
            cls = self.concept("share-class", row.name, FKG.ShareClass, ("share_class",))
            node = ID[f"bank/{self.bank_key}/share-capital/{slug(row.name)}/{sc.as_of or 'na'}"]
            g.add((node, RDF.type, FKG.ShareCapitalComponent))
            g.add((node, FKG.shareCapitalOf, self.bank))
            g.add((node, FKG.shareClass, cls))
            g.add((node, FKG.shares, Literal(row.shares)))
            g.add((node, FKG.percentage, _decimal(row.pct)))
            g.add((node, FKG.order, Literal(row.order + 1)))
            if row.parent:
                parent = ID[f"bank/{self.bank_key}/share-capital/{slug(row.parent)}/{sc.as_of or 'na'}"]
                g.add((node, FKG.partOfComponent, parent))
            self.add(node, FKG.asOf, _gym(sc.as_of))
            cls_en = self.labeller.term(row.name, ("share_class",))[0]
            self.label(node, f"{row.name}：{row.shares:,}股（{row.pct}%）", f"{cls_en}: {row.shares:,} shares ({row.pct}%)",
                       "composed")
            self.source(node, row.span)

    def _shareholders(self) -> None:
        g = self.graph
        as_of = self.facts.share_capital.as_of if self.facts.share_capital else None
        for row in self.facts.shareholders:
            holder = self.party(row.name, row.span)
            node = ID[f"bank/{self.bank_key}/shareholding/{slug(row.name)}/{as_of or 'na'}"]
            g.add((node, RDF.type, FKG.Shareholding))
            g.add((node, FKG.shareholder, holder))
            g.add((holder, FKG.hasShareholding, node))
            g.add((node, FKG.shareholdingIn, self.bank))
            g.add((node, FKG.rank, Literal(row.rank)))
            g.add((node, FKG.shares, Literal(row.shares)))
            g.add((node, FKG.percentage, _decimal(row.pct)))
            self.add(node, FKG.asOf, _gym(as_of))
            if row.nature:
                g.add((node, FKG.shareholderNature, Literal(row.nature, lang="zh")))
            if row.share_class:
                g.add((node, FKG.shareClass, self.concept("share-class", row.share_class, FKG.ShareClass, ("share_class",))))
            if row.pledged is not None:
                g.add((node, FKG.pledgedShares, Literal(row.pledged)))
            holder_en = self._en(holder)
            self.label(node, f"{row.name}持股{row.pct}%", f"{holder_en} holds {row.pct}%", "composed")
            self.source(node, row.span)

    def _en(self, node: URIRef) -> str:
        for lit in self.graph.objects(node, RDFS.label):
            if isinstance(lit, Literal) and lit.language == "en":
                return str(lit)
        return ""

    def _major(self) -> None:
        g = self.graph
        as_of = self.facts.share_capital.as_of if self.facts.share_capital else None
        props = (("controlling", FKG.controllingShareholder), ("actual_controller", FKG.actualController),
                 ("concert", FKG.concertParty), ("beneficiary", FKG.ultimateBeneficiary))
        for row in self.facts.major_shareholders:
            holder = self.party(row.shareholder, row.span)
            node = ID[f"bank/{self.bank_key}/major-shareholder/{slug(row.shareholder)}/{as_of or 'na'}"]
            g.add((node, RDF.type, FKG.MajorShareholderDisclosure))
            g.add((node, FKG.shareholder, holder))
            g.add((node, FKG.order, Literal(row.order)))
            self.add(node, FKG.asOf, _gym(as_of))
            self.label(node, f"主要股东：{row.shareholder}", f"Major shareholder: {self._en(holder)}", "composed")
            self.source(node, row.span)
            for attr, prop in props:
                for name in getattr(row, attr):
                    g.add((holder, prop, self.party(name, row.span)))

    def _people(self) -> None:
        g = self.graph
        for row in self.facts.people:
            person = self.person(row.name, row.span)
            if row.gender:
                g.add((person, FKG.gender, Literal(row.gender)))
            body = ID[f"bank/{self.bank_key}/{row.body}"]
            for k, appt in enumerate(row.appointments):
                role = self.concept("role", appt.role, FKG.Role, ("position",))
                node = ID[f"{self.scope}/position/{row.body}/{slug(row.name)}/{slug(appt.role)}"]
                g.add((node, RDF.type, FKG.Position))
                g.add((node, FKG.person, person))
                g.add((person, FKG.holdsPosition, node))
                g.add((node, FKG.positionIn, body))
                g.add((node, FKG.role, role))
                g.add((node, FKG.order, Literal(row.order * 10 + k)))
                self.add(node, ORG.memberDuring, self.period)
                self.add(node, FKG.startDate, _gym(appt.start))
                self.add(node, FKG.endDate, _gym(appt.end))
                self.label(node, f"{row.name}（{appt.role}）", f"{self._en(person)} ({self._en(role)})", "composed")
                self.source(node, row.span)

    def _committees(self) -> None:
        g = self.graph
        for order, c in enumerate(self.facts.committees, start=1):
            node = ID[f"bank/{self.bank_key}/committee/{c.body}/{slug(c.name)}"]
            cls = FKG.BoardCommittee if c.body == "board" else FKG.SupervisoryCommittee
            g.add((node, RDF.type, cls))
            g.add((node, FKG.committeeOf, ID[f"bank/{self.bank_key}/{c.body}"]))
            g.add((node, FKG.order, Literal(order)))
            en, src = self.labeller.term(c.name, ("committee_word",))
            self.label(node, c.name, en, src)
            self.source(node, c.span)
            seats = ([(c.chair, FKG.Chair)] if c.chair else []) + [(m, FKG.Member) for m in c.members]
            for k, (name, role) in enumerate(seats):
                person = self.person(name, c.span)
                seat = ID[f"{self.scope}/committee/{c.body}/{slug(c.name)}/{slug(name)}"]
                g.add((seat, RDF.type, FKG.CommitteeMembership))
                g.add((seat, FKG.committee, node))
                g.add((seat, FKG.person, person))
                g.add((seat, FKG.role, role))
                g.add((seat, FKG.order, Literal(k)))
                self.add(seat, ORG.memberDuring, self.period)
                role_zh, role_en = ("主任委员", "Chair") if role == FKG.Chair else ("委员", "Member")
                self.label(seat, f"{c.name}{role_zh}：{name}", f"{en} {role_en}: {self._en(person)}", "composed")
                self.source(seat, c.span)

    def _products(self) -> None:
        g = self.graph
        for p in self.facts.products:
            node = ID[f"bank/{self.bank_key}/product/{slug(p.name)}"]
            g.add((node, RDF.type, FKG.Product))
            g.add((self.bank, FKG.offersProduct, node))
            en, src = self.labeller.product(p.name, self.bank_short)
            self.label(node, p.name, en, src)
            self.source(node, p.span)
            if p.segment:
                g.add((node, FKG.segment, self.concept("segment", p.segment, FKG.BusinessSegment, ("segment",))))

    def _metrics(self) -> None:
        g = self.graph
        if not self.facts.metrics:
            return
        dataset = ID[f"bank/{self.bank_key}/dataset/key-data"]
        g.add((dataset, RDF.type, QB.DataSet))
        self.label(dataset, "会计数据和财务指标摘要", "Key accounting data and financial indicators", "glossary")
        units = {notation: self.unit(notation) for notation in sorted({m.unit for m in self.facts.metrics})}
        nodes: dict[tuple[str, int], URIRef] = {}  # (metric, year): its observation
        for m in self.facts.metrics:
            metric = self.concept("metric", m.metric, FKG.Metric, ("metric",))
            if m.category:
                cat = self.concept("metric-category", m.category, FKG.MetricCategory, ("category",))
                g.add((metric, FKG.metricCategory, cat))
            node = nodes[(m.metric, m.year)] = ID[f"{self.scope}/observation/{slug(m.metric)}/{m.year}"]
            g.add((node, RDF.type, FKG.MetricObservation))
            g.add((node, QB.dataSet, dataset))
            g.add((node, FKG.metric, metric))
            g.add((node, FKG.observedEntity, self.bank))
            g.add((node, FKG.reportedIn, self.report))
            g.add((node, FKG.refYear, Literal(str(m.year), datatype=XSD.gYear)))
            g.add((node, FKG.value, _decimal(m.value)))
            g.add((node, FKG.printedValue, Literal(m.printed)))
            g.add((node, FKG.unit, units[m.unit]))
            g.add((node, FKG.order, Literal(m.order)))
            unit_zh = {"CNY thousand": "人民币千元", "%": "%"}.get(m.unit, m.unit)
            self.label(node, f"{m.metric}（{m.year}年）：{m.printed}" + ("" if m.unit == "%" else unit_zh),
                       f"{self._en(metric)} ({m.year}): {m.printed}" + ("" if m.unit == "%" else f" {m.unit}"), "composed")
            self.source(node, m.span)
            if m.label_span:
                self.source(node, m.label_span)
        # each figure to the same metric's figure of the year before, when the table prints it (metric_trend's
        # change; a store links a report's earliest year to an earlier report's)
        for (metric, year), node in nodes.items():
            if (metric, year - 1) in nodes:
                g.add((node, FKG.previousObservation, nodes[(metric, year - 1)]))

    def _conflicts(self) -> None:
        g = self.graph
        for k, c in enumerate(self.facts.conflicts, start=1):
            node = ID[f"report/{self.doc.sha256[:16]}/conflict/{k}"]
            g.add((node, RDF.type, FKG.Conflict))
            g.add((node, FKG.conflictAbout, self.person(c.subject) if c.subject in self.people_names else self.bank))
            g.add((node, FKG.conflictNote, Literal(c.note, lang="en")))
            g.add((node, FKG.printedText, Literal(f"kept: {c.kept}; set aside: {c.rejected}")))
            who = self.labeller.person(c.subject)[0]
            self.label(node, f"表格与简历不一致：{c.subject}", f"Table and biography disagree: {who}", "composed")
            for span, prop in ((c.kept_span, FKG.keptSource), (c.rejected_span, FKG.rejectedSource)):
                tmp = URIRef("urn:tmp")
                self.source(tmp, span)
                ref = g.value(tmp, PROV.wasDerivedFrom)
                g.remove((tmp, None, None))
                g.add((node, prop, ref))


def facts_to_graph(doc: Document, facts: ReportFacts, labeller: Labeller, sections: list[Section] | None = None) -> Graph:
    from .graph_tables import add_audit_opinions, add_awards, add_meetings, add_open_source, add_tables  # builds on this module

    writer = GraphWriter(doc, facts, labeller, list(sections or []))
    graph = writer.build()
    add_tables(writer, facts)
    add_awards(writer, facts)
    add_meetings(writer, facts)
    add_audit_opinions(writer, facts)
    add_open_source(writer, facts)
    return graph


__all__ = ["facts_to_graph", "slug", "OWL"]
