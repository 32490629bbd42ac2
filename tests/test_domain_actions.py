"""Actions: agreeing them, reviewing them next time, carrying them, and the wrap-up summary."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from facilitator.domain.actions import (
    ACTION_LENGTH,
    ENTRY_LENGTH,
    NOTE_LENGTH,
    Action,
    ActionStatus,
    Entry,
    EntryKind,
    agreed_in,
    mark,
    new_action,
    new_entry,
    open_by_owner,
    open_heads_by_owner,
    summarise,
    to_review,
    unmark,
)
from facilitator.domain.clock import FakeClock
from facilitator.domain.text import InvalidText

NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
LAST = "session-last"
THIS = "session-this"


def action(
    text: str = "Write the intro",
    owner: str = "ana",
    due: date = TODAY,
    created_in: str | None = LAST,
    created_at: datetime = NOW - timedelta(days=7),
) -> Action:
    return new_action(text, owner, due, created_in, created_at)


def marked(a: Action, status: ActionStatus, session_id: str = THIS, in_the_way: str = "") -> Action:
    """`a` reviewed with `status` in `session_id`, nothing carried."""
    result, carried = mark(a, status, session_id, in_the_way=in_the_way, now=NOW)
    assert carried is None
    return result


def marked_and_carried(a: Action, status: ActionStatus, due: date = TODAY) -> tuple[Action, Action]:
    """`a` reviewed with `status` in this session, and its copy carried forward."""
    result, carried = mark(a, status, THIS, carry_due_on=due, now=NOW)
    assert carried is not None
    return result, carried


# --- new actions and entries ---------------------------------------------------------------


def test_new_action_is_open_confirmed_and_cleaned() -> None:
    a = new_action("  Write\n the   intro ", "ana", TODAY, THIS, NOW)
    assert a.text == "Write the intro"
    assert a.owner_id == "ana"
    assert a.due_on == TODAY
    assert a.created_in == THIS
    assert a.created_at == NOW
    assert a.status is ActionStatus.OPEN
    assert a.is_open
    assert a.confirmed
    assert a.reviewed_in is None
    assert a.carried_from is None
    assert a.in_the_way == ""
    assert a.id


def test_new_actions_get_distinct_ids() -> None:
    assert action().id != action().id


def test_new_action_and_entry_take_a_chosen_id() -> None:
    assert new_action("Call", "ana", TODAY, THIS, NOW, action_id="a-1").id == "a-1"
    assert new_entry("Won", EntryKind.WIN, "ana", THIS, NOW, entry_id="e-1").id == "e-1"


def test_an_action_cannot_be_changed_in_place() -> None:
    """A type error (the `type: ignore` is needed: see facilitator.domain.record); marking
    makes a new action."""
    a = action()
    if TYPE_CHECKING:  # checked, never run
        a.status = ActionStatus.DONE  # type: ignore[misc]
    assert replace(a, status=ActionStatus.DONE).status is ActionStatus.DONE
    assert a.is_open


def test_new_action_outside_a_session() -> None:
    assert action(created_in=None).created_in is None


@pytest.mark.parametrize("raw", ["", "   ", "\n\t", "\x1b\x07"])
def test_new_action_rejects_empty_text(raw: str) -> None:
    with pytest.raises(InvalidText, match="The action can't be empty"):
        new_action(raw, "ana", TODAY, THIS, NOW)


def test_new_action_length_limit() -> None:
    assert new_action("x" * ACTION_LENGTH, "ana", TODAY, THIS, NOW).text == "x" * ACTION_LENGTH
    with pytest.raises(InvalidText, match=f"keep it to {ACTION_LENGTH}"):
        new_action("x" * (ACTION_LENGTH + 1), "ana", TODAY, THIS, NOW)


def test_new_entry() -> None:
    e = new_entry("  Shipped\nthe thing 🎉 ", EntryKind.WIN, "ana", THIS, NOW)
    assert e.text == "Shipped the thing 🎉"
    assert e.kind is EntryKind.WIN
    assert e.partner_id == "ana"
    assert e.session_id == THIS
    assert e.created_at == NOW
    assert e.id


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        (EntryKind.WIN, "The win"),
        (EntryKind.OBSTACLE, "The obstacle"),
        (EntryKind.IDEA, "The idea"),
        (EntryKind.HELP, "The help asked"),
    ],
)
def test_new_entry_rejects_empty_text_naming_the_kind(kind: EntryKind, name: str) -> None:
    with pytest.raises(InvalidText, match=f"^{name} can't be empty"):
        new_entry(" \n ", kind, "ana", THIS, NOW)


def test_new_entry_length_limit() -> None:
    assert len(new_entry("y" * ENTRY_LENGTH, EntryKind.IDEA, "ana", THIS, NOW).text) == 280
    with pytest.raises(InvalidText, match=f"{ENTRY_LENGTH + 1} characters.*{ENTRY_LENGTH}"):
        new_entry("y" * (ENTRY_LENGTH + 1), EntryKind.IDEA, "ana", THIS, NOW)


def test_labels() -> None:
    assert [s.label for s in ActionStatus] == [
        "open",
        "done",
        "partly done",
        "not done",
        "dropped",
    ]
    assert EntryKind.HELP.label == "Help asked"
    assert EntryKind.WIN.label == "Win"


def test_overdue_only_when_open_and_due_before_today() -> None:
    a = action(due=TODAY - timedelta(days=1))
    assert a.is_overdue(TODAY)
    assert not action(due=TODAY).is_overdue(TODAY)
    assert not marked(a, ActionStatus.DONE).is_overdue(TODAY)


# --- marking a review --------------------------------------------------------------------------


@pytest.mark.parametrize("status", [ActionStatus.DONE, ActionStatus.DROPPED])
def test_mark_done_or_dropped(status: ActionStatus) -> None:
    a, carried = mark(action(), status, THIS, in_the_way="ignored", carry_due_on=TODAY, now=NOW)
    assert carried is None  # done and dropped actions are never carried
    assert a.status is status
    assert a.reviewed_in == THIS
    assert not a.is_open
    assert a.in_the_way == ""  # only kept for partly done / not done


@pytest.mark.parametrize("status", [ActionStatus.PARTLY, ActionStatus.NOT_DONE])
def test_mark_partly_or_not_done_keeps_what_got_in_the_way(status: ActionStatus) -> None:
    a, carried = mark(action(), status, THIS, in_the_way="  ill\nall week ", now=NOW)
    assert carried is None  # no carry asked for
    assert a.status is status
    assert a.reviewed_in == THIS
    assert a.in_the_way == "ill all week"


def test_what_got_in_the_way_is_optional() -> None:
    assert marked(action(), ActionStatus.NOT_DONE).in_the_way == ""


def test_mark_leaves_the_original_action_open() -> None:
    original = action()
    result = marked(original, ActionStatus.PARTLY, in_the_way="busy")
    assert result is not original
    assert result.id == original.id
    assert original.status is ActionStatus.OPEN
    assert original.reviewed_in is None
    assert original.in_the_way == ""


def test_what_got_in_the_way_length_limit() -> None:
    a = action()
    with pytest.raises(InvalidText, match=f"keep it to {NOTE_LENGTH}"):
        mark(a, ActionStatus.PARTLY, THIS, in_the_way="z" * (NOTE_LENGTH + 1), now=NOW)


def test_mark_open_is_refused() -> None:
    with pytest.raises(ValueError, match="unmark"):
        mark(action(), ActionStatus.OPEN, THIS, now=NOW)


@pytest.mark.parametrize("status", [ActionStatus.PARTLY, ActionStatus.NOT_DONE])
def test_carry_returns_a_new_unconfirmed_action(status: ActionStatus) -> None:
    original = action(text="Call the bank")
    clock = FakeClock(NOW)
    clock.advance(90)
    due = TODAY + timedelta(days=7)
    reviewed, carried = mark(original, status, THIS, carry_due_on=due, now=clock())
    assert carried is not None
    assert carried is not original
    assert carried.id != original.id
    assert carried.text == "Call the bank"
    assert carried.owner_id == original.owner_id
    assert carried.due_on == due
    assert carried.created_in == THIS
    assert carried.created_at == NOW + timedelta(seconds=90)
    assert carried.carried_from == original.id
    assert not carried.confirmed
    assert carried.is_open
    assert carried.reviewed_in is None
    # the original is closed as reviewed, not reopened
    assert reviewed.id == original.id
    assert reviewed.status is status
    assert reviewed.due_on == TODAY


def test_carry_uses_a_chosen_id_for_the_copy() -> None:
    _, carried = mark(
        action(), ActionStatus.PARTLY, THIS, carry_due_on=TODAY, now=NOW, carry_id="copy-1"
    )
    assert carried is not None
    assert carried.id == "copy-1"


def test_may_carry_only_partly_and_not_done() -> None:
    assert {s for s in ActionStatus if s.may_carry} == {
        ActionStatus.PARTLY,
        ActionStatus.NOT_DONE,
    }


def test_unmark_reopens() -> None:
    reviewed = marked(action(), ActionStatus.PARTLY, in_the_way="busy")
    a = unmark(reviewed)
    assert reviewed.status is ActionStatus.PARTLY  # the marked value itself is unchanged
    assert a.id == reviewed.id
    assert a.status is ActionStatus.OPEN
    assert a.is_open
    assert a.reviewed_in is None
    assert a.in_the_way == ""


def test_remarking_replaces_the_earlier_mark() -> None:
    a = marked(action(), ActionStatus.NOT_DONE, in_the_way="busy")
    a = marked(a, ActionStatus.DONE)
    assert a.status is ActionStatus.DONE
    assert a.in_the_way == ""


# --- choosing what to review ---------------------------------------------------------------


def test_to_review_chooses_the_owners_open_and_this_sessions_reviewed() -> None:
    open_old = action("open from last time", due=TODAY + timedelta(days=3))
    overdue = action("overdue", due=TODAY - timedelta(days=10), created_in="session-older")
    outside = action("made outside a session", due=TODAY + timedelta(days=1), created_in=None)
    reviewed_now = marked(action("reviewed now", due=TODAY + timedelta(days=2)), ActionStatus.DONE)
    reviewed_before = marked(
        action("reviewed last time", due=TODAY - timedelta(days=1)), ActionStatus.DONE, LAST
    )
    created_now = action("agreed just now", created_in=THIS, due=TODAY)
    partly, carried_now = marked_and_carried(action("partly", due=TODAY), ActionStatus.PARTLY)
    someone_else = action("Ben's", owner="ben", due=TODAY)

    everything = [
        open_old,
        overdue,
        outside,
        reviewed_now,
        reviewed_before,
        created_now,
        partly,
        carried_now,
        someone_else,
    ]
    chosen = to_review(everything, "ana", THIS)
    texts = [a.text for a in chosen]
    assert "agreed just now" not in texts
    assert "reviewed last time" not in texts
    assert "Ben's" not in texts
    assert carried_now not in chosen
    # sorted by due date
    assert texts == [
        "overdue",
        "partly",  # reviewed in this session; its carried copy is not reviewed again
        "made outside a session",
        "reviewed now",
        "open from last time",
    ]


def test_to_review_ties_on_due_date_go_by_creation_time() -> None:
    later = action("later", created_at=NOW - timedelta(days=1))
    earlier = action("earlier", created_at=NOW - timedelta(days=8))
    assert [a.text for a in to_review([later, earlier], "ana", THIS)] == ["earlier", "later"]


def test_to_review_keeps_an_action_after_it_is_unmarked() -> None:
    a = marked(action(), ActionStatus.DROPPED)
    assert to_review([a], "ana", THIS) == [a]
    a = unmark(a)
    assert to_review([a], "ana", THIS) == [a]


def test_to_review_for_someone_with_nothing() -> None:
    assert to_review([action()], "ben", THIS) == []


def test_agreed_in_is_the_owners_actions_from_this_session_in_order() -> None:
    second = action("second", created_in=THIS, created_at=NOW + timedelta(seconds=5))
    first = action("first", created_in=THIS, created_at=NOW)
    older = action("older", created_in=LAST)
    bens = action("Ben's", owner="ben", created_in=THIS)
    _, carried = marked_and_carried(action("carried"), ActionStatus.NOT_DONE)
    chosen = agreed_in([second, first, older, bens, carried], "ana", THIS)
    assert [a.text for a in chosen] == ["first", "carried", "second"]


def test_open_by_owner_groups_open_actions_soonest_first() -> None:
    late = action("late", due=TODAY + timedelta(days=9))
    soon = action("soon", due=TODAY + timedelta(days=1))
    done = marked(action("done"), ActionStatus.DONE)
    bens = action("Ben's", owner="ben")
    grouped = open_by_owner([late, soon, done, bens], ["ana", "ben", "cleo"])
    assert list(grouped) == ["ana", "ben", "cleo"]
    assert [a.text for a in grouped["ana"]] == ["soon", "late"]
    assert [a.text for a in grouped["ben"]] == ["Ben's"]
    assert grouped["cleo"] == []


def test_open_by_owner_includes_owners_not_listed() -> None:
    gone = action("from a former partner", owner="zed")
    grouped = open_by_owner([gone], ["ana"])
    assert grouped["ana"] == []
    assert grouped["zed"] == [gone]


# --- the wrap-up summary ---------------------------------------------------------------------


def entry(kind: EntryKind, partner: str, text: str = "something") -> Entry:
    return new_entry(text, kind, partner, THIS, NOW)


def test_summarise_groups_each_partners_session() -> None:
    done = marked(action("done"), ActionStatus.DONE)
    dropped = marked(action("dropped"), ActionStatus.DROPPED)
    partly_kept, carry = marked_and_carried(action("partly, carried"), ActionStatus.PARTLY)
    not_done_let_go = marked(action("not done, let go"), ActionStatus.NOT_DONE)
    untouched = action("not reviewed yet")
    old_review = marked(action("reviewed last time"), ActionStatus.DONE, LAST)
    new = action("new this time", created_in=THIS, created_at=NOW + timedelta(seconds=1))
    bens_open = action("Ben's open", owner="ben")
    bens_done = marked(action("Ben's done", owner="ben"), ActionStatus.DONE)

    actions = [
        done,
        dropped,
        partly_kept,
        carry,
        not_done_let_go,
        untouched,
        old_review,
        new,
        bens_open,
        bens_done,
    ]
    win = entry(EntryKind.WIN, "ana", "ran 5k")
    obstacle = entry(EntryKind.OBSTACLE, "ana")
    entries = [win, obstacle, entry(EntryKind.WIN, "ben", "Ben's win")]

    ana, ben = summarise(THIS, ["ana", "ben"], ["ana", "ben"], actions, entries)

    assert ana.partner_id == "ana"
    assert ana.present
    assert ana.done == [done]
    assert ana.carried == [partly_kept]
    assert {a.text for a in ana.let_go} == {"dropped", "not done, let go"}
    assert ana.wins == [win]
    assert ana.obstacles == [obstacle]
    assert ana.new_actions == [carry, new]
    assert ana.still_open == [untouched]

    assert ben.partner_id == "ben"
    assert ben.done == [bens_done]
    assert ben.carried == []
    assert ben.let_go == []
    assert [e.text for e in ben.wins] == ["Ben's win"]
    assert ben.obstacles == []
    assert ben.new_actions == []
    assert ben.still_open == [bens_open]


def test_summarise_partner_with_nothing() -> None:
    (cleo,) = summarise(THIS, ["cleo"], ["cleo"], [action()], [])
    assert (cleo.done, cleo.carried, cleo.let_go, cleo.wins, cleo.new_actions) == (
        [],
        [],
        [],
        [],
        [],
    )
    assert cleo.obstacles == []
    assert cleo.still_open == []
    assert cleo.is_empty


def test_summarise_is_not_empty_with_a_single_entry() -> None:
    (ana,) = summarise(THIS, ["ana"], ["ana"], [], [entry(EntryKind.IDEA, "ana")])
    assert not ana.is_empty


def test_summarise_follows_partner_order() -> None:
    summaries = summarise(THIS, ["ben", "ana"], ["ana", "ben"], [], [])
    assert [s.partner_id for s in summaries] == ["ben", "ana"]


def test_summarise_obstacles_gathers_obstacles_ideas_and_help_in_order_entered() -> None:
    help_asked = new_entry("need a reviewer", EntryKind.HELP, "ana", THIS, NOW)
    obstacle = new_entry("no time", EntryKind.OBSTACLE, "ana", THIS, NOW + timedelta(seconds=1))
    idea = new_entry("mornings", EntryKind.IDEA, "ana", THIS, NOW + timedelta(seconds=2))
    win = new_entry("ran 5k", EntryKind.WIN, "ana", THIS, NOW + timedelta(seconds=3))
    (ana,) = summarise(THIS, ["ana"], ["ana"], [], [idea, win, obstacle, help_asked])
    assert ana.obstacles == [help_asked, obstacle, idea]
    assert ana.wins == [win]


def test_summarise_includes_an_absent_partner_given_an_action_in_the_session() -> None:
    for_cleo = action("Send Cleo the notes", owner="cleo", created_in=THIS, created_at=NOW)
    summaries = summarise(THIS, ["ana", "ben", "cleo"], ["ana", "ben"], [for_cleo], [])
    assert [s.partner_id for s in summaries] == ["ana", "ben", "cleo"]
    cleo = summaries[2]
    assert not cleo.present
    assert cleo.new_actions == [for_cleo]
    assert not cleo.is_empty
    assert summaries[0].present


def test_summarise_leaves_out_an_absent_partner_with_nothing_new() -> None:
    cleos_old = action("Cleo's open from last time", owner="cleo")
    summaries = summarise(THIS, ["ana", "cleo"], ["ana"], [cleos_old], [])
    assert [s.partner_id for s in summaries] == ["ana"]


def test_a_cards_head_is_the_first_of_the_sorted_open_actions_with_the_count() -> None:
    """The first few per owner, soonest due first (ties by when they were made), and how many
    are open: the same as sorting all of them, without doing it."""
    made = datetime(2026, 1, 1, tzinfo=UTC)
    actions = [
        Action(f"A{n}", "ana" if n % 3 else "ben", date(2026, 2, 1 + n % 7), None, made)
        for n in range(40)
    ]
    actions[5], _ = mark(actions[5], ActionStatus.DONE, "s1", now=made)
    full = open_by_owner(actions, ["ana", "ben", "cleo"])
    heads = open_heads_by_owner(actions, ["ana", "ben", "cleo"], 5)
    for owner in ("ana", "ben", "cleo"):
        assert heads[owner] == (full[owner][:5], len(full[owner]))
    assert heads["cleo"] == ([], 0)
