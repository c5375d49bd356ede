"""Rewrite a tree into canonical spelling: function names as Microsoft's reference writes them."""

from __future__ import annotations

from attrs import evolve

from scimmap.functions.catalog import Catalog
from scimmap.language.nodes import Call, Comparison, Concat, Node


def canonical_names(node: Node, catalog: Catalog | None = None) -> Node:
    """``switch(`` becomes ``Switch(``; unknown names are left alone (the checker reports them)."""
    if catalog is None:
        from scimmap.functions import BUILTINS

        catalog = BUILTINS
    if isinstance(node, Call):
        spec = catalog.get(node.name)
        args = tuple(None if a is None else canonical_names(a, catalog) for a in node.args)
        return evolve(node, name=spec.name if spec else node.name, args=args)
    if isinstance(node, Comparison):
        return evolve(node, left=canonical_names(node.left, catalog), right=canonical_names(node.right, catalog))
    if isinstance(node, Concat):
        return evolve(node, parts=tuple(canonical_names(p, catalog) for p in node.parts))
    return node
