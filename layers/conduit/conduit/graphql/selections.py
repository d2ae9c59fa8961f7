"""Walking an operation's selections with its fragments written out: what the cost limit
(graphql.limits) and the one-mutation-per-key check (graphql.idempotency) both read before execution.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from graphql import DocumentNode, FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode
from graphql import SelectionSetNode as Selections

Fragments = Mapping[str, FragmentDefinitionNode]


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    """The document's named fragments, by name."""
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def fields(
    selection_set: Selections | None, fragments: Fragments, seen: frozenset[str] = frozenset()
) -> Iterator[tuple[FieldNode, frozenset[str]]]:
    """The fields `selection_set` selects, inline fragments and named ones written out, each with the
    named fragments on its path (`seen`: a fragment is written out once per path, which stops a
    cycle of spreads). A spread of a fragment the document does not define selects nothing."""
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection, seen
        elif isinstance(selection, InlineFragmentNode):
            yield from fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from fields(fragment.selection_set, fragments, seen | {selection.name.value})
