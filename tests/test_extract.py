"""Each extractor on the part of the sample it reads, with the traps that part holds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from finkg.builder.document import Document
from finkg.builder.extract import bank, major, metrics, people, products, shares
from finkg.builder.readers import read_document
from finkg.builder.sections import segment


@pytest.fixture(scope="module")
def doc():
    from finkg.builder import sample_path

    return read_document(sample_path())


@pytest.fixture(scope="module")
def sections(doc):
    return segment(doc)


def test_chapters_are_found_with_both_titles(sections):
    keys = [s.key for s in sections]
    assert keys == ["notes", "corporate_info", "chairman", "president", "key_data", "mda", "risk", "shares",
                    "people", "governance", "esg", "material", "financial", "documents", "awards"]
    people_ = next(s for s in sections if s.key == "people")
    assert people_.title_zh == "董事、监事、高级管理人员、机构和员工情况"
    assert people_.title_en.startswith("Information of Directors, Supervisors, Senior Management")


def test_a_chinese_title_glued_to_body_text_is_cut_by_the_table_of_contents(sections):
    awards = next(s for s in sections if s.key == "awards")
    assert awards.title_zh == "荣誉与奖项"


def test_profile_values_printed_before_their_labels_are_paired(doc, sections):
    profile = bank.bank_profile(doc, sections, bank.definitions(doc, sections))
    assert profile.get("legal_rep") == "顾敏"
    assert profile.get("name_en") == "WeBank Co., Ltd."
    assert profile.get("phone") == "95384"
    assert profile.get("established") == "2014-12-16"
    assert [a.value for a in profile.aliases] == ["微众银行", "微众", "本行"]
    assert profile.auditor.value == "毕马威华振会计师事务所（特殊普通合伙）"
    assert profile.get("business_scope").startswith("吸收公众、主要是个人及小微企业存款")
    assert profile.get("business_scope").endswith("经银行业监督管理机构和有关部门批准的其他业务。")


def test_profile_in_label_value_lines():
    text = "CORPORATE INFORMATION\n基本情况简介\n中文名称：某某银行股份有限公司\n英文名称：Some Bank Co., Ltd.\n" \
           "法定代表人：张三\n客服电话：95555\n网址：www.somebank.cn\n成立日期：2016年1月2日\n"
    d = Document.from_text("t.txt", text)
    profile = bank.bank_profile(d, segment(d), [])
    assert profile.get("name_zh") == "某某银行股份有限公司"
    assert profile.get("legal_rep") == "张三"
    assert profile.get("website") == "www.somebank.cn"
    assert profile.get("established") == "2016-01-02"


def test_repair_english_name():
    assert bank.repair_english_name("WeBankCo.,Ltd.") == "WeBank Co., Ltd."
    assert bank.repair_english_name("China  Merchants Bank Co., Ltd.") == "China Merchants Bank Co., Ltd."


def test_definitions_in_three_blocks(doc, sections):
    defs = bank.definitions(doc, sections)
    assert [(d.terms, d.meaning) for d in defs][2] == (("中国银保监会",), "中国银行保险监督管理委员会")
    assert defs[-1].meaning == "毕马威华振会计师事务所（特殊普通合伙）"


def test_key_metrics_read_column_by_column_with_glued_numbers(doc, sections):
    rows = metrics.key_metrics(doc, sections)
    assert len(rows) == 72
    by = {(r.metric, r.year): r for r in rows}
    assert by[("经营活动产生的现金流量净额", 2021)].value == Decimal("33863453")
    assert by[("资产总额", 2021)].value == Decimal("438747807")
    assert by[("信用减值损失", 2019)].value == Decimal("-5519570")
    assert by[("杠杆率", 2019)].unit == "%" and by[("杠杆率", 2019)].value == Decimal("5.52")
    wrapped = by[("同业及其他金融机构存放、拆入和卖出回购金融资产款项", 2020)]
    assert wrapped.value == Decimal("37397259") and wrapped.category == "规模指标"
    assert by[("营业收入", 2021)].unit == "CNY thousand"


def test_key_metrics_row_per_line():
    text = ("KEY ACCOUNTING DATA\n会计数据和财务指标摘要\n项目 2021年 2020年\n全年经营成果（人民币百万元）\n"
            "营业收入 1,234 1,000\n净利润 (12) 34\n资产质量指标\n不良贷款率 1.50% 1.60%\n")
    d = Document.from_text("t.txt", text)
    rows = metrics.key_metrics(d, segment(d))
    assert [(r.metric, r.year, r.value, r.unit) for r in rows] == [
        ("营业收入", 2021, Decimal("1234"), "CNY million"), ("营业收入", 2020, Decimal("1000"), "CNY million"),
        ("净利润", 2021, Decimal("-12"), "CNY million"), ("净利润", 2020, Decimal("34"), "CNY million"),
        ("不良贷款率", 2021, Decimal("1.50"), "%"), ("不良贷款率", 2020, Decimal("1.60"), "%")]


def test_share_capital_and_top_ten(doc, sections):
    defs = bank.definitions(doc, sections)
    capital = shares.share_capital(doc, sections, shares.report_period_end(defs, doc))
    assert capital.as_of == "2021-12-31"
    assert [(c.name, c.shares, c.pct) for c in capital.classes] == [
        ("社会法人股", 3850000000, Decimal("91.67")), ("库存股", 350000000, Decimal("8.33"))]
    assert capital.total.value == 4200000000 and capital.shareholder_count.value == 16
    top = shares.top_shareholders(doc, sections, capital.total.value)
    assert [r.rank for r in top] == list(range(1, 11))
    assert top[9].pct == Decimal("2.15")  # printed "2.1538": the page number 38 is glued on


def test_major_shareholder_table_is_rebuilt_from_its_fragments(doc, sections):
    top = shares.top_shareholders(doc, sections, 4200000000)
    rows = {r.shareholder: r for r in major.major_shareholders(doc, sections, top)}
    assert len(rows) == 5
    first = rows["深圳市腾讯网域计算机网络有限公司"]
    assert first.controlling == ("深圳市世纪凯旋科技有限公司",) and first.actual_controller == ("马化腾",)
    assert first.concert == () and first.beneficiary == ("深圳市腾讯网域计算机网络有限公司",)
    fourth = rows["深圳市淳永投资有限公司"]
    assert fourth.controlling == ("国开博裕一期（上海）股权投资合伙企业（有限合伙）",)
    assert fourth.actual_controller == ("夏美英", "黄爱莲")
    assert rows["深圳市百业源投资有限公司"].actual_controller == ()  # printed "-"


def test_people_tables_and_split_date_cells(doc, sections):
    rows, bios, conflicts = people.people(doc, sections)
    board = [r for r in rows if r.body == "board"]
    assert len(board) == 12 and board[10].name == "方燕" and board[10].gender == "female"
    sup = [r for r in rows if r.body == "supervisors"]
    assert [a.role for a in sup[0].appointments] == ["监事长", "职工监事"]
    mgmt = {r.name: r for r in rows if r.body == "management"}
    assert [(a.role, a.start) for a in mgmt["黄黎明"].appointments] == [("执行董事", "2016-11"), ("常务副行长", "2016-03")]
    assert [(a.role, a.start) for a in mgmt["马智涛"].appointments] == [("副行长", "2016-07"), ("首席信息官", "2014-12")]
    assert [a.role for a in mgmt["王立鹏"].appointments] == ["行长助理", "首席财务官", "董事会秘书"]
    assert {c.subject for c in conflicts} == {"王立鹏", "方震宇"}
    assert len(bios) == 20


def test_committees_are_assigned_to_the_board_their_members_sit_on(doc, sections):
    rows, _, _ = people.people(doc, sections)
    found = people.committees(doc, sections, rows)
    by = {(c.body, c.name): c for c in found}
    assert ("supervisors", "提名委员会") in by  # printed inside the supervisors table
    assert by[("board", "审计委员会")].chair == "廖子彬"
    assert by[("board", "审计委员会")].members == ("衣龙新", "俞兵", "黄宇铮", "曹伟")
    assert sum(1 + len(c.members) for c in found) == 27


def test_products_with_segments(doc, sections):
    found = {p.name: p.segment for p in products.products(doc, sections)}
    assert found["微众企业爱普App"] == "企业银行"
    assert found["微粒贷经营版（微户贷）"] == "个人银行"
    assert "汽车金融" not in found and "企业+" not in found
