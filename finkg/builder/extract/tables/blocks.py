"""Tokens into blocks, and a label block into rows.

Row labels form label blocks and numbers form value blocks, each block unbroken by anything but the other
kind (side-by-side tables interleave them line by line); a label block can be read as rows in more than one
way (all of it, glued ratio labels split, or one of its parts), most likely first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..common import CJK
from .tokens import _Tok


@dataclass
class _LabelBlock:
    parts: list[list[_Tok]]  # the labels, cut where a 项目 stands between them

    @property
    def start(self) -> int:
        return self.parts[0][0].pos

    @property
    def end(self) -> int:
        return self.parts[-1][-1].pos


def tokens_to_blocks(toks: list[_Tok]) -> tuple[list[_LabelBlock], list[list[_Tok]]]:
    """Label blocks and value blocks: each unbroken by anything but the other kind."""
    blocks: list[_LabelBlock] = []
    runs: list[list[_Tok]] = []
    parts: list[list[_Tok]] = [[]]
    run: list[_Tok] = []
    for t in toks:
        if t.kind == "text":
            parts[-1].append(t)
        elif t.kind == "item":  # 项目 may stand between the labels of side-by-side tables
            if parts[-1]:
                parts.append([])
        elif t.kind not in ("num", "dash"):  # values do not break a label block
            if any(parts):
                blocks.append(_LabelBlock([p for p in parts if p]))
            parts = [[]]
        if t.kind in ("num", "dash"):
            run.append(t)
        elif t.kind != "text":  # labels do not break a value block
            if run:
                runs.append(run)
            run = []
    if any(parts):
        blocks.append(_LabelBlock([p for p in parts if p]))
    if run:
        runs.append(run)
    return blocks, runs


@dataclass(frozen=True)
class _Row:
    label: str
    tok: _Tok


_RATIO = re.compile(r"(率|比例|比率)$")
_DATE_LABEL = re.compile(r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日")  # 2021年12月31日 as a row of a roll-forward
_GLUED_RATIO = re.compile(rf"(?<=率)(?=[{CJK}]{{2}})")


def _clean_label(text: str) -> str:
    text = re.sub(r"[（(]\s*注\s*\d*\s*[）)]", "", text)
    return re.sub(r"\s+", "", text).rstrip("：:")


def _row_variants(block: _LabelBlock) -> list[tuple[list[_Row], tuple[int, int]]]:
    """Readings of a label block, most likely first: all of it, glued ratio labels split, then its parts
    (with the parts each reading covers)."""
    out: list[tuple[list[_Row], tuple[int, int]]] = []
    n = len(block.parts)
    spans = sorted(((i, j) for i in range(n) for j in range(i + 1, n + 1)), key=lambda ij: (ij[0] - ij[1], ij[0]))
    for i, j in spans:
        toks = [t for part in block.parts[i:j] for t in part]
        rows = [_Row(_clean_label(t.text), t) for t in toks]
        split = [_Row(_clean_label(piece), t) for t in toks for piece in _GLUED_RATIO.split(t.text)]
        for variant in (rows, split) if len(split) > len(rows) else (rows,):
            variant = [r for r in variant if r.label]
            if len(variant) >= 2 and variant[0].label.startswith("其中") and not variant[1].label.startswith("其中"):
                variant[0], variant[1] = variant[1], variant[0]  # a 其中 row cannot open a table
            if len(variant) >= 2:
                out.append((variant, (i, j)))
    return out
