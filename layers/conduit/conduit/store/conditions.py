"""Condition expressions the store's writes share, named once (as store.keys names the keys).

| name          | holds when                                                    | used by                      |
|---------------|---------------------------------------------------------------|------------------------------|
| EXISTS        | the item is there                                             | deletes of edges, counters   |
| ABSENT        | no item has this key (creates, uniqueness markers)            | transactions.put_new, exports|
| NOT_DELETING  | the item's deletion has not begun (`deleting` not set)        | articles, users              |
| ARTICLE_OPEN  | the article exists and takes new comments, favorites, edits   | comments, articles           |
| BEING_DELETED | the item's deletion has begun (only such an item is removed)  | articles, deletions          |
"""

from __future__ import annotations

# Set on an article (store.articles.delete) or a user (store.deletions.start) whose deletion has begun.
DELETING = "deleting"

EXISTS = "attribute_exists(PK)"
ABSENT = "attribute_not_exists(PK)"
NOT_DELETING = f"attribute_not_exists({DELETING})"
BEING_DELETED = f"attribute_exists({DELETING})"
ARTICLE_OPEN = f"{EXISTS} AND {NOT_DELETING}"


def all_of(*conditions: str) -> str:
    """Conditions that must all hold: `all_of(EXISTS, "authorId = :editor")`."""
    return " AND ".join(condition for condition in conditions if condition)
