"""localapi reads a function's layers as SAM merges them: Globals' Layers, then the function's own."""

from __future__ import annotations

from localapi.template import Template, load


def test_a_function_with_its_own_layers_keeps_the_global_ones_first():
    template = Template(
        {
            "Globals": {"Function": {"Layers": [{"Ref": "Shared"}]}},
            "Resources": {
                "One": {"Type": "AWS::Serverless::Function", "Properties": {"CodeUri": "x/"}},
                "Two": {
                    "Type": "AWS::Serverless::Function",
                    "Properties": {"CodeUri": "y/", "Layers": [{"Ref": "Extra"}]},
                },
            },
        }
    )
    assert template.function_layers("One") == ["Shared"]
    assert template.function_layers("Two") == ["Shared", "Extra"]


def test_the_graphql_functions_get_both_layers():
    template = load()
    assert template.function_layers("GraphqlFunction") == ["ConduitLayer", "GraphqlLayer"]
    assert template.function_layers("ArticleGetFunction") == ["ConduitLayer"]
