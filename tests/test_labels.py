"""English labels pinned by hand, kind by kind, against the rules of the glossary, composition
and pinyin; the SHACL shapes; the `finkg labels` listing; no pinyin in the English of figures."""

from __future__ import annotations

import re
import subprocess
import sys
from calendar import month_name
from functools import cache
from pathlib import Path

import pytest
from pypinyin import Style, lazy_pinyin
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from finkg.api import with_ontology
from finkg.builder.labels import Labeller, pinyin_name
from finkg.ontology import FKG, load_glossary
from finkg.ontology.namespaces import QB
from finkg.ontology.shacl import validate
from finkg.queries import run_query


@pytest.fixture(scope="module")
def labeller():
    return Labeller(load_glossary())


METRICS = {
    "营业收入": "Operating income", "拨备前营业利润": "Operating profit before impairment losses",
    "信用减值损失": "Credit impairment losses", "净利润": "Net profit", "资产总额": "Total assets",
    "负债总额": "Total liabilities", "客户存款": "Customer deposits", "不良贷款率": "Non-performing loan ratio",
    "拨备覆盖率": "Provision coverage ratio", "流动性覆盖率": "Liquidity coverage ratio",
    "净稳定资金比例": "Net stable funding ratio", "核心一级资本充足率": "Core tier-one capital adequacy ratio",
    "资本充足率": "Capital adequacy ratio", "杠杆率": "Leverage ratio", "利息净收入": "Net interest income",
    "手续费及佣金净收入": "Net fee and commission income", "风险加权资产": "Risk-weighted assets",
    "净息差": "Net interest margin", "成本收入比": "Cost-to-income ratio", "发放贷款和垫款净额": "Net loans and advances",
}
POSITIONS = {
    "董事长": "Chairman", "执行董事": "Executive Director", "非执行董事": "Non-executive Director",
    "独立董事": "Independent Director", "监事长": "Chairman of the Board of Supervisors", "职工监事": "Employee Supervisor",
    "外部监事": "External Supervisor", "股东监事": "Shareholder Supervisor", "行长": "President",
    "常务副行长": "Executive Vice President", "副行长": "Vice President", "行长助理": "Assistant President",
    "首席执行官": "Chief Executive Officer", "首席财务官": "Chief Financial Officer",
    "首席信息官": "Chief Information Officer", "首席审计官": "Chief Audit Officer", "董事会秘书": "Secretary to the Board",
}
COMMITTEES = {
    "战略与ESG委员会": "Strategy and ESG Committee", "审计委员会": "Audit Committee",
    "风险管理及消费者权益保护委员会": "Risk Management and Consumer Rights Protection Committee",
    "关联交易控制委员会": "Related Party Transactions Control Committee",
    "提名与薪酬委员会": "Nomination and Remuneration Committee", "监督委员会": "Supervision Committee",
    "提名委员会": "Nomination Committee",
}
DEPARTMENTS = {
    "董事会办公室": "Office of the Board of Directors", "审计部": "Audit Department",
    "零售信贷部": "Retail Credit Department", "风险管理部": "Risk Management Department",
    "法律合规部": "Legal and Compliance Department", "财务会计部": "Finance and Accounting Department",
    "人力资源部": "Human Resources Department", "消费者权益保护部": "Consumer Rights Protection Department",
    "上海灾备中心": "Shanghai Disaster Recovery Center", "武汉研发中心": "Wuhan R&D Center",
}
COMPANIES = {  # composed: place, pinyin of the proper name, known words, legal form
    "深圳市百业源投资有限公司": "Shenzhen Baiyeyuan Investment Co., Ltd.",
    "深圳市立业集团有限公司": "Shenzhen Liye Group Co., Ltd.",
    "深圳市淳永投资有限公司": "Shenzhen Chunyong Investment Co., Ltd.",
    "深圳市科锐达贸易有限公司": "Shenzhen Keruida Trading Co., Ltd.",
    "深圳市横岗投资股份有限公司": "Shenzhen Henggang Investment Co., Ltd.",
    "深圳市大河信德企业管理有限公司": "Shenzhen Dahexinde Enterprise Management Co., Ltd.",
    "深圳光汇石油集团股份有限公司": "Shenzhen Guanghui Petroleum Group Co., Ltd.",
    "深圳市世纪凯旋科技有限公司": "Shenzhen Shijikaixuan Technology Co., Ltd.",
    "深圳池杉久久股权投资中心（有限合伙）": "Shenzhen Chishanjiujiu Equity Investment Center (Limited Partnership)",
    "立信达华明会计师事务所（特殊普通合伙）": "Lixindahuaming Certified Public Accountants LLP",
    "深圳市千禾源投资有限公司": "Shenzhen Qianheyuan Investment Co., Ltd.",
    "深圳市恒远集团有限公司": "Shenzhen Hengyuan Group Co., Ltd.",
    "杭州市余杭区某某科技有限公司": "Hangzhou Yuhang District Moumou Technology Co., Ltd.",
    "毕马威华振会计师事务所（特殊普通合伙）": "KPMG Huazhen LLP",
    "中国银行保险监督管理委员会": "China Banking and Insurance Regulatory Commission",
}
PRINTED = {  # a name printed in Latin letters beside a Chinese alias: the printed English, glued words spaced
    "NUStreamHoldingsInc.（加拿大新趋势）": ("NUStream Holdings Inc.", "report"),
    "华盛科技控股有限公司（Huasheng Technology Holdings Limited）": ("Huasheng Technology Holdings Limited", "report"),
    "GlobalLinkCapitalLimited（环联资本）": ("GlobalLinkCapital Limited", "report"),
    "ABC（上海）": ("ABC (Shanghai)", "composed"),  # a place in brackets is no alias
}


@pytest.mark.parametrize("zh, expected", PRINTED.items())
def test_printed_english_beside_a_chinese_alias(labeller, zh, expected):
    assert labeller.organization(zh) == expected
PEOPLE = {
    "王立鹏": "Wang Lipeng", "李南青": "Li Nanqing", "徐晓光": "Xu Xiaoguang", "欧阳明远": "Ouyang Mingyuan",
    "司马静": "Sima Jing", "诸葛亮": "Zhuge Liang", "曾国藩": "Zeng Guofan", "单雄信": "Shan Xiongxin",
    "解缙": "Xie Jin", "钱多": "Qian Duo",
}
PRODUCTS = {  # a pinyin name plus a translated kind; the bank's own short name in its English form
    "微粒贷": "Weili Loan", "微业贷": "Weiye Loan", "科创贷款": "Sci-tech Innovation Loan", "微闪贴": "Weishan Discount",
    "微众银行App": "WeBank App", "微众企业爱普App": "WeBank Enterprise Aipu App", "活期+": "Demand Deposit+",
    "微粒贷经营版（微户贷）": "Weili Loan Business Edition (Weihu Loan)",
    "微账户": "Micro Account",  # a kind after one character: the character's English, not a lone syllable
}


def test_at_least_eighty_names_and_terms_are_pinned():
    assert sum(map(len, (METRICS, POSITIONS, COMMITTEES, DEPARTMENTS, COMPANIES, PEOPLE, PRODUCTS))) >= 80


@pytest.mark.parametrize("zh, en", METRICS.items())
def test_metric(labeller, zh, en):
    assert labeller.term(zh, ("metric",)) == (en, "glossary")


@pytest.mark.parametrize("zh, en", POSITIONS.items())
def test_position(labeller, zh, en):
    assert labeller.term(zh, ("position",)) == (en, "glossary")


@pytest.mark.parametrize("zh, en", COMMITTEES.items())
def test_committee(labeller, zh, en):
    assert labeller.term(zh, ("committee_word",))[0] == en


@pytest.mark.parametrize("zh, en", DEPARTMENTS.items())
def test_department(labeller, zh, en):
    assert labeller.term(zh, ("department",))[0] == en


@pytest.mark.parametrize("zh, en", COMPANIES.items())
def test_company(labeller, zh, en):
    assert labeller.organization(zh)[0] == en


@pytest.mark.parametrize("zh, en", PEOPLE.items())
def test_person(zh, en):
    assert pinyin_name(zh) == en


@pytest.mark.parametrize("zh, en", PRODUCTS.items())
def test_product(labeller, zh, en):
    assert labeller.product(zh, {"微众银行": "WeBank", "微众": "WeBank"})[0] == en


def test_report_english_comes_first(sample_build):
    rows = {r["name_zh"]: r["name_en"] for r in run_query(sample_build.graph, "directors").dicts()}
    assert rows["顾敏"] == "David Ku" and rows["李南青"] == "Nanqing Li"  # printed beside the statements
    (bank,) = run_query(sample_build.graph, "bank_profile").dicts()
    assert bank["name_en"] == "WeBank Co., Ltd."


def test_variant_gets_english_of_the_same_quality(variant_build):
    rows = {r["name_zh"]: r["name_en"] for r in run_query(variant_build.graph, "shareholders").dicts()}
    assert rows["深圳市千禾源投资有限公司"] == "Shenzhen Qianheyuan Investment Co., Ltd."
    assert rows["深圳市瑞丰达贸易有限公司"] == "Shenzhen Ruifengda Trading Co., Ltd."
    products = {r["product_zh"]: r["product_en"] for r in run_query(variant_build.graph, "products").dicts()}
    assert products["汇川银行App"] == "HCBank App"


def test_sample_graph_conforms_to_the_shapes(sample_build, variant_build):
    for build in (sample_build, variant_build):
        report = validate(with_ontology(build.graph))
        assert report.conforms, report.text[:2000]


def test_a_missing_english_label_fails_with_a_clear_report(sample_build):
    g = with_ontology(sample_build.graph)
    person = next(s for s, o in g.subject_objects(RDFS.label) if o == Literal("Wang Lipeng", lang="en"))
    g.remove((person, RDFS.label, Literal("Wang Lipeng", lang="en")))
    g.add((URIRef("https://w3id.org/finkg/id/x"), RDFS.label, Literal("某", lang="zh")))
    g.add((URIRef("https://w3id.org/finkg/id/x"), RDFS.label, Literal("Mǒu", lang="en")))
    g.add((URIRef("https://w3id.org/finkg/id/y"), RDFS.label, Literal("y", lang="zh-CN")))
    report = validate(g)
    assert not report.conforms
    text = "\n".join(report.lines)
    assert "needs exactly one English label" in text and "wang-li-peng" in text
    assert "pinyin tone marks" in text and "id/x" in text
    assert "labels are tagged exactly zh or en" in text and "id/y" in text


def test_labels_command_filters_by_source(tmp_path):
    out = tmp_path / "out"
    run = lambda *a: subprocess.run([sys.executable, "-m", "finkg.cli", *a], capture_output=True, text=True)  # noqa: E731
    assert run("build", "-q", "-o", str(out)).returncode == 0
    graph = str(out / "graph.ttl")
    pinyin = run("labels", "-g", graph, "--source", "pinyin", "--format", "csv").stdout.splitlines()
    assert pinyin[0] == "entity,class,label_zh,label_en,source"
    assert all(line.endswith(",pinyin") for line in pinyin[1:]) and any(",王立鹏,Wang Lipeng," in x for x in pinyin)
    report = run("labels", "-g", graph, "--source", "report", "--format", "csv").stdout
    assert ",顾敏,David Ku,report" in report
    ok = run("validate", "-g", graph)
    assert ok.returncode == 0 and "conforms" in ok.stdout


def test_user_glossary_overrides_for_build(tmp_path):
    mine = tmp_path / "mine.csv"
    mine.write_text("zh,en,kind\n深圳市百业源投资有限公司,Baiyeyuan Investment,org\n营业收入,Revenue,metric\n",
                    encoding="utf-8")
    from finkg.builder import build_graph

    g = build_graph(glossary=mine).graph
    holders = {r["name_zh"]: r["name_en"] for r in run_query(g, "shareholders").dicts()}
    assert holders["深圳市百业源投资有限公司"] == "Baiyeyuan Investment"
    metrics = {r["metric_zh"]: r["metric_en"] for r in run_query(g, "key_metrics").dicts()}
    assert metrics["营业收入"] == "Revenue"


# --- composed English: the grammar of a term, dates, honest sources -------------------------------

TERMS = {  # the sample's metrics and table titles that were pinyin or half pinyin
    "其他（负债结构及变动情况）": "Others (Liability structure and changes)",
    "其他（资产结构及变动情况）": "Others (Asset structure and changes)",
    "合计（贷款按五级分类的分布情况）": "Total (Distribution of loans by five-category classification)",
    "吸收客户存款": "Customer deposits",
    "提取一般风险准备": "Appropriation to general risk reserve",
    "股东权益余额": "Balance of shareholders' equity",
    "管理资产余额": "Balance of assets under management",
    "贷款净额占总资产": "Net loans as a share of total assets",
    "风险偏好达标率": "Risk appetite compliance rate",
    "产品综合可用率": "Overall product availability rate",
    "其他无形资产（不含土地使用权）扣减与之相关的递延税负债后的净额":
        "Other intangible assets other than land use rights, net of related deferred tax liabilities",
    "2021年12月31日": "31 December 2021",
    "资本充足率及资本构成": "Capital adequacy ratio and composition of capital",
    "营业收入构成及变动情况": "Composition of operating income and changes",
    "股东权益变动情况": "Changes in shareholders' equity",
    "本年度贷款减值准备的计提和核销情况": "Charge and write-off of allowance for loan impairment losses for the year",
    "新增开源项目数": "Number of new open source projects",
}
UNSEEN_TERMS = {  # not in the sample: the same grammar on other words
    "金融科技项目负责人": "Financial Technology Programme Leader",
    "提取法定盈余公积": "Appropriation to statutory surplus reserve",
    "个人贷款占贷款总额的比例": "Personal loans as a share of total loans",
    "净利润占营业收入比重": "Net profit as a share of operating income",
    "贷款按行业划分的分布情况": "Distribution of loans by industry",
    "存款结构及变动情况": "Structure of deposits and changes",
    "负债构成及变动情况": "Composition of liabilities and changes",
    "贷款减值准备的变动": "Changes in allowance for loan impairment losses",
    "其他资产余额": "Balance of other assets",
    "新增客户数": "Number of new customers",
    "其他无形资产（不含土地使用权）": "Other intangible assets (excluding land use rights)",
    "截至2021年末的贷款余额": "Loan balance as at end of 2021",
    "2020年6月30日": "30 June 2020",
    "2021年末": "End of 2021",
    "2021年12月": "December 2021",
    "2021年第一次临时股东大会": "2021 First Extraordinary General Meeting",
    "2020年度股东大会": "2020 Annual General Meeting",
}
MEDIA = {  # award issuers: well-known media, in the glossary
    "人民日报社": "People's Daily", "第一财经": "Yicai", "南方日报": "Nanfang Daily",
    "南方都市报": "Southern Metropolis Daily", "21世纪经济报道": "21st Century Business Herald",
    "经济观察报": "The Economic Observer", "澎湃新闻": "The Paper", "新周刊": "New Weekly", "财联社": "Cailian Press",
    "南方+": "Nanfang Plus",
}


@pytest.mark.parametrize("zh, en", TERMS.items())
def test_term_of_the_sample_is_english(labeller, zh, en):
    assert labeller.term(zh)[0] == en


@pytest.mark.parametrize("zh, en", UNSEEN_TERMS.items())
def test_term_is_composed_by_its_grammar(labeller, zh, en):
    assert labeller.term(zh) == (en, "composed")


@pytest.mark.parametrize("zh, en", MEDIA.items())
def test_well_known_media(labeller, zh, en):
    assert labeller.organization(zh) == (en, "glossary")


def test_composition_says_pinyin_when_pinyin_is_most_of_it(labeller):
    # compose() is for names (no dictionary): what no glossary knows is pinyin
    assert labeller.compose("百业源天玑企业") == ("Baiyeyuantianji Enterprise", "pinyin")
    assert labeller.compose("乡村振兴金融创新企业") == ("Rural Revitalization Financial Innovation Enterprise", "composed")
    # the proper name is the smaller part, but pinyin all the same: mixed, never composed (issue 17)
    assert labeller.compose("深圳市百业源投资有限公司") == ("Shenzhen Baiyeyuan Investment Co., Ltd.", "mixed")
    assert labeller.compose("其他（负债结构及变动情况）")[1] == "composed"
    bank = {"微众银行": "WeBank", "微众": "WeBank"}
    assert labeller.product("微粒贷", bank) == ("Weili Loan", "pinyin")
    assert labeller.product("微众银行App", bank) == ("WeBank App", "composed")


def test_grammar_words_stay_pinyin_inside_a_name(labeller):
    assert labeller.organization("中和投资有限公司")[0] == "Zhonghe Investment Co., Ltd."  # 和 is part of the name
    assert labeller.organization("深圳市第三届和第四届政协")[0] == "Shenzhen Third and Fourth CPPCC"  # 和 between words


@pytest.mark.parametrize("build", ["sample_build", "variant_build"])
def test_glossary_holds_none_of_the_reports_own_names(request, build):
    (facts,) = request.getfixturevalue(build).facts
    own = {p.name for p in facts.people} | {s.name for s in facts.shareholders} | {p.name for p in facts.products}
    own |= {facts.bank.get("name_zh"), facts.bank.get("short_zh")} | {a.value for a in facts.bank.aliases}
    own -= {None, "本行"}
    assert len(own) > 30
    assert not own & {e.zh for e in load_glossary()}


# --- no pinyin in the English of figures ------------------------------------------------------------

SYLLABLES = frozenset(s for s in lazy_pinyin("".join(map(chr, range(0x4E00, 0x9FA6))), style=Style.NORMAL)
                      if s.isascii() and s.isalpha()) - {"m", "n", "ng", "hm", "hng", "r", "o", "lo", "yo", "io", "ei"}
# English words that happen to spell pinyin syllables (Share = sha-re, Tier = ti-er): the glossary's English
# (not names of places, organisations, departments, regulators, which may be pinyin), months (June = ju-ne) and a few more
ENGLISH = {w.lower() for e in load_glossary() if e.kind not in ("org", "place", "department", "regulator")
           for w in re.findall(r"[A-Za-z]+", e.en)} | {m.lower() for m in month_name if m} | {
    "change", "share", "due", "area", "age", "manage"}
# the glossary's names (places, organisations): pinyin words that are the name's English (Shenzhen, Nankai)
GLOSSARY_NAMES = {w.lower() for e in load_glossary() for w in re.findall(r"[A-Za-z]+", e.en)}
FIGURE_CLASSES = (FKG.Metric, FKG.MetricCategory, FKG.StatisticalTable, QB.DataSet, FKG.MetricObservation, FKG.Unit)


@cache
def _spells_pinyin(word: str) -> bool:
    return not word or any(word[:k] in SYLLABLES and _spells_pinyin(word[k:]) for k in range(1, min(6, len(word)) + 1))


def pinyin_in(label: str) -> list[str]:
    """The words of an English label that read as toneless pinyin and are no English word:
    Fuzhaijiegoujibiandongqingkuang, Zhan, Yue — not Share, Tier or Balance."""
    return [w for w in re.findall(r"[A-Za-z]+", label) if w.lower() not in ENGLISH and _spells_pinyin(w.lower())]


@pytest.mark.parametrize("label", [
    "Others (Fuzhaijiegoujibiandongqingkuang)", "Total (Loan Anwujifenleidefenbuqingkuang)", "Xishou Customer deposits",
    "Tiqu General risk reserve", "Shareholders' equity Yue", "Net loans Zhan Total assets", "Risk Pianhaodabiaolv",
    "Product Zonghekeyonglv", "2021 Nian 12 Yue 31 Ri", "Management Cengtaolunyufenxi (figures in the text)",
])
def test_the_pinyin_checker_finds_pinyin(label):
    assert pinyin_in(label)


@pytest.mark.parametrize("label", [*TERMS.values(), *UNSEEN_TERMS.values(), "Tier-one capital adequacy ratio",
                                   "Asset structure and changes (2021-12-31 Share)", "Change on the previous year-end"])
def test_the_pinyin_checker_passes_english(label):
    assert not pinyin_in(label)


@pytest.mark.parametrize("build", ["sample_build", "variant_build"])
def test_figures_tables_and_observations_have_no_pinyin(request, build):
    graph = request.getfixturevalue(build).graph
    labels = {(node, str(label)) for cls in FIGURE_CLASSES for node in graph.subjects(RDF.type, cls)
              for label in graph.objects(node, RDFS.label) if label.language == "en"}
    assert len(labels) > 400
    assert not {label: words for _, label in labels if (words := pinyin_in(label))}


def test_dates_are_not_read_as_pinyin(sample_build):
    g = sample_build.graph
    english = {str(zh): str(en) for node in g.subjects(RDF.type, FKG.Metric)
               for zh in g.objects(node, RDFS.label) if zh.language == "zh"
               for en in g.objects(node, RDFS.label) if en.language == "en"}
    dated = {zh: en for zh, en in english.items() if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", zh)}
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", en) for en in dated.values()), dated


def test_award_issuers_that_are_media_have_their_english_name(sample_build):
    g = sample_build.graph
    issuers = {str(zh): str(en) for node in g.objects(None, FKG.awardedBy)
               for zh in g.objects(node, RDFS.label) if zh.language == "zh"
               for en in g.objects(node, RDFS.label) if en.language == "en"}
    found = {zh: issuers[zh] for zh in MEDIA if zh in issuers}
    assert len(found) >= 8 and found == {zh: MEDIA[zh] for zh in found}


@pytest.mark.parametrize("zh, en, source", [("复旦大学管理学院", "School of Management, Fudan University", "composed"),
                                            ("厦门大学经济学院", "School of Economics, Xiamen University", "composed"),
                                            ("南开大学金融学院", "School of Finance, Nankai University", "composed"),
                                            ("英国伦敦大学伦敦政治经济学院",
                                             "London School of Economics and Political Science, University of London",
                                             "composed"),
                                            ("吉林大学商学院", "Jilin University Business School", "composed")])
def test_a_school_of_a_university_is_the_glossary_word_not_pinyin_and_college(labeller, zh, en, source):
    """管理学院 is a glossary word that ends in the legal form 学院: the name splits before the word; 复旦大学 is
    the glossary's, not 复旦 in pinyin and 大学; a school "of" something comes first, then its university."""
    assert labeller.organization(zh) == (en, source)


_LABELS: dict[int, list[dict]] = {}


def labels_of(build) -> list[dict]:
    """The rows of the named query labels for a build, run once per build (the tests below share them)."""
    if id(build) not in _LABELS:
        _LABELS[id(build)] = run_query(build.graph, "labels").dicts()
    return _LABELS[id(build)]


# --- issue 17: honest sources, every labelled node listed, the bank's own English, the longest word ----------------


def test_finkg_labels_lists_every_labelled_node_with_its_class(sample_build):
    rows = labels_of(sample_build)
    labelled = set(sample_build.graph.subjects(FKG.labelSource, None))
    assert {r["entity"] for r in rows} == {str(s) for s in labelled} and len(rows) == len(labelled) > 1500
    classes = {r["class"] for r in rows}
    assert {"Department", "Position", "Award", "StatisticalTable", "Unit", "OpenSourceProject", "Education",
            "Product", "Person", "Bank", "Metric", "MetricObservation", "SourceSpan"} <= classes
    by_zh = {(r["class"], r["label_zh"]): r for r in rows}
    assert by_zh[("Department", "风险管理部")]["label_en"] == "Risk Management Department"
    assert by_zh[("Department", "风险管理部")]["source"] == "glossary"
    assert by_zh[("OpenSourceProject", "FATE")]["source"] == "report"


def test_no_label_made_with_pinyin_is_called_composed(sample_build, variant_build):
    """A label with a pinyin word finkg made (not a personal name) is mixed or pinyin, never composed: the seven
    mostly-pinyin awards the issue found tagged composed among them."""
    for build in (sample_build, variant_build):
        rows = labels_of(build)
        composed = [r for r in rows if r["source"] == "composed" and r["class"] != "Person"]
        people = {w for r in rows if r["class"] == "Person" for w in re.findall(r"[A-Za-z]+", r["label_en"])}
        wrong = [(r["label_zh"], r["label_en"]) for r in composed
                 if [w for w in pinyin_in(r["label_en"]) if w not in people and w.lower() not in GLOSSARY_NAMES]]
        assert wrong == []
    rows = {r["label_zh"]: r for r in labels_of(sample_build) if r["class"] == "Award"}
    assert rows["最佳普惠金融中小银行"]["source"] in ("mixed", "pinyin") or \
        not pinyin_in(rows["最佳普惠金融中小银行"]["label_en"])
    assert rows["Best Digital Bank in China"]["source"] == "report"


def test_labels_source_option_takes_mixed(tmp_path, sample_build):
    graph = tmp_path / "g.ttl"
    sample_build.graph.serialize(graph, format="turtle")
    proc = subprocess.run([sys.executable, "-m", "finkg.cli", "labels", "-g", str(graph), "--source", "mixed",
                           "--format", "csv"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) > 10 and all(line.endswith(",mixed") for line in lines[1:])
    assert any(",Organization," in line and "Co., Ltd." in line for line in lines[1:])  # a company's pinyin name


def test_the_banks_own_english_is_used_inside_composed_labels(sample_build, variant_build):
    awards = {r["label_zh"]: r["label_en"] for r in labels_of(sample_build)
              if r["class"] == "Award"}
    name = next(zh for zh in awards if zh.startswith("微众银行 | 微众企业"))
    assert awards[name].startswith("WeBank | WeBank Enterprise+ — ESG ")
    assert not any("Weizhong" in en for en in awards.values())
    variant = [r["label_en"] for r in labels_of(variant_build) if r["class"] == "Award"]
    assert variant and not any("Huichuan" in en for en in variant)


def test_the_cut_prefers_the_longest_word_over_a_character_left_alone():
    from finkg.ontology import GlossaryEntry

    words = [("中国", "China", "place"), ("中国银行", "Bank of China", "org"), ("银行业", "Banking", "word"),
             ("应用经济学", "Applied Economics", "word"), ("应用", "Applied", "word"), ("经济", "Economic", "word"),
             ("学科", "Discipline", "word"), ("负责人", "Head", "position")]
    lab = Labeller(tuple(GlossaryEntry(*w) for w in words))
    assert lab._cut("中国银行业") == ["中国", "银行业"]
    assert lab._cut("应用经济学科负责人") == ["应用", "经济", "学科", "负责人"]
    assert lab._cut("中国银行") == ["中国银行"]  # the longest word when nothing is left alone
    assert lab._cut("ESG 中国2021") == ["ESG", " ", "中国", "2021"]


HAND_CHECKED = Path(__file__).parent / "data" / "labels_hand_checked.tsv"


def _hand_checked() -> list[tuple[str, str, str]]:
    lines = [line for line in HAND_CHECKED.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return [tuple(line.split("\t")) for line in lines[1:]]


def test_hand_checked_labels_of_the_sample(sample_build):
    """English labels read and judged good by hand: awards, degrees, careers, products, tables, metrics,
    meetings and units (issue 17 asks for at least 120 more than before)."""
    checked = _hand_checked()
    assert len(checked) >= 120 and {c for c, _, _ in checked} >= {"Award", "Education", "Employment", "Product",
                                                                   "StatisticalTable", "Metric"}
    graph = {(r["class"], r["label_zh"]): r["label_en"] for r in labels_of(sample_build)}
    wrong = [(cls, zh, graph.get((cls, zh)), en) for cls, zh, en in checked if graph.get((cls, zh)) != en]
    assert wrong == []


# proper names inside award names that no dictionary translates (天玑 is a star of the Big Dipper)
PROPER_NAMES = {"Tianji"}
TERM_CLASSES = ("Award", "Education", "StatisticalTable", "Unit", "Meeting", "Metric", "MetricCategory", "Role",
                "Department", "Position", "CommitteeMembership", "Product")


def test_no_pinyin_in_terms_outside_names_and_brands(sample_build, variant_build):
    """The detector: in the English of awards, degrees, tables, units, meetings, metrics, roles, departments and
    positions, every word is English, a personal name, or the name of a place or organisation the glossary gives;
    a product keeps its brand in pinyin (Weili Loan) but no other word."""
    for build in (sample_build, variant_build):
        rows = labels_of(build)
        people = {w for r in rows if r["class"] == "Person" for w in re.findall(r"[A-Za-z]+", r["label_en"])}
        # a product's name is a brand: its pinyin (Weili, Aipu) is kept, there and inside awards
        brands = {w for r in rows if r["class"] == "Product" for w in pinyin_in(r["label_en"])}
        brands |= PROPER_NAMES
        found = {}
        for r in rows:
            if r["class"] in TERM_CLASSES and r["source"] != "report":
                spelled = [w for w in pinyin_in(r["label_en"])
                           if w not in people and w not in brands and w.lower() not in GLOSSARY_NAMES]
                if spelled:
                    found[(r["class"], r["label_zh"])] = (r["label_en"], spelled)
        assert found == {}


def test_cedict_choices_are_the_same_before_and_after_the_cache_exists(tmp_path):
    """Without the cache a sense is chosen for the words asked about and the cache is written at the end
    of the process; the next process reads the cache and gives the same English."""
    script = ("from finkg.builder import dictionary as d; w = d._english_words(); "
              "print(type(w).__name__, d.english('银行家'), d.english('创新'), d.english('负责人'), "
              "d.english('理学'), d.english('不是一个词'))")
    env = {**__import__("os").environ, "TMPDIR": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
            for _ in range(2)]
    assert runs[0].stdout.split() == ["_Index", "banker", "innovation", "person", "in", "charge", "science",
                                      "None"]
    assert runs[1].stdout.split() == ["dict", *runs[0].stdout.split()[1:]]
    assert len(list(tmp_path.glob("finkg-cedict-*.marshal"))) == 1
    assert list(tmp_path.glob("*.tmp")) == []


def test_cedict_index_chooses_as_the_whole_dictionary_does():
    from finkg.builder import dictionary

    index = dictionary._Index(dictionary._source())
    every = index.every()
    assert len(every) > 80_000
    words = sorted(every)[::97] + ["银行家", "学科", "不是一个词", "A"]
    assert {w: index.get(w) for w in words} == {w: every.get(w) for w in words}
