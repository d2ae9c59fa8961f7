#!/usr/bin/env bash
# The classic RealWorld suite: upstream's Postman collection (spec 1.1.0, 32 requests), run with the
# pinned newman of conformance/package-lock.json against the files pinned by conformance/suites.json.
#
# usage: conformance/run-classic.sh BASE_URL [newman args...]
#   BASE_URL  the API root, e.g. http://127.0.0.1:3000/api; /api is appended when missing
#             (RW_NO_API_SUFFIX=1 takes BASE_URL as it is). Extra args go to newman (e.g. --folder Auth).
# env:  RW_WORK (default /tmp/rw) reports   RW_PASSWORD (default "password")   RW_TIMEOUT_MS (default 30000)
# output: failures, then the last line "realworld: N passed, M failed", counted per assertion
#   (a test script that throws, or a request error without a test script, counts as one failure).
#   Exit 0 only when M == 0 and N > 0.
# files: $RW_WORK/classic-report.json (newman), classic-summary.json (per request), classic-newman.txt
set -uo pipefail
if [ $# -lt 1 ] || [ -z "$1" ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 2
fi
. "$(dirname "$0")/lib.sh"
give_up() { echo "realworld: 0 passed, 1 failed ($1)"; exit 1; }

base=${1%/}; shift
if [ "${RW_NO_API_SUFFIX:-0}" = 1 ]; then api=$base; else api=${base%/api}/api; fi
work=${RW_WORK:-/tmp/rw}
mkdir -p "$work"
bin=$(rw_tools) || give_up "npm ci failed"
suite=$(rw_suite classic) || give_up "suite files unavailable"

collection="$suite/Conduit.postman_collection.json"
user="rw$(date +%s)$((RANDOM % 1000))"  # a fresh user per run (the collection also registers celeb_$user)
report="$work/classic-report.json"
rm -f "$report" "$work/classic-summary.json"
echo "run-classic.sh: APIURL=$api USERNAME=$user"
"$bin/newman" run "$collection" --color off --timeout-request "${RW_TIMEOUT_MS:-30000}" \
  --global-var "APIURL=$api" --global-var "USERNAME=$user" --global-var "EMAIL=$user@mail.com" \
  --global-var "PASSWORD=${RW_PASSWORD:-password}" \
  --reporters cli,json --reporter-json-export "$report" "$@" >"$work/classic-newman.txt" 2>&1
newman_status=$?

partial=""
case " $* " in *" --folder "*) partial=--partial ;; esac
node "$rw_here/summarize-newman.js" "$collection" "$report" "$work/classic-summary.json" \
  "$work/classic-newman.txt" $partial || exit 1
[ "$newman_status" -eq 0 ]
