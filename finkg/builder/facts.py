"""What the extractors find: small frozen records, each with the span it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .document import Sourced, Span

PART_ROW = re.compile(r"^\s*其中\s*[:：]")  # a table row that is part of the row above it: 其中：消费贷款


@dataclass(frozen=True)
class Definition:
    terms: tuple[str, ...]  # 某某银行、某某、本行 → three terms
    meaning: str
    span: Span


@dataclass(frozen=True)
class BankProfile:
    fields: dict[str, Sourced[str]]  # name_zh, name_en, short_zh, short_en, legal_rep, ...
    aliases: tuple[Sourced[str], ...] = ()
    regulators: tuple[Sourced[str], ...] = ()
    auditor: Sourced[str] | None = None

    def get(self, key: str) -> str | None:
        item = self.fields.get(key)
        return item.value if item else None


@dataclass(frozen=True)
class ShareClassRow:
    name: str
    shares: int
    pct: Decimal
    order: int
    span: Span
    parent: str | None = None  # the class this one is part of (人民币普通股 of 无限售条件股份), as printed


@dataclass(frozen=True)
class ShareCapital:
    classes: tuple[ShareClassRow, ...]
    total: Sourced[int] | None
    shareholder_count: Sourced[int] | None
    as_of: str | None


@dataclass(frozen=True)
class ShareholderRow:
    rank: int
    name: str
    shares: int
    pct: Decimal
    span: Span
    nature: str | None = None  # 国有法人, 境内非国有法人 … as printed
    share_class: str | None = None  # 人民币普通股, H股 … as printed
    pledged: int | None = None  # shares pledged, marked or frozen


@dataclass(frozen=True)
class MajorShareholderRow:
    order: int
    shareholder: str
    controlling: tuple[str, ...]
    actual_controller: tuple[str, ...]
    concert: tuple[str, ...]
    beneficiary: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class Appointment:
    role: str  # 执行董事
    start: str | None  # ISO date, year-month or year
    end: str | None = None  # the end of a past appointment (离任), with the precision printed


@dataclass(frozen=True)
class PersonRow:
    """One row of a people table: directors, supervisors or senior management."""

    body: str  # "board" | "supervisors" | "management"
    order: int
    name: str
    gender: str | None  # "male" | "female"
    appointments: tuple[Appointment, ...]
    span: Span


@dataclass(frozen=True)
class Biography:
    name: str
    gender: str | None
    roles: tuple[str, ...]
    text: str
    span: Span


@dataclass(frozen=True)
class CommitteeRow:
    name: str
    body: str  # "board" | "supervisors"
    chair: str | None
    members: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class ProductRow:
    name: str
    segment: str | None
    span: Span


@dataclass(frozen=True)
class MetricRow:
    metric: str
    category: str | None
    year: int
    value: Decimal
    printed: str
    unit: str  # "CNY thousand" | "%" | "CNY"
    order: int
    span: Span  # the line of the value
    label_span: Span | None = None  # the line(s) of the row label, when printed apart


@dataclass(frozen=True)
class Conflict:
    subject: str  # the person or entity concerned
    kept: str
    rejected: str
    kept_span: Span
    rejected_span: Span
    note: str


@dataclass(frozen=True)
class EmploymentRow:
    person: str
    organization: str
    title: str  # as printed: 董事长, 法定代表人、执行董事、总经理 …
    current: bool  # 现任 (True) or 曾任/任职于 (False)
    span: Span


@dataclass(frozen=True)
class EducationRow:
    person: str
    institution: str
    degree: str | None  # 学士, 硕士, 博士, MBA, EMBA
    field: str | None  # 工商管理, 会计学 …
    span: Span


@dataclass(frozen=True)
class DepartmentRow:
    name: str
    parent: str | None  # the governing body or unit above it, as named in the chart
    order: int
    span: Span


@dataclass(frozen=True)
class TableObservation:
    """One value of one of the report's tables (every table but the key-data one)."""

    table: str  # the table's title as the report gives it (its heading)
    row: str  # row label as printed
    column: str  # column label as printed (a date, 金额, 占比, 本年同比增减 …)
    value: Decimal
    printed: str
    unit: str  # "CNY thousand", "%", "CNY", "CNY hundred million", "persons" …
    period: str | None  # ISO date or year the value refers to
    order: int
    span: Span
    parent: str | None = None  # a part's row (其中：X): the row above it that it is part of, as printed


@dataclass(frozen=True)
class AwardRow:
    name: str
    issuer: str | None
    date: str | None  # ISO date or year-month
    span: Span


@dataclass(frozen=True)
class MeetingRow:
    body: str  # "shareholders" | "board" | "supervisors" | a committee name
    date: str | None  # ISO date of one meeting, or None for a count
    name: str | None  # 2020年度股东大会 …
    count: int | None  # meetings held in the period
    span: Span


@dataclass(frozen=True)
class AuditOpinionRow:
    subject: str  # "financial_statements" | "internal_control"
    kind: str  # 无保留 | 带强调事项段的无保留 | 保留 | 否定 | 无法表示 (the opinion is the kind + 意见)
    auditor: str | None  # the accounting firm
    year: str | None  # the financial year audited
    spans: tuple[Span, ...]  # every sentence that states it


@dataclass(frozen=True)
class OpenSourceProject:
    name: str  # as printed: EventMesh, FISCOBCOS …
    incubator: str | None  # the foundation whose incubator took it in (Apache软件基金会), if the report says so
    spans: tuple[Span, ...]  # every sentence that names it as the bank's open-source project


@dataclass(frozen=True)
class ReportFacts:
    bank: BankProfile
    definitions: tuple[Definition, ...] = ()
    share_capital: ShareCapital | None = None
    shareholders: tuple[ShareholderRow, ...] = ()
    major_shareholders: tuple[MajorShareholderRow, ...] = ()
    people: tuple[PersonRow, ...] = ()
    biographies: tuple[Biography, ...] = ()
    committees: tuple[CommitteeRow, ...] = ()
    products: tuple[ProductRow, ...] = ()
    metrics: tuple[MetricRow, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    employments: tuple[EmploymentRow, ...] = ()
    educations: tuple[EducationRow, ...] = ()
    professional_titles: tuple[tuple[str, str, Span], ...] = ()  # (person, title, span)
    departments: tuple[DepartmentRow, ...] = ()
    tables: tuple[TableObservation, ...] = ()
    headlines: tuple[TableObservation, ...] = ()  # figures stated in prose (table = the section title)
    awards: tuple[AwardRow, ...] = ()
    meetings: tuple[MeetingRow, ...] = ()
    audit_opinions: tuple[AuditOpinionRow, ...] = ()
    open_source: tuple[OpenSourceProject, ...] = ()
    controlling_shareholder: Sourced[str] | None = None  # the bank's own, as the shares chapter names it
    actual_controller: Sourced[str] | None = None
    english_names: dict[str, str] = field(default_factory=dict)  # 张三 → San Zhang, as printed
    missing: tuple[str, ...] = ()  # what could not be found, for the user
