#!/usr/bin/env bash
# PostgreSQL's programs, for the engagement service's tests and benchmark: Debian's
# postgresql, installed when missing (apt-get, as root; waits for another apt to finish).
# Nothing is started here: the tests and the benchmark run throwaway clusters of their own.
set -euo pipefail
if compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
  exit 0
fi
echo "postgres: installing Debian's postgresql (the engagement tests run on it as well as SQLite)"
apt=(apt-get -o DPkg::Lock::Timeout=300)
"${apt[@]}" update -qq
DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq postgresql >/dev/null
