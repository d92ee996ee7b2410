#!/usr/bin/env bash
# Restore a Dugnad dump (from ops/backup/backup.sh) into a named database.
#
#   ops/backup/restore.sh [--create] DUMP_FILE DATABASE OWNER_ROLE
#
#   --create    create DATABASE first, owned by OWNER_ROLE (fails if it exists)
#   DUMP_FILE   a pg_dump custom-format file
#   DATABASE    the database to restore into: new (--create) or empty
#   OWNER_ROLE  the Dugnad owner role: every restored object is created by, and owned
#               by, this role (pg_restore --no-owner --role=OWNER_ROLE), whoever owned
#               it on the old server
#
# Connection: the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD …), as a
# superuser or a role that is a member of OWNER_ROLE (and, with --create, may create
# databases). The roles must exist first — run ops/postgres/roles.sql on the new
# server (connected to DATABASE) before or after, with the same role names: the dump's
# GRANTs to the app role need that role to exist, and roles.sql re-applies the grants.
#
# The restore runs in one transaction and stops at the first error, so a failed
# restore leaves the target as it was. Stop the web app and worker (or point them
# elsewhere) while restoring over the database they use.
set -euo pipefail

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
    exit "${1:-2}"
}

create=0
case "${1:-}" in
    -h|--help) usage 0 ;;
    --create) create=1; shift ;;
esac
[[ $# -eq 3 ]] || usage
dump=$1 database=$2 owner=$3
[[ -r "$dump" ]] || { echo "restore.sh: cannot read $dump" >&2; exit 1; }
pg_restore --list "$dump" > /dev/null

if (( create )); then
    createdb --owner="$owner" "$database"
fi

pg_restore --dbname="$database" --no-owner --role="$owner" \
           --exit-on-error --single-transaction "$dump"
psql --no-psqlrc --quiet --dbname="$database" --command="ANALYZE" # fresh planner statistics
echo "restored $dump into $database (objects owned by $owner)"
