"""finkg: Chinese bank annual reports → a bilingual (Chinese/English) knowledge graph."""

from __future__ import annotations

__version__ = "0.1.0"

from .api import build, class_counts, query
from .builder import BuildResult, build_graph, sample_path
from .errors import FinkgError

__all__ = ["BuildResult", "FinkgError", "__version__", "build", "build_graph", "class_counts", "query", "sample_path"]
