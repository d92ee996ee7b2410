"""The core's public surface for plugins: everything a plugin imports from the core.

A plugin imports from here (and nothing else of ``dugnad``), so the core can move its
insides without breaking a plugin, and a reader sees in one file what plugins may use.
``make lint`` enforces it. The hooks a plugin implements are documented in
``dugnad/hookspecs.py`` and in the README's plugin guide; the dataclasses they return
are re-exported here too.

Groups: the hook marker and registry dataclasses; the database and tenancy; the clock;
links (absolute URLs, signed links, the sender address); refusals; forms; rendering
and permissions; audit, outbox and jobs; the API's authentication; and the core's
domain — accounts, participants, processes and voting — with their services, and handoffs
(``handoffs.offers/send/panel/update_status/origin_note``: one module asks another for help).
"""

from __future__ import annotations

# --- hooks and what they return -------------------------------------------------------------------
from dugnad.hookspecs import hookimpl
from dugnad.registry import Mount, NavItem, Permission, Role, Schedule, SettingField, Widget
from dugnad.processes.templates import PhaseTemplate, ProcessTemplate
from dugnad.benchmarking.metrics import Figure, Metric, period_table
from dugnad.benchmarking.ssb import series as ssb_series
from dugnad.voting.methods import PollMethod
from dugnad.registry import HandoffChange, HandoffOrigin, HelpField, HelpKind, HelpRequest, Reference

# --- database and tenancy ---------------------------------------------------------------------------
from dugnad.extensions import db
from dugnad.tenancy import keys, rls
from dugnad.tenancy.context import current_tenant_id, in_region_scope, region_scope, tenant_context
from dugnad.tenancy.models import Tenant, TenantPlugin, TenantScoped, tenant_fk

# --- the clock --------------------------------------------------------------------------------------
from dugnad.clock import OSLO, local_now, to_oslo, today, utcnow
from dugnad.clock import exported, exported_local

# --- links ------------------------------------------------------------------------------------------
from dugnad.links import DAY, LinkProblem, base_url, external_url, read_signed, sender_address, sign

# --- refusals ---------------------------------------------------------------------------------------
from dugnad.refusals import Refusal, refuse, show_refusal

# --- forms, rendering, permissions -----------------------------------------------------------------
from dugnad.accounts.forms import ConfirmForm
from dugnad.processes.forms import DATETIME_FORMATS, optional_int, strip
from dugnad.web.templating import render
from dugnad.web.errors import error_page
from dugnad.web.pagecache import same_for_person, same_for_role
from dugnad.versions import data_changed, keep_while_unchanged, kept_while_unchanged
from dugnad.accounts.permissions import can, require, require_region_admin

# --- audit, outbox, jobs, API ----------------------------------------------------------------------
from dugnad.audit import AuditEvent, record
from dugnad.notifications import queue_mail
from dugnad.jobs import enqueue, enqueue_after_commit
from dugnad.erasure import ERASED, Person, erase, scrub_models
from dugnad.api.auth import authenticate
from dugnad.api.fields import LocalDateTime, UtcDateTime

# --- the core's domain -----------------------------------------------------------------------------
from dugnad.accounts.models import Membership, User
from dugnad.accounts.security import hash_password
from dugnad.participants.models import CATEGORIES, Participant
from dugnad.participants import service as participants
from dugnad.processes.models import Activity, Phase, Process
from dugnad.processes import ical
from dugnad.processes import service as processes
from dugnad.processes.service import ProcessError, participant_choices
from dugnad.processes.stakeholders import InvitationList, invitation_list
from dugnad.processes.views import process_tabs
from dugnad.voting.models import STATUSES as POLL_STATUSES
from dugnad.voting.models import Poll
from dugnad.voting import service as voting
from dugnad.voting.service import PollError
from dugnad.voting.forms import criterion_label
from dugnad.voting.presenting import Row as ResultRow
from dugnad.voting.presenting import View as ResultView
from dugnad.voting.rules import BallotError
from dugnad.handoffs import service as handoffs
from dugnad.handoffs.service import HandoffError

__all__ = [
    # hooks
    "hookimpl", "Mount", "NavItem", "Permission", "Role", "Schedule", "SettingField", "Widget",
    "PhaseTemplate", "ProcessTemplate", "Figure", "Metric", "period_table", "PollMethod", "ssb_series",
    "HandoffChange", "HandoffOrigin", "HelpField", "HelpKind", "HelpRequest", "Reference",
    # database and tenancy
    "db", "keys", "rls", "current_tenant_id", "in_region_scope", "region_scope", "tenant_context",
    "Tenant", "TenantPlugin", "TenantScoped", "tenant_fk",
    # clock
    "OSLO", "local_now", "to_oslo", "today", "utcnow", "exported", "exported_local",
    # links
    "DAY", "LinkProblem", "base_url", "external_url", "read_signed", "sender_address", "sign",
    # refusals
    "Refusal", "refuse", "show_refusal",
    # forms, rendering, permissions
    "ConfirmForm", "DATETIME_FORMATS", "optional_int", "strip", "render", "error_page", "same_for_role", "same_for_person",
    "data_changed", "kept_while_unchanged", "keep_while_unchanged",
    "can", "require",
    "require_region_admin",
    # audit, outbox, jobs, API
    "AuditEvent", "record", "queue_mail", "enqueue", "enqueue_after_commit", "authenticate",
    "LocalDateTime", "UtcDateTime",
    "ERASED", "Person", "erase", "scrub_models",
    # domain
    "Membership", "User", "hash_password", "CATEGORIES", "Participant", "participants",
    "Activity", "Phase", "Process", "ical", "processes", "ProcessError", "participant_choices",
    "InvitationList", "invitation_list", "process_tabs", "POLL_STATUSES", "Poll", "voting",
    "PollError", "criterion_label",
    # a poll method's pieces: a refused ballot, and the result as people read it
    "BallotError", "ResultRow", "ResultView",
    # handoffs: one module asks another for help
    "handoffs", "HandoffError",
]
