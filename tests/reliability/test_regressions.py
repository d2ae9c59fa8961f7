"""Regression tests for the partial-write bugs the fault injection found (docs/reliability.md).

1. Deleting an article removed the article, its marker, tags and counters in one transaction and
   only then its comments and favorite edges. A fault after the transaction left those children
   under a missing article for good: the retry answered 404, and the favoriters' favoritesCount
   kept counting the orphan edges (GET /articles?favorited= said 1 article and listed none).
   Now the article is marked `deleting` first (no new children or edits from then on), its
   children go next, the transaction is last, and a retry resumes.
2. The zero tag counters dropped after an edit or a delete (best-effort cleanup) turned a fault
   into a 503 for a change that had committed; for a delete it also skipped the child cleanup.
3. The child cleanup read the article's partition with eventually consistent Queries: a comment
   or favorite written just before the delete could be missed. Its Queries are consistent now.
"""

from __future__ import annotations

from conduit.store import keys
from tests.reliability.faults import Fault, Recorder


def _article_with_children(api, tags=("regress",)):
    author, fans = api.user("rg"), [api.user("rf") for _ in range(2)]
    slug = api.article(author["token"], tags=list(tags))["slug"]
    for fan in fans:
        api.comment(fan["token"], slug, "before")
        api.ok("POST", f"/articles/{slug}/favorite", token=fan["token"])
    return author, fans, slug


def test_a_fault_in_the_middle_of_the_child_cleanup_leaves_a_consistent_resumable_delete(api, assert_consistent):
    author, fans, slug = _article_with_children(api)
    with Fault("throttling", at=2, operation="DeleteItem") as fault:  # the second comment's delete
        first = api.delete(f"/articles/{slug}", token=author["token"])
    assert fault.fired and first.status_code == 503, first.text
    assert_consistent("with the delete half done")
    # Half deleted: still readable (the delete has not completed), but it takes nothing new.
    article = api.ok("GET", f"/articles/{slug}", token=fans[0]["token"])["article"]
    assert article["favoritesCount"] == 2
    comment = api.post(f"/articles/{slug}/comments", token=fans[0]["token"], json={"comment": {"body": "late"}})
    assert comment.status_code == 404, comment.text
    assert api.put(f"/articles/{slug}", token=author["token"], json={"article": {"body": "x"}}).status_code == 404
    assert api.post(f"/articles/{slug}/favorite", token=api.user("rl")["token"]).status_code == 404
    assert api.delete(f"/articles/{slug}/favorite", token=fans[1]["token"]).status_code == 200  # withdrawing is fine
    assert_consistent("after writes against the half-deleted article")
    # The same request again finishes the job.
    assert api.delete(f"/articles/{slug}", token=author["token"]).status_code == 204
    assert api.get(f"/articles/{slug}").status_code == 404
    assert api.get(f"/articles/{slug}/comments").status_code == 404
    for fan in fans:
        assert api.ok("GET", f"/articles?favorited={fan['username']}")["articlesCount"] == 0
    assert_consistent("after the resumed delete")


def test_a_lost_answer_of_the_final_delete_transaction_leaves_no_orphans(api, assert_consistent):
    author, _, slug = _article_with_children(api)
    with Fault("lost", at=3, operation="TransactWriteItems") as fault:  # 2 favorites, then the delete itself
        first = api.delete(f"/articles/{slug}", token=author["token"])
    assert fault.fired and first.status_code == 503
    assert_consistent("after the lost delete")
    assert api.delete(f"/articles/{slug}", token=author["token"]).status_code == 404  # it is gone
    assert api.get(f"/articles/{slug}/comments").status_code == 404


def test_a_fault_while_dropping_unused_tag_counters_does_not_fail_a_committed_change(api, assert_consistent):
    author = api.user("tg")
    slug = api.article(author["token"], tags=["regress-keep", "regress-gone"])["slug"]
    with Fault("internal", at=1, operation="DeleteItem") as fault:
        edited = api.put(f"/articles/{slug}", token=author["token"], json={"article": {"tagList": ["regress-keep"]}})
    assert fault.fired
    assert edited.status_code == 200, edited.text
    assert edited.json()["article"]["tagList"] == ["regress-keep"]
    tags = api.ok("GET", "/tags")["tags"]
    assert "regress-keep" in tags and "regress-gone" not in tags  # its counter is left at 0: not listed
    assert_consistent("with a zero tag counter left behind")
    with Fault("timeout", at=1, operation="DeleteItem") as fault:
        deleted = api.delete(f"/articles/{slug}", token=author["token"])
    assert fault.fired and deleted.status_code == 204
    assert "regress-keep" not in api.ok("GET", "/tags")["tags"]
    assert_consistent("after the delete")


def test_the_child_cleanup_reads_consistently(api):
    author, _, slug = _article_with_children(api)
    with Recorder() as recorder:
        assert api.delete(f"/articles/{slug}", token=author["token"]).status_code == 204
    queries = [request for operation, request in recorder.requests if operation == "Query"]
    assert len(queries) >= 3  # comments, favorite edges, pending favorites (then the tag's counter shards)
    assert all(query.get("ConsistentRead") is True for query in queries), queries


def test_deleting_an_article_does_not_read_a_short_page_of_children_again(api):
    """The cleanup read each child prefix again after a page shorter than its size, although nothing
    can be added once the article is marked `deleting` (a racing favorite goes with its pending marker):
    2 round trips per deleted article. Now one Query per prefix whose children fit one page."""
    author, _, slug = _article_with_children(api)  # 2 comments, 2 favorite edges
    with Recorder() as recorder:
        assert api.delete(f"/articles/{slug}", token=author["token"]).status_code == 204
    article_reads = [
        request["ExpressionAttributeValues"][":prefix"]["S"]
        for operation, request in recorder.requests
        if operation == "Query" and request["ExpressionAttributeValues"][":pk"]["S"].startswith(keys.ARTICLE_PREFIX)
    ]
    assert article_reads == [keys.COMMENT_PREFIX, keys.FAVORITE_PREFIX, keys.PENDING_FAVORITE_PREFIX], article_reads
    assert len(recorder.calls) == 16, recorder.calls  # 18 with the re-reads
