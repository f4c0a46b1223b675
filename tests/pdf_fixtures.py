"""PDF fixtures of the sample report, generated (never committed): the same report three ways.

:func:`report_blocks` lays the sample out as a designed report would print it: chapter headings
(English title in capitals, then the Chinese title), prose taken from the bundled sample text,
and bordered tables whose contents come from the hand-checked gold (``tests/data/gold/sample.json``).
The blocks are then

* written as text, one paragraph or table row per line (:func:`text_rendition`), the shape the
  text reader's row-per-line paths read;
* rendered by reportlab with an embedded CJK TrueType font (:func:`render_reportlab`): A4, a running
  header and page numbers, the biographies in two columns, the key-data table broken across two pages
  with its header row repeated;
* printed by headless Chromium from HTML with a Noto CJK font (:func:`render_chromium`): other
  margins, borders drawn by the browser, an unruled definitions table, Kangxi-radical look-alikes
  (⾏ for 行) put into the text on purpose to exercise the normaliser.

:func:`bad_pdfs` makes the broken inputs the reader must refuse cleanly.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
GOLD = HERE / "data" / "gold" / "sample.json"
SAMPLE = HERE.parent / "finkg" / "data" / "webank_2021_annual_report.txt"
CJK_TTF = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")  # Debian: fonts-wqy-zenhei
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
RUNNING_HEADER = "深圳前海微众银行股份有限公司 2021年年度报告"

# --- the blocks of a report ------------------------------------------------------------------


@dataclass(frozen=True)
class Chapter:
    en: str
    zh: str


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # fractions of the text width
    ruled: bool = True
    header: int = 1  # header rows, repeated on the next page when the table breaks
    name: str = ""


@dataclass(frozen=True)
class Columns:
    """Blocks set in two columns."""

    blocks: tuple = field(default=())


@dataclass(frozen=True)
class Cover:
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Contents:
    titles: tuple[str, ...]


# --- prose from the sample --------------------------------------------------------------------


def _sample() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()


def _between(lines: list[str], start: str, end: str) -> list[str]:
    """The sample's lines from the one containing ``start`` (from it) to the one containing ``end``."""
    i = next(k for k, line in enumerate(lines) if start in line)
    first = lines[i][lines[i].index(start):]
    if end in first[len(start):]:
        return [first[: first.index(end, len(start))]]
    j = next(k for k in range(i + 1, len(lines)) if end in lines[k])
    return [first] + lines[i + 1 : j] + [lines[j][: lines[j].index(end)]]


def _paragraphs(lines: list[str], headings: tuple[str, ...] = ()) -> list:
    """Wrapped lines back into paragraphs: a short line ending a sentence ends one."""
    out: list = []
    buf = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if line in headings:
            if buf:
                out.append(Para(buf))
                buf = ""
            out.append(Heading(line))
            continue
        buf += line
        if line.endswith(("。", "！", "：")) and len(line) < 40:
            out.append(Para(buf))
            buf = ""
    if buf:
        out.append(Para(buf))
    return out


def _prose(lines: list[str], start: str, end: str, size: int = 260) -> list:
    """Running text of a stretch of the sample, its tables (columns run together) left out."""
    kept = []
    for line in _between(lines, start, end):
        cjk = len(re.findall(r"[\u4e00-\u9fff，。、“”；：（）]", line))
        if len(line) >= 30 and cjk >= 0.75 * len(line) and not re.search(r"\d{2,}$|^\d{2,}", line):
            kept.append(line.strip())
    out, buf = [], ""
    for sentence in re.split(r"(?<=。)", "".join(kept)):
        buf += sentence
        if len(buf) >= size and buf.endswith("。"):
            out.append(Para(buf))
            buf = ""
    if buf.endswith("。"):
        out.append(Para(buf))
    return out


# --- the tables, from the gold ---------------------------------------------------------------


def _gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def _spaced(name: str) -> str:
    """Two-character names are printed letter-spaced to align with three-character ones."""
    return f"{name[0]} {name[1]}" if len(name) == 2 else name


def _cn_month(iso: str) -> str:
    year, month = iso.split("-")[:2]
    return f"{year}年{int(month)}月"


def _people_rows(rows: list[dict], date_key: str, management: bool) -> list[tuple[str, ...]]:
    by_name: dict[str, list[dict]] = {}
    for r in rows:
        by_name.setdefault(r["name_zh"], []).append(r)
    out = []
    for name, items in by_name.items():
        gender = "男" if items[0]["gender"] == "male" else "女"
        roles = "、".join(r["position_zh"] for r in items)
        dates = {r[date_key] for r in items}
        if not management:
            cell = f"{_cn_month(items[0][date_key])}－换届止"
        elif len(dates) == 1:
            cell = f"{_cn_month(items[0][date_key])}起"
        else:
            cell = "，".join(f"{_cn_month(r[date_key])}起任{r['position_zh']}" for r in items)
        out.append((_spaced(name), gender, roles, cell))
    return out


def _supervisor_rows(rows: list[dict]) -> list[tuple[str, ...]]:
    out = []
    for name, items in _group(rows, "name_zh").items():
        roles = [r["position_zh"] for r in items]
        cell = f"{roles[0]}（{roles[1]}）" if len(roles) == 2 else "、".join(roles)  # 监事长（职工监事）
        gender = "男" if items[0]["gender"] == "male" else "女"
        out.append((_spaced(name), gender, cell, f"{_cn_month(items[0]['term_start'])}－换届止"))
    return out


def _group(rows: list[dict], key: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r[key], []).append(r)
    return out


def _number(value: float | int, pct: bool = False) -> str:
    if pct:
        return f"{value:.2f}%"
    text = f"{abs(int(value)):,}"
    return f"({text})" if value < 0 else text


def _metric_rows(metrics: list[dict]) -> list[tuple[str, ...]]:
    units = {"全年经营成果": "全年经营成果（人民币千元）", "规模指标": "规模指标（人民币千元）"}
    out: list[tuple[str, ...]] = []
    category = None
    for metric, items in _group(metrics, "metric_zh").items():
        if items[0]["category_zh"] != category:
            category = items[0]["category_zh"]
            out.append((units.get(category, category), "", "", ""))
        by_year = {r["year"]: r for r in items}
        out.append((metric, *(_number(by_year[y]["value"], by_year[y]["unit"] == "%") for y in (2021, 2020, 2019))))
    return out


# --- the report --------------------------------------------------------------------------------

CHAPTERS = (
    ("IMPORTANT NOTES AND DEFINITIONS", "重要提示和释义"),
    ("CORPORATE INFORMATION", "基本情况简介"),
    ("CHAIRMAN'S STATEMENT", "董事长致辞"),
    ("PRESIDENT'S STATEMENT", "行长致辞"),
    ("KEY ACCOUNTING DATA AND FINANCIAL INDICATORS", "会计数据和财务指标摘要"),
    ("DISCUSSION AND ANALYSIS ON OPERATION", "管理层讨论与分析"),
    ("RISK MANAGEMENT", "风险管理"),
    ("SHARE CHANGES AND SHAREHOLDER INFORMATION", "股份变动及股东情况"),
    ("INFORMATION OF DIRECTORS, SUPERVISORS, SENIOR MANAGEMENT, ORGANIZATIONAL STRUCTURE, AND EMPLOYEES",
     "董事、监事、高级管理人员、机构和员工情况"),
    ("CORPORATE GOVERNANCE REPORT", "公司治理报告"),
    ("ENVIRONMENTAL AND SOCIAL RESPONSIBILITY REPORT", "环境与社会责任报告"),
    ("MATERIAL INFORMATION", "重大事项"),
    ("DOCUMENTS AVAILABLE FOR INSPECTION", "备查文件"),
)

PRODUCT_HEADINGS = ("个人银行", "微粒贷", "微粒贷经营版（微户贷）", "微账户", "汽车金融", "微众银行App", "企业银行",
                    "小微企业贷", "产业金融", "交易银行")


def report_blocks() -> list:
    """The sample report as blocks, in reading order."""
    lines = _sample()
    gold = _gold()
    chapters = dict((zh, Chapter(en, zh)) for en, zh in CHAPTERS)
    b: list = [Cover(("深圳前海微众银行股份有限公司", "WeBank Co., Ltd.", "2021年年度报告", "Annual Report 2021")),
               Contents(tuple(zh for _, zh in CHAPTERS))]

    b.append(chapters["重要提示和释义"])
    notes = _between(lines, "1、本行董事会", "7、本报告中")
    b += [Para(p) for p in re.split(r"(?<=。)(?=\d、)", "".join(notes)) if p]
    b.append(Para("7、本报告中，除非文义另有所指，下列词语具有如下含义："))
    b.append(Table((("微众银行、微众、本行", "指", "深圳前海微众银行股份有限公司"),
                    ("报告期", "指", "2021年1月1日至2021年12月31日"),
                    ("中国银保监会", "指", "中国银行保险监督管理委员会"),
                    ("深圳银保监局", "指", "中国银行保险监督管理委员会深圳监管局"),
                    ("毕马威", "指", "毕马威华振会计师事务所（特殊普通合伙）")),
                   (0.3, 0.08, 0.62), ruled=False, header=0, name="definitions"))

    p = gold["bank_profile"][0]
    b.append(chapters["基本情况简介"])
    b.append(Heading("一、基本情况"))
    b.append(Table((("法定代表人：", p["legal_representative_zh"]), ("中文名称：", p["name_zh"]),
                    ("中文简称：", p["short_name_zh"]), ("英文名称：", p["name_en"]), ("英文简称：", p["short_name_en"]),
                    ("注册地址：", p["registered_address_zh"]), ("办公地址：", p["office_address_zh"]),
                    ("客服和投诉电话：", p["phone"]), ("网址：", p["website"]), ("首次注册登记日期：", "2014年12月16日")),
                   (0.3, 0.7), header=0, name="profile"))
    b.append(Heading("二、经营范围"))
    b += _paragraphs(_between(lines, "吸收公众、主要是", "04CHAIRMAN"))

    b.append(chapters["董事长致辞"])
    b += _paragraphs(_between(lines, "2021年，外部环境发生根本性变化", "坚定布局、价值共生"), ("时刻努力、幸不辱命",))
    b.append(chapters["行长致辞"])
    b += _paragraphs(_between(lines, "2021年，面对复杂多变的外部形势", "专注"), ("聚焦本源、均衡发展",))

    b.append(chapters["会计数据和财务指标摘要"])
    b.append(Para("本行2021年度主要会计数据和财务指标如下（除特别注明外，为本行口径数据）："))
    b += _paragraphs(_between(lines, "全球经济波动中复苏", "货币政策持续稳健"), ("全球经济波动中复苏，中国经济转型中升级",))
    b.append(Table((("项目", "2021年", "2020年", "2019年"), *_metric_rows(gold["key_metrics"])),
                   (0.46, 0.18, 0.18, 0.18), name="key_data"))

    b.append(chapters["管理层讨论与分析"])
    b += _paragraphs(_between(lines, "货币政策持续稳健", "“碳中和”推动能源转型"), ("货币政策持续稳健，精准发力重点行业",))
    b.append(Heading("主营业务分析"))
    b.append(Heading("一、业务概述"))
    body = _between(lines, "2021年，本行积极贯彻落实", "“微粒贷”界面汽车金融界面")
    body += ["企业银行"] + _between(lines, "围绕小微企业客群的经营资金需求", "“微业贷”界面“微闪贴”界面")
    text = [re.sub(r"^注：.*|\d+$|①|21产业金融$", "", line) for line in body]  # a note, glued page numbers
    blocks = _paragraphs(text, PRODUCT_HEADINGS)
    # headings glued to the note and to a page number in the sample: put them back
    at = next(k for k, x in enumerate(blocks) if isinstance(x, Para) and x.text.startswith("“微众银行App”是"))
    blocks.insert(at, Heading("微众银行App"))
    pos = next(k for k, x in enumerate(blocks) if isinstance(x, Para) and x.text.startswith("针对科技创新"))
    blocks.insert(pos, Heading("产业金融"))
    b += blocks
    b.append(Heading("二、践行普惠金融，支持实体经济"))
    b += _paragraphs(_between(lines, "本行充分利用金融科技优势", "精准滴灌个体户"), ("高效服务普罗大众的消费信贷需求",))
    b += _prose(lines, "精准滴灌个体户", "28RISK MANAGEMENT")
    b.append(chapters["风险管理"])
    b += _prose(lines, "29报告期内，面对复杂多变", "SHARE CHANGES AND")

    b.append(chapters["股份变动及股东情况"])
    caps = gold["share_capital"]
    total = sum(c["shares"] for c in caps)
    b.append(Heading("一、报告期内股份变动情况"))
    b.append(Table((("股份性质", "股份数（股）", "比例（%）"),
                    *((c["class_zh"], f"{c['shares']:,}", f"{c['pct']:.2f}") for c in caps),
                    ("合计", f"{total:,}", "100.00")), (0.4, 0.35, 0.25), name="share_capital"))
    b.append(Heading("二、股东情况"))
    b.append(Heading("(一) 股东总数"))
    b.append(Para("截至报告期末，除本行库存股外，本行股东总数为16家，全部为法人股东。"))
    b.append(Heading("(二) 报告期末最大十名股东名称及持股情况"))
    b.append(Table((("序号", "股东名称", "持股数额（股）", "持股比例（%）"),
                    *((str(s["rank"]), s["name_zh"], f"{s['shares']:,}", f"{s['pct']:.2f}") for s in gold["shareholders"])),
                   (0.08, 0.5, 0.24, 0.18), name="shareholders"))
    b.append(Heading("(三) 报告期末主要股东情况"))
    b.append(Table((("序号", "主要股东名称", "控股股东", "实际控制人", "一致行动人", "最终受益人"),
                    *((str(k), m["shareholder_zh"], m["controlling_shareholder_zh"] or "无", m["actual_controller_zh"] or "-",
                       m["concert_party_zh"] or "无", m["ultimate_beneficiary_zh"])
                      for k, m in enumerate(gold["major_shareholders"], start=1))),
                   (0.06, 0.22, 0.22, 0.16, 0.12, 0.22), name="major_shareholders"))
    b += _paragraphs(_between(lines, "本行按照穿透原则", "(四)"))

    b.append(chapters["董事、监事、高级管理人员、机构和员工情况"])
    b.append(Heading("一、董事、监事、高级管理人员基本情况"))
    head = ("姓名", "性别", "职务", "任职起止日期")
    widths = (0.16, 0.1, 0.44, 0.3)
    b.append(Heading("(一) 董事会人员构成"))
    b.append(Table((head, *_people_rows(gold["directors"], "term_start", False)), widths, name="directors"))
    b.append(Para("注：执行董事在本行领取报酬，独立董事在本行领取津贴，非执行董事均未在本行领取任何报酬、津贴，"
                  "在各自任职单位领取报酬、津贴等。"))
    b.append(Heading("(二) 董事会专门委员会人员构成"))
    committees = _group(gold["committees"], "committee_zh")
    board = [(c, rows) for c, rows in committees.items() if rows[0]["body_zh"] == "董事会"]
    sup = [(c, rows) for c, rows in committees.items() if rows[0]["body_zh"] == "监事会"]
    for k, (name, rows) in enumerate(board, start=1):
        b += _committee(k, name, rows)
    b.append(Heading("(三) 监事会人员构成"))
    b.append(Table((head, *_supervisor_rows(gold["supervisors"])), widths, name="supervisors"))
    b.append(Heading("(四) 监事会专门委员会人员构成"))
    for k, (name, rows) in enumerate(sup, start=1):
        b += _committee(k, name, rows)
    b.append(Heading("(五) 高级管理人员构成"))
    b.append(Table((("姓名", "性别", "职务", "任职起始日期"), *_people_rows(gold["senior_management"], "since", True)),
                   (0.14, 0.08, 0.4, 0.38), name="management"))
    b.append(Para("注：高级管理人员均在本行领取报酬。"))
    b.append(Heading("(六) 报告期末董事、监事、高级管理人员主要简历"))
    b.append(Columns(tuple(Para(p) for p in _biographies(lines))))
    b.append(Heading("二、董事、监事、高级管理人员变更情况及原因"))
    b += _paragraphs(_between(lines, "本行2020年第一次临时股东大会选举", "46三、年度薪酬管理"))

    b.append(chapters["公司治理报告"])
    b.append(Heading("一、公司治理整体评价"))
    b += _paragraphs(_between(lines, "报告期内，本行按照《公司法》", "二、股东大会职责"))
    b += _prose(lines, "二、股东大会职责", "ENVIRONMENTAL AND SOCIAL")
    b.append(chapters["环境与社会责任报告"])
    b += _prose(lines, "55自2014年成立以来", "58MATERIAL")
    b.append(chapters["重大事项"])
    b += _paragraphs(_between(lines, "一、重大诉讼", "60FINANCIAL REPORT"), ("一、重大诉讼", "二、报告期内本行无合并分立事项",
                                                                          "三、更换会计师事务所"))
    b.append(chapters["备查文件"])
    documents = "".join(_between(lines, "一、载有法定代表人", "深圳前海微众银行股份有限公司"))
    b += [Para(p) for p in re.split(r"(?<=。)(?=[二三]、)", documents)]
    return b


def _committee(k: int, name: str, rows: list[dict]) -> list:
    chair = next(r["person_zh"] for r in rows if r["role"] == "chair")
    members = "、".join(r["person_zh"] for r in rows if r["role"] == "member")
    return [Heading(f"{k}、{name}"), Para(f"主任委员：{chair}"), Para(f"委员：{members}")]


def _biographies(lines: list[str]) -> list[str]:
    """One paragraph per person: ``顾敏先生，董事长、执行董事、首席执行官。`` and the career after it."""
    text = "".join(_between(lines, "顾敏先生，董事长", "二、董事、监事、高级管理人员变更情况"))
    text = re.sub(r"(?<=。)\d{2}(?=[\u4e00-\u9fff])", "", text)  # page numbers glued between sentences
    starts = [m.start() for m in re.finditer(r"[\u4e00-\u9fff]{2,3}(?:先生|女士)，[^。]{2,40}。", text)]
    return [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])]


# --- text ----------------------------------------------------------------------------------


def text_rendition(blocks: list) -> str:
    """One paragraph, heading or table row per line, cells separated by single spaces."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Cover):
            out += list(block.lines)
        elif isinstance(block, Contents):
            out += ["目录", *block.titles]
        elif isinstance(block, Chapter):
            out += [block.en, block.zh]
        elif isinstance(block, (Heading, Para)):
            out.append(block.text)
        elif isinstance(block, Table):
            out += [" ".join(re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", c) for c in row if c) for row in block.rows]
        elif isinstance(block, Columns):
            out += [x.text for x in block.blocks]
    return "\n".join(out) + "\n"


# --- reportlab -----------------------------------------------------------------------------


def cjk_font() -> str:
    """The embedded TrueType CJK font (Debian's fonts-wqy-zenhei), else reportlab's built-in STSong-Light."""
    from reportlab.pdfbase import pdfmetrics

    if CJK_TTF.exists():
        from reportlab.pdfbase.ttfonts import TTFont

        if "CJK" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("CJK", str(CJK_TTF), subfontIndex=0))
        return "CJK"
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def render_reportlab(blocks: list, path: Path) -> Path:
    """A4 with an embedded CJK TrueType font, running header, page numbers, bordered tables."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        CondPageBreak,
        Frame,
        FrameBreak,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        TableStyle,
    )
    from reportlab.platypus import Table as RLTable

    font = cjk_font()
    width, height = A4
    margin = 20 * mm
    text_width = width - 2 * margin
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15, wordWrap="CJK", spaceAfter=4)
    head = ParagraphStyle("head", parent=body, fontSize=11, leading=16, spaceBefore=6, spaceAfter=4)
    title_en = ParagraphStyle("en", parent=body, fontSize=15, leading=20, wordWrap=None)
    title_zh = ParagraphStyle("zh", parent=body, fontSize=16, leading=22, spaceAfter=10)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=12, spaceAfter=0)

    def decorate(canvas, doc) -> None:
        if doc.page == 1:
            return
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(margin, height - 12 * mm, RUNNING_HEADER)
        canvas.line(margin, height - 13.5 * mm, width - margin, height - 13.5 * mm)
        canvas.drawCentredString(width / 2, 10 * mm, str(doc.page - 1))  # the cover is not numbered
        canvas.restoreState()

    one = Frame(margin, margin, text_width, height - 2 * margin, id="one")
    gap = 8 * mm
    half = (text_width - gap) / 2
    left = Frame(margin, margin, half, height - 2 * margin, id="left")
    right = Frame(margin + half + gap, margin, half, height - 2 * margin, id="right")
    doc = BaseDocTemplate(str(path), pagesize=A4, title="WeBank 2021 annual report (finkg fixture)",
                          author="finkg tests", invariant=1)
    doc.addPageTemplates([PageTemplate("one", [one], onPage=decorate), PageTemplate("two", [left, right], onPage=decorate)])
    story: list = []
    for block in blocks:
        if isinstance(block, Cover):
            story += [Spacer(1, 60 * mm)] + [Paragraph(html.escape(t), title_zh) for t in block.lines] + [PageBreak()]
        elif isinstance(block, Contents):
            story.append(Paragraph("目录", title_zh))
            rows = [(t, str(3 + 2 * k)) for k, t in enumerate(block.titles)]
            table = RLTable(rows, colWidths=[text_width * 0.8, text_width * 0.2])
            table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 10), ("ALIGN", (1, 0), (1, -1), "RIGHT")]))
            story.append(table)
        elif isinstance(block, Chapter):
            story += [NextPageTemplate("one"), PageBreak(), Paragraph(html.escape(block.en), title_en),
                      Paragraph(html.escape(block.zh), title_zh)]
        elif isinstance(block, Heading):
            story += [CondPageBreak(40 * mm), Paragraph(html.escape(block.text), head)]
        elif isinstance(block, Para):
            story.append(Paragraph(html.escape(block.text), body))
        elif isinstance(block, Table):
            data = [[Paragraph(html.escape(c), cell) for c in row] for row in block.rows]
            table = RLTable(data, colWidths=[text_width * w for w in block.widths], repeatRows=block.header)
            style = [("VALIGN", (0, 0), (-1, -1), "TOP")]
            if block.ruled:
                style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
            if block.name == "key_data":
                story.append(CondPageBreak(120 * mm))  # starts low enough on its page to break onto the next
            table.setStyle(TableStyle(style))
            story += [table, Spacer(1, 4 * mm)]
        elif isinstance(block, Columns):
            story += [NextPageTemplate("two"), PageBreak()]
            story += [Paragraph(html.escape(p.text), body) for p in block.blocks]
            story += [NextPageTemplate("one"), FrameBreak(), PageBreak()]
    doc.build(story)
    return path


# --- Chromium --------------------------------------------------------------------------------

#: characters written as their Kangxi/CJK radical look-alikes in the HTML, as some fonts' PDFs give them
LOOKALIKES = {"行": "\u2f8f", "人": "\u2f08", "长": "\u2ed3", "门": "\u2ed4"}


def _lookalike(text: str, every: int = 3) -> str:
    """Replace every ``every``-th occurrence of the look-alike characters."""
    seen = 0
    out = []
    for ch in text:
        if ch in LOOKALIKES:
            seen += 1
            if seen % every == 0:
                out.append(LOOKALIKES[ch])
                continue
        out.append(ch)
    return "".join(out)


def report_html(blocks: list) -> str:
    parts = ["""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 22mm 18mm 20mm 18mm;
  @top-left { content: "微众银行 2021年年度报告"; font-family: "Noto Sans CJK SC"; font-size: 8pt; }
  @top-right { content: "WeBank Annual Report 2021"; font-family: "Noto Sans CJK SC"; font-size: 8pt; }
  @bottom-right { content: "第 " counter(page) " 页"; font-family: "Noto Sans CJK SC"; font-size: 8pt; } }
@page :first { @top-left { content: none; } @top-right { content: none; } @bottom-right { content: none; } }
body { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; font-size: 10pt; line-height: 1.55; }
h1 { font-size: 15pt; margin: 0; font-weight: normal; } h2 { font-size: 16pt; margin: 0 0 10pt 0; font-weight: normal; }
h3 { font-size: 11pt; margin: 8pt 0 4pt 0; font-weight: normal; } p { margin: 0 0 4pt 0; }
.chapter { break-before: page; } .cover { padding-top: 60mm; font-size: 16pt; break-after: page; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt 0; font-size: 9pt; }
table.ruled td, table.ruled th { border: 0.6pt solid #000; padding: 2pt 3pt; vertical-align: top; }
table.plain td { padding: 1pt 6pt 1pt 0; } tr { break-inside: avoid; }
.columns { column-count: 2; column-gap: 9mm; } .contents td:last-child { text-align: right; }
</style></head><body>"""]
    for block in blocks:
        if isinstance(block, Cover):
            parts.append('<div class="cover">' + "".join(f"<p>{html.escape(t)}</p>" for t in block.lines) + "</div>")
        elif isinstance(block, Contents):
            rows = "".join(f"<tr><td>{html.escape(t)}</td><td>{3 + 2 * k}</td></tr>" for k, t in enumerate(block.titles))
            parts.append(f'<h2>目录</h2><table class="contents plain">{rows}</table>')
        elif isinstance(block, Chapter):
            parts.append(f'<h1 class="chapter">{html.escape(block.en)}</h1><h2>{html.escape(block.zh)}</h2>')
        elif isinstance(block, Heading):
            parts.append(f"<h3>{html.escape(block.text)}</h3>")
        elif isinstance(block, Para):
            parts.append(f"<p>{html.escape(_lookalike(block.text))}</p>")
        elif isinstance(block, Table):
            cls = "ruled" if block.ruled else "plain"
            cols = "".join(f'<col style="width:{w * 100:.0f}%">' for w in block.widths)
            head = "".join("<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in row) + "</tr>"
                           for row in block.rows[: block.header])
            body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                           for row in block.rows[block.header:])
            parts.append(f'<table class="{cls}"><colgroup>{cols}</colgroup><thead>{head}</thead><tbody>{body}</tbody></table>')
        elif isinstance(block, Columns):
            parts.append('<div class="columns">' + "".join(f"<p>{html.escape(_lookalike(p.text))}</p>" for p in block.blocks)
                         + "</div>")
    parts.append("</body></html>")
    return "\n".join(parts)


def chromium() -> str | None:
    for name in CHROMIUM:
        if found := shutil.which(name):
            return found
    return None


def render_chromium(blocks: list, path: Path) -> Path:
    """Print the HTML rendition with headless Chromium; its header and footer carry the page numbers."""
    exe = chromium()
    if exe is None:
        raise RuntimeError("chromium is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(report_html(blocks), encoding="utf-8")
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", f"--user-data-dir={tmp}/profile",
               f"--print-to-pdf={path}", page.as_uri()]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return path


# --- inputs the reader must refuse, or read in part ------------------------------------------


def _canvas_pdf(path: Path, pages: list[list[str]], encrypt: str | None = None) -> Path:
    """A plain PDF with a few lines of text per page, in the embedded CJK font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = cjk_font()
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
    for lines in pages:
        c.setFont(font, 11)
        for k, line in enumerate(lines):
            c.drawString(60, 760 - 18 * k, line)
        c.showPage()
    c.save()
    return path


def _image_pdf(path: Path) -> Path:
    """A scan: one page that is an image of text, with no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (600, 300), 255)
    draw = ImageDraw.Draw(image)
    for k in range(8):
        draw.rectangle((40, 30 + 32 * k, 40 + 60 * (k % 5 + 4), 48 + 32 * k), fill=30)  # lines of 'text'
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for _ in range(2):
        c.drawImage(ImageReader(image), 50, 400, width=480, height=240)
        c.showPage()
    c.save()
    return path


def strip_unicode_maps(src: Path, dst: Path) -> Path:
    """The same PDF with every /ToUnicode map blanked out (same length, so the xref stays right)."""
    data = re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group(0)), src.read_bytes())
    dst.write_bytes(data)
    return dst


POEM = ["床前明月光，疑是地上霜。", "举头望明月，低头思故乡。", "白日依山尽，黄河入海流。", "欲穷千里目，更上一层楼。"]


def bad_pdfs(folder: Path, report_pdf: Path) -> dict[str, Path]:
    """name → a PDF that is encrypted, a scan, undecodable, truncated, corrupt, not a report, a partial report."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    out["encrypted"] = _canvas_pdf(folder / "encrypted.pdf", [POEM], encrypt="secret")
    from reportlab.lib.pdfencrypt import StandardEncryption

    # opens without a password; pdfminer would decrypt every object of it in Python
    out["encrypted-empty"] = _canvas_pdf(folder / "encrypted-empty.pdf", [POEM] * 40,
                                         encrypt=StandardEncryption("", ownerPassword="owner"))
    out["scanned"] = _image_pdf(folder / "scanned.pdf")
    plain = _canvas_pdf(folder / "plain-cjk.pdf", [POEM * 3, POEM * 3])
    out["cid"] = strip_unicode_maps(plain, folder / "cid.pdf")
    data = report_pdf.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) * 6 // 10])
    out["truncated"] = folder / "truncated.pdf"
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    out["corrupt"] = folder / "corrupt.pdf"
    out["poem"] = _canvas_pdf(folder / "poem.pdf", [POEM * 5, POEM * 5])
    blocks = report_blocks()
    people = next(k for k, b in enumerate(blocks) if isinstance(b, Chapter) and b.zh.startswith("董事、监事"))
    after = next(k for k, b in enumerate(blocks) if isinstance(b, Chapter) and k > people)
    render_reportlab(blocks[:people] + blocks[after:], folder / "partial-text.pdf")
    out["partial"] = _append_scan(folder / "partial-text.pdf", folder / "partial.pdf", folder)
    return out


def _append_scan(src: Path, dst: Path, folder: Path) -> Path:
    """``src`` with a scanned page added at its end (pages copied with pypdfium2)."""
    import pypdfium2

    scan = _image_pdf(folder / "one-scan.pdf")
    doc = pypdfium2.PdfDocument(str(src))
    other = pypdfium2.PdfDocument(str(scan))
    doc.import_pages(other, [0])
    doc.save(str(dst))
    other.close()
    doc.close()
    return dst
