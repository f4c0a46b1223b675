"""The report's tables, headline figures, awards and meetings → RDF, added to a :class:`GraphWriter`'s graph.

Each table is an ``fkg:StatisticalTable`` (an RDF Data Cube data set) and each of its values an
``fkg:MetricObservation`` (a ``qb:Observation``) with the table, the metric its row names, the row and
column labels as printed, the reference year (and date), the value, its unit and the printed text, traced to
the line that prints it.  Figures stated in prose go to one data set per chapter.  Awards link the bank to
the award and the award to who gave it; meetings link to the body that held them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from ..ontology import term_labels
from ..ontology.namespaces import FKG, ID, QB
from .facts import PART_ROW, ReportFacts, TableObservation
from .graph import GraphWriter, _decimal, _gym
from .graph import slug as _slug

__all__ = ["add_audit_opinions", "add_awards", "add_meetings", "add_open_source", "add_tables"]

# the words of column headers, for English labels
_HEADER_EN = {"金额": "Amount", "占比": "Share", "余额": "Balance", "贷款余额": "Loan balance",
              "本年同比增减": "Change on the previous year", "本年末比上年末增减": "Change on the previous year-end",
              "同比增减": "Change on the previous year", "增减": "Change", "正文": "Text"}
_BODY_ZH = {"shareholders": "股东大会", "board": "董事会", "supervisors": "监事会"}


@lru_cache(maxsize=8192)
def slug(text: str) -> str:
    """graph.slug, remembered: a table repeats its title, rows and columns in hundreds of IRIs."""
    return _slug(text)


def _english(text: str) -> str:
    """An English label free of full-width and CJK punctuation (：（）、 → : () ,)."""
    text = unicodedata.normalize("NFKC", text).replace("、", ", ")
    return re.sub(r"\s+", " ", re.sub(r"[\u3000-\u303f\uff00-\uffef]", " ", text)).strip()


def _period_en(text: str) -> str | None:
    m = re.fullmatch(r"((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)?", text)
    if not m:
        return None
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m.group(2) else m.group(1)


def _column_en(writer: GraphWriter, column: str) -> str:
    parts = []
    for word in column.split():
        parts.append(_period_en(word) or _HEADER_EN.get(word) or writer.labeller.term(word)[0])
    return _english(" ".join(parts))


_GENERIC_ROWS = frozenset({"合计", "小计", "总计", "总额", "其他", "其它"})


def _is_date(text: str) -> bool:
    """A full date (2020年12月31日), not a year alone."""
    return len(_period_en(text) or "") == 10




def _metric_name(row: str, table: str) -> str:
    """The measure a row names: 其中：消费贷款 → 消费贷款 (the 其中 only places it under the row above);
    a row that means nothing out of its table names it: 合计 → 合计（信用减值损失）; a row that is a date is
    the balance on that date of a roll-forward table (opening and closing rows around the year's movements):
    2020年12月31日 → 余额（本年度贷款减值准备的计提和核销情况）, the date kept on its observation."""
    name = PART_ROW.sub("", row).strip() or row
    if _is_date(name):
        return f"余额（{table}）"
    return f"{name}（{table}）" if name in _GENERIC_ROWS else name


def _metric(writer: GraphWriter, name: str) -> tuple[URIRef, str]:
    """The metric concept (as GraphWriter.concept makes it, its English kept clear of CJK punctuation) and its English."""
    node = ID[f"metric/{slug(name)}"]
    en, source = writer.labeller.term(name, ("metric",))
    if (node, RDF.type, FKG.Metric) not in writer.graph:
        writer.graph.add((node, RDF.type, FKG.Metric))
        writer.graph.add((node, RDF.type, SKOS.Concept))
        writer.label(node, name, _english(en), source)
    return node, _english(en)


def _title_en(writer: GraphWriter, title: str) -> tuple[str, str]:
    """A table's English title: a chapter's as the report prints it (figures in the text are filed by chapter),
    else made by the labeller."""
    for section in writer.sections:
        if section.title_zh == title and section.title_en:
            return section.title_en, "report"
    return writer.labeller.term(title)


def _dataset(writer: GraphWriter, title: str, prose: bool, observations: list[TableObservation]) -> URIRef:
    kind = "headlines" if prose else "table"
    node = ID[f"bank/{writer.bank_key}/{kind}/{slug(title)}"]
    g = writer.graph
    g.add((node, RDF.type, FKG.StatisticalTable))
    g.add((node, RDF.type, QB.DataSet))
    en, source = _title_en(writer, title)
    if prose:
        writer.label(node, f"{title}（正文数据）", _english(f"{en} (figures in the text)"), source)
    else:
        writer.label(node, title, _english(en), source)
    lines = [o.span for o in observations]
    writer.source(node, writer.doc.span(min(s.start for s in lines), max(s.end for s in lines)))
    return node


def _observations(writer: GraphWriter, observations: tuple[TableObservation, ...], prose: bool) -> None:
    g = writer.graph
    by_table: dict[str, list[TableObservation]] = defaultdict(list)
    for o in observations:
        if o.period:  # every observation has its reference year
            by_table[o.table].append(o)
    metrics: dict[str, tuple[URIRef, str]] = {}
    columns: dict[str, str] = {}
    parents: dict[str, str] = {}  # the English of the rows that parts belong to
    for title, rows in by_table.items():
        # a part (其中：X) named like a whole row of its table (X) is no part of that row: it sits under a heading
        # row without values that the reader did not keep (国内最低监管资本要求 / 其中：资本充足率 8%); it is
        # kept apart from X as X of this table, as a generic row is
        wholes = {o.row.strip() for o in rows if not PART_ROW.match(o.row)}
        dataset = _dataset(writer, title, prose, rows)
        title_en = _english(_title_en(writer, title)[0])
        seen: set[URIRef] = set()
        for o in rows:
            node = ID[f"{writer.scope}/{'headlines' if prose else 'table'}/{slug(title)}/{slug(o.row)}/{slug(o.column)}"]
            if node in seen:  # the same row and column twice in one table: keep them apart by their order
                node = URIRef(f"{node}-{o.order}")
            seen.add(node)
            name = _metric_name(o.row, title)
            if PART_ROW.match(o.row) and name in wholes:
                name = f"{name}（{o.parent or title}）"
            if name not in metrics:
                metrics[name] = _metric(writer, name)
            metric, row_en = metrics[name]
            if _is_date(o.row):  # a balance row of a movement table: the balance at its date
                row_en = _english(f"Balance at {writer.labeller.term(o.row)[0]}")
            if o.column not in columns:
                columns[o.column] = _column_en(writer, o.column)
            g.add((node, RDF.type, FKG.MetricObservation))
            g.add((node, FKG.table, dataset))
            g.add((node, FKG.metric, metric))
            g.add((node, FKG.observedEntity, writer.bank))
            g.add((node, FKG.reportedIn, writer.report))
            g.add((node, FKG.rowLabel, Literal(o.row)))
            g.add((node, FKG.columnLabel, Literal(o.column)))
            g.add((node, FKG.refYear, Literal(o.period[:4], datatype=XSD.gYear)))
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", o.period) and (as_of := _gym(o.period)) is not None:
                g.add((node, FKG.asOf, as_of))
            g.add((node, FKG.value, _decimal(o.value)))
            g.add((node, FKG.printedValue, Literal(o.printed)))
            g.add((node, FKG.unit, writer.unit(o.unit)))
            g.add((node, FKG.order, Literal(o.order)))
            value_en = f"{_plain(o.value)} {o.unit}" if o.unit != "%" else f"{_plain(o.value)}%"
            in_table = row_en.removesuffix(f" ({title_en})")  # Others (Financial investments): the table is named first
            row_zh = o.row
            if PART_ROW.match(o.row):  # 其中：消费贷款, a part of the row above, named with it
                if o.parent and o.parent not in parents:
                    parents[o.parent] = _english(writer.labeller.term(o.parent, ("metric",))[0])
                parent_en = parents.get(o.parent or "")
                if parent_en:
                    in_table = in_table.removesuffix(f" ({parent_en})")
                if not in_table.lower().startswith("of which"):
                    in_table = f"of which: {in_table}"
                if parent_en:
                    in_table = f"{parent_en}, {in_table}"
                    row_zh = f"{o.parent}，{o.row}"
            if row_zh.strip() == title.strip():  # a table of one row named as the table: named once
                writer.label(node, f"{title}（{o.column}）：{o.printed}",
                             _english(f"{title_en} ({columns[o.column]}): {value_en}"), "composed")
            else:
                writer.label(node, f"{title}：{row_zh}（{o.column}）：{o.printed}",
                             _english(f"{title_en}: {in_table} ({columns[o.column]}): {value_en}"), "composed")
            writer.source(node, o.span)


def _plain(value: Decimal) -> str:
    """A value in an English label, with thousands separators as the report prints them: 1,513,700,000,000."""
    return format(value.normalize(), ",f") if value == value.to_integral() else format(value, ",f")


def add_tables(writer: GraphWriter, facts: ReportFacts) -> None:
    """``facts.tables`` and ``facts.headlines`` as observations, one data set per table (per chapter for prose)."""
    _observations(writer, facts.tables, prose=False)
    _observations(writer, facts.headlines, prose=True)


def add_awards(writer: GraphWriter, facts: ReportFacts) -> None:
    """Each award the bank received, with who gave it (several issuers are joined by 、) and when."""
    g = writer.graph
    for award in facts.awards:
        node = ID[f"bank/{writer.bank_key}/award/{slug(award.name + (award.date or ''))}"]
        g.add((node, RDF.type, FKG.Award))
        g.add((writer.bank, FKG.receivedAward, node))
        writer.add(node, FKG.date, _gym(award.date))
        name_en, source = writer.labeller.award(award.name)
        writer.label(node, award.name, _english(name_en), source)
        writer.source(node, award.span)
        for issuer in re.split(r"[、，,]", award.issuer or ""):
            if issuer.strip():
                g.add((node, FKG.awardedBy, writer.organization(issuer.strip(), award.span)))


def _body(writer: GraphWriter, facts: ReportFacts, name: str) -> tuple[URIRef, str] | None:
    """The node of the body or committee that met, and its Chinese name."""
    if name == "shareholders":  # the node GraphWriter gives 股东大会 in the organisation chart, with the same labels
        node = ID[f"bank/{writer.bank_key}/shareholders-meeting"]
        if (node, RDF.type, FKG.GoverningBody) not in writer.graph:
            writer.graph.add((node, RDF.type, FKG.GoverningBody))
            writer.graph.add((writer.bank, FKG.governingBody, node))
            en, source = writer.labeller.term("股东大会", ("body",))
            bank_zh = facts.bank.get("name_zh") or writer.doc.name
            bank_en = facts.bank.get("name_en") or writer.labeller.organization(bank_zh)[0]  # the bank node's English
            writer.label(node, f"{facts.bank.get('name_zh') or ''}股东大会", f"{en} of {bank_en}", source)
        return node, _BODY_ZH[name]
    if name in _BODY_ZH:
        return ID[f"bank/{writer.bank_key}/{name}"], _BODY_ZH[name]
    committee = next((c for c in facts.committees if c.name == name), None)
    if committee is not None:
        return ID[f"bank/{writer.bank_key}/committee/{committee.body}/{slug(committee.name)}"], name
    for zh, body in (("董事会", "board"), ("监事会", "supervisors")):
        if name.startswith(zh):  # 董事会专门委员会: the board's committees together
            return ID[f"bank/{writer.bank_key}/{body}"], name
    return None


def add_meetings(writer: GraphWriter, facts: ReportFacts) -> None:
    """Shareholders' general meetings (with their dates) and the meetings each body held in the year."""
    g = writer.graph
    year = writer.year
    for m in facts.meetings:
        found = _body(writer, facts, m.body)
        if found is None:
            continue
        body, body_zh = found
        body_en = _english(writer.labeller.term(body_zh, ("body", "committee_word"))[0])
        if m.date:
            name = m.name or f"{body_zh}会议"
            node = ID[f"bank/{writer.bank_key}/meeting/{slug(name)}/{m.date}"]
            g.add((node, FKG.date, _gym(m.date)))
            writer.label(node, f"{name}（{m.date}）", _english(f"{writer.labeller.term(name)[0]} ({m.date})"), "composed")
        elif m.count is not None:
            node = ID[f"bank/{writer.bank_key}/meetings/{slug(body_zh)}/{year or 'na'}"]
            g.add((node, FKG.meetingCount, Literal(m.count)))
            when_zh, when_en = (f"{year}年", f" in {year}") if year else ("", "")
            # a body that is itself a meeting (股东大会) is counted by its own name, not as "meetings of" it
            what_en = f"{body_en}s held" if body_en.endswith("Meeting") else f"Meetings of the {body_en}"
            writer.label(node, f"{body_zh}{when_zh}会议次数：{m.count}次", f"{what_en}{when_en}: {m.count}", "composed")
        else:
            continue
        g.add((node, RDF.type, FKG.Meeting))
        g.add((node, FKG.meetingOf, body))
        writer.source(node, m.span)


_OPINIONS = {"无保留": FKG.UnqualifiedOpinion, "带强调事项段的无保留": FKG.UnqualifiedOpinionWithEmphasis,
             "保留": FKG.QualifiedOpinion, "否定": FKG.AdverseOpinion, "无法表示": FKG.DisclaimerOfOpinion}
_SUBJECTS = {"financial_statements": (FKG.FinancialStatements, "财务报告", "financial statements"),
             "internal_control": (FKG.InternalControl, "财务报告内部控制", "internal control over financial reporting")}


def _term(writer: GraphWriter, term: URIRef) -> URIRef:
    """An individual of the ontology, with the ontology's own two labels in the data graph too, so that queries
    name it without the ontology (no label source: these triples are the ontology's, and go with it on export)."""
    if (term, RDFS.label, None) not in writer.graph:
        zh, en = term_labels()[str(term)]
        writer.graph.add((term, RDFS.label, Literal(zh, lang="zh")))
        writer.graph.add((term, RDFS.label, Literal(en, lang="en")))
    return term


def add_audit_opinions(writer: GraphWriter, facts: ReportFacts) -> None:
    """Each audit opinion: its kind, what it is about, the firm that issued it, the year, every sentence stating it."""
    g = writer.graph
    for o in facts.audit_opinions:
        subject, subject_zh, subject_en = _SUBJECTS[o.subject]
        node = ID[f"bank/{writer.bank_key}/audit-opinion/{o.subject.replace('_', '-')}/{o.year or 'undated'}"]
        g.add((node, RDF.type, FKG.AuditOpinion))
        g.add((writer.bank, FKG.auditOpinion, node))
        g.add((node, FKG.opinionType, _term(writer, _OPINIONS[o.kind])))
        g.add((node, FKG.auditSubject, _term(writer, subject)))
        if o.auditor:
            g.add((node, FKG.issuedBy, writer.organization(o.auditor, o.spans[0])))
        if o.year:
            g.add((node, FKG.fiscalYear, Literal(o.year, datatype=XSD.gYear)))
        year_zh, year_en = (f"{o.year}年度", f"{o.year} ") if o.year else ("", "")
        kind_zh, kind_en = term_labels()[str(_OPINIONS[o.kind])]
        writer.label(node, f"{year_zh}{subject_zh}审计意见：{kind_zh}",
                     f"Audit opinion on the {year_en}{subject_en}: {kind_en[0].lower()}{kind_en[1:]}", "composed")
        for span in o.spans:
            writer.source(node, span)


def add_open_source(writer: GraphWriter, facts: ReportFacts) -> None:
    """The bank's open-source projects (named as printed, in both languages) and the foundations incubating them."""
    g = writer.graph
    for p in facts.open_source:
        node = ID[f"bank/{writer.bank_key}/open-source/{slug(p.name)}"]
        g.add((node, RDF.type, FKG.OpenSourceProject))
        g.add((writer.bank, FKG.openSourceProject, node))
        writer.label(node, p.name, p.name, "report")
        if p.incubator:
            g.add((node, FKG.incubatedBy, writer.organization(p.incubator, p.spans[0])))
        for span in p.spans:
            writer.source(node, span)
