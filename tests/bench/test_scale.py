"""The capacity model (bench/scale.py) on the committed measurements: the hot keys it finds and the
limits it names. Pure arithmetic over bench/results.json: no table, no functions."""

from __future__ import annotations

import json

import pytest

from bench import scale


@pytest.fixture(scope="module")
def model() -> dict:
    return scale.model(json.loads(scale.RESULTS.read_text(encoding="utf-8")))


def row(model: dict, layout: str, mix: str) -> dict:
    return next(r for r in model["rows"] if r["layout"] == layout and r["mix"] == mix)


def test_before_the_global_article_counter_caps_the_default_mix_by_conflicts(model):
    before = row(model, "before", "default")
    assert before["limit"].startswith("COUNTER/ARTICLES:") and "conflicts" in before["limit"]
    assert before["n_max"] < 1_000


def test_sharded_counters_lift_the_publishing_burst_past_200_creates_per_second(model):
    before, after = row(model, "before", "publishing burst"), row(model, "after", "publishing burst")
    assert before["headline"]["at_n_max"] < 10
    assert after["headline"]["at_n_max"] >= 200
    assert all(p <= scale.CONFLICT_LIMIT for p in after["at_n_max"]["conflict_probability"].values())


def test_every_key_load_scales_with_n_and_the_limit_is_the_smallest(model):
    for r in model["rows"]:
        assert r["n_max"] == min(k["n_max"] for k in r["keys"].values() if k["n_max"] is not None)
        expected = r["n_max"] * r["mean_duration_ms"] / 1000  # mean_duration_ms is rounded to 0.1 ms
        assert abs(r["at_n_max"]["lambda_concurrency"] - expected) <= 1 or r["layout"].endswith("CloudFront")


def test_a_viral_article_is_bounded_by_its_own_item(model):
    viral = row(model, "before", "viral article")
    assert viral["limit"].startswith("ARTICLE#<hot>/ARTICLE:")


def test_with_the_fold_no_favorite_transaction_holds_the_article_and_the_targets_are_met(model):
    """The done-when of issue 17: default mix >= 10,000 req/s, viral article >= 2,000 favorites/s,
    publishing >= 200 creates/s, with no key over its limit and conflicts under 1%."""
    for layout in ("before", "sharded"):
        assert row(model, layout, "viral article")["headline"]["at_n_max"] < 10
    viral, default = row(model, "after", "viral article"), row(model, "after", "default")
    article = viral["keys"]["ARTICLE#<hot>/ARTICLE"]
    assert "tx_per_1k" not in article and article["fold_tx_per_1k"] > 0  # only the fold's transactions
    assert viral["headline"]["at_n_max"] >= 2_000
    assert default["n_max"] >= 10_000
    assert row(model, "after", "publishing burst")["headline"]["at_n_max"] >= 200
    for r in (viral, default):
        assert all(p <= scale.CONFLICT_LIMIT for p in r["at_n_max"]["conflict_probability"].values())
    # the fold keeps up: one consumer's throughput is not what stops the viral mix
    assert "fold throughput" not in viral["limit"]
    assert viral["at_n_max"]["splits_for_heat"]["collection ARTICLE#<hot> (edges, pending markers)"] >= 1


def test_render_names_every_row(model):
    text = scale.render(model)
    assert text.count("\n") >= len(model["rows"]) + 3
    assert "publishing burst" in text and "viral article" in text
