"""Lines that show a goal: its verdict (a symbol and a word, never colour alone), what it is,
its measure, its deadline, the latest progress; and the detail of one goal (why it matters, its
progress entries, earlier versions, the actions that serve it). Shared by the goals screen,
the session's panels and the forms. User text goes through `styled`, never markup."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from textual.content import Content

from facilitator.domain.actions import Action
from facilitator.domain.dates import describe_due, format_day
from facilitator.domain.goals import (
    MILESTONE_DONE,
    Goal,
    GoalVersion,
    MeasureKind,
    Progress,
    Verdict,
    number,
    vagueness,
    verdict,
)
from facilitator.ui.text import Part, line, lines, styled

# Each verdict as a symbol and words, with a style that only repeats what they say.
VERDICT_MARKS: dict[Verdict, tuple[str, str]] = {
    Verdict.ACHIEVED: ("★ achieved", "bold $text-success"),
    Verdict.REACHED: ("★ target reached", "bold $text-success"),
    Verdict.ON_TRACK: ("✓ on track", "bold $text-success"),
    Verdict.BEHIND: ("↓ behind", "bold $text-warning"),
    Verdict.NO_DATA: ("○ no progress yet", "$text-muted"),
    Verdict.VAGUE: ("? vague", "bold $text-warning"),
    Verdict.OVERDUE: ("! past its deadline", "bold $text-error"),
    Verdict.DROPPED: ("⊘ dropped", "$text-muted"),
}


def verdict_mark(goal: Goal, today: date) -> Content:
    said = verdict(goal, today)
    mark, style = VERDICT_MARKS[said]
    if said is Verdict.REACHED and goal.kind is MeasureKind.MILESTONE:
        mark = "★ done"
    return Content.styled(mark, style)


def measure_text(goal: Goal) -> Content:
    """'42 km (from 0)', 'a yes/no milestone', 'no measure yet'."""
    if goal.kind is MeasureKind.NUMBER and goal.target is not None:
        unit = f" {goal.unit}" if goal.unit else ""
        start = f" (from {number(goal.start)})" if goal.start else ""
        return line(number(goal.target), styled(unit), start)
    if goal.kind is MeasureKind.MILESTONE:
        return Content("a yes/no milestone")
    return Content.styled("no measure yet", "italic")


def deadline_text(deadline: date | None, today: date) -> Content:
    if deadline is None:
        return Content.styled("no deadline", "italic")
    return Content(f"by {format_day(deadline, today)} ({describe_due(deadline, today)})")


def value_text(goal: Goal, progress: Progress) -> Content:
    """One entry's value in the goal's terms: '12 km', 'done', or nothing for a note."""
    if progress.value is None:
        return Content("")
    if goal.kind is MeasureKind.MILESTONE:
        return Content("done" if progress.value >= MILESTONE_DONE else "not yet")
    unit = f" {goal.unit}" if goal.unit else ""
    return line(number(progress.value), styled(unit))


def latest_text(goal: Goal, today: date) -> Content:
    latest = goal.latest_value or goal.latest
    if latest is None:
        return Content.styled("nothing recorded yet", "italic")
    value = value_text(goal, latest)
    when = format_day(latest.on, today)
    if not value.plain:
        return Content(f"a note on {when}")
    if goal.kind is MeasureKind.MILESTONE:
        return line(value, f" on {when}")
    return line("latest ", value, f" on {when}")


def goal_line(goal: Goal, today: date, *, owner: str = "") -> Content:
    """Two lines: the verdict and what; then the measure, the deadline and the latest."""
    first: list[Part] = [verdict_mark(goal, today), "  "]
    if owner:
        first += [styled(owner, "bold"), ": "]
    first.append(styled(goal.what, "bold" if goal.is_active else ""))
    second = Content("    ") + Content(" · ").join(
        [measure_text(goal), deadline_text(goal.deadline, today), latest_text(goal, today)]
    )
    return line(*first, "\n", second.stylize("$text-muted"))


def progress_line(goal: Goal, progress: Progress, today: date) -> Content:
    parts: list[Part] = [(format_day(progress.on, today), "bold")]
    value = value_text(goal, progress)
    if value.plain:
        parts += ["  ", value]
    if progress.note:
        parts += ["  ", styled(progress.note, "italic")]
    return line(*parts)


def version_line(version: GoalVersion, today: date) -> Content:
    if version.kind is MeasureKind.NUMBER and version.target is not None:
        unit = f" {version.unit}" if version.unit else ""
        measure = line(number(version.target), styled(unit))
    elif version.kind is MeasureKind.MILESTONE:
        measure = Content("a yes/no milestone")
    else:
        measure = Content("no measure")
    parts: list[Part] = [
        (f"until {format_day(version.changed_on, today)}: ", "bold"),
        styled(version.what),
        " · ",
        measure,
        " · ",
        deadline_text(version.deadline, today) if version.deadline else "no deadline",
    ]
    if version.reason:
        parts += ["\n    why the change: ", styled(version.reason, "italic")]
    return line(*parts)


def action_line(action: Action, today: date) -> Content:
    if action.is_open:
        state = f"due {format_day(action.due_on, today)}"
        if action.is_overdue(today):
            state = f"! overdue, due {format_day(action.due_on, today)}"
    else:
        state = action.status.label
    return line("▸ ", styled(action.text), "  ", (state, "$text-muted"))


def section(title: str, rows: list[Content], empty: str) -> list[Content]:
    head = Content.styled(title, "bold underline")
    return [head, *(rows or [Content.styled(empty, "italic $text-muted")]), Content("")]


def goal_detail(goal: Goal, today: date, actions: Iterable[Action], owner: str = "") -> Content:
    """Everything about one goal, for the detail area."""
    title: list[Part] = []
    if owner:
        title += [styled(owner), "'s goal: "]
    title.append(styled(goal.what, "bold"))
    rows: list[Content] = [
        line(*title),
        line(
            verdict_mark(goal, today),
            "  ",
            measure_text(goal),
            " · ",
            deadline_text(goal.deadline, today),
        ),
    ]
    if goal.closed_on is not None and not goal.is_active:
        rows.append(Content.styled(f"{goal.status.value} on {format_day(goal.closed_on, today)}"))
    if goal.why:
        rows.append(line(("Why it matters: ", "bold"), styled(goal.why, "italic")))
    vague = vagueness(goal) if goal.is_active else None
    if vague:
        rows.append(line(("? Vague. ", "bold $text-warning"), Content(vague)))
    rows.append(Content(""))
    entries = sorted(enumerate(goal.progress), key=lambda item: (item[1].on, item[0]), reverse=True)
    rows += section(
        f"Progress ({len(goal.progress)})",
        [progress_line(goal, p, today) for _, p in entries],
        "Nothing recorded yet: press v to record where it stands.",
    )
    linked = sorted(actions, key=lambda a: (not a.is_open, a.due_on))
    rows += section(
        f"Actions for this goal ({len(linked)})",
        [action_line(a, today) for a in linked],
        "No actions linked to this goal yet.",
    )
    if goal.history:
        rows += section(
            f"Earlier versions ({len(goal.history)})",
            [version_line(v, today) for v in reversed(goal.history)],
            "",
        )
    return lines(rows[:-1] if rows and not rows[-1].plain else rows)


def linked_actions(actions: Iterable[Action], goal_id: str) -> list[Action]:
    return [a for a in actions if a.goal_id == goal_id]
