"""Biographies, organisations across sections, and the organisation chart, on the sample and on
the renamed variant (whose names are in no glossary)."""

from __future__ import annotations

from rdflib.namespace import RDF, RDFS

from finkg.ontology import FKG
from finkg.queries import run_query


def person(build, name):
    return [tuple(r) for r in run_query(build.graph, "person", {"name": name}).rows]


def test_education_and_careers_of_a_director(sample_build):
    rows = person(sample_build, "朱保国")
    assert ("朱保国", "Zhu Baoguo", "educated at", "河南师范大学", "Henan Normal University", "理学学士", None) in rows
    current = {r[3]: r[5] for r in rows if r[2] == "current role at"}
    assert current == {"深圳市百业源投资有限公司": "董事长", "健康元药业集团股份有限公司": "董事长",
                       "丽珠医药集团股份有限公司": "董事长"}
    former = {r[3] for r in rows if r[2] == "former employer"}
    assert former == {"河南新乡水性树脂研究所", "河南飞龙化学制品有限公司"}


def test_university_departments_keep_their_university(sample_build):
    rows = person(sample_build, "徐晓光")
    current = {r[3] for r in rows if r[2] == "current role at"}
    assert current == {"深圳大学", "深圳大学风险研究中心", "深圳大学经济学院", "中国数量经济学会"}
    assert ("徐晓光", "Xu Xiaoguang", "educated at", "吉林大学商学院", "Jilin University Business School", "经济学博士",
            None) in rows
    # the glossary's 经济学院 (School of Economics), not 经济 in pinyin before the legal form 学院
    assert ("深圳大学经济学院", "School of Economics, Shenzhen University") in {(r[3], r[4]) for r in rows}


def test_every_linked_director_and_supervisor_is_found(sample_build, variant_build):
    sample = {(r[0], r[3]) for r in run_query(sample_build.graph, "shareholder_links").rows}
    assert sample == {("周昭钦", "深圳市腾讯网域计算机网络有限公司"), ("曹伟", "深圳市科锐达贸易有限公司"),
                      ("朱保国", "深圳市百业源投资有限公司"), ("林璟骅", "深圳市腾讯网域计算机网络有限公司"),
                      ("林立", "深圳市立业集团有限公司"), ("黄宇铮", "深圳市淳永投资有限公司")}
    variant = {(r[0], r[3]) for r in run_query(variant_build.graph, "shareholder_links").rows}
    assert variant == {("钱浩然", "深圳市星辰云图计算机网络有限公司"), ("唐毅", "深圳市瑞丰达贸易有限公司"),
                       ("郑国栋", "深圳市千禾源投资有限公司"), ("吴启航", "深圳市星辰云图计算机网络有限公司"),
                       ("何嘉", "深圳市恒远集团有限公司"), ("冯志远", "深圳市泓泰投资有限公司")}


def test_a_group_and_its_member_company_are_two_linked_nodes(sample_build):
    g = sample_build.graph
    zh = lambda node: next(str(x) for x in g.objects(node, RDFS.label) if x.language == "zh")  # noqa: E731
    members = {(zh(m), zh(grp)) for m, grp in g.subject_objects(FKG.memberOf)}
    assert ("深圳市腾讯网域计算机网络有限公司", "腾讯集团") in members
    assert ("腾讯公司", "腾讯集团") in members
    assert ("深圳市航天立业实业发展有限公司", "深圳市立业集团有限公司") not in members  # 立业 is not at its start


def test_one_node_per_organisation_across_sections(sample_build):
    g = sample_build.graph
    orgs = [next(str(x) for x in g.objects(o, RDFS.label) if x.language == "zh") for o in g.subjects(RDF.type, FKG.Organization)]
    assert len(orgs) == len(set(orgs))
    baiyeyuan = next(o for o in g.subjects(RDF.type, FKG.Organization)
                     if (o, RDFS.label, None) in g and "深圳市百业源投资有限公司" in {str(x) for x in g.objects(o, RDFS.label)})
    assert list(g.subjects(FKG.employer, baiyeyuan)) and list(g.subjects(FKG.shareholder, baiyeyuan))


def test_professional_titles(sample_build):
    g = sample_build.graph
    titles = {(next(str(x) for x in g.objects(p, RDFS.label) if x.language == "zh"), str(t))
              for p, t in g.subject_objects(FKG.professionalTitle)}
    assert ("黄黎明", "正高级经济师") in titles and ("周昭钦", "中国注册会计师") in titles and ("徐晓光", "博士生导师") in titles


def test_organisation_chart(sample_build, variant_build):
    for build in (sample_build, variant_build):
        g = build.graph
        zh = lambda node: next(str(x) for x in g.objects(node, RDFS.label) if x.language == "zh")  # noqa: E731
        depts = {zh(d): zh(g.value(d, FKG.parentUnit)) for d in g.subjects(RDF.type, FKG.Department)}
        assert len(depts) == 45
        assert depts["审计部"].endswith("董事会") and depts["监事会办公室"].endswith("监事会")
        assert depts["零售信贷部"].endswith("高级管理层") and depts["资产负债管理及企划部"].endswith("高级管理层")
        management = next(g.subjects(RDF.type, FKG.SeniorManagement))
        assert zh(g.value(management, FKG.parentUnit)).endswith("董事会")
        board = next(g.subjects(RDF.type, FKG.BoardOfDirectors))
        assert zh(g.value(board, FKG.parentUnit)).endswith("股东大会")
