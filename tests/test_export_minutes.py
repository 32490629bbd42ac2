"""Minutes: the Markdown summary of a session, checked against the exact text expected and by
parsing it back; people's words come back as typed; the agreement's confidentiality is kept
on the command line (refused without --force, asked on a terminal)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from test_cli_commands import Built, build_store, cli_env, run

from facilitator.domain import changes as ch
from facilitator.domain.actions import EntryKind
from facilitator.domain.agreement import Agreement
from facilitator.domain.text import strip_hidden
from facilitator.export.minutes import md, minutes_markdown, sharing_warning
from facilitator.store.repository import Repository

PARSER = MarkdownIt("commonmark").enable("table")

EXPECTED_WEEK_TWO = """\
# Tuesday check-in: minutes of Tuesday 23 December 2025

- **Date:** Tuesday 23 December 2025, 18:00 to 18:26 (Europe/London)
- **Present:** Ana, Ben
- **Confidentiality:** What is said here stays between us.

## Ana

### Wins

- Ana's win in week 2

### Last time's actions

- **Done:** Ana's action 1 of week 1.
- **Partly done:** Ana's action 2 of week 1. What got in the way: Flu. Carried forward, due \
Tuesday 30 December 2025.

### Obstacles

- Ana's obstacle in week 2

### Ideas

- Ana's idea in week 2

### Help asked for

- Ana asks for help, week 2

## Ben

### Wins

- Ben's win in week 2

### Last time's actions

- **Done:** Ben's action 1 of week 1.
- **Partly done:** Ben's action 2 of week 1. What got in the way: Flu. Carried forward, due \
Tuesday 30 December 2025.

### Obstacles

- Ben's obstacle in week 2

### Ideas

- Ben's idea in week 2

### Help asked for

- Ben asks for help, week 2

## Actions agreed

| Owner | Action | Due |
| --- | --- | --- |
| Ana | Ana's action 2 of week 1 (carried forward) | Tuesday 30 December 2025 |
| Ana | Ana's action 1 of week 2 | Tuesday 30 December 2025 |
| Ana | Ana's action 2 of week 2 | Tuesday 30 December 2025 |
| Ben | Ben's action 2 of week 1 (carried forward) | Tuesday 30 December 2025 |
| Ben | Ben's action 1 of week 2 | Tuesday 30 December 2025 |
| Ben | Ben's action 2 of week 2 | Tuesday 30 December 2025 |

## Next session

Tuesday 30 December 2025 (weekly).
"""


@pytest.fixture
def built(tmp_path: Path) -> Built:
    return build_store(tmp_path / "data" / "facilitator.json")


def minutes_of(built: Built, index: int) -> str:
    """The minutes of a finished session, from what the store holds now."""
    repository = Repository.open(built.path)
    sessions, entries, closed = repository.read_history(repository.history_years())
    state = repository.read()
    [session] = [s for s in sessions if s.id == built.sessions[index]]
    return minutes_markdown(
        state.partnership or built.partnership, session, [*closed, *state.actions.values()], entries
    )


def test_the_minutes_tell_the_whole_session(built: Built) -> None:
    assert minutes_of(built, 1) == EXPECTED_WEEK_TWO


def texts(tokens: list[Token], kind: str) -> list[str]:
    """The text inside each `kind` block (heading_open, list_item_open, td_open...)."""
    found: list[str] = []
    depth, current = 0, []
    for token in tokens:
        if token.type == kind:
            depth, current = depth + 1, list[str]()
        elif token.type == kind.replace("_open", "_close") and depth:
            depth -= 1
            found.append("".join(current))
        elif depth and token.type == "inline":
            current.append("".join(child.content for child in token.children or []))
    return found


def test_the_minutes_parse_back_to_their_parts(built: Built) -> None:
    tokens = PARSER.parse(minutes_of(built, 2))
    headings = [(t.tag, t.map) for t in tokens if t.type == "heading_open"]
    assert [tag for tag, _ in headings] == ["h1", "h2", *["h3"] * 5, "h2", *["h3"] * 5, "h2", "h2"]
    assert texts(tokens, "heading_open") == [
        "Tuesday check-in: minutes of Tuesday 30 December 2025",
        "Ana",
        "Wins",
        "Last time's actions",
        "Obstacles",
        "Ideas",
        "Help asked for",
        "Ben",
        "Wins",
        "Last time's actions",
        "Obstacles",
        "Ideas",
        "Help asked for",
        "Actions agreed",
        "Next session",
    ]
    cells = texts(tokens, "td_open")
    rows = [cells[i : i + 3] for i in range(0, len(cells), 3)]
    assert rows[0] == [
        "Ana",
        "Ana's action 1 of week 2 (carried forward)",
        "Tuesday 6 January 2026",
    ]
    assert len(rows) == 6 and all(len(row) == 3 for row in rows)


HOSTILE = [
    "Read pages [3 to 10",
    "fixed [/b] bug",
    "1. ordered? no",
    "- a dash first",
    "# not a heading",
    "a | pipe | or two",
    "**not bold** and _not italic_",
    "<script>alert(1)</script>",
    "&amp; an entity",
    "back\\slash at the end\\",
    "`code`",
    "~~struck~~",
    "![image](http://x)",
    "🎉 emoji and 李 wide",
    "tab\there and \x1b[31m an escape",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_peoples_words_come_back_as_typed(text: str) -> None:
    document = f"- {md(text)}\n\n| a |\n| --- |\n| {md(text)} |\n\n## {md(text)}\n"
    tokens = PARSER.parse(document)
    expected = " ".join(strip_hidden(text).split())
    assert texts(tokens, "list_item_open") == [expected]
    assert texts(tokens, "td_open") == [expected]
    assert texts(tokens, "heading_open") == [expected]
    assert [t.type for t in tokens if t.type.endswith("_open")].count("list_item_open") == 1


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_any_words_come_back_as_typed(text: str) -> None:
    expected = " ".join(strip_hidden(text).split())
    tokens = PARSER.parse(f"- {md(text)}\n")
    if not expected:
        return
    assert texts(tokens, "list_item_open") == [expected]


def test_the_wrap_up_makes_minutes_of_the_session_under_way(tmp_path: Path) -> None:
    """What the wrap-up screen calls, with what it holds: the live snapshot."""
    built = build_store(tmp_path / "f.json", weeks=1, live=True)
    meeting = built.meeting
    meeting.add_entry("Hostile [3 win", EntryKind.WIN, built.ben)
    state = meeting.state
    assert state.partnership is not None and state.session is not None
    text = minutes_markdown(
        state.partnership,
        state.session,
        state.actions.values(),
        state.entries.values(),
        next_session=state.next_session_date(meeting.now()),
    )
    assert "- **Date:** Tuesday 23 December 2025, started at 18:00 (Europe/London)" in text
    assert "_The session is still in progress: this is what was recorded so far._" in text
    assert "- A win in the session under way" in text
    assert "- Hostile \\[3 win" in text
    assert "- **Done:** Ana's action 1 of week 1." in text
    assert text.endswith("## Next session\n\nTuesday 30 December 2025 (weekly).\n")


def test_a_session_set_aside_and_a_partner_away_are_said(tmp_path: Path) -> None:
    built = build_store(tmp_path / "f.json", weeks=1, names=("Ana", "Ben", "Chloé"))
    meeting = built.meeting
    chloe = built.partnership.partners[2].id
    meeting.begin_session([built.ana, built.ben])
    meeting.add_action("Send Chloé the notes", chloe, date(2026, 1, 2))
    session_id = meeting.live.id
    meeting.set_aside_session()
    state = meeting.state
    repository = Repository.open(built.path)
    sessions, entries, closed = repository.read_history(repository.history_years())
    [session] = [s for s in sessions if s.id == session_id]
    text = minutes_markdown(
        state.partnership or built.partnership,
        session,
        [*closed, *state.actions.values()],
        entries,
    )
    assert "_This session was set aside before it was finished._" in text
    # A heading is never left bare: it says there is nothing, or only an action, to tell.
    assert "## Chloé (away)\n\n_Nothing else recorded: an action agreed, below._\n" in text
    assert "## Ana\n\n_Nothing recorded._\n" in text
    assert "| Chloé | Send Chloé the notes | Friday 2 January 2026 |" in text
    assert "- **Present:** Ana, Ben\n" in text


def test_only_an_agreement_to_share_lets_minutes_go_without_asking() -> None:
    assert sharing_warning(Agreement(may_share=True)) is None
    assert "stays between you" in (sharing_warning(Agreement()) or "")


# On the command line -------------------------------------------------------------------------


def allow_sharing(built: Built) -> None:
    meeting = built.meeting
    seen = ch.PartnershipTerms.of(meeting.the_partnership)
    wanted = replace(seen, agreement=replace(seen.agreement, may_share=True, share_with="Sam"))
    meeting.change_terms(seen, wanted)


def test_without_force_minutes_that_may_not_be_shared_are_refused(
    built: Built, tmp_path: Path
) -> None:
    target = tmp_path / "minutes.md"
    result = run("minutes", "-o", str(target), data=built.path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Your agreement says that what is said in your sessions stays between you" in (
        result.stderr
    )
    assert "run it again with --force" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()


def test_with_force_the_minutes_are_written_privately(built: Built, tmp_path: Path) -> None:
    target = tmp_path / "minutes.md"
    result = run("minutes", "2025-12-23", "--force", "-o", str(target), data=built.path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert f"wrote the minutes of Tuesday 23 December 2025 to {target}" in result.stderr
    assert target.read_text(encoding="utf-8") == EXPECTED_WEEK_TWO
    assert target.stat().st_mode & 0o777 == 0o600


def test_when_sharing_was_agreed_no_force_is_needed(built: Built) -> None:
    allow_sharing(built)
    result = run("minutes", data=built.path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Tuesday check-in: minutes of Tuesday 30 December 2025\n")
    assert "- **Confidentiality:** We may share what is said, with: Sam." in result.stdout


@pytest.mark.parametrize("where", ["missing folder", "a folder", "the data file"])
def test_a_path_that_cannot_be_written_is_named(built: Built, tmp_path: Path, where: str) -> None:
    target = {
        "missing folder": tmp_path / "nowhere" / "m.md",
        "a folder": tmp_path,
        "the data file": built.path,
    }[where]
    before = built.path.read_bytes()
    result = run("minutes", "--force", "-o", str(target), data=built.path)
    assert result.returncode == 1
    said = {
        "missing folder": "does not exist",
        "a folder": "it is a folder",
        "the data file": "one of facilitator's own data files",
    }[where]
    assert said in result.stderr and "Traceback" not in result.stderr
    assert built.path.read_bytes() == before


@pytest.mark.parametrize("answer", [b"y\r", b"\r"])
def test_on_a_terminal_it_asks_first(built: Built, tmp_path: Path, answer: bytes) -> None:
    target = tmp_path / "minutes.md"
    master, slave = os.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "facilitator",
            "--data",
            str(built.path),
            "minutes",
            "-o",
            str(target),
        ],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=cli_env(),
    )
    os.close(slave)
    drawn = b""
    deadline = time.monotonic() + 60
    while b"[y/N]" not in drawn and time.monotonic() < deadline:
        drawn += os.read(master, 4096)
    assert b"Export the minutes anyway? [y/N]" in drawn
    os.write(master, answer)
    code = process.wait(timeout=60)
    os.close(master)
    if answer.startswith(b"y"):
        assert code == 0 and target.read_text(encoding="utf-8").startswith("# Tuesday check-in")
    else:
        assert code == 2 and not target.exists()
