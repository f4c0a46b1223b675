"""The named SPARQL questions (one ``.rq`` file each) and the runner."""

from __future__ import annotations

from .runner import NamedQuery, QueryResult, list_queries, load_graph, run_query

__all__ = ["NamedQuery", "QueryResult", "list_queries", "load_graph", "run_query"]
