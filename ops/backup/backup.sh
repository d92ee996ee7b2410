#!/usr/bin/env bash
# Back up one Dugnad database with pg_dump (custom format), and delete old backups.
#
#   ops/backup/backup.sh DATABASE BACKUP_DIR RETENTION_DAYS
#
#   DATABASE        the database to dump, e.g. dugnad
#   BACKUP_DIR      where dumps go; created if missing (mode 700)
#   RETENTION_DAYS  dumps of this database in BACKUP_DIR older than this many days are
#                   deleted after a successful dump (whole number, at least 1)
#
# Connection: the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD or
# ~/.pgpass, PGSSLMODE …). Connect as the owner role or a superuser: the app role
# is subject to row-level security and would dump only what its policies let it see.
#
# Writes BACKUP_DIR/DATABASE-YYYYMMDDTHHMMSSZ.dump (UTC), readable only by its owner,
# checks that pg_restore can read its table of contents, then prints the path.
# Roles are cluster-wide and not in the dump: keep ops/postgres/roles.sql (and the
# passwords, in your secret store) to recreate them.
set -euo pipefail

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
    exit "${1:-2}"
}

[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && usage 0
[[ $# -eq 3 ]] || usage
database=$1 backup_dir=$2 retention_days=$3
[[ "$retention_days" =~ ^[0-9]+$ && "$retention_days" -ge 1 ]] || {
    echo "backup.sh: RETENTION_DAYS must be a whole number of days, at least 1" >&2; exit 2; }

umask 077
mkdir -p "$backup_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$backup_dir/$database-$stamp.dump"
partial="$target.partial"
trap 'rm -f "$partial"' EXIT

pg_dump --format=custom --compress=6 --dbname="$database" --file="$partial"
pg_restore --list "$partial" > /dev/null       # a dump pg_restore cannot read is no backup
mv "$partial" "$target"
echo "$target"

# Retention: only this database's finished dumps, only after a good new one exists.
find "$backup_dir" -maxdepth 1 -type f -name "$database-[0-9]*T[0-9]*Z.dump" \
     -mmin +$((retention_days * 24 * 60)) -print -delete | sed 's/^/deleted /'
