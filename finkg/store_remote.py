"""Many reports in any SPARQL 1.1 store, written through its Graph Store Protocol (``finkg build --store-url URL``).

Each report's graph goes to the store as one HTTP ``PUT URL?graph=<…/id/graph/{bank}/{year}>`` of its
N-Triples, the graph :class:`~finkg.store.ReportTriples` names, which replaces the graph of the same bank and
year in one request; the ontology goes to ``<…/id/graph/ontology>`` the same way.  The server answers 201 for
a graph it made and 200 or 204 for one it replaced.  Given the store's SPARQL query endpoint too
(``--store-endpoint``), the links graph (:mod:`finkg.links`) is remade from the reports the server holds and
put as ``<…/id/graph/links>``.  The remote store holds these named graphs and nothing else (no catalogue, no
lock): what its default graph is, is the server's business (Oxigraph server answers the named queries across
the reports, and the links' queries, with ``--union-default-graph``; Virtuoso queries every graph by default).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .errors import RemoteStoreError
from .store import _RDFS_LABEL, LINKS_GRAPH, ONTOLOGY_GRAPH, ReportEntry, ReportTriples, ontology_ntriples

NTRIPLES = "application/n-triples"
_ENDPOINT_HINT = "check --store-endpoint: the store's SPARQL query endpoint, e.g. http://host:7878/query"
_AUTH_HINT = "give the user with --store-user USER and the password in the environment variable FINKG_STORE_PASSWORD"


class RemoteStore:
    """A SPARQL 1.1 store written through its Graph Store Protocol endpoint ``url`` (Oxigraph server:
    ``http://host:7878/store``; Virtuoso: ``http://host:8890/sparql-graph-crud-auth``), used as
    :func:`finkg.api.build_store` uses a :class:`~finkg.store.ReportStore`.  ``user`` and ``password``: HTTP
    digest or basic authentication, whichever the server asks for; ``timeout``: seconds to wait for an answer."""

    def __init__(self, url: str, user: str | None = None, password: str | None = None, timeout: float = 300.0,
                 endpoint: str | None = None) -> None:
        for given in [u for u in (url, endpoint) if u is not None]:
            parts = urlsplit(given)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise RemoteStoreError(f"{given!r} is not an http:// or https:// URL")
            if parts.username is not None or parts.password is not None:
                raise RemoteStoreError(f"{parts.hostname}: a user or password in the URL is not read", _AUTH_HINT)
        self.url = url
        self.endpoint = endpoint
        self.user = user
        self.password = password
        self.timeout = timeout
        self._session = None

    def __enter__(self) -> RemoteStore:
        """Open a session and put the ontology graph: a store that cannot be reached fails here, before any work."""
        import requests

        self._session = requests.Session()
        try:
            self._put(ONTOLOGY_GRAPH, ontology_ntriples(), "the ontology")
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def put(self, report: ReportTriples) -> tuple[ReportEntry, bool]:
        """Put a report's graph, replacing the graph of the same bank and year: (its entry, whether it replaced
        one).  A refusal is a :class:`~finkg.errors.RemoteStoreError` naming the report's file."""
        status = self._put(report.graph, report.ntriples, report.file or report.graph)
        return report_entry(report), status != 201

    def relink(self) -> int:
        """Remake the links graph (see :mod:`finkg.links`) from the reports the store holds, read through its
        SPARQL query endpoint ``endpoint``, and put it as ``<…/id/graph/links>`` (deleted when it has no
        triples): its triple count."""
        from .links import links_ntriples

        text = links_ntriples(self._select)
        count = text.count("\n")
        if count:
            self._put(LINKS_GRAPH, text, "the links graph")
        else:
            self._request("delete", self.url, "the delete of the links graph", ok=(404,), params={"graph": LINKS_GRAPH})
        return count

    def _select(self, text: str) -> list[dict[str, str]]:
        """The rows of a SELECT on the query endpoint, each a dict of variable name to value (absent: unbound)."""
        resp = self._request("post", self.endpoint, "a query of the links", hint=_ENDPOINT_HINT, data={"query": text},
                             headers={"Accept": "application/sparql-results+json"})
        try:
            bindings = resp.json()["results"]["bindings"]
        except (ValueError, KeyError, TypeError):
            raise RemoteStoreError(f"{self.endpoint}: the answer to a query of the links is not SPARQL JSON results "
                                   f"({resp.headers.get('Content-Type', 'no content type')})", _ENDPOINT_HINT) from None
        return [{name: cell["value"] for name, cell in row.items()} for row in bindings]

    def _put(self, graph: str, ntriples: str, what: str) -> int:
        """PUT ``ntriples`` as ``graph``; its status."""
        resp = self._request("put", self.url, f"the put of {what}", params={"graph": graph},
                             data=ntriples.encode("utf-8"), headers={"Content-Type": NTRIPLES})
        return resp.status_code

    def _request(self, method: str, url: str, what: str, ok: tuple[int, ...] = (), hint: str | None = None,
                 **kwargs):
        """One request (not redirected); its answer, else a :class:`~finkg.errors.RemoteStoreError` naming
        ``what`` was refused.  The first answer 401 chooses digest or basic (as the server asks), and the request
        is sent again with the user and password.  ``ok``: statuses of 300 or more that are no refusal; ``hint``:
        the error's hint (else :class:`~finkg.errors.RemoteStoreError`'s, on --store-url)."""
        import requests
        from requests.auth import HTTPBasicAuth, HTTPDigestAuth

        def send():
            return self._session.request(method, url, timeout=self.timeout, allow_redirects=False, **kwargs)

        try:
            resp = send()
            if resp.status_code == 401 and self.user is not None and self._session.auth is None:
                scheme = resp.headers.get("WWW-Authenticate", "").split(" ", 1)[0].lower()
                auth = HTTPDigestAuth if scheme == "digest" else HTTPBasicAuth
                self._session.auth = auth(self.user, self.password or "")
                resp = send()
        except requests.Timeout:
            raise RemoteStoreError(f"{url}: no answer within {self.timeout:g} s to {what}", hint) from None
        except requests.RequestException as exc:
            raise RemoteStoreError(f"{url}: cannot reach the store for {what} ({_reason(exc)})", hint) from None
        if resp.status_code >= 300 and resp.status_code not in ok:
            if resp.status_code == 401:
                hint = _AUTH_HINT if self.user is None else "check --store-user and FINKG_STORE_PASSWORD"
            body = _body(resp)
            raise RemoteStoreError(f"{url}: {what} was refused: HTTP {resp.status_code} "
                                   f"{resp.reason or ''}{': ' + body if body else ''}", hint)
        return resp


def report_entry(report: ReportTriples) -> ReportEntry:
    """A report's entry made from its own triples (a remote store keeps no catalogue): its bank's labels are
    the report's ``rdfs:label`` triples of the bank, one a language (the least, when a report gives more)."""
    import pyoxigraph as ox

    head = f"<{report.bank}> <{_RDFS_LABEL}> "
    lines = "".join(line + "\n" for line in report.ntriples.splitlines() if line.startswith(head))
    labels: dict[str, list[str]] = {"zh": [], "en": []}
    for quad in ox.parse(lines.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
        if isinstance(quad.object, ox.Literal) and quad.object.language in labels:
            labels[quad.object.language].append(quad.object.value)
    return ReportEntry(report.graph, report.bank, min(labels["zh"], default=""), min(labels["en"], default=""),
                       report.year, report.file, report.sha256, report.ntriples.count("\n"))


def _reason(exc: BaseException) -> str:
    """The innermost operating-system reason of a failed connection (``Connection refused``), else its text."""
    e: BaseException | None = exc
    for _ in range(10):
        if e is None:
            break
        if isinstance(e, OSError) and e.strerror:
            return e.strerror
        inner = [x for x in (getattr(e, "reason", None), *e.args) if isinstance(x, BaseException)]
        e = inner[0] if inner else (e.__cause__ or e.__context__)
    return " ".join(str(exc).split())[:200]


def _body(resp) -> str:
    """The first 200 characters of an answer's text (an HTML page's text, without its head and tags); where
    a redirection points (finkg does not follow one: a PUT redirected may come back a GET)."""
    if resp.is_redirect:
        return f"moved to {resp.headers.get('Location', '?')}"
    raw = resp.content[:20_000]
    try:
        text = raw.decode(resp.encoding or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        text = raw.decode("utf-8", errors="replace")
    if "html" in resp.headers.get("Content-Type", "").lower() or text.lstrip().startswith("<"):
        text = re.sub(r"(?is)<head\b.*?</head>|<[^>]*>", " ", text)
    return " ".join(text.split())[:200]
