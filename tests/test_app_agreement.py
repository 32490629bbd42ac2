"""Pilot tests of the agreement, its history, and changing the partnership itself."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from conftest import ZONE, AppMaker, crash, settle, stored
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, RadioButton, Select, Static

from facilitator.domain.actions import new_action
from facilitator.domain.agreement import Direction, Medium, ReviewUnit, UpdateStyle
from facilitator.domain.changes import PartnershipTerms
from facilitator.domain.partnership import Cadence, Partner, Partnership
from facilitator.store.repository import Repository
from facilitator.ui.app import FacilitatorApp
from facilitator.ui.screens.agreement import AgreementScreen
from facilitator.ui.screens.agreement_history import AgreementHistoryScreen
from facilitator.ui.screens.confirm import ConfirmScreen
from facilitator.ui.screens.home import HomeScreen
from facilitator.ui.screens.one_line import OneLineDialog
from facilitator.ui.screens.partners import PartnersScreen, RemovePartnerDialog
from facilitator.ui.widgets.field import Field
from facilitator.ui.widgets.inputs import CleanInput
from facilitator.ui.widgets.rows import RowList

SIZE = (100, 32)
LAST_SESSION = date(2026, 11, 16)


def set_up(data_path: Path, *names: str) -> Partnership:
    """A partnership that met last Monday, stored before the app starts."""
    partnership = Partnership(
        name="Tuesday check-in",
        partners=tuple(Partner(n, n.lower()) for n in names or ("Ana", "Ben")),
        cadence=Cadence.WEEKLY,
        session_minutes=30,
        created_on=date(2026, 9, 7),
        time_zone=ZONE,
        last_session_on=LAST_SESSION,
    )
    Repository.open(data_path).put(partnership)
    return partnership


async def open_agreement(pilot: Pilot[None]) -> AgreementScreen:
    app = pilot.app
    assert isinstance(app, FacilitatorApp)
    app.push_screen(AgreementScreen(app.meeting))
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, AgreementScreen)
    return screen


def box(screen: AgreementScreen, field_id: str) -> Input:
    return screen.query_one(f"#{field_id}", Field).input


def choose(screen: AgreementScreen, radio_set: str, name: str) -> None:
    for button in screen.query(f"#{radio_set} RadioButton").results(RadioButton):
        if button.name == name:
            button.value = True


def error_of(screen: AgreementScreen, field_id: str) -> str:
    field = screen.query_one(f"#{field_id}", Field)
    assert field.has_class("-invalid"), f"{field_id} shows no problem"
    return str(field.query_one(".field--error", Static).render())


async def test_the_agreement_is_saved_kept_as_a_version_and_shown_after_a_restart(
    new_app: AppMaker, data_path: Path
) -> None:
    set_up(data_path)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(pilot)
        screen.query_one("#may-share", Checkbox).value = True
        choose(screen, "cadence", Cadence.EVERY_N_DAYS.value)
        await pilot.pause()
        box(screen, "share-with").value = "our coach [3"
        box(screen, "every-days").value = "10"
        box(screen, "time").value = "6:30pm"
        screen.query_one("#day", Select).value = 1
        choose(screen, "medium", Medium.PHONE.value)
        box(screen, "link").value = "+44 20 7946 0000"
        screen.query_one("#initiator", Select).value = "ben"
        choose(screen, "update-0", UpdateStyle.WRITTEN.value)
        box(screen, "feedback-0").value = "fixed [/b] bug: straight, please 🙂"
        box(screen, "review-every").value = "4"
        choose(screen, "review-unit", ReviewUnit.SESSIONS.value)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not screen.dirty, "the form shows what is now stored"
        assert box(screen, "time").value == "18:30"
        # The history: one version, dated, by this screen, saying what changed.
        assert not isinstance(screen.focused, Input)  # focus stays where it was: the tick box
        await pilot.press("h")
        await pilot.pause()
        history = app.screen
        assert isinstance(history, AgreementHistoryScreen)
        rows = history.query_one("#versions", RowList)
        assert rows.option_count == 1
        first = str(rows.get_option_at_index(0).prompt)
        assert "Mon 23 Nov" in first and "ana's terminal" in first
        assert "confidentiality" in first and "how often you meet" in first
        details = str(history.query_one("#details", Static).render())
        assert "We may share what is said, with: our coach [3." in details
        assert "every 10 days" in details and "Tuesdays at 18:30" in details
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        # The next session follows the new rhythm: ten days after the last.
        assert "Thu 26 Nov" in str(app.screen.query_one("#due", Static).render())

    state = stored(data_path).read()
    partnership = state.partnership
    assert partnership is not None
    agreement = partnership.agreement
    assert (partnership.cadence, partnership.every_days) == (Cadence.EVERY_N_DAYS, 10)
    assert agreement.may_share and agreement.share_with == "our coach [3"
    assert (agreement.meeting_day, agreement.meeting_time) == (1, "18:30")
    assert (agreement.medium, agreement.link) == (Medium.PHONE, "+44 20 7946 0000")
    assert agreement.initiator_id == "ben"
    ana = agreement.terms_for("ana")
    assert ana.update_style is UpdateStyle.WRITTEN
    assert ana.feedback == "fixed [/b] bug: straight, please 🙂"
    assert agreement.terms_for("ben").feedback == ""
    assert (agreement.review_every, agreement.review_unit) == (4, ReviewUnit.SESSIONS)
    [version] = state.agreements
    assert version.agreed_on == date(2026, 11, 23)

    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(pilot)
        assert box(screen, "time").value == "18:30"
        assert box(screen, "every-days").value == "10"
        assert screen.query_one("#every-days", Field).display
        assert box(screen, "feedback-0").value == "fixed [/b] bug: straight, please 🙂"
        assert screen.query_one("#initiator", Select).value == "ben"
        assert not screen.dirty


async def test_what_cant_be_used_is_explained_where_it_was_typed(
    new_app: AppMaker, data_path: Path
) -> None:
    set_up(data_path)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(pilot)
        choose(screen, "cadence", Cadence.EVERY_N_DAYS.value)
        choose(screen, "direction", Direction.ONE_WAY.value)
        await pilot.pause()
        box(screen, "every-days").value = "0"
        box(screen, "time").value = "25:00"
        box(screen, "minutes").value = "3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_of(screen, "every-days") == "Meet every 1 to 90 days."
        assert "isn't a time of day" in error_of(screen, "time")
        assert "between 10 and 240 minutes" in error_of(screen, "minutes")
        supporters = screen.query_one("#supporters-error", Static)
        assert supporters.has_class("-shown")
        assert "tick who supports only" in str(supporters.render())
        assert screen.focused is box(screen, "every-days"), "the first problem has focus"
        # Nothing is saved until everything can be used; then it all is, at once.
        box(screen, "every-days").value = "14"
        box(screen, "time").value = "7pm"
        box(screen, "minutes").value = "45"
        screen.query_one("#supporter-1", Checkbox).value = True
        await pilot.pause()
        assert not screen.query_one("#every-days", Field).has_class("-invalid")
        assert stored(data_path).read().agreements == ()
        await pilot.press("ctrl+s")
        await settle(pilot)
    state = stored(data_path).read()
    assert state.partnership is not None
    assert state.partnership.every_days == 14
    assert state.partnership.session_minutes == 45
    assert state.partnership.agreement.direction is Direction.ONE_WAY
    assert state.partnership.agreement.supporters() == {"ben"}
    assert len(state.agreements) == 1


async def test_a_change_elsewhere_never_overwrites_what_is_being_typed(
    new_app: AppMaker, data_path: Path
) -> None:
    set_up(data_path)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(pilot)
        box(screen, "link").value = "https://meet.example.com/ours"
        # Another screen changes the usual time meanwhile.
        meeting = app.meeting
        seen = PartnershipTerms.of(meeting.the_partnership)
        meeting.change_terms(
            seen, replace(seen, agreement=replace(seen.agreement, meeting_time="08:00"))
        )
        await settle(pilot)
        notice = screen.query_one("#elsewhere", Static)
        assert notice.has_class("-shown")
        assert "Changed on another screen" in str(notice.render())
        assert box(screen, "link").value == "https://meet.example.com/ours"
        assert box(screen, "time").value == "", "the form isn't replaced under the person"
        await pilot.press("ctrl+s")
        await settle(pilot)
        # Both kept: the link typed here, the time set there.
        assert box(screen, "time").value == "08:00"
        assert not notice.has_class("-shown")
        # Unsaved edits ask before leaving.
        screen.set_focus(box(screen, "link"))
        box(screen, "link").value = "changed my mind"
        await pilot.press("escape", "escape")  # out of the box, then off the screen
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert app.screen is screen
    partnership = stored(data_path).read().partnership
    assert partnership is not None
    assert partnership.agreement.link == "https://meet.example.com/ours"
    assert partnership.agreement.meeting_time == "08:00"


async def open_partners(pilot: Pilot[None], *, from_agreement: bool = False) -> PartnersScreen:
    app = pilot.app
    assert isinstance(app, FacilitatorApp)
    if from_agreement:
        screen = await open_agreement(pilot)
        assert not isinstance(screen.focused, Input)  # on the first tick box: keys are keys
        await pilot.press("p")
    else:
        app.push_screen(PartnersScreen(app.meeting))
    await pilot.pause()
    partners = app.screen
    assert isinstance(partners, PartnersScreen)
    return partners


async def rename_dialog(pilot: Pilot[None], partner_id: str) -> OneLineDialog[str]:
    """From the partners screen: the dialog fixing that partner's name (r)."""
    screen = pilot.app.screen
    assert isinstance(screen, PartnersScreen)
    screen.query_one("#people", RowList).highlight(partner_id)
    await pilot.press("r")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, OneLineDialog)
    return dialog


async def test_rename_add_and_remove_partners(new_app: AppMaker, data_path: Path) -> None:
    set_up(data_path, "Ana", "Ben", "Caro")
    repo = Repository.open(data_path)
    agreed_at = datetime(2026, 11, 16, 18, tzinfo=UTC)
    caro_actions = [
        new_action(text, "caro", date(2026, 11, 23), "s-old", agreed_at)
        for text in ("Book the venue", "Draft [3 the plan")
    ]
    repo.put(*caro_actions)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_partners(pilot)
        people = screen.query_one("#people", RowList)
        assert people.row_ids == ["partnership-name", "ana", "ben", "caro"]
        # Fix a partner's name; an empty one is explained in the box.
        dialog = await rename_dialog(pilot, "ben")
        dialog.query_one("#name Input", Input).value = "  "
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog, "it stays, saying why"
        assert "The name can't be empty." in str(dialog.query_one(".field--error", Static).render())
        dialog.query_one("#name Input", Input).value = "Benjamin"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        # Add a partner.
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#name Input", Input).value = "Dev"
        await pilot.press("enter")
        await pilot.pause()
        # Remove Caro: her open actions go to Ana.
        people.highlight("caro")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, RemovePartnerDialog)
        assert app.screen.query_one("#reassign RadioButton", RadioButton).value  # Ana, first
        await pilot.click("#remove")
        await settle(pilot)
        assert len(people.row_ids) == 4 and "caro" not in people.row_ids
        assert "Caro" in str(screen.query_one("#former", Static).render())

    state = stored(data_path).read()
    partnership = state.partnership
    assert partnership is not None
    assert [p.name for p in partnership.partners] == ["Ana", "Benjamin", "Dev"]
    assert [p.name for p in partnership.former] == ["Caro"]
    assert {a.owner_id for a in state.actions.values()} == {"ana"}
    assert len(state.agreements) == 1  # the rename is a version of the terms


async def test_a_partnership_keeps_at_least_two_partners(
    new_app: AppMaker, data_path: Path
) -> None:
    set_up(data_path)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_partners(pilot, from_agreement=True)
        screen.query_one("#people", RowList).highlight("ben")
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is screen, "no dialog: it can't be done"
        message = screen.query_one("#message", Static)
        assert message.has_class("-shown")
        assert "at least 2 partners" in str(message.render())
        # Rename the partnership itself.
        screen.query_one("#people", RowList).highlight("partnership-name")
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#name Input", Input).value = "Friday [b]club"
        await pilot.press("enter")
        await settle(pilot)
        assert "Friday [b]club" in str(screen.query_one("#partners-title", Static).render())
    partnership = stored(data_path).read().partnership
    assert partnership is not None
    assert partnership.name == "Friday [b]club"
    assert len(partnership.partners) == 2


async def test_what_is_typed_in_the_agreement_survives_a_crash_until_it_is_saved(
    new_app: AppMaker, data_path: Path
) -> None:
    set_up(data_path)
    typed = "fixed [/b] bug: straight, please 🙂"
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(pilot)
        feedback = box(screen, "feedback-0")
        feedback.value = typed
        assert isinstance(feedback, CleanInput) and feedback.take_idle()  # a second later
        await settle(pilot)
        crash(app)
    assert stored(data_path).read().draft("form:agreement:feedback-0", "") == typed

    again = new_app()
    async with again.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_agreement(pilot)
        assert box(screen, "feedback-0").value == typed
        assert any("isn't saved yet" in str(n.message) for n in again._notifications)
        assert screen.dirty, "leaving asks first"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert box(screen, "feedback-0").value == typed
    saved = stored(data_path).read()
    assert saved.partnership is not None
    assert saved.partnership.agreement.terms_for("ana").feedback == typed
    assert not [key for key in saved.drafts if key.startswith("form:")], "saved: no draft left"


async def test_a_name_being_typed_in_a_dialog_survives_a_crash_until_it_is_saved(
    new_app: AppMaker, data_path: Path
) -> None:
    set_up(data_path, "Ana", "Ben")
    typed = "Benjamin [3 🎉"
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_partners(pilot)
        dialog = await rename_dialog(pilot, "ben")
        name = dialog.query_one("#name Input", Input)
        name.value = typed
        assert isinstance(name, CleanInput) and name.take_idle()  # a second later
        await settle(pilot)
        crash(app)

    again = new_app()
    async with again.run_test(size=SIZE, notifications=True) as pilot:
        await open_partners(pilot)
        dialog = await rename_dialog(pilot, "ben")
        assert dialog.query_one("#name Input", Input).value == typed
        assert any("isn't saved yet" in str(n.message) for n in again._notifications)
        await pilot.press("enter")
        await settle(pilot)
    saved = stored(data_path).read()
    assert saved.partnership is not None
    assert [p.name for p in saved.partnership.partners] == ["Ana", typed]
    assert not [key for key in saved.drafts if key.startswith("form:")], "saved: no draft left"


async def test_typing_given_up_in_the_agreement_is_not_brought_back(
    new_app: AppMaker, data_path: Path
) -> None:
    set_up(data_path)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(pilot)
        link = box(screen, "link")
        link.value = "https://meet.example/abc"
        assert isinstance(link, CleanInput) and link.take_idle()
        await settle(pilot)
        assert app.meeting.draft("form:agreement:link", "") == "https://meet.example/abc"
        await pilot.press("escape")  # back, from the tick box that has focus
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # the first button: leave without saving
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.meeting.draft("form:agreement:link", "") == ""
        screen = await open_agreement(pilot)
        assert box(screen, "link").value == ""


async def test_quitting_keeps_what_is_in_the_agreement_at_once(
    new_app: AppMaker, data_path: Path
) -> None:
    """No second's wait on a quit: what is in the boxes is kept as the app goes."""
    set_up(data_path)
    app = new_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_agreement(pilot)
        box(screen, "share-with").value = "our coach"
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert stored(data_path).read().draft("form:agreement:share-with", "") == "our coach"
