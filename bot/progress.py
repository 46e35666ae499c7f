"""/progress: a couple's last weeks pictured. Activity over time, never a score: no percentage,
no grade, no partner ranked against the other, and an empty stretch is shown kindly.

What the chart shows comes from *sources*, each giving one or more weekly series. Check-ins
both answered, conflicts and repairs are here; the safety ratings (bot.ratings) and promises
kept as each partner saw it (the promises feature) add theirs with `@progress.source`, and the
chart, its text summary and the /report PDF pick them up with no change here.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import threading
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.models import Couple
from bot.schedule_rules import local_instant
from bot.storage.db import Database
from bot.storage.unit import Unit
from bot.texts import amount, local_time, plain, t
from bot.zones import zone_of

WEEKS = 12
OPT_INS = ("weekly", "rating")  # what each partner turns on, and both must (progress choices)
CAPTION_MAX = 1024  # Telegram's limit for a photo's caption; longer words follow as a message
SUMMARY_DAY = 6  # Sunday (Monday = 0)
SUMMARY_AT = time(19, 0)  # local, in each partner's own zone


@dataclass(frozen=True)
class Series:
    """One line of the chart: a value per week, oldest first (None: nothing to show)."""

    label: str  # locale key of its name, under `progress-series_` (e.g. "checkins")
    values: tuple[float | None, ...]
    style: str = "count"  # "count" (bars: how many) or "rating" (a line on the 1-5 scale)
    person: str = ""  # whose view it is (a first name), for a series per partner
    # False for a feature the couple may not use (promises, ratings): with nothing in it, it
    # is left out of the chart and the words rather than shown as a row of zeros.
    always: bool = True

    @property
    def shown(self) -> bool:
        return self.always or any(self.values)


@dataclass(frozen=True)
class Weeks:
    """What the chart plots: the Mondays the weeks start on (in the viewer's zone), and the
    series. Built before any drawing, so a test can read what is plotted."""

    starts: tuple[date, ...]
    series: tuple[Series, ...]

    @property
    def empty(self) -> bool:
        return not any(v for s in self.series for v in s.values if v)

    def total(self, label: str) -> int:
        return int(sum(v or 0 for s in self.series if s.label == label for v in s.values))


# (unit, couple, the weeks' [start, end) as UTC seconds) -> its series. Sources read only.
Source = Callable[[Unit, Couple, list[tuple[int, int]]], Awaitable[list[Series]]]
SOURCES: list[Source] = []


def source(fn: Source) -> Source:
    """Register a series source (at import time of its feature module): the seam where the
    safety ratings and promises join the chart and the report."""
    if fn not in SOURCES:
        SOURCES.append(fn)
    return fn


def bucket(moments: list[int], bounds: list[tuple[int, int]]) -> tuple[float | None, ...]:
    """How many of `moments` fall in each week."""
    return tuple(float(sum(start <= m < end for m in moments)) for start, end in bounds)


@source
async def _checkins(uow: Unit, couple: Couple, bounds: list[tuple[int, int]]) -> list[Series]:
    moments = await uow.progress.checkins_revealed(couple.id, bounds[0][0], bounds[-1][1])
    return [Series("checkins", bucket(moments, bounds))]


@source
async def _conflicts(uow: Unit, couple: Couple, bounds: list[tuple[int, int]]) -> list[Series]:
    found = await uow.progress.conflicts(couple.id, bounds[0][0], bounds[-1][1])
    return [
        Series("conflicts", bucket([c.started_at for c in found], bounds)),
        Series("repairs", bucket([c.repaired_at for c in found if c.repaired_at], bounds)),
    ]


def week_bounds(now: int, zone: ZoneInfo, weeks: int = WEEKS) -> list[tuple[int, int]]:
    """The last `weeks` weeks (Monday to Monday in `zone`, this one last) as UTC seconds."""
    today = datetime.fromtimestamp(now, zone).date()
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks + 1)]
    edges = [int(local_instant(day, time(0, 0), zone).timestamp()) for day in starts]
    return list(itertools.pairwise(edges))


async def gather(uow: Unit, couple: Couple, now: int, zone: ZoneInfo, weeks: int = WEEKS) -> Weeks:
    """Every source's series for the last `weeks` weeks, as the viewer's calendar has them."""
    bounds = week_bounds(now, zone, weeks)
    # This week so far: what falls due later this week is not news yet (a "both ready" is
    # dated when both are to hear it, a minute or four after the second press).
    bounds[-1] = (bounds[-1][0], min(bounds[-1][1], now + 1))
    series: list[Series] = []
    for found in SOURCES:
        series.extend(await found(uow, couple, bounds))
    starts = tuple(datetime.fromtimestamp(start, zone).date() for start, _ in bounds)
    return Weeks(starts, tuple(series))


def series_name(series: Series, language: str) -> str:
    """A series' name as plain text (a chart label, or a value filled into another text)."""
    return plain(f"progress.series_{series.label}", language, person=series.person)


def summary(weeks: Weeks, language: str) -> str:
    """The chart in words, for screen readers and anyone who prefers text: totals over the
    period, and what the latest week held. Counts only: no percentages or comparisons. HTML
    (a message or caption); html.unescape gives it plain."""
    if weeks.empty:
        return t(
            "progress.summary_empty", language, weeks=amount("weeks", len(weeks.starts), language)
        )
    lines = [
        t("progress.summary_title", language, weeks=amount("weeks", len(weeks.starts), language))
    ]
    for series in (s for s in weeks.series if s.shown):
        shown = [v for v in series.values if v is not None]
        if series.style == "count":
            lines.append(
                t(
                    "progress.summary_count",
                    language,
                    name=series_name(series, language),
                    count=int(sum(shown)),
                )
            )
        elif shown:
            lines.append(
                t(
                    "progress.summary_rating",
                    language,
                    name=series_name(series, language),
                    rated=len(shown),
                    latest=int(shown[-1]),
                )
            )
    lines.append(t("progress.summary_close", language))
    return "\n".join(lines)


# Matplotlib's font cache and text layout are shared: one drawing at a time.
_DRAWING = threading.Lock()
COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948")
LINE_COLOURS = ("#e15759", "#9c755f", "#af7aa1", "#ff9da7")


def _literal(label: str) -> str:
    """A label as written: matplotlib reads text between two "$" as maths, and a first name
    may hold them ("$_$" is an emoticon), which would fail the whole drawing."""
    return label.replace("$", r"\$")


def figure(weeks: Weeks, language: str) -> object:
    """The chart as a matplotlib Figure (not drawn yet): grouped bars for counts, a line per
    rating on its own 1-5 axis. Tests read the bars' heights and the lines' points."""
    from matplotlib.figure import Figure  # the Agg canvas: no display, no pyplot state

    fig = Figure(figsize=(8, 4.5), dpi=100)
    ax = fig.add_subplot()
    counts = [s for s in weeks.series if s.style == "count" and s.shown]
    ratings = [s for s in weeks.series if s.style == "rating" and any(s.values)]
    positions = list(range(len(weeks.starts)))
    width = 0.8 / max(1, len(counts))
    for i, series in enumerate(counts):
        offset = (i - (len(counts) - 1) / 2) * width
        ax.bar(
            [p + offset for p in positions],
            [v or 0 for v in series.values],
            width,
            label=_literal(series_name(series, language)),
            color=COLOURS[i % len(COLOURS)],
            gid=series.label,
        )
    ax.set_xticks(positions)
    ax.set_xticklabels(
        [local_time(day, "week", language) for day in weeks.starts], rotation=45, fontsize=8
    )
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(bottom=0, top=max(3, *(v or 0 for s in counts for v in s.values)) + 1)
    ax.set_title(
        plain("progress.chart_title", language, weeks=amount("weeks", len(weeks.starts), language))
    )
    handles, labels = ax.get_legend_handles_labels()
    if ratings:
        right = ax.twinx()
        right.set_ylim(0.5, 5.5)
        right.set_yticks([1, 2, 3, 4, 5])
        right.set_ylabel(plain("progress.rating_axis", language))
        for i, series in enumerate(ratings):
            points = [(p, v) for p, v in zip(positions, series.values, strict=True) if v]
            right.plot(
                [p for p, _ in points],
                [v for _, v in points],
                marker="o",
                color=LINE_COLOURS[i % len(LINE_COLOURS)],
                label=_literal(series_name(series, language)),
                gid=f"{series.label}:{series.person}",
            )
        more_handles, more_labels = right.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    if weeks.empty:
        ax.text(
            0.5,
            0.55,
            plain("progress.chart_empty", language),
            transform=ax.transAxes,
            ha="center",
            va="center",
            wrap=True,
            fontsize=11,
            color="#555555",
        )
    ax.legend(handles, labels, loc="upper left", fontsize=8, frameon=False)
    with warnings.catch_warnings():  # many series: a crowded layout is still a chart
        warnings.simplefilter("ignore", UserWarning)
        fig.tight_layout()
    return fig


def draw(weeks: Weeks, language: str) -> bytes:
    """The chart as PNG bytes. Blocking (tens to hundreds of ms): call it in a thread."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with _DRAWING:
        fig = figure(weeks, language)
        FigureCanvasAgg(fig)  # type: ignore[arg-type]
        out = io.BytesIO()
        fig.savefig(out, format="png")  # type: ignore[attr-defined]
        return out.getvalue()


async def render(weeks: Weeks, language: str) -> bytes:
    """draw(), off the event loop: a chart never holds up other people's messages."""
    return await asyncio.to_thread(draw, weeks, language)


@dataclass(frozen=True)
class Chart:
    png: bytes
    summary: str


async def chart_for(db: Database, user_id: int, now: int, default_zone: str) -> Chart | None:
    """/progress: the couple's last weeks as a picture and in words; None when not paired."""
    async with db.read() as uow:
        couple = await uow.couples.active_for(user_id)
        if couple is None:
            return None
        zone = await zone_of(uow, user_id, default_zone)
        weeks = await gather(uow, couple, now, zone)
    language = couple.member(user_id).language
    return Chart(await render(weeks, language), summary(weeks, language))


def next_summary(now: int, zone: ZoneInfo) -> int:
    """The next Sunday 19:00 in `zone` after `now`, as UTC seconds."""
    today = datetime.fromtimestamp(now, zone).date()
    day = today + timedelta(days=(SUMMARY_DAY - today.weekday()) % 7)
    moment = int(local_instant(day, SUMMARY_AT, zone).timestamp())
    if moment <= now:
        moment = int(local_instant(day + timedelta(days=7), SUMMARY_AT, zone).timestamp())
    return moment


async def both_chose(uow: Unit, couple: Couple, what: str) -> bool:
    """Both partners opted in to `what` ("weekly" or "rating")."""
    index = OPT_INS.index(what)
    for member in (couple.a, couple.b):
        found = await uow.progress.choices(member.id)
        if found is None or not found[index]:
            return False
    return True
