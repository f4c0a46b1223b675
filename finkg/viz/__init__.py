"""The HTML explorer: one self-contained page that draws the graph with vis-network, offline.

    write_html(graph, "graph.html", lang="zh", view="governance")

The same graph always gives the same bytes; the file is written atomically.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ..errors import FinkgError
from ..io import write_atomic
from .model import explorer_data
from .page import json_for_script, render_page
from .views import LANGS, VIEWS

__all__ = ["LANGS", "VIEWS", "explorer_data", "json_for_script", "render_html", "write_html"]


def render_html(graph: Graph, lang: str = "zh", view: str = "all") -> str:
    """The explorer page of ``view`` of ``graph``, showing ``lang`` first."""
    if lang not in LANGS:
        raise FinkgError(f"unknown language {lang!r}", f"use one of {', '.join(LANGS)}")
    data = explorer_data(graph, view)
    data["lang"] = lang
    return render_page(data, lang)


def write_html(graph: Graph, path: str | Path, lang: str = "zh", view: str = "all") -> Path:
    """Write the explorer page to ``path`` (atomically) and return the path."""
    return write_atomic(path, render_html(graph, lang=lang, view=view).encode("utf-8"))
