"""The optional CloudFront distribution (EnableCdn): off by default; when on, it caches anonymous GETs
for as long as their Cache-Control allows and never an authenticated answer.

CloudFront's rules, applied here to the template's policies and to the local API's real answers:
only CachedMethods are cached; the cache key is the path, the query strings and the headers the
cache policy lists (which are also the only way to forward Authorization to the origin); an answer's
TTL is its max-age clamped to [MinTTL, MaxTTL], DefaultTTL when it has no Cache-Control, and nothing
is kept for no-store / no-cache / private when MinTTL is 0.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import unique
from tests.template.helpers import load

CDN_RESOURCES = ("CdnCachePolicy", "CdnOriginRequestPolicy", "CdnDistribution")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return load().raw


def cache_policy(raw: dict[str, Any]) -> dict[str, Any]:
    return raw["Resources"]["CdnCachePolicy"]["Properties"]["CachePolicyConfig"]


def behavior(raw: dict[str, Any]) -> dict[str, Any]:
    return raw["Resources"]["CdnDistribution"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]


def test_the_distribution_is_off_by_default_and_all_of_it_hangs_on_the_condition(raw):
    assert raw["Parameters"]["EnableCdn"]["Default"] == "false"
    assert raw["Conditions"]["UseCdn"] == {"Fn::Equals": [{"Ref": "EnableCdn"}, "true"]}
    for name in CDN_RESOURCES:
        assert raw["Resources"][name]["Condition"] == "UseCdn", name
    assert raw["Outputs"]["CdnUrl"]["Condition"] == "UseCdn"


def test_the_origin_is_the_http_api_over_https_and_its_host_is_not_overwritten(raw):
    config = raw["Resources"]["CdnDistribution"]["Properties"]["DistributionConfig"]
    (origin,) = config["Origins"]
    assert "${HttpApi}.execute-api." in origin["DomainName"]["Fn::Sub"]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    forwarded = raw["Resources"]["CdnOriginRequestPolicy"]["Properties"]["OriginRequestPolicyConfig"]
    headers = [h.lower() for h in forwarded["HeadersConfig"]["Headers"]]
    assert "host" not in headers  # API Gateway answers only to its own host name
    assert "authorization" not in headers  # CloudFront forwards it only through the cache policy
    assert {"content-type", "idempotency-key", "if-none-match"} <= set(headers)
    assert behavior(raw)["CachedMethods"] == ["GET", "HEAD"]
    assert set(behavior(raw)["AllowedMethods"]) >= {"GET", "POST", "PUT", "DELETE", "OPTIONS"}


def test_authorization_is_in_the_cache_key_and_nothing_without_cache_control_is_kept(raw):
    policy = cache_policy(raw)
    keyed = policy["ParametersInCacheKeyAndForwardedToOrigin"]
    assert keyed["HeadersConfig"] == {"HeaderBehavior": "whitelist", "Headers": ["Authorization"]}
    assert keyed["QueryStringsConfig"]["QueryStringBehavior"] == "all"
    assert (policy["MinTTL"], policy["DefaultTTL"]) == (0, 0)


def cache_key(raw: dict[str, Any], method: str, path: str, headers: dict[str, str]) -> tuple[Any, ...] | None:
    """CloudFront's cache key of a request, None when its method is not cached."""
    if method not in behavior(raw)["CachedMethods"]:
        return None
    listed = cache_policy(raw)["ParametersInCacheKeyAndForwardedToOrigin"]["HeadersConfig"]["Headers"]
    lowered = {name.lower(): value for name, value in headers.items()}
    return (path, *(lowered.get(name.lower(), "") for name in listed))


def ttl(raw: dict[str, Any], response_headers: Any) -> int:
    """Seconds CloudFront keeps an answer (0: not cached)."""
    policy = cache_policy(raw)
    control = response_headers.get("cache-control")
    if control is None:
        return policy["DefaultTTL"]
    if re.search(r"\b(no-store|no-cache|private)\b", control) and policy["MinTTL"] == 0:
        return 0
    found = re.search(r"max-age=(\d+)", control)
    if not found:
        return policy["DefaultTTL"]
    return max(policy["MinTTL"], min(int(found.group(1)), policy["MaxTTL"]))


def test_anonymous_reads_are_cached_for_their_max_age_and_authenticated_ones_never(raw, client):
    name = unique("cdn")
    token = client.post(
        "/users", json={"user": {"username": name, "email": f"{name}@example.com", "password": "password123"}}
    ).json()["user"]["token"]
    tags = client.get("/tags")  # the same for everyone (its route reads no token): public whoever asks
    assert ttl(raw, tags.headers) > 0
    assert cache_key(raw, "GET", "/tags", {}) != cache_key(raw, "GET", "/tags", {"Authorization": f"Token {token}"})
    for path in ("/articles?limit=5", f"/profiles/{name}"):  # answers that depend on who asks
        anonymous = client.get(path)
        assert anonymous.status_code == 200
        assert anonymous.headers["cache-control"].startswith("public, max-age="), path
        max_age = int(anonymous.headers["cache-control"].rsplit("=", 1)[1])
        assert ttl(raw, anonymous.headers) == min(max_age, cache_policy(raw)["MaxTTL"]) > 0, path
        signed = client.get(path, token=token)
        assert signed.status_code == 200
        assert ttl(raw, signed.headers) == 0, f"{path}: an authenticated answer would be cached"
        keys = {cache_key(raw, "GET", path, {}), cache_key(raw, "GET", path, {"Authorization": f"Token {token}"})}
        assert len(keys) == 2  # a caller with a token never gets the anonymous entry, nor another caller's
    assert ttl(raw, client.get("/user", token=token).headers) == 0
    assert cache_key(raw, "POST", "/articles", {}) is None
