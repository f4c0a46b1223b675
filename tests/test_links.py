"""Issue 16: what a store knows across its reports: positions in time, observations per report, restatements,
and one entity across banks resolved on evidence (the store's links graph)."""

from __future__ import annotations

from decimal import Decimal

from finkg.api import query
from finkg.builder import build_graph
from finkg.cli import main
from finkg.store import LINKS_GRAPH, ReportStore

FKG = "https://w3id.org/finkg/ontology#"
ID = "https://w3id.org/finkg/id/"
WEBANK = f"{ID}bank/shen-zhen-qian-hai-wei-z-41e73a"


def _rows(store, text: str) -> list[dict]:
    with ReportStore(store) as s:
        return query(s.engine(), text)


def test_a_report_states_its_period_and_its_positions_are_members_during_it():
    graph = build_graph().graph
    rows = query(graph, f"""
        SELECT ?start ?end (COUNT(DISTINCT ?pos) AS ?positions) (COUNT(DISTINCT ?seat) AS ?seats) WHERE {{
          ?r a <{FKG}AnnualReport> ; <{FKG}reportPeriod> ?period .
          ?period <http://www.w3.org/2006/time#hasBeginning>/<http://www.w3.org/2006/time#inXSDDate> ?start ;
                  <http://www.w3.org/2006/time#hasEnd>/<http://www.w3.org/2006/time#inXSDDate> ?end .
          ?pos a <{FKG}Position> ; <http://www.w3.org/ns/org#memberDuring> ?period .
          ?seat a <{FKG}CommitteeMembership> ; <http://www.w3.org/ns/org#memberDuring> ?period .
        }} GROUP BY ?start ?end""")
    positions = query(graph, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p a <{FKG}Position> }}")[0]["n"]
    seats = query(graph, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p a <{FKG}CommitteeMembership> }}")[0]["n"]
    assert [(str(r["start"]), str(r["end"])) for r in rows] == [("2021-01-01", "2021-12-31")]
    assert rows[0]["positions"] == positions > 20 and rows[0]["seats"] == seats > 20


def test_each_report_keeps_its_own_observations_and_queries_take_the_latest(links_corpus):
    """营业收入 read from the sample's key-data table by hand: 2021 26,989,261; 2020 19,880,616; 2019
    14,870,331 (CNY thousand); the 2022 report prints them as 2022, 2021 and 2020."""
    with ReportStore(links_corpus) as s:
        engine = s.engine()
        both = query(engine, f"""
            SELECT ?ry ?value WHERE {{ ?o <{FKG}observedEntity> <{WEBANK}> ;
              <{FKG}metric>/<http://www.w3.org/2000/01/rdf-schema#label> "营业收入"@zh ;
              <{FKG}refYear> ?y ; <{FKG}value> ?value ; <{FKG}reportedIn>/<{FKG}reportYear> ?ry .
              FILTER(STR(?y) = "2021") FILTER NOT EXISTS {{ ?o <{FKG}table> ?t }} }} ORDER BY ?ry""")
        assert [(str(r["ry"]), r["value"]) for r in both] == [("2021", Decimal("26989261")),
                                                              ("2022", Decimal("19880616"))]
        trend = [r for r in query(engine, "metric_trend", metric="营业收入")
                 if r["bank_zh"] == "深圳前海微众银行股份有限公司"]
        assert [(str(r["year"]), r["value"], r["change"]) for r in trend] == [
            ("2019", Decimal("14870331"), None), ("2020", Decimal("14870331"), Decimal("0")),
            ("2021", Decimal("19880616"), Decimal("5010285")), ("2022", Decimal("26989261"), Decimal("7108645"))]
        compared = query(engine, "compare_banks", metric="Operating income", year="2021")
        assert [(r["bank_zh"], r["value"]) for r in compared] == [
            ("广州南沙汇川银行股份有限公司", Decimal("26989261")), ("深圳前海微众银行股份有限公司", Decimal("19880616"))]
        # each year of each bank once: 2019–2022 of the sample's bank (two reports), 2019–2021 of the other
        one = query(build_graph().graph, "key_metrics")
        metrics = query(engine, "key_metrics")
        assert len(metrics) == len(one) // 3 * 7
        # each row names its bank (its English as each report prints it): the key-data figures of two banks
        assert {(r["bank_zh"], r["bank_en"]) for r in metrics} == {
            ("深圳前海微众银行股份有限公司", "WeBank Co., Ltd."), ("广州南沙汇川银行股份有限公司", "HCBank Co., Ltd.")}
        assert [(str(r["year"]), r["value"]) for r in metrics
                if r["bank_zh"] == "深圳前海微众银行股份有限公司" and r["metric_zh"] == "营业收入"] == [
            ("2022", Decimal("26989261")), ("2021", Decimal("19880616")), ("2020", Decimal("14870331")),
            ("2019", Decimal("14870331"))]
        # what the queries leave out: the 2021 report's figures for 2020 and 2021, which the 2022 report prints
        # again, each superseded by the 2022 report's
        superseded = query(engine, f"""SELECT ?old ?new WHERE {{ ?old <{FKG}supersededBy> ?new .
            ?old <{FKG}reportedIn>/<{FKG}reportYear> ?a . ?new <{FKG}reportedIn>/<{FKG}reportYear> ?b .
            ?old <{FKG}refYear> ?y . ?new <{FKG}refYear> ?y . FILTER(STR(?a) = "2021" && STR(?b) = "2022") }}""")
        assert len(superseded) == len(one) // 3 * 2


def test_a_restatement_is_recorded_with_both_reports(links_corpus):
    rows = [r for r in _rows(links_corpus, "restatements") if r["metric_zh"] == "营业收入"]
    assert [(r["bank_zh"], str(r["year"]), str(r["earlier_report"]), r["earlier_value"], str(r["later_report"]),
             r["later_value"], r["unit"]) for r in rows] == [
        ("深圳前海微众银行股份有限公司", "2020", "2021", "19,880,616", "2022", "14,870,331", "CNY thousand"),
        ("深圳前海微众银行股份有限公司", "2021", "2021", "26,989,261", "2022", "19,880,616", "CNY thousand"),
    ]
    assert rows[1]["earlier_source"].startswith("webank_2021_annual_report.txt line")
    assert rows[1]["later_source"].startswith("webank_2022.txt line")
    # a figure both reports print alike is no restatement: the 2019 operating income appears in one report only,
    # and the other bank has one report
    assert {r["bank_zh"] for r in _rows(links_corpus, "restatements")} == {"深圳前海微众银行股份有限公司"}


def test_a_shareholder_of_two_banks_is_one_node_with_its_evidence(links_corpus):
    rows = [r for r in _rows(links_corpus, "cross_holdings") if r["shareholder_zh"] == "深圳市横岗投资股份有限公司"]
    # the top-ten table of the sample: 150,000,000 shares, 3.57%; the other bank is the sample renamed
    assert [(r["banks"], r["bank_zh"], str(r["as_of"]), r["shares"], r["pct"]) for r in rows] == [
        (2, "广州南沙汇川银行股份有限公司", "2021-12-31", 150000000, Decimal("3.57")),
        (2, "深圳前海微众银行股份有限公司", "2021-12-31", 150000000, Decimal("3.57")),
        (2, "深圳前海微众银行股份有限公司", "2022-12-31", 150000000, Decimal("3.57")),
    ]
    evidence = _rows(links_corpus, f"""
        SELECT ?evidence (COUNT(DISTINCT ?g) AS ?reports) WHERE {{
          GRAPH <{LINKS_GRAPH}> {{ ?x a <{FKG}EntityResolution> ; <{FKG}resolvedEntity> ?org ; <{FKG}evidence> ?evidence }}
          GRAPH ?g {{ ?org a <{FKG}Organization> }}
          ?org <http://www.w3.org/2000/01/rdf-schema#label> "深圳市横岗投资股份有限公司"@zh }} GROUP BY ?evidence""")
    assert [(r["evidence"], r["reports"]) for r in evidence] == [("full legal name", 3)]


def test_a_person_is_one_across_banks_only_with_a_common_employer(links_corpus):
    """The other bank's report is the sample renamed: its people have the same names and careers, but for one
    director whose employers were renamed. A person whose reports name a common employer is one person
    (owl:sameAs, the employers as evidence); the same name alone is no evidence."""
    same = _rows(links_corpus, f"""
        SELECT ?name ?employer WHERE {{
          ?a <http://www.w3.org/2002/07/owl#sameAs> ?b .
          ?a <http://www.w3.org/2000/01/rdf-schema#label> ?name FILTER(lang(?name) = "zh")
          ?x <{FKG}resolvedEntity> ?a ; <{FKG}evidence> "name and employer" ; <{FKG}sharedEmployer> ?e .
          ?e <http://www.w3.org/2000/01/rdf-schema#label> ?employer FILTER(lang(?employer) = "zh") }}""")
    by_name: dict[str, set[str]] = {}
    for r in same:
        by_name.setdefault(r["name"], set()).add(r["employer"])
    # the chairman's biography: 加入本行前曾任职于中国平安、麦肯锡 (in both reports)
    assert by_name["顾敏"] == {"中国平安", "麦肯锡"}
    # 曹伟's biography names 科锐达, 华平 and 波士顿咨询 in one report, three invented names in the other
    assert "曹伟" not in by_name
    cao = _rows(links_corpus, 'SELECT DISTINCT ?p WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> "曹伟"@zh }')
    assert len(cao) == 2
    gu = _rows(links_corpus, """SELECT DISTINCT ?p WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> "顾敏"@zh
                          FILTER NOT EXISTS { ?p <http://www.w3.org/2002/07/owl#sameAs> ?other } }""")
    assert len(gu) == 1  # the node the other is taken for


def test_the_links_follow_the_reports_a_store_holds(links_corpus, tmp_path, capsys):
    import shutil

    store = tmp_path / "s"
    shutil.copytree(links_corpus, store)
    (store / "finkg.lock").unlink(missing_ok=True)
    assert main(["remove", "webank_2022.txt", "--store", str(store)]) == 0
    capsys.readouterr()
    assert _rows(store, "restatements") == []
    assert main(["remove", "other_bank_2021.txt", "--store", str(store)]) == 0
    assert _rows(store, "cross_holdings") == []
    with ReportStore(store) as s:  # one report: nothing to link, no links graph
        assert LINKS_GRAPH not in {g.value for g in s.store.named_graphs()}


def test_a_banks_share_capital_is_dated_and_checked_year_by_year(links_corpus):
    """The totals of a bank's share capital hold at a date: each report's on a node of its date, none on the
    bank (one node across years); share_capital names the bank and date of each row, the latest first; and
    validate checks each date's classes against that date's total.  The sample prints 4,200,000,000 shares
    (股本 table, 合计) and 16 shareholders (股东总数为16家)."""
    from finkg.validate import share_checks

    rows = _rows(links_corpus, f"""
        SELECT ?bank ?as_of ?total ?holders WHERE {{
          ?c a <{FKG}ShareCapital> ; <{FKG}shareCapitalOf> ?bank ; <{FKG}asOf> ?as_of ; <{FKG}totalShares> ?total ;
             <{FKG}shareholderCount> ?holders }} ORDER BY ?bank ?as_of""")
    webank = [(str(r["as_of"]), int(r["total"]), int(r["holders"])) for r in rows if str(r["bank"]) == WEBANK]
    assert webank == [("2021-12-31", 4_200_000_000, 16), ("2022-12-31", 4_200_000_000, 16)]
    assert len(rows) == 3  # and the other bank's
    assert _rows(links_corpus, f"SELECT ?b WHERE {{ ?b a <{FKG}Bank> ; <{FKG}totalShares> ?t }}") == []
    capital = _rows(links_corpus, "share_capital")
    ours = [(r["as_of"], r["class_zh"]) for r in capital if r["bank_zh"] == "深圳前海微众银行股份有限公司"]
    assert [d for d, _ in ours] == sorted((d for d, _ in ours), reverse=True) and len({d for d, _ in ours}) == 2
    assert ours[:len(ours) // 2] == [("2022-12-31", c) for _, c in ours[len(ours) // 2:]]
    with ReportStore(links_corpus) as s:
        checks = share_checks(s.graph())
    sums = sorted(c.subject for c in checks if c.name == "share classes add up to the total shares")
    assert [x for x in sums if x.startswith("深圳前海微众")] == ["深圳前海微众银行股份有限公司 2021-12-31",
                                                            "深圳前海微众银行股份有限公司 2022-12-31"]
    assert len(sums) == 3 and all(c.passed for c in checks), [c.line() for c in checks if not c.passed]
