"""finkg: Chinese bank annual reports → a bilingual (Chinese/English) knowledge graph."""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import FinkgError

# the rest is imported when first used: `finkg query` need not load the builder (jieba, pypinyin, pdfplumber)
_LAZY = {"build": "api", "class_counts": "api", "query": "api", "BuildResult": "builder", "build_graph": "builder",
         "sample_path": "builder"}

__all__ = ["BuildResult", "FinkgError", "__version__", "build", "build_graph", "class_counts", "query", "sample_path"]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'finkg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
