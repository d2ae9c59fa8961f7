# Sourced by the runners: the pinned tools (npm) and the pinned suite files (suites.py).
#   rw_tools          prints the bin folder of conformance/package-lock.json's packages, installing them
#                     with `npm ci` into $CONFORMANCE_CACHE/node/<lock hash>/ only when that lock is new
#   rw_suite NAME     prints the folder of suite NAME (v2 | classic), verified; see conformance/suites.py
# env: CONFORMANCE_CACHE (default $CONDUIT_CACHE, the machine cache of scripts/lib/cache.sh, else <repo>/.cache)  PYTHON (default python3; suites.py needs no packages)
rw_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rw_cache=${CONFORMANCE_CACHE:-${CONDUIT_CACHE:-$(dirname "$rw_here")/.cache}}
export REALWORLD_CACHE_DIR=${REALWORLD_CACHE_DIR:-$rw_cache/realworld}

rw_suite() {
  "${PYTHON:-python3}" "$rw_here/suites.py" path "$1"
}

rw_tools() {
  local lock hash dir
  lock="$rw_here/package-lock.json"
  hash=$({ sha256sum "$lock" 2>/dev/null || shasum -a 256 "$lock"; } | cut -c1-16)
  dir="$rw_cache/node/$hash"
  if [ ! -f "$dir/.installed" ]; then
    mkdir -p "$dir"
    (
      # one install at a time; whoever waited finds it done
      if command -v flock >/dev/null; then exec 9>"$rw_cache/node/.lock" && flock 9; fi
      [ -f "$dir/.installed" ] && exit 0
      echo "conformance: npm ci ($lock) into $dir ..." >&2
      cp "$rw_here/package.json" "$lock" "$dir/"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >"$dir/npm-ci.log" 2>&1 \
        || { cat "$dir/npm-ci.log" >&2; exit 1; }
      touch "$dir/.installed"
      # installs of earlier locks are dead weight in the CI cache
      find "$rw_cache/node" -mindepth 1 -maxdepth 1 -type d ! -name "$hash" -exec rm -rf {} +
    ) || return 1
  fi
  echo "$dir/node_modules/.bin"
}
