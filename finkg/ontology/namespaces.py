"""Namespaces of finkg and of the standard vocabularies it reuses.

``FKG`` is a :class:`rdflib.namespace.DefinedNamespace` with ``_fail = True``: a misspelt
term raises at import time of the code that uses it, not silently in the graph.
Every term below is declared and labelled (``@zh`` and ``@en``) in ``finkg.ttl``;
a test keeps the two lists equal.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/finkg/ontology"
ID = Namespace("https://w3id.org/finkg/id/")

ORG = Namespace("http://www.w3.org/ns/org#")
QB = Namespace("http://purl.org/linked-data/cube#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
SDMX_DIM = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_ATT = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
SDMX_MEA = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
OA = Namespace("http://www.w3.org/ns/oa#")
TIME = Namespace("http://www.w3.org/2006/time#")
FIBO_FSE = Namespace(
    "https://spec.edmcouncil.org/fibo/ontology/FBC/FunctionalEntities/FinancialServicesEntities/"
)
FIBO_CB = Namespace("https://spec.edmcouncil.org/fibo/ontology/BE/LegalEntities/CorporateBodies/")
FIBO_EXEC = Namespace(
    "https://spec.edmcouncil.org/fibo/ontology/BE/OwnershipAndControl/Executives/"
)
FIBO_COWN = Namespace(
    "https://spec.edmcouncil.org/fibo/ontology/BE/OwnershipAndControl/CorporateOwnership/"
)
FIBO_CCTL = Namespace(
    "https://spec.edmcouncil.org/fibo/ontology/BE/OwnershipAndControl/CorporateControl/"
)
FIBO_PAS = Namespace(
    "https://spec.edmcouncil.org/fibo/ontology/FBC/ProductsAndServices/FinancialProductsAndServices/"
)
FIBO_4217 = Namespace(
    "https://spec.edmcouncil.org/fibo/ontology/FND/Accounting/ISO4217-CurrencyCodes/"
)

PREFIXES: dict[str, str] = {
    "fkg": ONTOLOGY_IRI + "#",
    "id": str(ID),
    "org": str(ORG),
    "qb": str(QB),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "sdmx-dimension": str(SDMX_DIM),
    "sdmx-attribute": str(SDMX_ATT),
    "sdmx-measure": str(SDMX_MEA),
    "oa": str(OA),
    "time": str(TIME),
    "fibo-fbc-fct-fse": str(FIBO_FSE),
    "fibo-be-le-cb": str(FIBO_CB),
    "fibo-be-oac-exec": str(FIBO_EXEC),
    "fibo-be-oac-cown": str(FIBO_COWN),
    "fibo-be-oac-cctl": str(FIBO_CCTL),
    "fibo-fbc-pas-fpas": str(FIBO_PAS),
    "fibo-fnd-acc-4217": str(FIBO_4217),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "doap": "http://usefulinc.com/ns/doap#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class FKG(DefinedNamespace):
    """The finkg vocabulary (classes first, then properties, then named individuals)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # --- classes -------------------------------------------------------------
    AnnualReport: URIRef  # the document a graph was built from
    SourceSpan: URIRef  # a line span (and page) of a report that states a fact
    ReportSection: URIRef  # a chapter of a report, titled in Chinese and (as printed) in English
    Bank: URIRef
    Organization: URIRef  # any company, fund, firm, institution or authority
    Person: URIRef
    GoverningBody: URIRef
    BoardOfDirectors: URIRef
    BoardOfSupervisors: URIRef
    SeniorManagement: URIRef
    Committee: URIRef
    BoardCommittee: URIRef
    SupervisoryCommittee: URIRef
    Role: URIRef  # a position title: executive director, president ...
    Position: URIRef  # one appointment of one person to one role (an org:Membership)
    CommitteeRole: URIRef  # chair or member of a committee
    CommitteeMembership: URIRef
    ShareClass: URIRef
    ShareCapital: URIRef  # the totals of the share capital at a date (shares, shareholders)
    ShareCapitalComponent: URIRef  # shares and percentage of one class in the share capital
    Shareholding: URIRef  # a shareholder's stake in the bank
    MajorShareholderDisclosure: URIRef  # one row of the major-shareholder table
    BusinessSegment: URIRef
    Product: URIRef
    Metric: URIRef
    MetricCategory: URIRef
    Unit: URIRef
    MetricObservation: URIRef
    Conflict: URIRef  # two statements of the report that disagree, and which one was kept
    Restatement: URIRef  # two reports of a bank printing different values for one metric and year
    EntityResolution: URIRef  # why nodes of different banks' reports are one entity (owl:sameAs), with evidence
    Employment: URIRef  # a person's role at an organisation other than the bank (current or former)
    Education: URIRef  # a person's degree from an institution
    Department: URIRef  # a unit of the bank's organisation chart
    StatisticalTable: URIRef  # a table of the report, as an RDF Data Cube data set
    Award: URIRef  # an honour the bank received
    Meeting: URIRef  # a shareholders' general meeting (or a count of board meetings)
    ConsistencyCheck: URIRef  # an arithmetic check a report must satisfy, and its outcome
    AuditOpinion: URIRef  # an accounting firm's opinion on the financial statements or internal control
    OpinionType: URIRef  # unqualified, qualified, adverse, disclaimer …
    AuditSubject: URIRef  # financial statements | internal control
    OpenSourceProject: URIRef  # a project the bank released as open source (a doap:Project)

    # --- object properties ----------------------------------------------------
    sourceDocument: URIRef  # SourceSpan -> AnnualReport
    inSection: URIRef  # SourceSpan -> ReportSection
    sectionOf: URIRef  # ReportSection -> AnnualReport
    aboutEntity: URIRef  # AnnualReport -> Bank
    legalRepresentative: URIRef  # Bank -> Person
    auditor: URIRef  # Bank -> Organization
    internationalAuditor: URIRef  # Bank -> Organization (the IFRS auditor; a sub-property of auditor)
    regulator: URIRef  # Bank -> Organization
    governingBody: URIRef  # Bank -> GoverningBody
    committeeOf: URIRef  # Committee -> GoverningBody
    holdsPosition: URIRef  # Person -> Position
    role: URIRef  # Position/CommitteeMembership -> Role/CommitteeRole
    positionIn: URIRef  # Position -> GoverningBody
    person: URIRef  # Position/CommitteeMembership -> Person
    committee: URIRef  # CommitteeMembership -> Committee
    shareClass: URIRef  # ShareCapitalComponent/Shareholding -> ShareClass
    shareCapitalOf: URIRef  # ShareCapitalComponent -> Bank
    partOfComponent: URIRef  # ShareCapitalComponent -> the ShareCapitalComponent it is part of
    shareholder: URIRef  # Shareholding/MajorShareholderDisclosure -> Person|Organization
    shareholdingIn: URIRef  # Shareholding -> Bank
    hasShareholding: URIRef  # Person|Organization -> Shareholding
    controllingShareholder: URIRef  # Organization -> Person|Organization
    actualController: URIRef  # Organization -> Person|Organization
    concertParty: URIRef  # Organization -> Person|Organization
    ultimateBeneficiary: URIRef  # Organization -> Person|Organization
    offersProduct: URIRef  # Bank -> Product
    segment: URIRef  # Product -> BusinessSegment
    metric: URIRef  # MetricObservation -> Metric
    metricCategory: URIRef  # Metric -> MetricCategory
    unit: URIRef  # MetricObservation -> Unit
    currency: URIRef  # Unit -> ISO 4217 currency
    observedEntity: URIRef  # MetricObservation -> Bank
    conflictAbout: URIRef  # Conflict -> the node whose facts disagree
    keptSource: URIRef  # Conflict -> SourceSpan whose statement was kept
    rejectedSource: URIRef  # Conflict -> SourceSpan whose statement was set aside
    employer: URIRef  # Employment -> Organization
    institution: URIRef  # Education -> Organization
    memberOf: URIRef  # Organization -> Organization (a member company of a group)
    parentUnit: URIRef  # Department|GoverningBody -> GoverningBody|Department (organisation chart)
    table: URIRef  # MetricObservation -> StatisticalTable
    awardedBy: URIRef  # Award -> Organization
    receivedAward: URIRef  # Bank|Product -> Award
    meetingOf: URIRef  # Meeting -> GoverningBody
    checks: URIRef  # ConsistencyCheck -> the nodes whose values it checks
    auditOpinion: URIRef  # Bank -> AuditOpinion
    opinionType: URIRef  # AuditOpinion -> OpinionType
    auditSubject: URIRef  # AuditOpinion -> AuditSubject
    issuedBy: URIRef  # AuditOpinion -> Organization (the accounting firm)
    openSourceProject: URIRef  # Bank -> OpenSourceProject
    incubatedBy: URIRef  # OpenSourceProject -> Organization (a foundation)

    # --- datatype properties --------------------------------------------------
    shortName: URIRef
    phone: URIRef
    website: URIRef
    registeredAddress: URIRef
    officeAddress: URIRef
    establishedDate: URIRef
    businessScope: URIRef
    gender: URIRef  # "male" or "female"
    startDate: URIRef  # xsd:date, xsd:gYearMonth or xsd:gYear as printed
    endDate: URIRef  # Position -> the end of a past appointment
    aShareCode: URIRef  # Bank -> literal
    hShareCode: URIRef  # Bank -> literal
    shareholderNature: URIRef  # Shareholding -> literal@zh
    pledgedShares: URIRef  # Shareholding -> integer
    shares: URIRef  # xsd:integer
    percentage: URIRef  # xsd:decimal, in percent (30.0 for 30.00%)
    rank: URIRef  # xsd:integer
    asOf: URIRef  # xsd:date
    totalShares: URIRef
    shareholderCount: URIRef
    printedValue: URIRef  # the value as the report prints it
    printedText: URIRef  # a table cell as the report prints it
    refYear: URIRef  # xsd:gYear of an observation
    value: URIRef  # xsd:decimal, in the observation's unit
    unitScale: URIRef  # xsd:decimal factor to the base unit (1000 for CNY thousand)
    startLine: URIRef  # 1-based, inclusive
    endLine: URIRef  # 1-based, inclusive
    page: URIRef  # 1-based page of the source file, where known
    endPage: URIRef  # 1-based last page of a span over pages (PDF)
    quote: URIRef  # the source text of a fact
    sha256: URIRef  # of the source file
    fileName: URIRef
    labelSource: URIRef  # how the English label was made: report|glossary|composed|mixed|pinyin
    conflictNote: URIRef
    order: URIRef  # xsd:integer, the row order in the printed table
    title: URIRef  # a job title as printed (Employment), in Chinese
    current: URIRef  # xsd:boolean: the role is held now (现任) rather than before (曾任)
    degree: URIRef  # Education: 学士, 硕士, MBA …
    field: URIRef  # Education: the subject (工商管理, 会计学 …)
    professionalTitle: URIRef  # Person: 高级经济师, 中国注册会计师 …
    rowLabel: URIRef  # MetricObservation: the table row as printed
    columnLabel: URIRef  # MetricObservation: the table column as printed
    date: URIRef  # xsd:date (or gYearMonth) of an award or a meeting
    meetingCount: URIRef  # xsd:integer: meetings a body held in the period
    passed: URIRef  # xsd:boolean: a ConsistencyCheck holds
    expected: URIRef  # xsd:decimal: what the arithmetic gives
    actual: URIRef  # xsd:decimal: what the report prints
    fiscalYear: URIRef  # xsd:gYear: the financial year an audit opinion covers
    reportYear: URIRef  # xsd:gYear: the financial year an annual report covers
    tripleCount: URIRef  # xsd:integer: the triples of a report's graph in a store (its catalogue)
    reportPeriod: URIRef  # the time:Interval of the financial year an annual report covers
    reportedIn: URIRef  # the annual report an observation is printed in
    earlierObservation: URIRef  # Restatement -> the observation of the earlier report
    laterObservation: URIRef  # Restatement -> the observation of the later report
    supersededBy: URIRef  # MetricObservation -> the latest report's observation of the same metric and year
    previousObservation: URIRef  # MetricObservation -> the same metric's observation of the year before
    resolvedEntity: URIRef  # EntityResolution -> each node taken for the one entity
    sharedEmployer: URIRef  # EntityResolution -> the employer both reports name for a person
    evidence: URIRef  # EntityResolution -> "full legal name" or "name and employer"

    # --- named individuals ----------------------------------------------------
    Chair: URIRef  # a CommitteeRole
    Member: URIRef  # a CommitteeRole
    CNYThousand: URIRef  # a Unit
    Percent: URIRef  # a Unit
    CNY: URIRef  # a Unit
    UnqualifiedOpinion: URIRef  # an OpinionType (无保留意见)
    UnqualifiedOpinionWithEmphasis: URIRef  # an OpinionType (带强调事项段的无保留意见)
    QualifiedOpinion: URIRef  # an OpinionType (保留意见)
    AdverseOpinion: URIRef  # an OpinionType (否定意见)
    DisclaimerOfOpinion: URIRef  # an OpinionType (无法表示意见)
    FinancialStatements: URIRef  # an AuditSubject
    InternalControl: URIRef  # an AuditSubject
