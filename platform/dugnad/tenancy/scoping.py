"""The ORM and database layers of tenant isolation. Installed once, for every Session.

* every SELECT/UPDATE/DELETE touching a tenant table gets ``tenant_id = <current>``;
  with no tenant in context it raises instead of returning everybody's rows;
* ``before_flush`` stamps ``tenant_id`` on new rows and refuses rows of another tenant;
* on PostgreSQL every transaction starts with ``SET LOCAL app.tenant_id`` (see
  ``set_tenant_sql``) so that row-level security (see ``tenancy.rls``) agrees with the ORM;
  a statement that runs as its own transaction sets the same inside itself
  (``tenant_settings_cte``).
"""

from __future__ import annotations

from flask import has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql.util import find_tables

from dugnad.tenancy.context import (
    CrossTenantWrite,
    TenantContextMissing,
    current_tenant_id,
    in_region_scope,
)
from dugnad.tenancy.models import TenantScoped

_installed = False


def _touches_tenant_table(state: ORMExecuteState) -> bool:
    if any(issubclass(m.class_, TenantScoped) for m in state.all_mappers):
        return True
    tenant_tables = {m.local_table for m in _tenant_mappers()}
    return any(t in tenant_tables for t in find_tables(state.statement, include_joins=True, include_crud=True))


def _tenant_mappers():
    from dugnad.extensions import db

    return [m for m in db.Model.registry.mappers if issubclass(m.class_, TenantScoped)]


def _scope_statement(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete) or state.is_column_load:
        return
    tenant_id = current_tenant_id()
    if tenant_id is None:
        if in_region_scope() is None and _touches_tenant_table(state):
            raise TenantContextMissing("a tenant-owned table was queried with no municipality in context")
        return
    state.statement = state.statement.options(
        with_loader_criteria(TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True)
    )


def _guard_flush(session: Session, flush_context, instances) -> None:
    tenant_id = current_tenant_id()
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if tenant_id is None:
            raise TenantContextMissing(f"cannot save {type(obj).__name__} with no municipality in context")
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise CrossTenantWrite(f"{type(obj).__name__} of tenant {obj.tenant_id} written as tenant {tenant_id}")
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScoped):
            continue
        if inspect(obj).attrs.tenant_id.history.deleted:
            raise CrossTenantWrite(f"{type(obj).__name__} cannot move to another municipality")
        if tenant_id is None or obj.tenant_id != tenant_id:
            raise CrossTenantWrite(f"{type(obj).__name__} of tenant {obj.tenant_id} changed as tenant {tenant_id}")


def set_tenant_sql() -> str:
    """The one statement that tells PostgreSQL the tenant for this transaction.

    ``SET LOCAL``, not ``set_config(…, true)``: Citus sends only ``SET`` commands on to
    the worker nodes, and only with ``citus.propagate_set_commands = 'local'``; a worker
    whose policies read an empty tenant shows nothing and refuses writes. That setting
    is made here too, in the same transaction, so no role or server configuration is
    needed for it; on PostgreSQL without Citus it is an unused placeholder. All three
    are transaction-local, so pooled connections never carry a tenant over. ``SET`` takes no bind parameters: the values are an int or
    empty and ``on`` or empty, rendered here and nowhere else.

    This is the single place the statement is made; ``tenant_settings_cte`` makes the same
    settings inside a statement that is its own transaction.
    """
    tenant_id = current_tenant_id()
    tenant = "" if tenant_id is None else str(int(tenant_id))
    region = "on" if in_region_scope() else ""
    return (
        "SET LOCAL citus.propagate_set_commands = 'local'; "
        f"SET LOCAL app.tenant_id = '{tenant}'; SET LOCAL app.region_scope = '{region}'"
    )


def tenant_settings_cte() -> tuple[str, dict[str, str]]:
    """The settings of ``set_tenant_sql`` as a common table expression ``scope`` of
    ``set_config(…, true)`` calls, and its bind parameters: for a statement that runs as
    its own transaction (autocommit), so the tenant costs no round trip of its own.

    ``MATERIALIZED``: PostgreSQL computes every column before the statement reads it. The
    statement must take the tenant from ``scope.tenant_id`` (e.g. ``CROSS JOIN LATERAL
    f(CAST(scope.tenant_id AS integer))``) so the setting is made before anything reads
    a table. Transaction-local like ``SET LOCAL``, so it ends with the statement. On Citus
    a ``set_config`` is not sent on to the worker nodes: there the tables show nothing and
    the caller must be ready for that (``voting.fastcast`` then takes the general path)."""
    tenant_id = current_tenant_id()
    return (
        "WITH scope AS MATERIALIZED (SELECT set_config('citus.propagate_set_commands', 'local', true) AS citus, "
        "set_config('app.tenant_id', :scope_tenant_id, true) AS tenant_id, "
        "set_config('app.region_scope', :scope_region, true) AS region_scope) ",
        {"scope_tenant_id": "" if tenant_id is None else str(int(tenant_id)),
         "scope_region": "on" if in_region_scope() else ""},
    )


def _apply(connection) -> None:
    connection.exec_driver_sql(set_tenant_sql())


def _after_begin(session: Session, transaction, connection) -> None:
    if connection.dialect.name == "postgresql":
        _apply(connection)


def sync_open_session() -> None:
    """Re-apply the tenant to the request/job session's open PostgreSQL transaction."""
    if not has_app_context():
        return
    from dugnad.extensions import db

    session = db.session()
    transaction = session.get_transaction()
    if transaction is None:
        return
    for connection in {conn for conn, *_ in transaction._connections.values()}:
        if connection.dialect.name == "postgresql" and not connection.closed:
            try:
                _apply(connection)
            except DBAPIError:
                # The transaction already failed: it can run nothing more and will be
                # rolled back; the next one starts with the right tenant (after_begin).
                pass


def install() -> None:
    global _installed
    if _installed:
        return
    event.listen(Session, "do_orm_execute", _scope_statement)
    event.listen(Session, "before_flush", _guard_flush)
    event.listen(Session, "after_begin", _after_begin)
    _installed = True
