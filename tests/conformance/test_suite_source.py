"""conformance/suites.py: without a local copy, the pinned upstream archives are downloaded, checked file by
file against conformance/suites.json, cached, and never used when they differ.

The upstream archives are replaced by a local mirror (a file:// REALWORLD_ARCHIVE_BASE) laid out like
GitHub's: <base>/<owner>/<name>/archive/<commit>.tar.gz holding <name>-<commit>/<path in the repository>.
Its content is the verified suite files this checkout already resolves (../shared/realworld, else the
.cache/ download), so the mirror is upstream's content at the pinned commits.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from conformance import suites

SCRIPT = suites.HERE / "suites.py"
MANIFEST = suites.load_manifest()
TAMPERED = "bruno/auth/01-register.bru"


@pytest.fixture(scope="session")
def upstream() -> dict[str, dict[str, bytes]]:
    """Suite name -> {path: content}, from the copy this checkout uses (verified against the manifest)."""
    try:
        folders = {name: suites.locate(name) for name in MANIFEST}
    except suites.SuiteError as error:
        pytest.fail(f"no verified copy of the suites to build the mirror from: {error}")
    return {name: {p: (folders[name] / p).read_bytes() for p in suite.files} for name, suite in MANIFEST.items()}


def build_mirror(root: Path, contents: dict[str, dict[str, bytes]]) -> Path:
    """GitHub-style archives of `contents` under root; returns the base URL's folder."""
    for name, suite in MANIFEST.items():
        owner, repository = suite.repository.split("/")
        archive = root / owner / repository / "archive" / f"{suite.commit}.tar.gz"
        archive.parent.mkdir(parents=True, exist_ok=True)
        top = f"{repository}-{suite.commit}"
        files = {f"{top}/README.md": b"not part of any suite\n"}
        files |= {f"{top}/{suite.archive_dir}/{path}": data for path, data in contents[name].items()}
        with tarfile.open(archive, "w:gz") as tar:
            for member_name, data in files.items():
                member = tarfile.TarInfo(member_name)
                member.size = len(data)
                tar.addfile(member, io.BytesIO(data))
    return root


def fetch(mirror: Path, cache: Path, *names: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`suites.py path NAMES` with no local copy, the mirror as the archive base and `cache` as the cache."""
    environment = {
        **os.environ,
        "REALWORLD_DIR": "",
        "REALWORLD_ARCHIVE_BASE": mirror.as_uri(),
        "REALWORLD_CACHE_DIR": str(cache),
        **env,
    }
    return subprocess.run(
        [sys.executable, str(SCRIPT), "path", *(names or MANIFEST)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def cached_folder(cache: Path, name: str) -> Path:
    suite = MANIFEST[name]
    return cache / suite.commit / suite.archive_dir


def test_the_manifest_pins_both_suites_at_the_upstream_commits():
    v2, classic = MANIFEST["v2"], MANIFEST["classic"]
    assert (v2.repository, v2.commit, v2.archive_dir) == (
        "skaschimer/realworld",
        "5d510ce6ec41bb97723e92fbd8d3e3458a381c09",
        "specs/api",
    )
    assert (classic.repository, classic.commit, classic.archive_dir) == (
        "gothinkster/realworld",
        "747190ecf0bb27d461cf1100f6cb3468c6c914ed",
        "api",
    )
    assert "bruno/bruno.json" in v2.files
    assert "bruno/environments/local.bru" in v2.files
    assert sum(path.startswith("hurl/") for path in v2.files) == 13
    assert "Conduit.postman_collection.json" in classic.files
    for suite in MANIFEST.values():
        assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in suite.files.values())


def test_download_puts_every_pinned_file_into_the_cache(tmp_path, upstream):
    mirror, cache = build_mirror(tmp_path / "mirror", upstream), tmp_path / "cache"
    result = fetch(mirror, cache, "v2", "classic")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(cached_folder(cache, "v2")), str(cached_folder(cache, "classic"))]
    for name, suite in MANIFEST.items():
        assert f"realworld {name}: downloading {mirror.as_uri()}/{suite.repository}/archive/" in result.stderr
        folder = cached_folder(cache, name)
        for path, pinned in suite.files.items():
            assert hashlib.sha256((folder / path).read_bytes()).hexdigest() == pinned, path
        on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
        assert on_disk == set(suite.files), "exactly the manifest's files, nothing else of the archive"
    assert sorted(p.name for p in cache.iterdir()) == sorted([".lock", *(s.commit for s in MANIFEST.values())])


def test_second_run_uses_the_cache_without_downloading(tmp_path, upstream):
    mirror, cache = build_mirror(tmp_path / "mirror", upstream), tmp_path / "cache"
    first = fetch(mirror, cache)
    assert first.returncode == 0, first.stderr
    for archive in mirror.rglob("*.tar.gz"):
        archive.unlink()  # a download would now fail
    second = fetch(mirror, cache)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    assert "downloading" not in second.stderr


@pytest.mark.parametrize("damage", ["changed", "missing"])
def test_an_archive_that_differs_from_the_manifest_is_rejected(tmp_path, upstream, damage):
    contents = {name: dict(files) for name, files in upstream.items()}
    if damage == "changed":
        contents["v2"][TAMPERED] = contents["v2"][TAMPERED].replace(b"201", b"200", 1)
        assert contents["v2"][TAMPERED] != upstream["v2"][TAMPERED]
    else:
        del contents["v2"][TAMPERED]
    mirror, cache = build_mirror(tmp_path / "mirror", contents), tmp_path / "cache"
    result = fetch(mirror, cache, "v2")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "does not match suites.json" in result.stderr
    assert f"{TAMPERED}: {'sha256' if damage == 'changed' else 'missing'}" in result.stderr
    assert [p.name for p in cache.iterdir()] == [".lock"], "nothing of a rejected archive is kept"


def test_a_cached_copy_that_differs_is_downloaded_again(tmp_path, upstream):
    mirror, cache = build_mirror(tmp_path / "mirror", upstream), tmp_path / "cache"
    assert fetch(mirror, cache, "v2").returncode == 0
    cached_file = cached_folder(cache, "v2") / TAMPERED
    cached_file.write_bytes(b"edited by hand")
    result = fetch(mirror, cache, "v2")
    assert result.returncode == 0, result.stderr
    assert "differs from suites.json; downloading again" in result.stderr
    assert cached_file.read_bytes() == upstream["v2"][TAMPERED]


def test_an_unreachable_archive_fails_clearly(tmp_path):
    result = fetch(tmp_path / "no-mirror", tmp_path / "cache", "classic")
    assert result.returncode == 1
    assert "realworld classic: cannot download file://" in result.stderr


def test_a_local_copy_is_used_as_it_is_when_it_matches(tmp_path, upstream):
    local = tmp_path / "realworld"
    for name, suite in MANIFEST.items():
        for path, data in upstream[name].items():
            target = local / suite.shared_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    result = fetch(tmp_path / "no-mirror", tmp_path / "cache", "v2", "classic", REALWORLD_DIR=str(local))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(local / "v2"), str(local / ".")]
    assert not (tmp_path / "cache").exists(), "no download, no cache"

    (local / "v2" / TAMPERED).write_bytes(b"edited by hand")
    result = fetch(tmp_path / "no-mirror", tmp_path / "cache", "v2", REALWORLD_DIR=str(local))
    assert result.returncode == 1
    assert f"local copy {local / 'v2'} differs" in result.stderr
    assert f"{TAMPERED}: sha256" in result.stderr


def test_the_local_copy_defaults_to_shared_realworld_beside_the_repository(tmp_path, monkeypatch):
    monkeypatch.delenv("REALWORLD_DIR", raising=False)
    monkeypatch.setattr(suites, "ROOT", tmp_path / "repository")
    assert suites.local_copy() is None, "no ../shared: the pinned download"
    (tmp_path / "shared" / "realworld").mkdir(parents=True)
    assert suites.local_copy() == tmp_path / "shared" / "realworld"
    monkeypatch.setenv("REALWORLD_DIR", "")
    assert suites.local_copy() is None, "REALWORLD_DIR= ignores it"
    monkeypatch.setenv("REALWORLD_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(suites.SuiteError, match="is not a directory"):
        suites.local_copy()
