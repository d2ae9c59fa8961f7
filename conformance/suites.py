"""Where the RealWorld suite files come from, pinned by conformance/suites.json.

Each suite is a set of upstream files at one commit, each with its SHA-256. They are read from a local
copy laid out as ../shared/realworld when there is one, otherwise from the upstream repository's archive
at the pinned commit, downloaded once into .cache/realworld/<commit>/. Every file is checked against its
hash before use, wherever it comes from; a difference is an error, never a warning.

    python3 conformance/suites.py path v2         the folder holding bruno/, hurl/ and openapi.yml (2.0.0)
    python3 conformance/suites.py path classic    the folder holding Conduit.postman_collection.json
    python3 conformance/suites.py fetch           resolve every suite, say where each one came from

Environment:
    REALWORLD_DIR           a local copy (default ../shared/realworld beside the repository, when present);
                            set but empty: ignore local copies, always use the pinned download
    REALWORLD_ARCHIVE_BASE  where archives are downloaded from (default https://github.com); the URL is
                            <base>/<owner>/<name>/archive/<commit>.tar.gz, so file:// mirrors work
    REALWORLD_CACHE_DIR     the download cache (default .cache/realworld in the repository)

Standard library only: the deploy job runs it with a bare python3.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MANIFEST = HERE / "suites.json"
DEFAULT_ARCHIVE_BASE = "https://github.com"
DOWNLOAD_TIMEOUT_S = 120
LISTED_PROBLEMS = 10

Log = Callable[[str], None]


class SuiteError(Exception):
    """A suite file is unavailable or differs from its pinned SHA-256."""


@dataclass(frozen=True)
class Suite:
    name: str
    repository: str  # owner/name on GitHub
    commit: str
    archive_dir: str  # the suite's folder inside the repository
    shared_dir: str  # the same folder inside a local copy (../shared/realworld)
    files: dict[str, str]  # path under that folder -> SHA-256 (hex)

    def archive_url(self, base: str) -> str:
        return f"{base.rstrip('/')}/{self.repository}/archive/{self.commit}.tar.gz"


def load_manifest(path: Path = MANIFEST) -> dict[str, Suite]:
    raw = json.loads(path.read_text(encoding="utf-8"))["suites"]
    return {
        name: Suite(
            name=name,
            repository=entry["repository"],
            commit=entry["commit"],
            archive_dir=entry["archive_dir"],
            shared_dir=entry["shared_dir"],
            files=dict(entry["files"]),
        )
        for name, entry in raw.items()
    }


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def mismatches(suite: Suite, directory: Path) -> list[str]:
    """The manifest's files that are missing from `directory` or differ from their pinned hash."""
    problems = []
    for relative, pinned in sorted(suite.files.items()):
        path = directory / relative
        if not path.is_file():
            problems.append(f"{relative}: missing")
        elif (actual := sha256(path.read_bytes())) != pinned:
            problems.append(f"{relative}: sha256 {actual}, pinned {pinned}")
    return problems


def _listing(problems: list[str]) -> str:
    shown = "\n  ".join(problems[:LISTED_PROBLEMS])
    more = f"\n  ... and {len(problems) - LISTED_PROBLEMS} more" if len(problems) > LISTED_PROBLEMS else ""
    return f"\n  {shown}{more}"


def local_copy() -> Path | None:
    """REALWORLD_DIR, else ../shared/realworld when it exists; None when local copies are not to be used."""
    value = os.environ.get("REALWORLD_DIR")
    if value is None:
        default = ROOT.parent / "shared" / "realworld"
        return default if default.is_dir() else None
    if not value:
        return None
    path = Path(value)
    if not path.is_dir():
        raise SuiteError(
            f"REALWORLD_DIR={value} is not a directory (unset it, or set it empty, to use the pinned download)"
        )
    return path


def cache_dir() -> Path:
    return Path(os.environ.get("REALWORLD_CACHE_DIR") or ROOT / ".cache" / "realworld")


def archive_base() -> str:
    return os.environ.get("REALWORLD_ARCHIVE_BASE") or DEFAULT_ARCHIVE_BASE


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def locate(name: str, log: Log = _stderr) -> Path:
    """The folder holding suite `name`'s files, every one of them checked against the manifest."""
    suites = load_manifest()
    if name not in suites:
        raise SuiteError(f"unknown suite {name!r} (known: {', '.join(suites)})")
    suite = suites[name]
    local = local_copy()
    if local is None:
        return cached(suite, cache_dir(), archive_base(), log)
    directory = local / suite.shared_dir
    if problems := mismatches(suite, directory):
        raise SuiteError(
            f"realworld {name}: the local copy {directory} differs from {MANIFEST.name}"
            f" (set REALWORLD_DIR= to use the pinned download instead):{_listing(problems)}"
        )
    return directory


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One download at a time per cache (two conformance runs may start together)."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def cached(suite: Suite, cache: Path, base: str, log: Log = _stderr) -> Path:
    """The suite from cache/<commit>/, downloaded from `base` first when absent or not matching the manifest."""
    target = cache / suite.commit
    directory = target / suite.archive_dir
    with _locked(cache):
        if target.is_dir():
            if not mismatches(suite, directory):
                return directory
            log(f"realworld {suite.name}: the cached copy {target} differs from {MANIFEST.name}; downloading again")
            shutil.rmtree(target)
        _download(suite, target, base, log)
    return directory


def _download(suite: Suite, target: Path, base: str, log: Log) -> None:
    """Download the archive, keep the manifest's files (all verified) and move them into `target` at once."""
    url = suite.archive_url(base)
    log(f"realworld {suite.name}: downloading {url}")
    staging = Path(tempfile.mkdtemp(prefix=f".{suite.commit}.", dir=target.parent))
    try:
        archive = staging / "archive.tar.gz"
        try:
            with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response, archive.open("wb") as out:
                shutil.copyfileobj(response, out)
        except (OSError, ValueError) as error:
            raise SuiteError(f"realworld {suite.name}: cannot download {url}: {error}") from error
        contents = _verified_contents(suite, archive, url)
        tree = staging / "tree"
        for relative, data in contents.items():
            path = tree / suite.archive_dir / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        tree.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _verified_contents(suite: Suite, archive: Path, url: str) -> dict[str, bytes]:
    """The manifest's files read from a GitHub archive (one top-level folder, the repository under it)."""
    prefix = suite.archive_dir.strip("/") + "/"
    contents: dict[str, bytes] = {}
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:
                _, _, in_repository = member.name.partition("/")
                relative = in_repository.removeprefix(prefix)
                if member.isfile() and in_repository.startswith(prefix) and relative in suite.files:
                    reader = tar.extractfile(member)
                    contents[relative] = reader.read() if reader else b""
    except (tarfile.TarError, EOFError, OSError) as error:
        raise SuiteError(f"realworld {suite.name}: {url} is not a readable tar archive: {error}") from error
    problems = [f"{relative}: missing" for relative in sorted(set(suite.files) - set(contents))]
    problems += [
        f"{relative}: sha256 {sha256(data)}, pinned {suite.files[relative]}"
        for relative, data in sorted(contents.items())
        if sha256(data) != suite.files[relative]
    ]
    if problems:
        raise SuiteError(
            f"realworld {suite.name}: {url} does not match {MANIFEST.name} (commit {suite.commit}):{_listing(problems)}"
        )
    return contents


def main(argv: list[str]) -> int:
    usage = "usage: suites.py path NAME... | suites.py fetch"
    if not argv or argv[0] not in {"path", "fetch"} or (argv[0] == "path" and len(argv) < 2):
        _stderr(usage)
        return 2
    try:
        if argv[0] == "path":
            for name in argv[1:]:
                print(locate(name))
        else:
            for name in load_manifest():
                _stderr(f"realworld {name}: {locate(name)}")
    except SuiteError as error:
        _stderr(f"ERROR {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
