"""Figures for the pages: the dashboard widget's counts, and Statistics Norway's
migration (09588) and population (07459) for the municipality — as simple server-drawn
SVG bar charts with the same figures in a table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from dugnad.sdk import Tenant, current_tenant_id, db, ssb_series, today
from dugnad_newcomers.models import ChecklistItem, FollowUp, Household

MIGRATION = "09588"
POPULATION = "07459"


def widget_counts(contact_user_id: int | None) -> dict[str, int]:
    """Households followed, without a contact person, follow-ups due in a fortnight and open
    checklist items — for everyone (the coordinator) or one contact person's households."""
    live = [Household.anonymised_at.is_(None), Household.status == "active"]
    if contact_user_id is not None:
        live.append(Household.contact_user_id == contact_user_id)
    followed = db.session.scalar(select(func.count()).select_from(Household).where(*live)) or 0
    without = db.session.scalar(select(func.count()).select_from(Household).where(
        *live, Household.contact_user_id.is_(None))) or 0
    due = db.session.scalar(select(func.count()).select_from(FollowUp).join(
        Household, (Household.id == FollowUp.household_id) & (Household.tenant_id == FollowUp.tenant_id)).where(
        *live, FollowUp.recorded_at.is_(None), FollowUp.cancelled_at.is_(None),
        FollowUp.due_on <= today() + timedelta(days=14))) or 0
    open_items = db.session.scalar(select(func.count()).select_from(ChecklistItem).join(
        Household, (Household.id == ChecklistItem.household_id) & (Household.tenant_id == ChecklistItem.tenant_id))
        .where(*live, ChecklistItem.status.in_(("open", "in_progress")))) or 0
    return {"followed": followed, "without_contact": without, "due": due, "open_items": open_items}


@dataclass
class Chart:
    """A bar chart of one statistic over the years: bars above and below a zero line."""

    title: str
    years: list[int]
    values: list[float | None]
    width: int = 560
    height: int = 200
    pad: int = 28

    @property
    def bars(self) -> list[dict]:
        shown = [v for v in self.values if v is not None]
        if not shown:
            return []
        top, bottom = max(0.0, *shown), min(0.0, *shown)
        span = (top - bottom) or 1.0
        inner = self.height - 2 * self.pad
        zero = self.pad + inner * top / span
        step = (self.width - 2 * self.pad) / max(1, len(self.years))
        out = []
        for i, (year, value) in enumerate(zip(self.years, self.values)):
            x = self.pad + i * step + step * 0.15
            if value is None:
                out.append({"year": year, "x": x, "w": step * 0.7, "y": zero, "h": 0, "value": None, "zero": zero})
                continue
            h = inner * abs(value) / span
            out.append({"year": year, "x": round(x, 1), "w": round(step * 0.7, 1),
                        "y": round(zero - h if value >= 0 else zero, 1), "h": round(h, 1), "value": value,
                        "zero": round(zero, 1)})
        return out

    @property
    def zero(self) -> float:
        bars = self.bars
        return bars[0]["zero"] if bars else self.height / 2


def _number() -> str:
    return db.session.get(Tenant, current_tenant_id()).number


def insight_charts() -> list[Chart]:
    """Ten years of migration flows and population for the insight workshop."""
    number = _number()
    charts = []
    for table in (MIGRATION, POPULATION):
        for label, by_year in ssb_series(number, table).items():
            years = sorted(by_year)
            charts.append(Chart(label, years, [by_year[y] for y in years]))
    return charts


def net_migration() -> dict[int, dict[str, float | None]]:
    """Net migration per year (09588), beside the retention figures: {year: {label: value}}."""
    out: dict[int, dict[str, float | None]] = {}
    for label, by_year in ssb_series(_number(), MIGRATION).items():
        for year, value in by_year.items():
            out.setdefault(year, {})[label] = value
    return dict(sorted(out.items()))
