-- Audit a Dugnad database: every table in schema public that has a tenant_id column
-- but does NOT have row-level security enabled. For such a table only the ORM's
-- tenant filter stands between one municipality and another's rows.
--
--   psql -d dugnad -f ops/postgres/check_rls.sql
--
-- Expected output on a correct deployment: only tables that are deliberately without
-- RLS (each should be accounted for — see ops/README.md, "Auditing row-level security").
-- tenant_id_nullable = true marks tables that also hold region-wide rows (tenant_id NULL).

SELECT c.relname                       AS table_name,
       NOT a.attnotnull                AS tenant_id_nullable,
       pg_get_userbyid(c.relowner)     AS owner,
       c.relforcerowsecurity           AS force_rls
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
 WHERE n.nspname = 'public'
   AND c.relkind IN ('r', 'p')          -- ordinary and partitioned tables
   AND NOT c.relrowsecurity
 ORDER BY c.relname;
