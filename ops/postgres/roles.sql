-- Dugnad's two PostgreSQL roles, and the grants that make row-level security work.
--
--   owner role  runs the migrations (`dugnad db upgrade --url …`) and owns every table.
--   app role    what the web app and `dugnad worker` connect as: may read and write rows,
--               may not create, alter or own anything, is not a superuser and does not
--               have BYPASSRLS — so the tenant policies on every tenant table apply to it.
--               (Superusers, roles with BYPASSRLS, table owners and members of the owner
--               role all bypass row-level security.)
--
-- Run as a superuser, connected to Dugnad's database (grants are per database; roles
-- are per cluster). Safe to run again at any time: it creates what is missing, resets
-- role attributes, and re-applies the grants.
--
--   psql -v ON_ERROR_STOP=1 -d dugnad \
--        -v owner_role=dugnad_owner -v app_role=dugnad_app \
--        -v owner_password="$OWNER_PASSWORD" -v app_password="$APP_PASSWORD" \
--        -f ops/postgres/roles.sql
--
-- Role names default to dugnad_owner and dugnad_app. Passwords are optional: when a
-- password variable is not given, that role's password is left as it is (set it later
-- with psql's \password, or use peer/certificate authentication).
--
-- Run it BEFORE the first `dugnad db upgrade` so that ALTER DEFAULT PRIVILEGES covers
-- every table the migrations create; running it again afterwards also grants on the
-- tables that already exist.

\set ON_ERROR_STOP on
\if :{?owner_role}
\else
  \set owner_role dugnad_owner
\endif
\if :{?app_role}
\else
  \set app_role dugnad_app
\endif

-- An assertion helper: `SELECT format(:'fail', 'message') WHERE <bad> \gexec` raises.
\set fail 'DO $dugnad$ BEGIN RAISE EXCEPTION %L; END $dugnad$'

SELECT format(:'fail', 'owner_role and app_role must be two different roles')
 WHERE :'owner_role' = :'app_role' \gexec

-- 1. The roles -------------------------------------------------------------------------

SELECT format('CREATE ROLE %I', :'owner_role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner_role') \gexec
SELECT format('CREATE ROLE %I', :'app_role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_role') \gexec

ALTER ROLE :"owner_role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE :"app_role"   LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

\if :{?owner_password}
ALTER ROLE :"owner_role" PASSWORD :'owner_password';
\endif
\if :{?app_password}
ALTER ROLE :"app_role" PASSWORD :'app_password';
\endif

-- A member of the owner role counts as the owner (and bypasses RLS): undo a direct grant.
SELECT format('REVOKE %I FROM %I', :'owner_role', :'app_role')
  FROM pg_auth_members m
 WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = :'owner_role')
   AND m.member = (SELECT oid FROM pg_roles WHERE rolname = :'app_role') \gexec

-- 2. Database and schema ---------------------------------------------------------------

SELECT format('GRANT CONNECT ON DATABASE %I TO %I, %I', current_database(), :'owner_role', :'app_role') \gexec

-- PostgreSQL 15 already withholds CREATE on public from PUBLIC; a database created on an
-- older version (or restored from one) may not.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO :"owner_role";
GRANT USAGE ON SCHEMA public TO :"app_role";

-- 3. Tables and sequences: the ones that exist now … ------------------------------------

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";

-- … and every one the owner creates later (the migrations).
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";

-- 4. Check the result: fail loudly rather than leave RLS silently bypassed ----------------

SELECT format(:'fail', format('role %s is a superuser or has BYPASSRLS', rolname))
  FROM pg_roles WHERE rolname = :'app_role' AND (rolsuper OR rolbypassrls) \gexec

SELECT format(:'fail', format('role %s is (indirectly) a member of %s; revoke that membership',
                              :'app_role', :'owner_role'))
 WHERE pg_has_role(:'app_role', :'owner_role', 'MEMBER') \gexec

SELECT format(:'fail', format('role %s owns %s table(s) in schema public, e.g. %s; '
                              'move them with REASSIGN OWNED BY %I TO %I (as a superuser)',
                              :'app_role', count(*), min(c.relname), :'app_role', :'owner_role'))
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
   AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = :'app_role')
HAVING count(*) > 0 \gexec

SELECT rolname AS role, rolsuper AS superuser, rolbypassrls AS bypassrls, rolcanlogin AS login,
       rolcreatedb AS createdb, rolcreaterole AS createrole
  FROM pg_roles WHERE rolname IN (:'owner_role', :'app_role') ORDER BY rolname;
