"""Figures for the pages: the dashboard widget's counts, and Statistics Norway's
migration (09588) and population (07459) for the municipality — as simple server-drawn
SVG bar charts with the same figures in a table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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


# Statistics Norway's codes for the statistics the insight workshop shows, named in the
# reader's language; a statistic with another code keeps Statistics Norway's own label.
FLOWS = {"Innflytting": _l("Moved in from elsewhere in Norway"), "Utflytting": _l("Moved out to elsewhere in Norway"),
         "Innvandring": _l("Immigration"), "Utvandring": _l("Emigration")}
NETS = {"Nettoinnflytting": _l("Net domestic migration"), "Nettoinnvandring": _l("Net immigration")}
PEOPLE = {"Personer1": _l("Population 1 January")}
DEMO_MARK = "demotall"  # in the labels of the demo's figures (platform/dugnad/benchmarking/data)
COLOURS = ("#1e5aa8", "#b35900", "#2e7d32", "#6a1b9a")  # dark enough on white for text and bars


@dataclass
class Series:
    code: str
    name: str
    values: list[float | None]


@dataclass
class Chart:
    """A server-drawn SVG chart of one or more statistics over the years: bars grouped per
    year above and below a zero line (``kind="bars"``), or a line with the lowest and
    highest value marked (``kind="line"``, for population, where bars from zero would
    hide the change). The page's table is its text alternative."""

    title: str
    years: list[int]
    series: list[Series]
    kind: str = "bars"
    width: int = 640
    height: int = 220
    pad: int = 34

    def _shown(self) -> list[float]:
        return [v for s in self.series for v in s.values if v is not None]

    def _scale(self) -> tuple[float, float]:
        shown = self._shown() or [0.0]
        if self.kind == "line":
            low, high = min(shown), max(shown)
            margin = (high - low) * 0.15 or abs(high) * 0.05 or 1.0
            return low - margin, high + margin
        return min(0.0, *shown), max(0.0, *shown)

    def y(self, value: float) -> float:
        low, high = self._scale()
        inner = self.height - 2 * self.pad
        return round(self.pad + inner * (high - value) / ((high - low) or 1.0), 1)

    @property
    def step(self) -> float:
        return (self.width - 2 * self.pad) / max(1, len(self.years))

    @property
    def zero(self) -> float:
        return self.y(0.0) if self.kind == "bars" else self.height - self.pad

    @property
    def legend(self) -> list[tuple[str, str]]:
        return [(s.name, COLOURS[k % len(COLOURS)]) for k, s in enumerate(self.series)]

    @property
    def year_labels(self) -> list[dict]:
        return [{"year": year, "x": round(self.pad + (i + 0.5) * self.step, 1)} for i, year in enumerate(self.years)]

    @property
    def bars(self) -> list[dict]:
        """Each shown value's bar, with its colour and where its figure is written."""
        if self.kind != "bars":
            return []
        width = self.step * 0.8 / max(1, len(self.series))
        zero, out = self.zero, []
        for i in range(len(self.years)):
            for k, s in enumerate(self.series):
                value = s.values[i]
                if value is None:
                    continue
                top = self.y(value)
                x = self.pad + i * self.step + self.step * 0.1 + k * width
                out.append({"x": round(x, 1), "w": round(width, 1), "y": min(top, zero), "h": round(abs(zero - top), 1),
                            "colour": COLOURS[k % len(COLOURS)], "value": value, "label_x": round(x + width / 2, 1),
                            "label_y": round(top - 3 if value >= 0 else top + 11, 1)})
        return out

    @property
    def lines(self) -> list[dict]:
        """Each series as polyline points (a missing year breaks the line), for ``kind="line"``."""
        if self.kind != "line":
            return []
        out = []
        for k, s in enumerate(self.series):
            points = [(round(self.pad + (i + 0.5) * self.step, 1), self.y(v), v) for i, v in enumerate(s.values)
                      if v is not None]
            out.append({"colour": COLOURS[k % len(COLOURS)], "points": " ".join(f"{x},{y}" for x, y, _v in points),
                        "dots": [{"x": x, "y": y, "value": v, "label_y": round(y - 6, 1)} for x, y, v in points]})
        return out


@dataclass
class Insight:
    """The insight workshop's figures: the charts, and the same figures year by year."""

    charts: list[Chart]
    years: list[int]
    columns: list[Series]  # every statistic, in the table's column order
    demo: bool  # the stored figures are the demo's, not Statistics Norway's


def _number() -> str:
    return db.session.get(Tenant, current_tenant_id()).number


def insight() -> Insight:
    """Ten years of migration flows (09588) and population (07459) for the municipality."""
    number = _number()
    stored = {**ssb_series(number, MIGRATION, key="both"), **ssb_series(number, POPULATION, key="both")}
    years = sorted({year for by_year in stored.values() for year in by_year})
    demo = any(DEMO_MARK in label for _code, label in stored)

    def pick(names: dict) -> list[Series]:
        found = {code: by_year for (code, _label), by_year in stored.items()}
        return [Series(code, str(name), [found[code].get(y) for y in years]) for code, name in names.items()
                if code in found]

    known = {**FLOWS, **NETS, **PEOPLE}
    others = [Series(code, label, [by_year.get(y) for y in years]) for (code, label), by_year in stored.items()
              if code not in known]
    flows, nets, people = pick(FLOWS), pick(NETS), pick(PEOPLE)
    charts = []
    moves = [s for s in flows if s.code in ("Innflytting", "Utflytting")]
    if moves:
        charts.append(Chart(_("Moved in and moved out"), years, moves))
    abroad = [s for s in flows if s.code in ("Innvandring", "Utvandring")]
    if abroad:
        charts.append(Chart(_("Immigration and emigration"), years, abroad))
    if nets:
        charts.append(Chart(_("Net migration"), years, nets))
    charts += [Chart(s.name, years, [s]) for s in others]
    if people:
        charts.append(Chart(_("Population 1 January"), years, people, kind="line"))
    return Insight(charts, years, flows + nets + others + people, demo)


def net_migration() -> dict[int, dict[str, float | None]]:
    """Net migration per year (09588), beside the retention figures: {year: {name: value}};
    the statistics' names in the reader's language, or Statistics Norway's for any other net figure."""
    out: dict[int, dict[str, float | None]] = {}
    for (code, label), by_year in ssb_series(_number(), MIGRATION, key="both").items():
        if code in NETS or (code not in FLOWS and "netto" in code.lower()):
            for year, value in by_year.items():
                out.setdefault(year, {})[str(NETS.get(code, label))] = value
    return dict(sorted(out.items()))
