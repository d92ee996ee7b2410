"""What each demo user sees, per municipality: to compare a Citus cluster with plain PostgreSQL.

Logs in as every person with the demo password (the core's demo people and those the
plugins' demo data adds) through the login form,
opens every page of each of their municipalities that needs no id (and the region's
pages for the region admin), and, with a personal API token made on the tokens page,
every API list. It records, per page, the status, the heading, how many table rows
and list items it shows, the numbers it shows and a digest of its visible text (clock
times, dates and token prefixes masked, as the two databases were loaded at different
moments), and per API list the number of items. Run it on two databases
loaded the same way and compare:

    DUGNAD_DATABASE_URL=postgresql+psycopg://dugnad_app@127.0.0.1:5432/dugnad \\
        .venv/bin/python ops/citus/compare.py record plain.json
    DUGNAD_DATABASE_URL=postgresql+psycopg://dugnad_app@127.0.0.1:5433/dugnad \\
        .venv/bin/python ops/citus/compare.py record citus.json
    .venv/bin/python ops/citus/compare.py diff plain.json citus.json

``diff`` prints a table per municipality and exits 1 when anything differs. Run
``record`` once per database, on a freshly loaded demo: it logs in and makes tokens,
which the audit log and the tokens page then show.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import defaultdict
from html import unescape

SKIP = {"/me/tokens", "/login", "/password/forgot", "/healthz", "/api/v1/openapi.json"}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
TAG = re.compile(r"<[^>]+>")
SCRIPT = re.compile(r"<(script|style)[^>]*>.*?</\1>", re.S)
MOMENTS = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?|\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\. ?\w+ \d{4}\b"
                     r"|dgn_\w+|\b\d+ (sekund|minutt|time|second|minute|hour)\w*")
NUMBER = re.compile(r"\b\d+\b")


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    return (found.group(1) or found.group(2)) if found else ""


def _page_facts(response) -> dict:
    html = response.get_data(as_text=True)
    heading = H1.search(html)
    visible = MOMENTS.sub("·", " ".join(unescape(TAG.sub(" ", SCRIPT.sub(" ", html))).split()))
    return {
        "status": response.status_code,
        "h1": " ".join(unescape(TAG.sub("", heading.group(1))).split()) if heading else None,
        "rows": html.count("<tr"),
        "items": html.count("<li"),
        "numbers": sum(int(n) for n in NUMBER.findall(visible)),
        "text": hashlib.sha256(visible.encode()).hexdigest()[:16],
    }


def _api_facts(response) -> dict:
    facts = {"status": response.status_code}
    if response.is_json:
        data = response.get_json()
        if isinstance(data, list):
            facts["count"] = len(data)
        elif isinstance(data, dict):
            facts.update({f"count.{key}": len(value) for key, value in data.items() if isinstance(value, list)})
            facts.update({key: value for key, value in data.items() if key in ("total", "count")})
    return facts


def _routes(app):
    pages, region, api = [], [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule in SKIP:
            continue
        if set(rule.arguments) == {"tenant"} and rule.rule.startswith("/<tenant>/"):
            pages.append(rule.rule)
        elif not rule.arguments and rule.rule.startswith("/api/v1/"):
            api.append(rule.rule)
        elif not rule.arguments and rule.rule.startswith("/region/"):
            region.append(rule.rule)
    return sorted(pages), sorted(region), sorted(api)


def record(path: str) -> None:
    from sqlalchemy import select

    from dugnad.accounts.models import Membership, User
    from dugnad.accounts.security import check_password
    from dugnad.app import create_app
    from dugnad.demo import DEMO_PASSWORD
    from dugnad.extensions import db
    from dugnad.tenancy import region_scope
    from dugnad.tenancy.models import Tenant

    app = create_app()
    pages, region_pages, api = _routes(app)
    with app.app_context():
        tenants = {t.slug: t.id for t in db.session.scalars(select(Tenant))}
        slugs = {tenant_id: slug for slug, tenant_id in tenants.items()}
        people = []
        for user in db.session.scalars(select(User).where(User.password_hash.is_not(None)).order_by(User.email)):
            if not check_password(user, DEMO_PASSWORD):
                continue
            with region_scope("ops/citus/compare.py: the demo people's municipalities"):
                member_of = db.session.scalars(select(Membership.tenant_id).where(Membership.user_id == user.id)).all()
            people.append((user.email, user.is_region_admin, sorted(slugs[t] for t in member_of)))
        db.session.rollback()
    seen: dict = {}
    for email, region_admin, roles in people:
        client = app.test_client()
        login = client.get("/login")
        answer = client.post("/login", data={"email": email, "password": DEMO_PASSWORD,
                                             "csrf_token": _csrf(login.get_data(as_text=True))})
        if answer.status_code != 302:
            raise SystemExit(f"could not log in as {email}: {answer.status_code}")
        scopes = [slug for slug in roles if slug in tenants] + (["region"] if region_admin else [])
        for slug in scopes:
            where = seen.setdefault(slug, {}).setdefault(email, {})
            urls = region_pages if slug == "region" else [p.replace("<tenant>", slug) for p in pages]
            for url in urls:
                where[url] = _page_facts(client.get(url))
            form = client.get("/me/tokens").get_data(as_text=True)
            made = client.post("/me/tokens", data={"name": f"compare {slug}", "expires": "",
                                                   "scope": "region" if slug == "region" else str(tenants[slug]),
                                                   "csrf_token": _csrf(form)})
            secret = re.search(r"(dgn_[A-Za-z0-9_\-]+)", made.get_data(as_text=True))
            if secret is None:
                raise SystemExit(f"could not make an API token for {email} in {slug}: {made.status_code}")
            headers = {"Authorization": f"Bearer {secret.group(1)}"}
            for url in api:
                where[url] = _api_facts(client.get(url, headers=headers))
    with open(path, "w", encoding="utf-8") as out:
        json.dump(seen, out, ensure_ascii=False, indent=1, sort_keys=True)
    total = sum(len(urls) for people in seen.values() for urls in people.values())
    print(f"{path}: {len(seen)} scopes, {total} pages and API lists")


def diff(left_path: str, right_path: str) -> int:
    with open(left_path, encoding="utf-8") as f:
        left = json.load(f)
    with open(right_path, encoding="utf-8") as f:
        right = json.load(f)
    differences = 0
    summary = defaultdict(lambda: [0, 0, 0, 0])  # scope -> [pages, api lists, api items, differing]
    for scope in sorted(set(left) | set(right)):
        for person in sorted(set(left.get(scope, {})) | set(right.get(scope, {}))):
            a, b = left.get(scope, {}).get(person, {}), right.get(scope, {}).get(person, {})
            for url in sorted(set(a) | set(b)):
                counted = summary[scope]
                if url.startswith("/api/"):
                    counted[1] += 1
                    counted[2] += sum(v for k, v in (a.get(url) or {}).items() if k.startswith("count"))
                else:
                    counted[0] += 1
                if a.get(url) != b.get(url):
                    counted[3] += 1
                    differences += 1
                    print(f"DIFFERS {scope} {person} {url}: {a.get(url)} != {b.get(url)}")
    print("| scope | pages | API lists | API items | differing |\n|---|---|---|---|---|")
    for scope, (pages, lists, items, differing) in sorted(summary.items()):
        print(f"| {scope} | {pages} | {lists} | {items} | {differing} |")
    print("identical" if not differences else f"{differences} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "record":
        record(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        sys.exit(diff(sys.argv[2], sys.argv[3]))
    else:
        raise SystemExit(__doc__)
