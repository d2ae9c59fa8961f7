"""Import check of one built function, run by tools/twin_check.py inside `python3.13 -I -S`.

-I -S leaves only the interpreter's standard library on sys.path (no site-packages, no PYTHONPATH, no
current directory); this adds the function's path as Lambda orders it (function dir, layers, the
runtime's SDK) and then imports what the function can import:
  1. the handler (module and attribute);
  2. every module of the layer's own packages, one by one (a module no handler imports yet still ships);
  3. every import statement written in those modules and in the function's own files, functions
     included (lazy imports: `import jwt` on first use), except under `if TYPE_CHECKING:` or in a
     `try` that handles ImportError (optional by design);
  4. the top-level modules of every requirement of the layer and the function.
Then every loaded module must come from those directories or the standard library.

Argument: a JSON object {"path": [function dir, layer dirs..., runtime dir], "handler": "app.handler",
"files": [the function's own .py files], "packages": [the layer's own], "modules": [requirements' modules],
"exclude": [subpackages of the layer's own that need a layer this function does not have]}.
Prints one line "TWIN-PROBE <json>": {"problems": [{"module", "where", "error"}], "origins": {name: root}}
(origins: which directory of the path boto3 and botocore were imported from).
Standard library only: nothing else is importable before the path is set.
"""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

MARKER = "TWIN-PROBE "
OPTIONAL = {"ImportError", "ModuleNotFoundError"}
REPORTED = ("boto3", "botocore")  # which directory these come from is worth knowing (layer or runtime)


class Probe:
    def __init__(self) -> None:
        self.problems: list[dict[str, str]] = []
        self.sources: list[tuple[Path, Path]] = []  # (file, the sys.path root it is under)

    def attempt(self, module: str, where: str, action: Callable[[], Any]) -> bool:
        try:
            action()
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # any failure to import is what we report
            missing = getattr(error, "name", None) if isinstance(error, ImportError) else None
            self.problems.append(
                {"module": missing or module, "where": where, "error": f"{type(error).__name__}: {error}"}
            )
            return False
        return True

    def handler(self, spec: str) -> None:
        module, _, attribute = spec.rpartition(".")

        def load() -> None:
            if not callable(getattr(importlib.import_module(module), attribute)):
                raise TypeError(f"{spec} is not callable")

        self.attempt(module, f"handler {spec}", load)

    def walk(self, package: str, roots: list[Path], exclude: tuple[str, ...] = ()) -> None:
        if package in exclude:
            return
        if not self.attempt(package, f"module {package}", lambda: importlib.import_module(package)):
            return
        self._remember(sys.modules[package], roots)
        for info in pkgutil.iter_modules(sys.modules[package].__path__, package + "."):
            if info.name in exclude:
                continue
            if info.ispkg:
                self.walk(info.name, roots, exclude)
            elif self.attempt(info.name, f"module {info.name}", lambda name=info.name: importlib.import_module(name)):
                self._remember(sys.modules[info.name], roots)

    def _remember(self, module: Any, roots: list[Path]) -> None:
        origin = getattr(module, "__file__", None)
        if origin and origin.endswith(".py"):
            path = Path(origin).resolve()
            root = next((r for r in roots if path.is_relative_to(r)), path.parent)
            self.sources.append((path, root))

    def statements(self) -> None:
        seen: set[str] = set()
        for path, root in self.sources:
            for node in import_statements(path):
                code = ast.unparse(node)
                if code in seen:
                    continue
                seen.add(code)
                where = f"`{code}` in {path.relative_to(root)}:{node.lineno}"
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                self.attempt(module or "", where, lambda code=code: exec(code, {}))

    def outsiders(self, allowed: list[Path]) -> None:
        for name, module in sorted(sys.modules.items()):
            origin = getattr(module, "__file__", None)
            if origin and not any(Path(origin).resolve().is_relative_to(root) for root in allowed):
                self.problems.append(
                    {"module": name, "where": "provenance", "error": f"loaded from outside the build: {origin}"}
                )


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _handles_import_error(node: ast.Try) -> bool:
    for handler in node.handlers:
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any(isinstance(kind, ast.Name) and kind.id in OPTIONAL for kind in kinds):
            return True
    return False


def import_statements(path: Path) -> Iterator[ast.Import | ast.ImportFrom]:
    """Absolute import statements anywhere in the file, except the optional and type-checking ones."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        guarded = (isinstance(node, ast.If) and _type_checking(node.test)) or (
            isinstance(node, ast.Try) and _handles_import_error(node)
        )
        if guarded:
            for statement in node.body:
                skipped.update(id(inner) for inner in ast.walk(statement))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and node.level == 0):
            yield node


def main() -> None:
    spec = json.loads(sys.argv[1])
    stdlib = [Path(p).resolve() for p in sys.path if p]
    roots = [Path(p).resolve() for p in spec["path"]]
    sys.path[:0] = [str(root) for root in roots]
    probe = Probe()
    probe.handler(spec["handler"])
    probe.sources += [(roots[0] / name, roots[0]) for name in spec["files"]]
    for package in spec["packages"]:
        probe.walk(package, roots, tuple(spec.get("exclude", ())))
    probe.statements()
    for module in spec["modules"]:
        probe.attempt(module, "requirement", lambda module=module: importlib.import_module(module))
    probe.outsiders(roots + stdlib)
    origins = {
        name: str(next((r for r in roots if Path(sys.modules[name].__file__).resolve().is_relative_to(r)), "?"))
        for name in REPORTED
        if name in sys.modules and getattr(sys.modules[name], "__file__", None)
    }
    print(MARKER + json.dumps({"problems": probe.problems, "origins": origins}), flush=True)


if __name__ == "__main__":
    main()
