"""The error the workshop services raise."""

from flask_babel import gettext as _

from dugnad.sdk import Refusal

# A refused change (message, form field, HTTP status), raised before anything changes so a
# refusal leaves nothing half-saved: the core's one refusal error, under the name the
# workshops' code and tests know it by. It also catches the core's ProcessError and PollError.
WorkshopError = Refusal


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
