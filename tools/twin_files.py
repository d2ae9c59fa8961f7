"""Files of the twin build (tools/twin_build.py): which source files are inputs, what pip installed into a
--target directory (distributions, their modules, what they require), sizes."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

NOT_INPUTS = {"__pycache__", ".pytest_cache", ".ruff_cache"}  # written by running or linting the code
MIB = 2**20


def fingerprint(files: Iterable[Path], base: Path, *extra: str) -> str:
    digest = hashlib.sha256()
    for item in extra:
        digest.update(item.encode() + b"\0")
    for file in sorted(files):
        digest.update(file.relative_to(base).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def source_files(directory: Path) -> list[Path]:
    """The files of a source directory, without what running or linting it leaves behind."""
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file() and path.suffix != ".pyc" and not NOT_INPUTS & set(path.relative_to(directory).parts)
    )


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(requirements: Path) -> list[str]:
    names = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.append(normalize(re.split(r"[\[=<>!~;@ ]", line, maxsplit=1)[0]))
    return names


def distributions(site: Path) -> dict[str, Path]:
    """Normalized distribution name -> its .dist-info directory, for what pip installed into `site`."""
    found = {}
    for info in site.glob("*.dist-info"):
        match = re.search(r"^Name: *(.+)$", (info / "METADATA").read_text(errors="replace"), re.M)
        if match:
            found[normalize(match.group(1).strip())] = info
    return found


def top_level_modules(info: Path) -> list[str]:
    """A distribution's importable top-level names: top_level.txt, else the first parts of its RECORD."""
    listed = info / "top_level.txt"
    if listed.is_file():
        names = set(listed.read_text().split())
    else:
        names = set()
        for row in (info / "RECORD").read_text().splitlines():
            first, _, rest = row.split(",", 1)[0].partition("/")
            names.add(first if rest else first.split(".", 1)[0] if first.endswith((".py", ".so")) else "")
    return sorted(name for name in names if name.isidentifier())  # not *.dist-info, *.data, bin/...


def requirement_modules(requirements: Path, site: Path) -> tuple[list[str], list[str]]:
    """(top-level modules of every listed requirement, the requirements that `site` does not hold)."""
    if not requirements.is_file():
        return [], []
    installed = distributions(site)
    modules, missing = [], []
    for name in requirement_names(requirements):
        if name in installed:
            modules += top_level_modules(installed[name])
        else:
            missing.append(name)
    return modules, missing


def size(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def mib(n: int) -> str:
    return f"{n / MIB:.1f} MiB"


def runtime_shadows(layer_site: Path, runtime_dir: Path) -> list[str]:
    """Distributions that both the layer and the runtime provide: the layer's copy wins on sys.path."""
    layer, runtime = distributions(layer_site), distributions(runtime_dir)
    lines = []
    for name in sorted(layer.keys() & runtime.keys()):
        by = sorted(other for other, info in layer.items() if name in _requires(info))
        weight = sum(size(layer_site / m) if (layer_site / m).is_dir() else 0 for m in top_level_modules(layer[name]))
        required = f"required by {', '.join(by)}" if by else "listed in the layer's requirements"
        lines.append(
            f"{name} {_version(layer[name])} ({mib(weight)}, {required}), the runtime has {_version(runtime[name])}"
        )
    return lines


def _requires(info: Path) -> set[str]:
    """What a distribution needs unconditionally (not its extras)."""
    rows = re.findall(r"^Requires-Dist: *([A-Za-z0-9._-]+)(.*)$", _metadata(info), re.M)
    return {normalize(name) for name, rest in rows if "extra ==" not in rest}


def _metadata(info: Path) -> str:
    return (info / "METADATA").read_text(errors="replace")


def _version(info: Path) -> str:
    match = re.search(r"^Version: *(\S+)$", _metadata(info), re.M)
    return match.group(1) if match else "?"
