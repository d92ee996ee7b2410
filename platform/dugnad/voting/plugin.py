"""Voting as a default plugin: the seven built-in poll methods, the poll pages, the API,
the scheduled close and the participation metric."""

from flask_babel import lazy_gettext as _l

from dugnad.hookspecs import hookimpl
from dugnad.registry import Mount, NavItem, Permission, Schedule, Widget


@hookimpl
def register_poll_methods():
    from dugnad.voting.builtin import METHODS

    return list(METHODS)


@hookimpl
def register_models():
    from dugnad.voting import models

    return [models.Poll, models.PollOption, models.Voter, models.Ballot, models.BallotMark]


@hookimpl
def register_blueprints():
    from dugnad.voting.api import API_BLUEPRINTS
    from dugnad.voting.public import voting_public
    from dugnad.voting.views import voting

    return [Mount(voting), Mount(voting_public, public=True), *(Mount(bp, scope="api") for bp in API_BLUEPRINTS)]


@hookimpl
def register_permissions():
    return [
        Permission("voting.vote", _l("Vote, and propose options where a poll asks for proposals"),
                   ("admin", "coordinator", "facilitator", "member")),
        Permission("voting.manage", _l("Create, open and close polls; enter paper ballots; make voting cards"),
                   ("admin", "coordinator", "facilitator")),
    ]


@hookimpl
def register_jobs():
    from dugnad.voting.jobs import close_due_polls
    from dugnad.voting.mail import closed_note

    return [close_due_polls, closed_note]


@hookimpl
def register_schedules():
    from dugnad.voting.jobs import close_due_polls

    return [Schedule(close_due_polls, cron="* * * * *")]


@hookimpl
def register_benchmark_metrics():
    from dugnad.benchmarking.metrics import Metric
    from dugnad.voting.metrics import ballots_cast, polls_closed

    return [
        Metric("voting.ballots", _l("Votes cast in polls"), "count", ballots_cast, group="voting",
               description=_l("Ballots in polls that closed in the period, paper ballots included.")),
        Metric("voting.polls", _l("Polls held"), "count", polls_closed, group="voting",
               description=_l("Polls that closed in the period.")),
    ]


@hookimpl
def navigation_items(tenant, user):
    return [NavItem(_l("Votes"), "voting.index", order=30, permission="voting.vote")]


@hookimpl
def process_tabs(tenant, process):
    return [NavItem(_l("Votes"), "voting.process_polls", order=30, permission="processes.view")]


@hookimpl
def dashboard_widgets(tenant, user):
    return [Widget("polls", _l("Open votes"), "voting.widget", order=15)]


@hookimpl
def personal_data(tenant, participant):
    from dugnad.voting.privacy import personal_data as voting_data

    return voting_data(participant)
