# The machine's cache of the project's tools, shared by every clone on it (a fresh clone, CI's included,
# reuses what an earlier run installed): tool venvs, DynamoDB Local, the conformance runners' node_modules.
# Each user of it reinstalls what it keeps when that thing's pinned inputs change.
# shellcheck shell=bash
CONDUIT_CACHE=${CONDUIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/conduit-lambda}
mkdir -p "$CONDUIT_CACHE"
export CONDUIT_CACHE
