"""`facilitator serve`: the app served to a real web browser, and the guard on where it listens.

The browser test runs the real program (`python -m facilitator serve`) and Debian's headless
Chromium, driven over the Chrome DevTools Protocol (CDP) with aiohttp's websocket client. The
terminal in the page is drawn on a canvas by xterm.js, so its text is not in the DOM: what the
app draws is read from the page's own websocket frames (as the browser received them), and what
it stores is read from the data file. Every wait polls a real condition against a deadline.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import aiohttp
import pytest
from textual_serve.server import Server as RealServer

from facilitator import cli
from facilitator.store.repository import Repository

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
START_SECONDS = 60.0  # a generous deadline: polled, so a quick start costs nothing
"""Generous: only reached when something is wrong (a loaded machine starts slowly)."""
STEP_SECONDS = 10.0
"""How long one thing seen in the page, or one change reaching the file, may take."""
CALL_SECONDS = 10.0
STOP_SECONDS = 5.0

# What a terminal draws besides text: CSI (colours, cursor moves, modes), OSC (the title),
# DCS/APC and friends, and the two-byte escapes.
ANSI = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])"
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def private_env(home: Path) -> dict[str, str]:
    """The environment for the server and the browser: nothing of the real user's is touched."""
    env = {k: v for k, v in os.environ.items() if k != cli.DATA_ENV}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "share"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHONUNBUFFERED="1",
    )
    return env


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started in its own session and everything it started (textual-serve's
    app processes, Chromium's renderers): ask, then insist."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; make sure nothing it started outlives the test.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        return


def poll(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} (waited {seconds:.0f} s)")
        time.sleep(0.02)


# The command line's guard: no server unless it is safe, or asked for ------------------------


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "facilitator", *args],
        cwd=REPO_ROOT,
        env=private_env(home),
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_a_non_loopback_address_is_refused_and_no_server_starts(tmp_path: Path) -> None:
    data = tmp_path / "meetings" / "facilitator.json"
    port = free_port()
    result = run_cli(
        "serve", "--host", "0.0.0.0", "--port", str(port), "--data", str(data), home=tmp_path
    )

    assert result.returncode == 2, result.stderr
    assert "no login" in result.stderr
    assert "0.0.0.0" in result.stderr
    assert "--allow-remote-without-login" in result.stderr
    assert "Traceback" not in result.stderr
    assert not accepts(port)
    assert not data.parent.exists()  # refused before the store was even opened


def test_a_port_in_use_is_named_plainly(tmp_path: Path) -> None:
    data = tmp_path / "facilitator.json"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--data", str(data), home=tmp_path)
    assert list(tmp_path.glob("*.crash-*")) == []  # not a crash of the app
    assert result.returncode == 2, result.stderr
    assert str(port) in result.stderr
    assert "in use" in result.stderr
    assert "unexpected problem" not in result.stderr


@dataclass
class FakeServer:
    """Stands in for textual_serve's Server: records what it was asked to serve."""

    made: list[FakeServer]
    command: str = ""
    host: str = ""
    port: int = 0
    options: dict[str, Any] = field(default_factory=dict)

    def serve(self) -> None:
        self.made.append(self)

    def real(self) -> RealServer:
        """The Server textual-serve would have made from the same arguments."""
        return RealServer(self.command, host=self.host, port=self.port, **self.options)


@pytest.fixture
def fake_server(monkeypatch: pytest.MonkeyPatch) -> list[FakeServer]:
    import textual_serve.server

    made: list[FakeServer] = []

    def build(command: str, host: str = "localhost", port: int = 8000, **rest: Any) -> FakeServer:
        return FakeServer(made, command, host, port, rest)

    monkeypatch.setattr(textual_serve.server, "Server", build)
    monkeypatch.delenv(cli.DATA_ENV, raising=False)
    return made


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org", ""])
def test_every_address_off_this_machine_is_refused(
    host: str,
    tmp_path: Path,
    fake_server: list[FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "meetings" / "facilitator.json"
    assert cli.main(["serve", "--host", host, "--data", str(data)]) == 2
    assert "no login" in capsys.readouterr().err
    assert fake_server == []
    assert not data.parent.exists()


@pytest.mark.parametrize("port", ["0", "99999", "-1", "65536"])
def test_a_port_out_of_range_is_refused_with_a_message(
    port: str,
    tmp_path: Path,
    fake_server: list[FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "facilitator.json"
    assert cli.main(["serve", "--host", "127.0.0.1", "--port", port, "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert f"{port} is not a port number (1 to 65535)" in err
    assert fake_server == []


def test_a_port_that_is_not_a_number_is_refused(
    tmp_path: Path, fake_server: list[FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["serve", "--port", "eighty", "--data", str(tmp_path / "f.json")])
    assert stopped.value.code == 2
    assert "--port" in capsys.readouterr().err
    assert fake_server == []


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_this_machine_is_served_without_asking(
    host: str, tmp_path: Path, fake_server: list[FakeServer]
) -> None:
    data = tmp_path / "facilitator.json"
    assert cli.main(["serve", "--host", host, "--port", "8123", "--data", str(data)]) == 0
    [server] = fake_server
    assert (server.host, server.port) == (host, 8123)
    # Each browser tab runs the app on the same data file.
    assert server.command.split()[-2:] == ["--data", str(data.absolute())]


def test_by_default_it_listens_on_loopback_port_8000(
    tmp_path: Path, fake_server: list[FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "facilitator.json"
    assert cli.main(["serve", "--data", str(data)]) == 0
    [server] = fake_server
    assert (server.host, server.port) == ("127.0.0.1", 8000)
    assert "http://127.0.0.1:8000" in capsys.readouterr().err


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_page_is_given_the_address_it_is_served_at(
    host: str, tmp_path: Path, fake_server: list[FakeServer]
) -> None:
    """The page loads its scripts and opens its websocket at absolute URLs made from this."""
    assert cli.main(["serve", "--host", host, "--port", "8123", "--data", str(tmp_path / "f")]) == 0
    [server] = fake_server
    assert server.real().public_url == f"http://{host}:8123"


def test_an_ipv6_loopback_address_gives_the_page_urls_that_work(
    tmp_path: Path, fake_server: list[FakeServer]
) -> None:
    assert (
        cli.main(["serve", "--host", "::1", "--port", "8123", "--data", str(tmp_path / "f")]) == 0
    )
    [server] = fake_server
    assert server.real().public_url == "http://[::1]:8123"


def test_remote_serving_needs_the_explicit_flag(
    tmp_path: Path, fake_server: list[FakeServer]
) -> None:
    data = tmp_path / "facilitator.json"
    argv = ["serve", "--host", "0.0.0.0", "--allow-remote-without-login", "--data", str(data)]
    assert cli.main(argv) == 0
    [server] = fake_server
    assert server.host == "0.0.0.0"


def test_a_data_file_that_cant_be_used_is_named_before_serving(
    tmp_path: Path, fake_server: list[FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "broken.json"
    data.write_text("not json")
    assert cli.main(["serve", "--data", str(data)]) == 2
    assert "broken.json" in capsys.readouterr().err
    assert fake_server == []
    assert data.read_text() == "not json"


# The real thing: the served app in a real browser -------------------------------------------


def require_chromium() -> None:
    """The browser test never skips: without Chromium it fails, saying what CI must install."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: this test serves the app to a real headless Chromium. "
            "CI must install Debian's chromium package (.ci/run does: apt-get install chromium)."
        )


@dataclass
class Served:
    url: str
    port: int
    data: Path
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def wait_until_listening(self) -> None:
        def listening() -> bool:
            if self.process.poll() is not None:
                pytest.fail(
                    f"facilitator serve stopped (exit {self.process.returncode}):\n{self.output()}"
                )
            return accepts(self.port)

        poll(listening, START_SECONDS, f"facilitator serve never listened on {self.port}")


@contextlib.contextmanager
def serving(tmp_path: Path) -> Iterator[Served]:
    """`facilitator serve` on a free loopback port, on a data file not made yet (a first run)."""
    data = tmp_path / "meetings" / "facilitator.json"
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "facilitator",
                "serve",
                "--data",
                str(data),
                "--port",
                f"{port}",
            ],
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=private_env(tmp_path),
            start_new_session=True,  # its app processes are stopped with it
        )
    try:
        yield Served(f"http://127.0.0.1:{port}/", port, data, process, log)
    finally:
        stop_group(process)


@dataclass
class Browser:
    """Headless Chromium, started; `devtools_port()` waits for it to be ready."""

    process: subprocess.Popen[bytes]
    profile: Path
    log: Path

    def devtools_port(self) -> int:
        active = self.profile / "DevToolsActivePort"

        def ready() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"Chromium stopped at start:\n{self.log.read_text(errors='replace')}")
            try:
                return active.read_text().split("\n", 1)[0].strip().isdigit()
            except OSError:
                return False

        poll(ready, START_SECONDS, "Chromium never said which port DevTools listens on")
        return int(active.read_text().split("\n", 1)[0])


@contextlib.contextmanager
def chromium(tmp_path: Path) -> Iterator[Browser]:
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    log = tmp_path / "chromium.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",  # as root (CI containers), Chromium needs this
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                # The page asks Google Fonts for a font: fail that at once (no network in CI),
                # so the page's load event, which starts the terminal, is not held up.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--window-size=1280,900",
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=private_env(tmp_path),
            start_new_session=True,
        )
    try:
        yield Browser(process, profile, log)
    finally:
        stop_group(process)


class Tab:
    """One browser tab, driven over its own DevTools websocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._ws = ws
        self._ids = itertools.count(1)
        self._replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.sockets: list[str] = []
        """The websockets the page opened (the app's, at /ws)."""
        self.received = bytearray()
        """Everything the app sent to the page's terminal, as the page received it."""
        self._arrived = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for message in self._ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    continue
                data = json.loads(message.data)
                if "id" in data:
                    reply = self._replies.pop(data["id"], None)
                    if reply is not None and not reply.done():
                        reply.set_result(data)
                else:
                    self._event(data.get("method", ""), data.get("params", {}))
        finally:
            for reply in self._replies.values():
                if not reply.done():
                    reply.set_exception(ConnectionError("the DevTools connection closed"))
            self._arrived.set()

    def _event(self, method: str, params: dict[str, Any]) -> None:
        if method == "Network.webSocketCreated":
            self.sockets.append(params["url"])
        elif method == "Network.webSocketFrameReceived":
            response = params["response"]
            if response["opcode"] == 2:  # binary: the terminal's bytes, base64-encoded here
                self.received += base64.b64decode(response["payloadData"])
                self._arrived.set()

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self._ids)
        reply: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._replies[number] = reply
        await self._ws.send_str(json.dumps({"id": number, "method": method, "params": params}))
        answer = await asyncio.wait_for(reply, CALL_SECONDS)
        if "error" in answer:
            raise AssertionError(f"{method} failed: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    def text(self, since: int = 0) -> str:
        """What the app drew since byte `since`, without the terminal's escape sequences."""
        return ANSI.sub("", bytes(self.received[since:]).decode("utf-8", errors="replace"))

    async def wait_for(self, *texts: str, since: int = 0, seconds: float = STEP_SECONDS) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not all(text in self.text(since) for text in texts):
            remaining = deadline - loop.time()
            if remaining <= 0 or self._reader.done():
                shown = " ".join(self.text(since).split())[-1500:]
                raise AssertionError(
                    f"{texts!r} never reached the page (websockets: {self.sockets}); "
                    f"it showed: {shown!r}"
                )
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)

    async def open(self, url: str) -> None:
        await self.call("Network.enable")
        await self.call("Page.enable")
        await self.call("Page.navigate", url=url)

    async def focus_terminal(self) -> None:
        """Give the terminal the keyboard, so what is typed next goes to the app. (Not by a
        click: xterm.js passes a click on to the app, which would move its focus from the
        form's first box to whatever was clicked.)"""
        found = await self.call(
            "Runtime.evaluate",
            expression="(() => { const box = document.querySelector('.xterm-helper-textarea');"
            " if (!box) return false; box.focus(); return document.activeElement === box; })()",
            returnByValue=True,
        )
        assert found["result"].get("value") is True, f"no terminal to type into: {found}"

    async def type(self, text: str) -> None:
        await self.call("Input.insertText", text=text)

    async def press(self, key: str, code: str, key_code: int, modifiers: int = 0) -> None:
        for kind in ("rawKeyDown", "keyUp"):
            await self.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                code=code,
                windowsVirtualKeyCode=key_code,
                modifiers=modifiers,
            )

    async def close(self) -> None:
        await self._ws.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionError):
            await self._reader


CTRL = 2  # CDP's modifier bit for Ctrl


async def new_tab(http: aiohttp.ClientSession, devtools: str, first: bool) -> Tab:
    if first:  # the tab Chromium opened with about:blank
        async with http.get(f"{devtools}/json/list") as response:
            targets = await response.json()
        target = next(t for t in targets if t["type"] == "page")
    else:
        async with http.put(f"{devtools}/json/new?about:blank") as response:
            target = await response.json()
    ws = await http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0)
    return Tab(ws)


async def wait_for_file(
    data: Path, condition: Callable[[Any], bool], what: str, seconds: float = STEP_SECONDS
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    state = None
    while True:
        if data.exists():
            state = Repository.open(data).read()
            if condition(state):
                return
        if loop.time() > deadline:
            raise AssertionError(f"{what} never reached {data}; it holds {state!r}")
        await asyncio.sleep(0.05)


async def test_the_served_app_runs_in_two_browser_tabs_on_one_data_file(tmp_path: Path) -> None:
    """The app runs in the page, what is typed there is stored, and each tab runs its own
    app on the same file: what one tab sets up, the other follows."""
    require_chromium()
    with chromium(tmp_path) as browser, serving(tmp_path) as served:  # both start at once
        served.wait_until_listening()
        try:
            await drive_two_tabs(served, f"http://127.0.0.1:{browser.devtools_port()}")
        except AssertionError as error:  # what the server and the apps said helps most
            raise AssertionError(
                f"{error}\n--- facilitator serve said:\n{served.output()}"
            ) from None


async def drive_two_tabs(served: Served, devtools: str) -> None:
    async with aiohttp.ClientSession() as http:
        first, second = await asyncio.gather(
            new_tab(http, devtools, first=True), new_tab(http, devtools, first=False)
        )
        try:
            await asyncio.gather(first.open(served.url), second.open(served.url))
            # The app ran, and its first-run screen reached each page.
            await first.wait_for(
                "Welcome to facilitator", "Name of the partnership", seconds=START_SECONDS
            )
            await second.wait_for("Welcome to facilitator", seconds=START_SECONDS)
            assert any(urlparse(url).path == "/ws" for url in first.sockets), first.sockets
            mark = len(second.received)

            await first.focus_terminal()
            await first.type("Tuesday club")
            # The form's name box has it; about a second after the last key it is stored.
            await wait_for_file(
                served.data,
                lambda s: s.setup is not None and s.setup.name == "Tuesday club",
                "The name typed in the browser, as a set-up draft,",
            )

            await first.press("Enter", "Enter", 13)  # on to the first partner's name
            await first.type("Ana")
            await first.press("Enter", "Enter", 13)
            await first.type("Ben")
            await first.press("s", "KeyS", 83, CTRL)  # Ctrl+S: create the partnership
            await wait_for_file(
                served.data,
                lambda s: s.partnership is not None,
                "The partnership created in the first tab",
            )
            stored = Repository.open(served.data).read().partnership
            assert stored is not None
            assert stored.name == "Tuesday club"
            assert [p.name for p in stored.partners] == ["Ana", "Ben"]

            # The second tab, still on its first-run form, goes to the home screen by itself.
            await second.wait_for("Tuesday club", "Ana, Ben", "-minute sessions", since=mark)
        finally:
            await asyncio.gather(first.close(), second.close())
        assert served.process.poll() is None, served.output()
