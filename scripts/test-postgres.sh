#!/usr/bin/env bash
# Starts the machine's PostgreSQL 15 cluster and creates the role the tests use (what CI does).
# Needs root (the cluster tools switch to the postgres user). Idempotent.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main" || pg_createcluster "$version" main >/dev/null
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
pg_isready -h 127.0.0.1
su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname = 'dd'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"create role dd login superuser password 'dd'\""
