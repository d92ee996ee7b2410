"""The one error the workshop services raise."""

from dugnad.processes.service import ProcessError


class WorkshopError(ProcessError):
    """A refused change, with a message for the person and the form field it concerns;
    raised before anything changes, so a refusal leaves nothing half-saved."""
