"""Regenerate tests/data/variant_report.txt and tests/data/gold/variant.json.

The variant is the bundled sample report (finkg/data/webank_2021_annual_report.txt)
with every bank / person / company / product name, the share-table numbers,
the key-accounting-data table and the people-table dates replaced, while the
line structure (interleaving, glued tokens, split names) stays the same.
Tests use it to prove the extractor hard-codes nothing from the sample.

Run:  python tests/data/make_variant.py
"""
from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = Path(__file__).resolve().parents[2] / "finkg/data/webank_2021_annual_report.txt"
SAMPLE_GOLD = HERE / "gold" / "sample.json"
OUT_TEXT = HERE / "variant_report.txt"
OUT_GOLD = HERE / "gold" / "variant.json"

# --------------------------------------------------------------------------
# 1. Name / string mapping (applied everywhere, longest key first, one pass).
#    A key also matches when the printed text splits it with a newline or
#    pads it with en/em spaces ("顾 敏", "顾  敏", "微\n粒贷"); the separator
#    is kept at the same character position in the replacement.
# --------------------------------------------------------------------------
PERSONS = {
    "顾敏": "韩松", "李南青": "赵文杰", "黄黎明": "孙建华", "林璟骅": "吴启航",
    "朱保国": "郑国栋", "林立": "何嘉", "黄宇铮": "冯志远", "曹伟": "唐毅",
    "廖子彬": "邓晓雯", "俞兵": "蒋涛", "方燕": "罗斌", "衣龙新": "高振宇",
    "万军": "沈丽", "周昭钦": "钱浩然", "徐晓光": "叶慧琳", "马智涛": "杜明远",
    "陈峭": "彭澄", "秦辉": "蔡勇", "王立鹏": "谢永康", "方震宇": "袁立诚",
    "俞洁": "范静", "马化腾": "陆海川", "夏美英": "潘月华", "黄爱莲": "钟秀兰",
    "张海燕": "谭晓梅", "马翠芳": "石玉珍",
    "David Ku": "Song Han", "Nanqing Li": "Wenjie Zhao",
}
# gender swaps (biographies/ change notes); the table cells are edited below
GENDER_SWAPS = {
    "廖子彬先生": "邓晓雯女士",  # male -> female
    "方燕女士": "罗斌先生",      # female -> male
    "万军先生": "沈丽女士",      # male -> female
}
SWAPPED_GENDER = {"廖子彬": "female", "方燕": "male", "万军": "female"}

BANK = {
    "深圳前海微众银行股份有限公司": "广州南沙汇川银行股份有限公司",
    "深圳前海微众银行": "广州南沙汇川银行",
    "微众": "汇川",  # 微众银行, 微众银行App, 微众人, ...
    "WeBank": "HCBank",
    "http://www.webank.com": "http://www.hcbank.cn",
    "95384": "96588",
    "2014年12月16日": "2015年3月18日",
    "广东省深圳市前海深港合作区前湾一路1号A栋201室（入驻深圳市前海商务秘书有限公司）":
        "广东省广州市南沙区海滨路171号南沙金融大厦11楼1101室（入驻广州市南沙商务秘书有限公司）",
    "广东省深圳市南山区沙河西路1819号深圳湾科技生态园7栋A座":
        "广东省广州市天河区珠江东路32号利通广场B座",
}
COMPANIES = {
    "腾讯网域": "星辰云图",  # 深圳市腾讯网域计|算机网络有限公司 keeps its split
    "腾讯": "星辰",
    "百业源": "千禾源",
    "立业集团": "恒远集团",
    "航天立业": "航天恒远",
    "淳永": "泓泰",
    "横岗投资": "坪山投资",
    "大河信德": "远山明德",
    "光汇石油": "蓝海能源",
    "文正科技": "华章科技",
    "科锐达": "瑞丰达",
    "世纪凯旋": "鼎盛华创",
    "国开博裕一期（上海）": "中金鸿图二期（北京）",
    "池杉久久": "松柏长青",
    "毕马威华振": "立信达华明",  # auditor; printed split 毕马威|华振 -> 立信达|华明
    "毕马威": "立信达",
}
PRODUCTS = {
    "微众企业爱普": "汇川企业管家",
    "微粒贷": "汇易贷",
    "微户贷": "汇商贷",
    "微账户": "易账户",
    "活期+": "随享+",
    "微业贷": "汇企贷",
    "科创贷款": "新锐贷款",
    "微闪贴": "汇速贴",
    "直通车": "快车道",
}
OPEN_SOURCE = {  # the bank's open-source projects
    "EventMesh": "StreamBridge",
    "Linkis": "Nexlink",
    "FISCOBCOS": "CHAINCORE",
    "FATE": "FEDRA",
    "WeDPR": "PrivaLink",
}
# dates in biographies / change notes, kept consistent with the table edits
BIO_DATES = {
    "2014年12月起担任本行董事长、执行董事、首席执行官": "2015年3月起担任本行董事长、执行董事、首席执行官",
    "自2014年12月起担任本行非执行董事": "自2015年3月起担任本行非执行董事",
    "自2020年12月起担任本行非执行董事": "自2019年6月起担任本行非执行董事",
    "自2021年4月起担任本行独立董事": "自2021年7月起担任本行独立董事",
    "自2020年12月起担任本行独立董事": "自2019年6月起担任本行独立董事",
    "2014年12月起担任本行首席信息官，2016年7月起担任本行": "2015年3月起担任本行首席信息官，2017年5月起担任本行",
    "2014年12月至2017年3月担任本行首席战略官，2014年12月至2016年5月兼任":
        "2015年3月至2017年3月担任本行首席战略官，2015年3月至2016年5月兼任",
    "2016年7月起担任本行副行长": "2017年5月起担任本行副行长",
    "其任职资格于2021年2月获深圳银保监局核准并于4月到任履职": "其任职资格于2021年6月获深圳银保监局核准并于7月到任履职",
    "职资格于2021年10月获深圳银保监局核准并到任履职": "职资格于2021年11月获深圳银保监局核准并到任履职",
}
MAPPING: dict[str, str] = {}
for part in (PERSONS, GENDER_SWAPS, BANK, COMPANIES, PRODUCTS, OPEN_SOURCE, BIO_DATES):
    MAPPING.update(part)

_SEP = r"(?:\n|[\u2002\u2003]+ ?)?"
_PATTERN = re.compile("|".join(
    _SEP.join(re.escape(c) for c in key)
    for key in sorted(MAPPING, key=len, reverse=True)))


def _sub(m: re.Match) -> str:
    s = m.group()
    key, seps, i = [], {}, 0
    while i < len(s):
        sep = re.match(r"\n|[\u2002\u2003]+ ?", s[i:]) if key else None
        if sep:
            seps[len(key)] = sep.group()
            i += len(sep.group())
        else:
            key.append(s[i])
            i += 1
    new = MAPPING["".join(key)]
    if not seps:
        return new
    out = []
    for k, ch in enumerate(new):
        if k and k in seps:
            out.append(seps[k])
        out.append(ch)
    for k in seps:  # separator beyond the new string's length: keep it before the last char
        if k >= len(new):
            out.insert(len(out) - 1, seps[k])
    return "".join(out)


def map_text(s: str) -> str:
    return _PATTERN.sub(_sub, s)


# --------------------------------------------------------------------------
# 2. Line-level edits of table cells (1-based line numbers of the sample).
#    (line, old substring, new substring); the old substring must be there.
# --------------------------------------------------------------------------
TOTAL = 4_800_000_000
SHARE_CLASSES = {"社会法人股": 4_440_000_000, "库存股": 360_000_000}
TOP10_SHARES = [1_497_600_000, 720_000_000, 624_000_000, 360_000_000, 333_000_000,
                175_200_000, 152_000_000, 130_000_000, 105_600_000, 98_400_000]


def fmt_int(v: int) -> str:
    return f"{v:,}"


def pct(v: int) -> str:
    return f"{v / TOTAL * 100:.2f}"


_P = [pct(v) for v in TOP10_SHARES]
LINE_EDITS = [
    # open-source counts, and the internal-control audit opinion (another kind of opinion)
    (94, "新增6个", "新增9个"),
    (95, "33个", "41个"),
    (1085, "已达33个", "已达41个"),
    (1816, "已有33个", "已有41个"),
    (1744, "出具了无保留意见的内部控制审计报告", "出具了带强调事项段的无保留意见的内部控制审计报告"),
    # 一、报告期内股份变动情况
    (1329, "3,850,000,000", fmt_int(SHARE_CLASSES["社会法人股"])),
    (1330, "350,000,000", fmt_int(SHARE_CLASSES["库存股"])),
    (1331, "4,200,000,000", fmt_int(TOTAL)),
    (1334, "91.67", pct(SHARE_CLASSES["社会法人股"])),
    (1335, "8.33", pct(SHARE_CLASSES["库存股"])),
    (1337, "91.67", pct(SHARE_CLASSES["社会法人股"])),
    (1338, "8.33", pct(SHARE_CLASSES["库存股"])),
    (1342, "3,850,000,000", fmt_int(SHARE_CLASSES["社会法人股"])),
    (1345, "350,000,000", fmt_int(SHARE_CLASSES["库存股"])),
    (1346, "4,200,000,000", fmt_int(TOTAL)),
    # 最大十名股东: shares (1371-1380) and percentages (1380-1389)
    (1371, "1,260,000,000", fmt_int(TOP10_SHARES[0])),
    (1372, "600,000,000", fmt_int(TOP10_SHARES[1])),
    (1373, "600,000,000", fmt_int(TOP10_SHARES[2])),
    (1374, "350,000,000", fmt_int(TOP10_SHARES[3])),
    (1375, "297,000,000", fmt_int(TOP10_SHARES[4])),
    (1376, "150,000,000", fmt_int(TOP10_SHARES[5])),
    (1377, "140,000,000", fmt_int(TOP10_SHARES[6])),
    (1378, "120,000,000", fmt_int(TOP10_SHARES[7])),
    (1379, "96,500,000", fmt_int(TOP10_SHARES[8])),
    (1380, "90,400,000持股比例（%）30.00", fmt_int(TOP10_SHARES[9]) + "持股比例（%）" + _P[0]),
    (1381, "14.29", _P[1]),
    (1382, "14.29", _P[2]),
    (1383, "8.33", _P[3]),
    (1384, "7.07", _P[4]),
    (1385, "3.57", _P[5]),
    (1386, "3.33", _P[6]),
    (1387, "2.86", _P[7]),
    (1388, "2.30", _P[8]),
    (1389, "2.1538", _P[9] + "38"),  # 38 = page number glued to the last pct
    # (一) 董事会人员构成: genders (9th 廖子彬 -> female, 11th 方燕 -> male), terms
    (1454, "男", "女"),
    (1456, "女", "男"),
    (1479, "2014年12月", "2015年3月"),
    (1480, "2015年10月", "2016年8月"),
    (1481, "2016年11月", "2017年9月"),
    (1482, "2014年12月", "2015年3月"),
    (1483, "2014年12月", "2015年3月"),
    (1484, "2014年12月", "2015年3月"),
    (1485, "2014年12月", "2015年3月"),
    (1486, "2020年12月", "2019年6月"),
    (1487, "2021年4月", "2021年7月"),
    (1488, "2020年12月", "2019年6月"),
    (1489, "2020年12月", "2019年6月"),
    (1490, "2020年12月", "2019年6月"),
    # (三) 监事会人员构成: 万军 -> female; terms
    (1510, "男", "女"),
    (1513, "2018年2月", "2018年9月"),
    (1514, "2014年12月", "2015年3月"),
    (1515, "2020年11月", "2020年5月"),
    # (五) 高级管理人员构成: since dates
    (1532, "2014年12月起", "2015年3月起"),
    (1533, "2015年10月起", "2016年8月起"),
    (1536, "2016年7月起", "2017年5月起"),
    (1537, "2014年12月起", "2015年3月起"),
    (1538, "2021年10月起", "2021年11月起"),
    (1539, "2020年6月起", "2020年9月起"),
    (1550, "2016年11月起任执行董事，2016年3月", "2017年9月起任执行董事，2017年2月"),
    (1551, "2014年12月起任首席信息官，2016年7月", "2015年3月起任首席信息官，2017年5月"),
]

# new people-table dates, keyed by the sample's (name, position)
TERM_START = {  # directors and supervisors
    "顾敏": "2015-03", "李南青": "2016-08", "黄黎明": "2017-09", "林璟骅": "2015-03",
    "朱保国": "2015-03", "林立": "2015-03", "黄宇铮": "2015-03", "曹伟": "2019-06",
    "廖子彬": "2021-07", "俞兵": "2019-06", "方燕": "2019-06", "衣龙新": "2019-06",
    "万军": "2018-09", "周昭钦": "2015-03", "徐晓光": "2020-05",
}
SINCE = {
    ("顾敏", "董事长"): "2015-03", ("顾敏", "首席执行官"): "2015-03",
    ("李南青", "执行董事"): "2016-08", ("李南青", "行长"): "2016-08",
    ("黄黎明", "执行董事"): "2017-09", ("黄黎明", "常务副行长"): "2017-02",
    ("马智涛", "副行长"): "2017-05", ("马智涛", "首席信息官"): "2015-03",
    ("陈峭", "副行长"): "2017-05", ("秦辉", "首席审计官"): "2015-03",
    ("王立鹏", "行长助理"): "2021-11", ("王立鹏", "首席财务官"): "2021-11",
    ("王立鹏", "董事会秘书"): "2021-11", ("方震宇", "行长助理"): "2020-09",
}

# --------------------------------------------------------------------------
# 3. Key accounting data table: all 72 values, printed column by column.
# --------------------------------------------------------------------------
YEAR_FACTOR = {2021: 1.137, 2020: 1.089, 2019: 1.214}


def new_metric(s: str, year: int, idx: int) -> str:
    """Same printed format, different value."""
    if s.endswith("%"):
        return f"{float(s[:-1]) * 1.07 + 0.13:.2f}%"
    neg = s.startswith("(")
    v = int(s.strip("()").replace(",", ""))
    v = round(v * YEAR_FACTOR[year]) + 1_000 * (idx + 1) + 7 * idx
    out = fmt_int(v)
    return f"({out})" if neg else out


def parse_num(s: str):
    neg = s.startswith("(")
    v = s.strip("()%").replace(",", "")
    v = float(v) if "." in v else int(v)
    return -v if neg else v


def printed(value, unit: str) -> str:
    if unit == "%":
        return f"{value:.2f}%"
    return f"({-value:,})" if value < 0 else f"{value:,}"


def main() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    gold = json.loads(SAMPLE_GOLD.read_text(encoding="utf-8"))

    # -- line edits
    lines = text.split("\n")
    for no, old, new in LINE_EDITS:
        line = lines[no - 1]
        assert line.count(old) == 1 or (line == old), (no, old, line)
        lines[no - 1] = line.replace(old, new, 1)
    text = "\n".join(lines)

    # -- key metrics (gold order: metric by metric, years 2021, 2020, 2019)
    km = gold["key_metrics"]
    metrics = list(dict.fromkeys(r["metric_zh"] for r in km))
    by = {(r["metric_zh"], r["year"]): r for r in km}
    anchor = "杠杆率2021年2020年2019年"
    cur = text.index(anchor) + len(anchor)
    new_values = {}
    planned = {(m, y): new_metric(printed(by[(m, y)]["value"], by[(m, y)]["unit"]), y, idx)
               for y in (2021, 2020, 2019) for idx, m in enumerate(metrics)}
    for y in (2021, 2020, 2019):  # the variant's balance sheet balances too: assets = liabilities + equity
        planned[("资产总额", y)] = fmt_int(parse_num(planned[("负债总额", y)]) + parse_num(planned[("股东权益", y)]))
    for year in (2021, 2020, 2019):
        for m in metrics:
            r = by[(m, year)]
            old = printed(r["value"], r["unit"])
            k = text.index(old, cur)
            assert text[cur:k].strip() == "", (m, year, text[cur:k])
            new = planned[(m, year)]
            assert new != old
            text = text[:k] + new + text[k + len(old):]
            cur = k + len(new)
            new_values[(m, year)] = parse_num(new)
    assert text[cur:].startswith("10DISCUSSION")

    # -- names, companies, products, bank data, biography dates
    text = map_text(text)
    OUT_TEXT.write_text(text, encoding="utf-8")

    # -- variant gold, derived from the sample gold
    def mp(row):
        return {k: map_text(v) if isinstance(v, str) else v for k, v in row.items()}

    var = {}
    var["bank_profile"] = [dict(mp(r), established="2015-03-18") for r in gold["bank_profile"]]
    var["share_capital"] = [dict(mp(r), shares=SHARE_CLASSES[r["class_zh"]],
                                 pct=float(pct(SHARE_CLASSES[r["class_zh"]])))
                            for r in gold["share_capital"]]
    var["shareholders"] = [dict(mp(r), shares=TOP10_SHARES[r["rank"] - 1],
                                pct=float(_P[r["rank"] - 1])) for r in gold["shareholders"]]
    var["major_shareholders"] = [mp(r) for r in gold["major_shareholders"]]
    for sec in ("directors", "supervisors"):
        var[sec] = [dict(mp(r), gender=SWAPPED_GENDER.get(r["name_zh"], r["gender"]),
                         term_start=TERM_START[r["name_zh"]]) for r in gold[sec]]
    var["senior_management"] = [dict(mp(r), gender=SWAPPED_GENDER.get(r["name_zh"], r["gender"]),
                                     since=SINCE[(r["name_zh"], r["position_zh"])])
                                for r in gold["senior_management"]]
    var["committees"] = [mp(r) for r in gold["committees"]]
    var["key_metrics"] = [dict(mp(r), value=new_values[(r["metric_zh"], r["year"])]) for r in km]
    var["products"] = [mp(r) for r in gold["products"]]
    OUT_GOLD.write_text(json.dumps(var, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    # -- self-checks
    assert text.count("\n") == SAMPLE.read_text(encoding="utf-8").count("\n")
    flat = re.sub(r"[\n\u2002\u2003 ]", "", text)
    survivors = [k for k in MAPPING if re.sub(r"\s", "", k) in flat]
    assert not survivors, survivors
    assert sum(SHARE_CLASSES.values()) == TOTAL
    assert TOP10_SHARES == sorted(TOP10_SHARES, reverse=True)
    print(f"wrote {OUT_TEXT} and {OUT_GOLD}")


if __name__ == "__main__":
    main()
