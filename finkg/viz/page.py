"""Put the explorer together as one HTML file that needs no network.

vis-network's script and style come from the copy pyvis ships inside its package (pyvis's own
templates link a CDN and Bootstrap, and its ``add_edge`` is quadratic, so only its assets are used);
finkg's own script, style and page come from ``finkg/viz/assets``. The graph goes in as JSON inside
``<script type="application/json">`` with ``<``, ``>`` and ``&`` escaped, so no text of a report
can close the block or start markup. A Content-Security-Policy lets only the page's own scripts
run (by hash) and forbids every fetch.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from importlib import resources
from typing import Any

VIS_VERSION = "9.1.2"


@cache
def _asset(package: str, *parts: str) -> str:
    return resources.files(package).joinpath(*parts).read_text(encoding="utf-8")


def vis_assets() -> tuple[str, str]:
    """vis-network's minified script and its style sheet, from the pyvis package."""
    return (_asset("pyvis", "lib", f"vis-{VIS_VERSION}", "vis-network.min.js"),
            _asset("pyvis", "lib", f"vis-{VIS_VERSION}", "vis-network.css"))


def json_for_script(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` left as such."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def render_page(data: dict[str, Any], lang: str) -> str:
    vis_js, vis_css = vis_assets()
    own_js, own_css = _asset(__package__, "assets", "explorer.js"), _asset(__package__, "assets", "explorer.css")
    for name, text, end in (("vis-network.min.js", vis_js, "</script"), ("explorer.js", own_js, "</script"),
                            ("vis-network.css", vis_css, "</style"), ("explorer.css", own_css, "</style")):
        if end in text.lower():  # pragma: no cover - a broken asset, not a user's error
            raise ValueError(f"{name} cannot be inlined: it contains {end}")
    csp = (f"default-src 'none'; script-src {_hash(vis_js)} {_hash(own_js)}; style-src 'unsafe-inline'; "
           "img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'")
    page = _asset(__package__, "assets", "page.html")
    parts = {"lang": lang, "csp": csp, "vis_css": vis_css, "own_css": own_css, "data": json_for_script(data),
             "vis_js": vis_js, "own_js": own_js}
    # One pass over the template, so nothing inserted is ever read again as a placeholder.
    out, rest = [], page
    while "{{" in rest:
        head, _, tail = rest.partition("{{")
        key, _, rest = tail.partition("}}")
        out += [head, parts[key.strip()]]
    out.append(rest)
    return "".join(out)
