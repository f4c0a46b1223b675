"""The named SPARQL questions (one ``.rq`` file each) and the runner."""

from __future__ import annotations

from .engines import EndpointEngine, OxigraphEngine, RdflibEngine
from .runner import NamedQuery, QueryResult, engine_for, list_queries, load_graph, run_query

__all__ = ["EndpointEngine", "NamedQuery", "OxigraphEngine", "QueryResult", "RdflibEngine", "engine_for",
           "list_queries", "load_graph", "run_query"]
