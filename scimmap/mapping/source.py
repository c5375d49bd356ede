"""The Graph -> Entra source view, under the name the mapping layer has always imported it by.

The view itself lives in :mod:`scimmap.language.source`, below both the expression evaluator and the
mapping tables, so that ``scimmap.evaluate`` and ``MappingTable.apply`` see a Graph object the same way.
"""

from scimmap.language.source import FLATTENED, GRAPH_ALIASES, QUALIFIED, b2b_alias, entra_source

__all__ = ["FLATTENED", "GRAPH_ALIASES", "QUALIFIED", "b2b_alias", "entra_source"]
