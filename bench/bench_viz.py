"""Time the HTML explorer: writing the page, and laying it out in headless Chromium.

    python bench/bench_viz.py [--runs 3] [--nodes 5000] [--chromium /usr/bin/chromium]
    python bench/bench_viz.py --screenshot docs/governance.png

For the sample's `all` and `governance` views and for a synthetic graph of about --nodes drawn
nodes (copies of the sample's banks with renamed labels, sharing the vocabulary of roles, metrics
and units, so the copies form one connected graph), it prints the median time of `write_html`
and, in the page, the time from navigation start to vis-network's stabilizationIterationsDone
(when physics is turned off and the graph is interactive).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from finkg.api import with_ontology
from finkg.builder import build_graph
from finkg.ontology.namespaces import FKG, ID
from finkg.viz import explorer_data, write_html

ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
# Nodes every copy shares: the vocabulary of a bank's report, not its facts.
SHARED = {FKG.Role, FKG.CommitteeRole, FKG.Metric, FKG.MetricCategory, FKG.Unit, FKG.ShareClass, FKG.BusinessSegment}


def synthetic_graph(sample: Graph, nodes: int) -> Graph:
    """About ``nodes`` drawn nodes: whole copies of the sample with renamed labels, then single products to fill up."""
    shared = {s for s, c in sample.subject_objects(RDF.type) if c in SHARED}
    drawn = len(explorer_data(sample, "all")["nodes"])
    per_copy = drawn - len(shared)
    copies = max(1, (nodes - len(shared)) // per_copy)
    out = Graph()
    out += sample
    for k in range(1, copies):
        def rename(term, k=k):
            if isinstance(term, URIRef) and str(term).startswith(str(ID)) and term not in shared:
                return URIRef(f"{term}/copy{k}")
            return term
        for s, p, o in sample:
            if p == RDFS.label and s not in shared and isinstance(o, Literal) and str(s).startswith(str(ID)):
                o = Literal(f"{o} {k}" if o.language == "en" else f"{o}{k}", lang=o.language)
            out.add((rename(s), p, rename(o)))
    banks = sorted(out.subjects(RDF.type, FKG.Bank))
    missing = nodes - len(explorer_data(out, "all")["nodes"])
    for k in range(max(0, missing)):
        product = ID[f"synthetic/product/{k}"]
        out.add((product, RDF.type, FKG.Product))
        out.add((product, RDFS.label, Literal(f"合成产品{k}", lang="zh")))
        out.add((product, RDFS.label, Literal(f"Synthetic product {k}", lang="en")))
        out.add((banks[k % len(banks)], FKG.offersProduct, product))
    return out


def time_write(graph: Graph, path: Path, view: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        write_html(graph, path, view=view)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_layout(browser, path: Path, runs: int) -> tuple[float, int, int]:
    """Median ms from navigation start to stabilization done, and the node and edge counts of the page."""
    times, counts = [], (0, 0)
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page.goto(path.as_uri())
        page.wait_for_selector('body[data-stable="1"]', state="attached", timeout=120_000)
        stable, n, e = page.evaluate("[window.finkgStableAt, network.body.data.nodes.length, network.body.data.edges.length]")
        times.append(stable)
        counts = (n, e)
        page.close()
    return statistics.median(times), *counts


def screenshot(graph: Graph, out: Path, chromium: str) -> None:
    """The governance view of ``graph`` at 1400x900 once stable, with the chair's side panel open."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        path = write_html(graph, Path(tmp) / "governance.html", view="governance")
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(path.as_uri())
        page.wait_for_selector('body[data-stable="1"]', state="attached", timeout=60_000)
        page.evaluate("""() => {
            const id = network.body.data.nodes.get({filter: n => n.label === "顾敏"})[0].id;
            network.selectNodes([id]);
            window.finkg.showDetails(id);
        }""")
        page.screenshot(path=str(out))
        browser.close()
    print(f"wrote {out}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--screenshot", type=Path, metavar="PNG", help="only save the governance view of the sample as PNG")
    args = parser.parse_args()

    sample = with_ontology(build_graph().graph)
    if args.screenshot:
        screenshot(sample, args.screenshot, args.chromium)
        return 0
    big = synthetic_graph(sample, args.nodes)
    cases = [("sample, all", sample, "all"), ("sample, governance", sample, "governance"),
             (f"synthetic {args.nodes}, all", big, "all")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, args=ARGS)
            for k, (name, graph, view) in enumerate(cases):
                path = Path(tmp) / f"case{k}.html"
                write_s = time_write(graph, path, view, args.runs)
                stable_ms, n, e = time_layout(browser, path, args.runs)
                rows.append((name, n, e, path.stat().st_size, write_s, stable_ms))
            browser.close()
    print(f"{'graph, view':28} {'nodes':>6} {'edges':>6} {'HTML':>8} {'write_html':>11} {'stable in page':>15}")
    for name, n, e, size, write_s, stable_ms in rows:
        print(f"{name:28} {n:6d} {e:6d} {size / 1e6:6.2f}MB {write_s:10.2f}s {stable_ms / 1000:14.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
