"""How a municipality sets up its bank: the roles volunteers take (and which need a
police certificate), the areas they help in, and the versions of the consent text.

Every function runs in the municipality's context and raises ``BankError`` (with the
field it concerns) before changing anything."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from dugnad.sdk import db, record, utcnow
from dugnad_volunteers.errors import BankError, clean
from dugnad_volunteers.models import WORKS_WITH, Area, ConsentText, Need, Role, Vetting, VolunteerInterest

DEFAULT_LOCALE = "nb"  # stored texts (consent, default roles) are in the municipality's language


# --- roles ----------------------------------------------------------------------------------------


def roles(active_only: bool = True) -> list[Role]:
    query = select(Role)
    if active_only:
        query = query.where(Role.active)
    return list(db.session.scalars(query.order_by(Role.position, Role.name)))


def get_role(role_id: int | None) -> Role | None:
    if role_id is None:
        return None
    return db.session.scalar(select(Role).where(Role.id == role_id))


def _check_role(values: dict, role: Role | None = None) -> dict:
    name = clean(values.get("name"))
    if not name:
        raise BankError(_("Write the name of the role."), "name")
    if len(name) > 120:
        raise BankError(_("The name can be at most 120 characters."), "name")
    other = db.session.scalar(select(Role).where(func.lower(Role.name) == name.lower()))
    if other is not None and other is not role:
        raise BankError(_("There is already a role called “%(name)s”.", name=other.name), "name")
    requires = bool(values.get("requires_certificate"))
    works_with = values.get("works_with") or None
    purpose = clean(values.get("purpose"))
    if requires:
        if works_with not in WORKS_WITH:
            raise BankError(_("Say who the role gives trust or responsibility towards: this is what the police certificate is for."),
                            "works_with")
        if not purpose:
            raise BankError(_("Describe the tasks: the purpose confirmation for the police is written from this."), "purpose")
    else:
        works_with = None
    return {"name": name, "description": clean(values.get("description")), "requires_certificate": requires,
            "works_with": works_with, "purpose": purpose}


def create_role(values: dict) -> Role:
    checked = _check_role(values)
    position = (db.session.scalar(select(func.max(Role.position))) or 0) + 1
    role = Role(position=position, **checked)
    db.session.add(role)
    db.session.flush()
    record("volunteers.role_created", role, name=role.name)
    return role


def update_role(role: Role, values: dict) -> int:
    """Change a role. When what a police certificate is for changes, the role gets a new
    revision and the certificates recorded before no longer count: returns how many."""
    checked = _check_role(values, role)
    purpose_changed = role.requires_certificate and checked["requires_certificate"] and (
        checked["works_with"] != role.works_with or checked["purpose"] != role.purpose)
    newly_required = checked["requires_certificate"] and not role.requires_certificate
    for key, value in checked.items():
        setattr(role, key, value)
    retired = 0
    if purpose_changed or newly_required:
        retired = valid_vetting_count(role)
        role.revision += 1
        role.revised_at = utcnow()
    db.session.flush()
    record("volunteers.role_changed", role, name=role.name, revision=role.revision, certificates_retired=retired)
    return retired


def valid_vetting_count(role: Role) -> int:
    return db.session.scalar(select(func.count()).select_from(Vetting).where(
        Vetting.role_id == role.id, Vetting.role_revision == role.revision, Vetting.revoked_at.is_(None))) or 0


def valid_vetting_counts() -> dict[int, int]:
    """Valid certificates per role, in one query (for the set-up page)."""
    return dict(db.session.execute(
        select(Vetting.role_id, func.count())
        .join(Role, (Role.id == Vetting.role_id) & (Role.tenant_id == Vetting.tenant_id))
        .where(Vetting.role_revision == Role.revision, Vetting.revoked_at.is_(None))
        .group_by(Vetting.role_id)).all())


def set_role_active(role: Role, active: bool) -> None:
    role.active = active
    record("volunteers.role_archived" if not active else "volunteers.role_restored", role, name=role.name)


def role_in_use(role: Role) -> bool:
    for model in (Need, VolunteerInterest, Vetting):
        if db.session.scalar(select(model.id).where(model.role_id == role.id).limit(1)) is not None:
            return True
    return False


# Roles from Tønsberg's resource bank (seed 003). Stored in the municipality's language;
# while a municipality keeps a text as suggested, people read it in their own (``shown``).
DEFAULT_ROLES = (
    {"name": _l("Escort for an unaccompanied minor"), "requires_certificate": True, "works_with": "minors",
     "description": _l("Go with an unaccompanied minor refugee to the doctor, the dentist, public offices or activities."),
     "purpose": _l("Escorting unaccompanied minor refugees to the doctor, the dentist, public offices and leisure activities, alone with the young person.")},
    {"name": _l("Escort for a family to the doctor or public offices"), "requires_certificate": False,
     "description": _l("Go with a family to the GP, NAV, the tax office or the school, and help them find their way.")},
    {"name": _l("Language help"), "requires_certificate": False,
     "description": _l("Help someone understand and be understood in everyday situations. Not a replacement for a qualified interpreter.")},
    {"name": _l("Homework help"), "requires_certificate": True, "works_with": "minors",
     "description": _l("Help children and young people with homework, at the library or the school."),
     "purpose": _l("Homework help for children and young people, in groups or one to one.")},
    {"name": _l("Activity friend"), "requires_certificate": False,
     "description": _l("Join someone new in the area for walks, sport, a club or the library.")},
    {"name": _l("Help at events and the international café"), "requires_certificate": False,
     "description": _l("Set up, serve and talk with people at cafés and events for refugees and newcomers.")},
)


def default_roles() -> list[dict]:
    """The suggested roles, in the municipality's language (as they are stored)."""
    with force_locale(DEFAULT_LOCALE):
        return [{key: str(value) if not isinstance(value, bool) else value for key, value in role.items()}
                for role in DEFAULT_ROLES]


_suggested: dict[str, object] = {}


def shown(text: str | None) -> str:
    """A role's stored text in the reader's language, while it is still the suggested one;
    a text the municipality wrote or changed is shown as written."""
    if not text:
        return text or ""
    if not _suggested:
        with force_locale(DEFAULT_LOCALE):
            for role in DEFAULT_ROLES:
                for key in ("name", "description", "purpose"):
                    if key in role:
                        _suggested[str(role[key])] = role[key]
    lazy = _suggested.get(text)
    return str(lazy) if lazy is not None else text


def add_default_roles() -> list[Role]:
    """Add the suggested roles that the municipality does not have yet."""
    existing = {name.lower() for name in db.session.scalars(select(Role.name))}
    added = [create_role(values) for values in default_roles() if values["name"].lower() not in existing]
    return added


# --- areas -----------------------------------------------------------------------------------------


def areas(active_only: bool = True) -> list[Area]:
    query = select(Area)
    if active_only:
        query = query.where(Area.active)
    return list(db.session.scalars(query.order_by(Area.position, Area.name)))


def get_area(area_id: int | None) -> Area | None:
    if area_id is None:
        return None
    return db.session.scalar(select(Area).where(Area.id == area_id))


def create_area(name: str | None) -> Area:
    name = clean(name)
    if not name:
        raise BankError(_("Write the name of the area."), "name")
    if len(name) > 120:
        raise BankError(_("The name can be at most 120 characters."), "name")
    if db.session.scalar(select(Area.id).where(func.lower(Area.name) == name.lower())) is not None:
        raise BankError(_("There is already an area called “%(name)s”.", name=name), "name")
    area = Area(name=name, position=(db.session.scalar(select(func.max(Area.position))) or 0) + 1)
    db.session.add(area)
    db.session.flush()
    record("volunteers.area_created", area, name=name)
    return area


def set_area_active(area: Area, active: bool) -> None:
    area.active = active
    record("volunteers.area_archived" if not active else "volunteers.area_restored", area, name=area.name)


# --- consent texts ---------------------------------------------------------------------------------


def default_consent_body(municipality: str) -> str:
    with force_locale(DEFAULT_LOCALE):
        return _(
            "I agree that %(municipality)s keeps what I have written in this form in its volunteer bank, so that the "
            "volunteer coordinator can contact me about tasks and events.\n\n"
            "Only the volunteer coordinator and staff who work with volunteers can see it, and every time they open my "
            "record it is logged.\n\n"
            "If the municipality asks me for a police certificate, it writes down only that I showed it, the date it was "
            "issued, who checked it and for which role — never the certificate itself.\n\n"
            "Through the link I get by e-mail I can at any time see, correct, download or delete my information, or take "
            "a break. If I have not been active for a long time, I am asked whether I want to stay; if I do not answer, "
            "my information is deleted. What I have done as a volunteer stays in the statistics without my name.",
            municipality=municipality)


def current_consent() -> ConsentText | None:
    return db.session.scalar(select(ConsentText).order_by(ConsentText.version.desc()).limit(1))


def consent_versions() -> list[ConsentText]:
    return list(db.session.scalars(select(ConsentText).order_by(ConsentText.version.desc())))


def consent_for_form(municipality: str) -> tuple[int, str]:
    """The version and text a registration form shows (the default until the municipality writes its own)."""
    current = current_consent()
    if current is None:
        return 1, default_consent_body(municipality)
    return current.version, current.body


def consent_to_store(version: int, municipality: str) -> ConsentText:
    """The consent text the volunteer saw; refused if a newer one was published meanwhile."""
    current = current_consent()
    if current is None:
        if version != 1:
            raise BankError(_("The consent text has changed. Read it again and tick the box."), "consent")
        current = ConsentText(version=1, body=default_consent_body(municipality))
        db.session.add(current)
        db.session.flush()
    elif current.version != version:
        raise BankError(_("The consent text was changed while you filled in the form. Read it again and tick the box."), "consent")
    return current


def publish_consent(body: str | None, user) -> ConsentText:
    """A new version of the consent text; volunteers who agreed to an older one are asked again."""
    body = (body or "").strip()
    if len(body) < 40:
        raise BankError(_("Write the whole consent text (at least a few sentences)."), "body")
    current = current_consent()
    if current is not None and current.body.strip() == body:
        raise BankError(_("The text is the same as the current version."), "body")
    version = (current.version if current else 0) + 1
    text = ConsentText(version=version, body=body, created_by_id=getattr(user, "id", None))
    db.session.add(text)
    db.session.flush()
    record("volunteers.consent_published", text, version=version)
    return text

