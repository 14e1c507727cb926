#!/usr/bin/env bash
# Starts PostgreSQL 15 with PostGIS for the PostGIS store tests and prints the line that points
# the tests at it:
#
#   eval "$(scripts/test-postgres.sh)"     # then: swift test
#
# As root (CI): starts Debian's packaged cluster (pg_ctlcluster 15 main), makes a login role for
# the user running the tests (no password: peer authentication on the local socket) and, if
# missing, a database spaceplan_test owned by it, with PostGIS (kept: each test or benchmark
# works in a schema of its own and drops it). As another user: needs that cluster running
# and a role of your own with CREATEDB (ask whoever administers it); the database is made the same way.
# Prints SPACEPLAN_TEST_POSTGRES=postgresql://USER@/spaceplan_test?host=/var/run/postgresql.
set -euo pipefail
user=$(id -un)
db=spaceplan_test
socket=/var/run/postgresql
if [ "$(id -u)" = 0 ]; then
  command -v pg_ctlcluster >/dev/null || { echo "PostgreSQL is not installed (apt-get install postgresql-15-postgis-3)" >&2; exit 1; }
  # Debian makes the cluster when the package is installed; a machine set up without it gets one here.
  pg_lsclusters -h | grep -q '^15 *main ' || pg_createcluster 15 main >&2
  pg_lsclusters -h | grep -q '^15 *main .*online' || pg_ctlcluster 15 main start >&2
  su postgres -c "psql -qAtc \"SELECT 1 FROM pg_roles WHERE rolname = '$user'\"" | grep -q 1 \
    || su postgres -c "psql -qc 'CREATE ROLE \"$user\" LOGIN CREATEDB'" >&2
  # CREATEROLE: a platform store on PostGIS makes a database role for each park operator.
  su postgres -c "psql -qc 'ALTER ROLE \"$user\" CREATEROLE'" >&2
  # Made once and kept: tests and benchmarks each work in a schema of their own, so a second
  # call (another shell, a benchmark) must not drop what a running one uses.
  su postgres -c "psql -qAtc \"SELECT 1 FROM pg_database WHERE datname = '$db'\"" | grep -q 1 \
    || su postgres -c "createdb -O \"$user\" $db" >&2
  su postgres -c "psql -q -d $db -c 'CREATE EXTENSION IF NOT EXISTS postgis'" >&2
else
  psql -qAt -h "$socket" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 || createdb -h "$socket" "$db" >&2
  psql -q -h "$socket" -d "$db" -c 'CREATE EXTENSION IF NOT EXISTS postgis' >&2
fi
echo "export SPACEPLAN_TEST_POSTGRES='postgresql://$user@/$db?host=$socket'"
