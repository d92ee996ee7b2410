"""Voting as a default plugin: the seven built-in poll methods."""

from flask_babel import lazy_gettext as _l

from dugnad.hookspecs import hookimpl
from dugnad.voting import tally as t
from dugnad.voting.methods import PollMethod


@hookimpl
def register_poll_methods():
    return [
        PollMethod("dot", _l("Dot voting"), t.validate_dot, t.tally_dot,
                   _l("Every participant places a few dots on the proposals they want to take further.")),
        PollMethod("approval", _l("Approval"), t.validate_approval, t.tally_approval,
                   _l("Participants tick every option they can support.")),
        PollMethod("single", _l("Single choice"), t.validate_single, t.tally_single,
                   _l("Participants choose one option, and the option with most votes wins.")),
        PollMethod("ranked", _l("Ranked choice"), t.validate_ranked, t.tally_ranked,
                   _l("Participants rank the options, counted by instant runoff or Borda points.")),
        PollMethod("score", _l("Scores"), t.validate_score, t.tally_score,
                   _l("Participants give each option a score, and options are ranked by their mean score.")),
        PollMethod("consent", _l("Consent"), t.validate_consent, t.tally_consent,
                   _l("Participants agree, abstain, disagree or block a proposal, giving a reason to object.")),
        PollMethod("matrix", _l("Weighted criteria"), t.validate_matrix, t.tally_matrix,
                   _l("Participants score each option on weighted criteria such as effect, cost, capacity and fit.")),
    ]
