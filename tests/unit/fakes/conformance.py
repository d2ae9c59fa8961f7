"""Each in-memory fake stands in for its port's Protocol: `mypy --strict` (scripts/typecheck, whose files
include tests/unit/fakes) checks every assignment below, so a fake cannot drift from the Protocol that the
DynamoDB module satisfies too. `tests/unit/test_ports.py` checks that every port is listed here."""

from __future__ import annotations

from conduit.ports.articles import ArticleStore
from conduit.ports.comments import CommentStore
from conduit.ports.deletions import DeletionStore
from conduit.ports.exports import ExportStore
from conduit.ports.favorites import FavoriteStore
from conduit.ports.feed import FeedStore
from conduit.ports.follows import FollowStore
from conduit.ports.listings import ListingStore
from conduit.ports.owned import OwnedContent
from conduit.ports.quotas import QuotaStore
from conduit.ports.relations import RelationStore
from conduit.ports.resets import ResetStore
from conduit.ports.tags import TagStore
from conduit.ports.users import UserStore
from conduit.ports.verifications import VerificationStore
from tests.unit.fakes.articles import FakeArticles
from tests.unit.fakes.comments import FakeComments
from tests.unit.fakes.content import Content
from tests.unit.fakes.deletions import FakeDeletions, FakeOwned
from tests.unit.fakes.exports import FakeExports
from tests.unit.fakes.favorites import FakeFavorites
from tests.unit.fakes.feed import FakeFeed
from tests.unit.fakes.follows import FakeFollows
from tests.unit.fakes.listings import FakeListings
from tests.unit.fakes.quotas import FakeQuotas
from tests.unit.fakes.relations import FakeRelations
from tests.unit.fakes.resets import FakeResets
from tests.unit.fakes.tags import FakeTags
from tests.unit.fakes.users import FakeUsers
from tests.unit.fakes.verifications import FakeVerifications


def fakes() -> dict[str, object]:
    """One fake per port module (conduit/ports/<name>.py), each typed as its Protocol."""
    content, users = Content(), FakeUsers()
    articles: ArticleStore = FakeArticles(content)
    comments: CommentStore = FakeComments(content)
    deletions: DeletionStore = FakeDeletions()
    exports: ExportStore = FakeExports()
    favorites: FavoriteStore = FakeFavorites(content)
    feed: FeedStore = FakeFeed(content)
    follows: FollowStore = FakeFollows(content)
    listings: ListingStore = FakeListings(content)
    owned: OwnedContent = FakeOwned()
    quotas: QuotaStore = FakeQuotas()
    relations: RelationStore = FakeRelations(content)
    resets: ResetStore = FakeResets(users)
    tags: TagStore = FakeTags()
    user_store: UserStore = users
    verifications: VerificationStore = FakeVerifications(users)
    return {
        "articles": articles,
        "comments": comments,
        "deletions": deletions,
        "exports": exports,
        "favorites": favorites,
        "feed": feed,
        "follows": follows,
        "listings": listings,
        "owned": owned,
        "quotas": quotas,
        "relations": relations,
        "resets": resets,
        "tags": tags,
        "users": user_store,
        "verifications": verifications,
    }
