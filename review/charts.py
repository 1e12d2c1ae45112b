"""Charts for the statistics page, as plain geometry that a template draws
as inline SVG (escaped by Jinja like everything else). Horizontal bars,
one row per item, so a chart stays readable on a narrow phone screen.
No JavaScript, nothing from the internet."""

from __future__ import annotations

from dataclasses import dataclass, field

from wegwijzer.review import Statistics
from wegwijzer.texts import staff as staff_text

# Okabe-Ito: colours that people with colour blindness can tell apart.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D1F", "#555555")
MAX_TOPICS = 7  # more topics are taken together as 'Overige onderwerpen'
MAX_GEMEENTEN = 15

WIDTH = 360  # viewBox units; about one unit per CSS pixel on a phone
LABEL_WIDTH = 92  # labels left of the bars
VALUE_WIDTH = 72  # room for the number right of the longest bar
ROW = 28
BAR = 18
TOP = 6
LABEL_ABOVE = 18  # extra room per row when the label is above the bar


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    title: str  # tooltip and text for screen readers


@dataclass(frozen=True)
class Row:
    label: str
    y: float  # top of the bar
    value: str
    segments: list[Segment]
    label_above: bool = False  # long labels (gemeenten) go above the bar

    @property
    def text_y(self) -> float:
        return self.y + BAR - 5

    @property
    def label_x(self) -> float:
        return 0 if self.label_above else LABEL_WIDTH - 6

    @property
    def label_y(self) -> float:
        return self.y - 5 if self.label_above else self.text_y

    @property
    def anchor(self) -> str:
        return "start" if self.label_above else "end"

    @property
    def value_x(self) -> float:
        start = 0 if self.label_above else LABEL_WIDTH
        return (self.segments[-1].x + self.segments[-1].width + 4) if self.segments else start + 4


@dataclass(frozen=True)
class Chart:
    title: str
    rows: list[Row]
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, label)
    width: int = WIDTH
    labels_above: bool = False

    @property
    def axis_x(self) -> int:
        return 0 if self.labels_above else LABEL_WIDTH

    @property
    def height(self) -> float:
        return self.rows[-1].y + BAR + TOP if self.rows else ROW

    @property
    def bar(self) -> int:
        return BAR

    @property
    def empty(self) -> bool:
        return not self.rows


def week_label(week: str, several_years: bool) -> str:
    """'2026-W48' → 'week 48' (or 'wk 48 2026' when the chart spans years)."""
    year, number = week.split("-W")
    if several_years:
        return staff_text("chart_week_year", number=int(number), year=year)
    return staff_text("chart_week", number=int(number))


def _scale(maximum: float, labels_above: bool = False, value_width: int = VALUE_WIDTH) -> float:
    room = WIDTH - value_width - (0 if labels_above else LABEL_WIDTH)
    return room / maximum if maximum > 0 else 0.0


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}".replace(".", ",")


def topics_per_week(stats: Statistics) -> Chart:
    """A stacked bar per week, one colour per topic."""
    shown = stats.topics[:MAX_TOPICS]
    rest = stats.topics[MAX_TOPICS:]
    groups = [(label, [label]) for label in shown] + ([(staff_text("chart_other_topics"), rest)] if rest else [])
    colours = {name: PALETTE[i % len(PALETTE)] for i, (name, _) in enumerate(groups)}
    scale = _scale(max(stats.per_week.values(), default=0))
    years = {week[:4] for week in stats.weeks}
    rows = []
    for i, week in enumerate(stats.weeks):
        label = week_label(week, len(years) > 1)
        x = float(LABEL_WIDTH)
        segments = []
        for name, members in groups:
            count = sum(stats.per_topic_week[m].get(week, 0) for m in members)
            if count:
                segments.append(Segment(x, count * scale, colours[name], f"{label}: {name}: {count}"))
                x += count * scale
        rows.append(Row(label, TOP + i * ROW, str(stats.per_week.get(week, 0)), segments))
    return Chart(staff_text("chart_per_topic_week"), rows, [(colours[name], name) for name, _ in groups])


def reply_times_per_week(stats: Statistics) -> Chart:
    """Per week: the median (dark) and the 90th percentile (light) of the
    minutes to the first answer from staff."""
    values = [t.p90 for t in stats.reply_per_week.values() if t.p90 is not None]
    scale = _scale(max(values, default=0), value_width=VALUE_WIDTH + 24)  # "120 / 480 min"
    years = {week[:4] for week in stats.weeks}
    rows = []
    for i, week in enumerate(stats.weeks):
        label = week_label(week, len(years) > 1)
        times = stats.reply_per_week[week]
        segments = []
        if times.median is not None and times.p90 is not None:
            segments.append(
                Segment(
                    LABEL_WIDTH,
                    times.median * scale,
                    PALETTE[0],
                    staff_text("chart_median", label=label, minutes=_number(times.median)),
                )
            )
            if times.p90 > times.median:
                segments.append(
                    Segment(
                        LABEL_WIDTH + times.median * scale,
                        (times.p90 - times.median) * scale,
                        "#9ECAE9",
                        staff_text("chart_p90", label=label, minutes=_number(times.p90)),
                    )
                )
            value = staff_text("chart_median_p90", median=_number(times.median), p90=_number(times.p90))
        else:
            value = "–"
        rows.append(Row(label, TOP + i * ROW, value, segments))
    legend = [
        (PALETTE[0], staff_text("chart_median_legend")),
        ("#9ECAE9", staff_text("chart_p90_legend")),
    ]
    return Chart(staff_text("chart_reply_minutes"), rows, legend)


def outcomes(stats: Statistics) -> Chart:
    items = [
        (staff_text("outcome_solved"), stats.outcomes["solved"], PALETTE[2]),
        (staff_text("outcome_not_solved"), stats.outcomes["not_solved"], PALETTE[5]),
        (staff_text("outcome_none"), stats.outcomes["unknown"], PALETTE[7]),
    ]
    scale = _scale(max((count for _, count, _ in items), default=0))
    rows = [
        Row(
            label,
            TOP + i * ROW,
            str(count),
            [Segment(LABEL_WIDTH, count * scale, colour, f"{label}: {count}")] if count else [],
        )
        for i, (label, count, colour) in enumerate(items)
    ]
    return Chart(staff_text("chart_outcomes"), rows if stats.total else [])


def per_gemeente(stats: Statistics) -> Chart:
    """One bar per gemeente, the name above it (names can be long)."""
    items = stats.per_gemeente[:MAX_GEMEENTEN]
    rest = sum(count for _, count in stats.per_gemeente[MAX_GEMEENTEN:])
    if rest:
        items = [*items, (staff_text("chart_other_gemeenten"), rest)]
    scale = _scale(max((count for _, count in items), default=0), labels_above=True)
    rows = [
        Row(
            name,
            TOP + LABEL_ABOVE + i * (ROW + LABEL_ABOVE),
            str(count),
            [Segment(0, count * scale, PALETTE[0], f"{name}: {count}")],
            label_above=True,
        )
        for i, (name, count) in enumerate(items)
    ]
    return Chart(staff_text("chart_per_gemeente"), rows, labels_above=True)


def all_charts(stats: Statistics) -> dict[str, Chart]:
    return {
        "topics": topics_per_week(stats),
        "reply": reply_times_per_week(stats),
        "outcomes": outcomes(stats),
        "gemeenten": per_gemeente(stats),
    }
