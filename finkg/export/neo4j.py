"""Neo4j: a folder of CSV files for ``neo4j-admin database import``, a Cypher script, and a README.

    PATH/nodes/<Label>.csv                    one file per label (set): iri:ID, then the properties
    PATH/relationships/<TYPE>/<Start>-<End>.csv   :START_ID,:END_ID — one folder per type, a file per pair
    PATH/import.cypher                        constraints, then one MERGE per node and per relationship
    PATH/README.md                            how to load either

Headers are typed the neo4j-admin way (``shares:long``, ``value:double``, ``altLabel_zh:string[]``); strings
are always quoted, a missing value is an empty unquoted field. The mapping is ``_property_graph``'s: labels are
``name_zh`` and ``name_en`` properties, so no language is lost.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from rdflib import Graph

from ._atomic import write_folder
from ._property_graph import STRING, Node, PropertyGraph, rdf_to_property_graph

MARKER = ".finkg-neo4j-export"
# the array delimiter: the first of these no list value holds (control characters, then private-use ones)
_DELIMITERS = (";", "|", "\u001f", "\u001e", "\u001d", "\u001c", *map(chr, range(0xE000, 0xF900)))
_SIMPLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESERVED = {
    "ADD", "ALL", "AND", "AS", "ASC", "BY", "CALL", "CASE", "CONSTRAINT", "CONTAINS", "COPY", "COUNT", "CREATE",
    "DELETE", "DESC", "DETACH", "DISTINCT", "DO", "DROP", "ELSE", "END", "ENDS", "EXISTS", "FALSE", "FOR", "FROM",
    "GROUP", "IN", "INDEX", "IS", "KEY", "LIMIT", "LOAD", "MATCH", "MERGE", "NODE", "NOT", "NULL", "OF", "ON",
    "OPTIONAL", "OR", "ORDER", "PRIMARY", "REL", "REMOVE", "REQUIRE", "RETURN", "SET", "SKIP", "STARTS", "TABLE",
    "THEN", "TO", "TRUE", "UNION", "UNIQUE", "UNWIND", "WHEN", "WHERE", "WITH", "XOR", "YIELD",
}


def export(graph: Graph, path: Path) -> Path:
    pg = rdf_to_property_graph(graph)
    return write_folder(path, lambda tmp: write_files(pg, tmp), MARKER)


def write_files(pg: PropertyGraph, folder: Path) -> None:
    delimiter = _array_delimiter(pg)
    by_labels: dict[tuple[str, ...], list[Node]] = defaultdict(list)
    for node in pg.nodes:
        by_labels[node.labels].append(node)
    labels_of = {node.iri: node.labels for node in pg.nodes}
    node_files = []
    for labels in sorted(by_labels):
        rel = f"nodes/{'_'.join(labels)}.csv"
        _write_csv(folder / rel, *_node_rows(by_labels[labels], pg, delimiter))
        node_files.append((labels, rel))
    by_type: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[tuple[str, str]]] = defaultdict(list)
    for r in pg.relationships:
        by_type[(r.type, labels_of[r.start], labels_of[r.end])].append((r.start, r.end))
    rel_files = []
    for (rtype, start, end) in sorted(by_type):
        rel = f"relationships/{rtype}/{'_'.join(start)}-{'_'.join(end)}.csv"
        _write_csv(folder / rel, [":START_ID", ":END_ID"], [[_csv(s), _csv(e)] for s, e in by_type[(rtype, start, end)]])
        rel_files.append((rtype, rel))
    _write_text(folder / "import.cypher", cypher_script(pg))
    _write_text(folder / "README.md", _readme(node_files, rel_files, delimiter, len(pg.nodes), len(pg.relationships)))


# --- CSV ----------------------------------------------------------------------------------------------


def _array_delimiter(pg: PropertyGraph) -> str:
    values = [str(v) for n in pg.nodes for k, vs in n.properties.items() if k in pg.lists for v in vs]  # type: ignore[union-attr]
    used = set("".join(values))
    return next(d for d in _DELIMITERS if d not in used)


def header(name: str, pg: PropertyGraph) -> str:
    if name == "iri":
        return "iri:ID"
    kind = pg.types[name]
    suffix = "" if kind == STRING else f":{kind}"
    if name in pg.lists:
        suffix = f":{kind}[]"
    return name + suffix


def _node_rows(nodes: list[Node], pg: PropertyGraph, delimiter: str) -> tuple[list[str], list[list[str]]]:
    names = sorted({k for n in nodes for k in n.properties} - {"iri"})
    rows = []
    for n in nodes:
        row = [_csv(n.iri)]
        for name in names:
            value = n.properties.get(name)
            if isinstance(value, tuple):
                value = delimiter.join(str(_number(v)) for v in value)
            row.append(_csv(value))
        rows.append(row)
    return ["iri:ID"] + [header(name, pg) for name in names], rows


def _number(value: object) -> object:
    return repr(value) if isinstance(value, float) else value


def _csv(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(_number(value))
    return '"' + str(value).replace('"', '""') + '"'


def _write_csv(path: Path, head: list[str], rows: list[list[str]]) -> None:
    lines = [",".join(head)] + [",".join(row) for row in rows]
    _write_text(path, "\n".join(lines) + "\n")


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


# --- Cypher -------------------------------------------------------------------------------------------


def ident(name: str) -> str:
    """A label, type or property key as Cypher writes it (backquoted when it must be)."""
    if _SIMPLE.match(name) and name.upper() not in _RESERVED:
        return name
    return "`" + name.replace("`", "``") + "`"


def literal(value: object) -> str:
    """A Cypher literal: numbers as they are, strings single-quoted with every special character escaped."""
    if isinstance(value, tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    out = []
    for ch in str(value):
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def cypher_script(pg: PropertyGraph) -> str:
    """Constraints first, then one MERGE per node, then one per relationship; one statement per line."""
    labels = sorted({label for n in pg.nodes for label in n.labels})
    lines = ["// finkg export for Neo4j 5: cypher-shell -f import.cypher (see README.md)"]
    for label in labels:
        lines.append(f"CREATE CONSTRAINT {ident('finkg_' + label + '_iri')} IF NOT EXISTS "
                     f"FOR (n:{ident(label)}) REQUIRE n.iri IS UNIQUE;")
    for n in pg.nodes:
        sets = [f"n.{ident(k)} = {literal(v)}" for k, v in n.properties.items() if k != "iri" and v is not None]
        sets += [f"n:{ident(label)}" for label in n.labels[1:]]
        tail = f" SET {', '.join(sets)}" if sets else ""
        lines.append(f"MERGE (n:{ident(n.labels[0])} {{iri: {literal(n.iri)}}}){tail};")
    first = {n.iri: n.labels[0] for n in pg.nodes}
    for r in pg.relationships:
        lines.append(f"MATCH (a:{ident(first[r.start])} {{iri: {literal(r.start)}}}), "
                     f"(b:{ident(first[r.end])} {{iri: {literal(r.end)}}}) MERGE (a)-[:{ident(r.type)}]->(b);")
    return "\n".join(lines) + "\n"


# --- README -------------------------------------------------------------------------------------------


def _readme(node_files, rel_files, delimiter: str, n_nodes: int, n_rels: int) -> str:
    args = [f"  --nodes={':'.join(labels)}={rel}" for labels, rel in node_files]
    args += [f"  --relationships={rtype}={rel}" for rtype, rel in rel_files]
    shown_delimiter = f"'{delimiter}'" if delimiter in ";|" else f"$'\\u{ord(delimiter):04x}'"
    command = " \\\n".join(["neo4j-admin database import full neo4j --overwrite-destination"] + args
                           + [f"  --multiline-fields=true --array-delimiter={shown_delimiter}"])
    return f"""# finkg graph for Neo4j

{n_nodes} nodes and {n_rels} relationships, exported by `finkg export --format neo4j`.

Each node has the label of its finkg class (`Person`, `Shareholding` …), its IRI as `iri` (also its import
id), its Chinese and English labels as `name_zh` and `name_en`, and its facts as properties; each object
property is a relationship typed in UPPER_SNAKE (`SHAREHOLDER`, `HOLDS_POSITION`, `COMMITTEE` …).

## Bulk import (an empty database; fastest)

Stop Neo4j, run from this folder, then start Neo4j:

```
{command}
```

Then, in Cypher, add the uniqueness constraints (the first lines of `import.cypher`).

## Cypher (a running database; adds to what is there)

```
cypher-shell -u neo4j -p PASSWORD -f import.cypher
```

`import.cypher` creates a uniqueness constraint on `iri` per label, then MERGEs every node and relationship, so
running it twice changes nothing.

## Example

```
MATCH (s:Shareholding)-[:SHAREHOLDER]->(h)
RETURN s.rank, h.name_zh, h.name_en, s.shares, s.percentage ORDER BY s.rank;
```
"""


