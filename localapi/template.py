"""What the local API needs from template.yaml: routes, handlers, CORS, environment and tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that keeps CloudFormation short-form tags (!Ref, !Sub, ...) as {"Fn": value}."""


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    return {name: value}


_CfnLoader.add_multi_constructor("!", _tagged)


@dataclass(frozen=True)
class Route:
    function: str  # logical id, e.g. ArticleGetFunction
    method: str
    path: str  # e.g. /api/articles/{slug}
    code_dir: Path
    handler: str  # module.function, e.g. app.handler

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\\\{([A-Za-z0-9_]+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(f"^{regex}$")

    @property
    def specificity(self) -> tuple[int, int]:
        """API Gateway prefers routes with more literal segments (feed over {slug})."""
        segments = self.path.strip("/").split("/")
        return sum(not s.startswith("{") for s in segments), len(segments)


@dataclass(frozen=True)
class Template:
    raw: dict[str, Any]

    @property
    def resources(self) -> dict[str, Any]:
        return self.raw.get("Resources", {})

    def functions(self) -> dict[str, dict[str, Any]]:
        return {
            name: resource.get("Properties", {})
            for name, resource in self.resources.items()
            if resource.get("Type") == "AWS::Serverless::Function"
        }

    def stream_functions(self) -> list[tuple[str, str]]:
        """(function, table's logical id) of every function with a DynamoDB event source, in template order."""
        found = []
        for name, props in self.functions().items():
            for event in (props.get("Events") or {}).values():
                if event.get("Type") == "DynamoDB":
                    stream = event.get("Properties", {}).get("Stream", {})
                    target = stream.get("Fn::GetAtt", "") if isinstance(stream, dict) else ""
                    table = target[0] if isinstance(target, list) else str(target).split(".")[0]
                    found.append((name, table))
        return found

    def queue_functions(self) -> list[tuple[str, str]]:
        """(function, queue's logical id) of every function with an SQS event source, in template order."""
        found = []
        for name, props in self.functions().items():
            for event in (props.get("Events") or {}).values():
                if event.get("Type") == "SQS":
                    queue = event.get("Properties", {}).get("Queue", {})
                    target = queue.get("Fn::GetAtt", "") if isinstance(queue, dict) else queue
                    found.append((name, target[0] if isinstance(target, list) else str(target).split(".")[0]))
        return found

    def routes(self) -> list[Route]:
        globals_fn = self.raw.get("Globals", {}).get("Function", {})
        found = []
        for name, props in self.functions().items():
            for event in (props.get("Events") or {}).values():
                if event.get("Type") != "HttpApi":
                    continue
                found.append(
                    Route(
                        function=name,
                        method=event["Properties"]["Method"].upper(),
                        path=event["Properties"]["Path"],
                        code_dir=ROOT / props["CodeUri"],
                        handler=props.get("Handler", globals_fn.get("Handler", "app.handler")),
                    )
                )
        return sorted(found, key=lambda r: r.specificity, reverse=True)

    def cors(self) -> dict[str, Any]:
        for resource in self.resources.values():
            if resource.get("Type") == "AWS::Serverless::HttpApi":
                return resource.get("Properties", {}).get("CorsConfiguration", {}) or {}
        return {}

    def tables(self) -> dict[str, dict[str, Any]]:
        return {
            name: resource["Properties"]
            for name, resource in self.resources.items()
            if resource.get("Type") == "AWS::DynamoDB::Table"
        }

    def function_globals(self) -> dict[str, Any]:
        return self.raw.get("Globals", {}).get("Function", {})

    def handler(self, function: str) -> str:
        return self.functions()[function].get("Handler", self.function_globals().get("Handler", "app.handler"))

    def function_setting(self, function: str, key: str, default: Any) -> Any:
        """A function property, else its Globals value, else `default` (MemorySize, Timeout, ...)."""
        return self.functions()[function].get(key, self.function_globals().get(key, default))

    def function_layers(self, function: str) -> list[str]:
        """Logical ids of the function's layers as SAM resolves them: Globals' Layers, then its own."""
        own = self.functions()[function].get("Layers") or []
        layers = [*(self.function_globals().get("Layers") or []), *own]
        return [layer["Ref"] for layer in layers if isinstance(layer, dict) and "Ref" in layer]

    def layer_dirs(self) -> list[Path]:
        return [
            ROOT / resource["Properties"]["ContentUri"]
            for resource in self.resources.values()
            if resource.get("Type") == "AWS::Serverless::LayerVersion"
        ]

    def variables(self, function: str) -> dict[str, Any]:
        """Globals + function Environment Variables, unresolved (the function's own win)."""
        merged: dict[str, Any] = {}
        for source in (self.function_globals(), self.functions().get(function, {})):
            merged.update((source.get("Environment") or {}).get("Variables") or {})
        return merged

    def environment(self, function: str, refs: dict[str, str]) -> dict[str, str]:
        """Globals + function variables, with !Ref resolved from `refs` (unknown refs are dropped)."""
        env = {}
        for key, value in self.variables(function).items():
            if isinstance(value, dict) and "Ref" in value:
                if value["Ref"] in refs:
                    env[key] = refs[value["Ref"]]
            elif not isinstance(value, dict):
                env[key] = str(value)
        return env


@lru_cache(maxsize=1)
def load(path: Path = TEMPLATE) -> Template:
    with path.open(encoding="utf-8") as handle:
        return Template(yaml.load(handle, Loader=_CfnLoader))
