#!/bin/sh
# A Citus coordinator and one worker, as two PostgreSQL 15 clusters on this machine,
# with Dugnad's database, roles, schema and demo, sharded by municipality.
# For trying Citus and for repeating the check in ops/README.md ("Citus"); a real
# deployment puts the nodes on separate hosts (see there).
#
# Needs: Citus installed for PostgreSQL 15 (Citus's own packages, or built from source:
# ops/README.md), Debian's postgresql-common (pg_createcluster), run as root from the
# project's root with .venv made (`make translations`).
#
#   sh ops/citus/cluster.sh up       # create, start, load the demo, distribute
#   sh ops/citus/cluster.sh down     # stop and delete both clusters
#
# The two clusters trust local TCP connections (they are scratch clusters on 127.0.0.1):
# the coordinator opens connections to the worker as the connecting role, so a real
# set-up needs passwords in ~postgres/.pgpass or certificates instead.
set -eu

COORDINATOR_PORT=${COORDINATOR_PORT:-5433}
WORKER_PORT=${WORKER_PORT:-5434}
DATABASE=${DATABASE:-dugnad}
OWNER=dugnad_owner
APP=dugnad_app

psql_on() { port=$1; shift; runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" "$@"; }

up() {
    for node in coordinator:$COORDINATOR_PORT worker:$WORKER_PORT; do
        name=citus_${node%%:*}; port=${node##*:}
        pg_createcluster 15 "$name" --port "$port" -- --auth-host=trust --auth-local=peer >/dev/null
        cat > "/etc/postgresql/15/$name/conf.d/citus.conf" <<EOF
shared_preload_libraries = 'citus'
listen_addresses = '127.0.0.1'
max_connections = 200
EOF
        pg_ctlcluster 15 "$name" start
        runuser -u postgres -- createdb -h 127.0.0.1 -p "$port" "$DATABASE"
        psql_on "$port" -d "$DATABASE" -c "CREATE EXTENSION citus"
    done
    psql_on "$COORDINATOR_PORT" -d "$DATABASE" \
        -c "SELECT citus_set_coordinator_host('127.0.0.1', $COORDINATOR_PORT)" \
        -c "SELECT citus_add_node('127.0.0.1', $WORKER_PORT)"
    # roles and grants on the coordinator; Citus passes them on to the worker
    psql_on "$COORDINATOR_PORT" -d "$DATABASE" -v owner_role=$OWNER -v app_role=$APP -f ops/postgres/roles.sql
    coordinator="postgresql+psycopg://$APP@127.0.0.1:$COORDINATOR_PORT/$DATABASE"
    owner="postgresql+psycopg://$OWNER@127.0.0.1:$COORDINATOR_PORT/$DATABASE"
    export DUGNAD_DATABASE_URL="$coordinator" DUGNAD_MIGRATION_DATABASE_URL="$owner" DUGNAD_LOG_FORMAT=text
    .venv/bin/dugnad db upgrade
    .venv/bin/dugnad tenants sync tenants
    .venv/bin/dugnad seed-demo
    .venv/bin/dugnad db distribute
    psql_on "$COORDINATOR_PORT" -d "$DATABASE" -c \
        "SELECT nodename, nodeport, count(*) AS shards FROM pg_dist_shard_placement GROUP BY 1, 2 ORDER BY 2"
}

down() {
    for name in citus_coordinator citus_worker; do
        pg_dropcluster --stop 15 "$name" 2>/dev/null || true
    done
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
