# shellcheck shell=bash
# Sourced by scripts/template-checks (sam build) and scripts/build-twin (the x86_64 twin).
#
# find_python313: prints a python3.13 that really runs (a pyenv shim without 3.13 selected does not)
# and has pip (sam build runs `python3.13 -m pip`, the twin too): PYTHON313, then PATH, then pyenv's
# versions, then the usual places. Returns 1 when there is none.
find_python313() {
  local candidate
  for candidate in "${PYTHON313:-}" "$(command -v python3.13 || true)" \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3.13 /usr/local/bin/python3.13 /usr/bin/python3.13; do
    if [ -z "$candidate" ] || [ ! -x "$candidate" ]; then continue; fi
    if "$candidate" -c 'import sys, pip; sys.exit(sys.version_info[:2] != (3, 13))' >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
