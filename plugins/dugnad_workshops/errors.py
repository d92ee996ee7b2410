"""The one error the workshop services raise."""

from flask_babel import gettext as _

from dugnad.processes.service import ProcessError


class WorkshopError(ProcessError):
    """A refused change, with a message for the person and the form field it concerns;
    raised before anything changes, so a refusal leaves nothing half-saved."""


def text(value, field: str, required: str | None = None, limit: int = 2000) -> str | None:
    """Typed text, stripped: None when empty, unless ``required`` (the message then)."""
    value = (value or "").strip()
    if not value:
        if required:
            raise WorkshopError(required, field)
        return None
    if len(value) > limit:
        raise WorkshopError(_("Keep it to at most %(n)s characters.", n=limit), field)
    return value
