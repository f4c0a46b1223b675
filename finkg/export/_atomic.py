"""The exporters write through finkg's atomic output (finkg/io.py)."""

from __future__ import annotations

import os  # noqa: F401  (tests patch os through this module)

from ..io import write_file, write_folder

__all__ = ["write_file", "write_folder"]
