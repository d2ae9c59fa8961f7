#!/usr/bin/env bash
# The RealWorld spec 2.0.0 suite: upstream's Bruno collection (specs/api/bruno, generated upstream from
# its Hurl files; 13 folders, 154 requests), run with the pinned Bruno CLI of conformance/package-lock.json
# against the files pinned by conformance/suites.json, one `bru run` per folder as upstream does.
#
# usage: conformance/run-v2.sh BASE_URL [folder ...]
#   BASE_URL  the server root, e.g. http://127.0.0.1:3000 (the suite calls {{host}}/api/...; a trailing
#             /api is dropped). Folders: auth, articles, errors-auth, ... (default: all; each stands alone).
# env:  RW_WORK (default /tmp/rw) reports   RW_BRUNO_SANDBOX (default safe; developer is faster)
# output: one FAIL line per failed request, then the last line "realworld-v2: N passed, M failed",
#   counted per request (its status assertion and every test of its script). Exit 0 only when M == 0 and N > 0.
# files: $RW_WORK/v2-report.json (per request), $RW_WORK/v2-out/<folder>.json|.txt (bru's own output)
set -uo pipefail
if [ $# -lt 1 ] || [ -z "$1" ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 2
fi
. "$(dirname "$0")/lib.sh"
give_up() { echo "realworld-v2: 0 passed, 1 failed ($1)"; exit 1; }

host=${1%/}; host=${host%/api}; shift
work=${RW_WORK:-/tmp/rw}
bin=$(rw_tools) || give_up "npm ci failed"
suite=$(rw_suite v2) || give_up "suite files unavailable"

# bru runs inside the collection folder and may write there; the suite copy stays as pinned
collection="$work/v2-collection"; out="$work/v2-out"
rm -rf "$collection" "$out" "$work/v2-report.json"
mkdir -p "$out"
cp -R "$suite/bruno" "$collection"
chmod -R u+w "$collection"
folders=("$@")
if [ ${#folders[@]} -eq 0 ]; then
  for dir in "$collection"/*/; do
    name=$(basename "$dir")
    [ "$name" = environments ] || folders+=("$name")
  done
fi
echo "run-v2.sh: host=$host folders=${folders[*]}"
(
  cd "$collection" || exit 1
  for folder in "${folders[@]}"; do
    "$bin/bru" run "$folder" --env local --env-var "host=$host" --sandbox "${RW_BRUNO_SANDBOX:-safe}" \
      --reporter-json "$out/$folder.json" >"$out/$folder.txt" 2>&1
  done
)
node "$rw_here/summarize-bruno.js" "$collection" "$out" "$work/v2-report.json" "${folders[@]}"
