"""Handlers called in this process (no worker, no IAM, no limits): only for the bench, which counts the
DynamoDB calls and items of each request on an in-process moto. The local API never uses it."""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any

from localapi.template import ROOT, Template


class InlineRuntime:
    def __init__(self, template: Template) -> None:
        self.template = template
        self._modules: dict[str, ModuleType] = {}

    def invoke(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        module_name, handler_name = self.template.handler(function).rsplit(".", 1)
        return getattr(self._module(function, module_name), handler_name)(event, _Context(function))

    def _module(self, function: str, module_name: str) -> ModuleType:
        if function not in self._modules:
            props = self.template.functions()[function]
            path = ROOT / props["CodeUri"] / f"{module_name.replace('.', '/')}.py"
            spec = importlib.util.spec_from_file_location(f"functions.{function}", path)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            self._modules[function] = module
        return self._modules[function]


class _Context:
    def __init__(self, function: str) -> None:
        self.function_name = function
        self.memory_limit_in_mb = 512
        self.aws_request_id = "bench"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:000000000000:function:{function}"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000
