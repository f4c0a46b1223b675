"""What the extractors find: small frozen records, each with the span it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .document import Sourced, Span


@dataclass(frozen=True)
class Definition:
    terms: tuple[str, ...]  # 微众银行、微众、本行 → three terms
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
    english_names: dict[str, str] = field(default_factory=dict)  # 顾敏 → David Ku, as printed
    missing: tuple[str, ...] = ()  # what could not be found, for the user
