"""DynamoDB Streams consumer: folds articles' pending favorite markers into their favoritesCount.

A marker (ARTICLE#<aid> / FAVPENDING#<uid>) inserted or changed -> store.favorites.fold(aid): one
transaction per batch of markers adds their sum to the article's count and deletes them (each on
the condition that its delta is unchanged), so a replayed record folds nothing twice. An article
being deleted or gone has its pending favorites undone instead. One batch folds each article once,
however many of its markers the batch holds; the first article that fails is logged and reported
(ReportBatchItemFailures), and Lambda retries from its first record (store.stream).
"""

from __future__ import annotations

from typing import Any

from conduit.store import favorites, stream


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return stream.handle_once_per(event, favorites.article_to_fold, favorites.fold)
