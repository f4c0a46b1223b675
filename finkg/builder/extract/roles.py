"""The position titles of Chinese bank governance, longest first, for tokenising tables.

This is vocabulary of the domain (the titles the company law and the regulator use),
not of any one report.
"""

from __future__ import annotations

import re

ROLES: tuple[str, ...] = tuple(
    sorted(
        {
            "董事长", "副董事长", "执行董事", "非执行董事", "独立董事", "独立非执行董事", "职工董事",
            "股东董事", "董事", "监事长", "监事会主席", "副监事长", "职工监事", "职工代表监事", "股东监事",
            "外部监事", "独立监事", "监事", "行长", "常务副行长", "副行长", "行长助理", "总经理", "副总经理",
            "总裁", "副总裁", "首席执行官", "首席财务官", "首席信息官", "首席审计官", "首席风险官",
            "首席合规官", "首席运营官", "首席战略官", "首席技术官", "首席数据官", "首席经济学家",
            "首席营销官", "首席人力资源官", "董事会秘书", "财务负责人", "合规负责人", "审计负责人",
            "风险总监", "财务总监", "党委书记", "党委副书记", "纪委书记", "监事会副主席", "股东代表监事",
            "联席公司秘书", "公司秘书", "首席投资官", "首席营运官", "首席数字官", "首席内审官",
            "外部董事", "非执行董事长", "职工代表董事", "股权董事",
        },
        key=lambda r: (-len(r), r),
    )
)
ROLE = "(?:" + "|".join(map(re.escape, ROLES)) + ")"
# one table cell of positions: 执行董事、行长 or 监事长（职工监事）
ROLE_CELL = re.compile(rf"{ROLE}(?:[（(]{ROLE}[)）])?(?:、{ROLE}(?:[（(]{ROLE}[)）])?)*")
BOARD_ROLES = frozenset(r for r in ROLES if r.endswith("董事") or r in ("董事长", "副董事长"))
SUPERVISOR_ROLES = frozenset(r for r in ROLES if "监事" in r)


def split_roles(cell: str) -> list[str]:
    """``监事长（职工监事）`` → [监事长, 职工监事]; ``执行董事、行长`` → [执行董事, 行长]."""
    return [r for r in re.split(r"[、（()）]", cell) if r]
