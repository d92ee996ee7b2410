#!/usr/bin/env bash
# Check ops/postgres/roles.sql, check_rls.sql and ops/backup/*.sh end to end against a
# PostgreSQL server where you may create databases and roles (a development or CI
# server — never production). Everything it creates is named *_<random> and dropped
# at the end, pass or fail.
#
#   ops/postgres/selftest.sh
#
# Connection: libpq variables; defaults PGHOST=127.0.0.1 PGUSER=postgres. Needs the
# project's .venv (for `dugnad db upgrade`). Prints PASS/FAIL lines; exit 1 on a FAIL.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres} PGPORT=${PGPORT:-5432}
R=$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
DB=dugnad_ops_check_$R OW=dugnad_ops_owner_$R AP=dugnad_ops_app_$R
WORK=$(mktemp -d)
cleanup() {
    for d in "$DB" "${DB}_r1" "${DB}_r2"; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)"; done
    psql -X -q -d postgres -c "DROP ROLE IF EXISTS $AP" -c "DROP ROLE IF EXISTS $OW"
    rm -rf "$WORK"
}
trap cleanup EXIT
FAILED=0
q() { psql -X -At -v ON_ERROR_STOP=1 "$@"; }
check() {
    if [[ "$3" == "$2" ]]; then echo "PASS $1 ($3)"; else echo "FAIL $1: want [$2] got [$3]"; FAILED=1; fi
}
owners() { q -d "$1" -c "SELECT string_agg(DISTINCT pg_get_userbyid(relowner), ',') FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = 'public' AND relkind IN ('r', 'S')"; }

# roles.sql, twice
createdb "$DB"
for run in 1 2; do
    psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -v owner_role="$OW" -v app_role="$AP" \
         -v owner_password=ownerpw -v app_password=apppw -f ops/postgres/roles.sql > /dev/null
    check "roles.sql run $run exits 0" 0 $?
done
check "role attributes (name|super|bypassrls|login|createdb|createrole|replication)" \
      "$AP|f|f|t|f|f|f;$OW|f|f|t|f|f|f" \
      "$(q -d "$DB" -c "SELECT rolname, rolsuper, rolbypassrls, rolcanlogin, rolcreatedb, rolcreaterole, rolreplication
                        FROM pg_roles WHERE rolname IN ('$OW', '$AP') ORDER BY 1" | paste -sd';')"
check "app role is not a member of the owner role" f "$(q -d "$DB" -c "SELECT pg_has_role('$AP', '$OW', 'MEMBER')")"

# migrations: refused as the app role, done as the owner; grants come from default privileges
export DUGNAD_INSTANCE_PATH="$WORK/instance" DUGNAD_SECRET_KEY=selftest DUGNAD_LOG_FORMAT=text
export DUGNAD_DATABASE_URL="postgresql+psycopg://$AP:apppw@$PGHOST:$PGPORT/$DB"
.venv/bin/dugnad db upgrade > "$WORK/migrate.log" 2>&1
check "migrate as the app role is refused" "1 permission denied for schema public" \
      "$(( $? != 0 )) $(grep -o -m1 'permission denied for schema public' "$WORK/migrate.log")"
DUGNAD_MIGRATION_DATABASE_URL="postgresql+psycopg://$OW:ownerpw@$PGHOST:$PGPORT/$DB" \
    .venv/bin/dugnad db upgrade > "$WORK/migrate.log" 2>&1
check "migrate as the owner role" 0 $?
check "every table and sequence owned by the owner" "$OW" "$(owners "$DB")"
check "tables without app DML, or with app TRUNCATE" 0 "$(q -d "$DB" -c "SELECT count(*) FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'
      AND (NOT has_table_privilege('$AP', c.oid, 'SELECT,INSERT,UPDATE,DELETE') OR has_table_privilege('$AP', c.oid, 'TRUNCATE'))")"
check "sequences without app USAGE" 0 "$(q -d "$DB" -c "SELECT count(*) FROM pg_class
      WHERE CASE WHEN relkind = 'S' THEN NOT has_sequence_privilege('$AP', oid, 'USAGE,SELECT') ELSE false END")"
echo "check_rls.sql on the migrated database:"
psql -X -d "$DB" -f ops/postgres/check_rls.sql

# row-level security as the app role
q -U "$OW" -d "$DB" > /dev/null -c "
  INSERT INTO tenant (slug, name, number, status, settings, created_at)
       VALUES ('a', 'A', '0001', 'active', '{}', now()), ('b', 'B', '0002', 'active', '{}', now());
  INSERT INTO user_account (email, name, is_region_admin, active, created_at) VALUES ('x@x', 'X', false, true, now());
  INSERT INTO membership (user_id, role, created_at, tenant_id) VALUES (1, 'm', now(), 1), (1, 'm', now(), 2);
  CREATE TABLE ops_probe (id serial PRIMARY KEY, note text);
  INSERT INTO ops_probe (note) VALUES ('hello');"
rls_checks() {
    local d=$1
    check "$d: owner sees every membership" 2 "$(q -U "$OW" -d "$d" -c 'SELECT count(*) FROM membership')"
    check "$d: app with no tenant sees none" 0 "$(q -U "$AP" -d "$d" -c 'SELECT count(*) FROM membership')"
    check "$d: app as tenant 2 sees only tenant 2" 2 "$(q -U "$AP" -d "$d" -c "BEGIN;
          SELECT set_config('app.tenant_id', '2', true); SELECT string_agg(tenant_id::text, ',') FROM membership; COMMIT;" | sed -n 3p)"
    check "$d: app as tenant 1 cannot insert a tenant-2 row" 1 "$(q -U "$AP" -d "$d" -c "BEGIN;
          SELECT set_config('app.tenant_id', '1', true);
          INSERT INTO membership (user_id, role, created_at, tenant_id) VALUES (1, 'x', now(), 2); COMMIT;" > /dev/null 2>&1; echo $?)"
    check "$d: app cannot create tables" 1 "$(q -U "$AP" -d "$d" -c 'CREATE TABLE nope (x int)' > /dev/null 2>&1; echo $?)"
    check "$d: probe row readable by app" hello "$(q -U "$AP" -d "$d" -c 'SELECT note FROM ops_probe')"
}
rls_checks "$DB"

# backup with retention, restore twice
mkdir -p "$WORK/backups"
touch -d '10 days ago' "$WORK/backups/$DB-20000101T000000Z.dump" "$WORK/backups/other-20000101T000000Z.dump"
touch -d '2 days ago' "$WORK/backups/$DB-20000102T000000Z.dump"
dump=$(ops/backup/backup.sh "$DB" "$WORK/backups" 7 | head -1)
check "backup.sh: timestamped custom-format dump" 1 "$([[ $dump =~ /$DB-[0-9]{8}T[0-9]{6}Z\.dump$ ]] && pg_restore -l "$dump" > /dev/null && echo 1)"
check "backup.sh: retention removed only this database's old dump" \
      "$(printf '%s\n' "$(basename "$dump")" "$DB-20000102T000000Z.dump" other-20000101T000000Z.dump | sort | paste -sd' ')" \
      "$(ls "$WORK/backups" | sort | paste -sd' ')"
ops/backup/restore.sh --create "$dump" "${DB}_r1" "$OW" > /dev/null
check "restore.sh --create" 0 $?
createdb "${DB}_r2"
psql -X -q -v ON_ERROR_STOP=1 -d "${DB}_r2" -v owner_role="$OW" -v app_role="$AP" -f ops/postgres/roles.sql > /dev/null
ops/backup/restore.sh "$dump" "${DB}_r2" "$OW" > /dev/null
check "restore.sh into a database prepared with roles.sql" 0 $?
for d in "${DB}_r1" "${DB}_r2"; do
    check "$d: every table and sequence owned by the owner" "$OW" "$(owners "$d")"
    check "$d: RLS policies restored" 4 "$(q -d "$d" -c 'SELECT count(*) FROM pg_policies')"
    rls_checks "$d"
done
ops/backup/restore.sh "$dump" "${DB}_r1" "$OW" > /dev/null 2>&1
check "restore.sh over a non-empty database fails" 1 $?
check "... and leaves it as it was" 1 "$(q -d "${DB}_r1" -c 'SELECT count(*) FROM ops_probe')"

if (( FAILED )); then echo "SOME CHECKS FAILED"; exit 1; fi
echo "ALL CHECKS PASSED"
