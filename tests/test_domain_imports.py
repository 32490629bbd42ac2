"""The domain is plain Python: importing it must not pull in the UI or the storage.

Each check runs in a fresh interpreter, since this test process may already have imported
textual or tinydb for other tests.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import facilitator.domain

FORBIDDEN = ("textual", "tinydb", "rich")
LAZY = ("dateparser", "pendulum")
"""Heavy libraries the domain imports only when a date is actually needed."""


def domain_modules() -> list[str]:
    prefix = facilitator.domain.__name__ + "."
    return sorted(info.name for info in pkgutil.walk_packages(facilitator.domain.__path__, prefix))


def modules_loaded_after(code: str, watched: tuple[str, ...]) -> list[str]:
    probe = (
        f"{code}\n"
        "import json, sys\n"
        f"watched = {list(watched)!r}\n"
        "print(json.dumps(sorted(\n"
        "    name for name in sys.modules\n"
        "    if any(name == w or name.startswith(w + '.') for w in watched)\n"
        ")))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_every_domain_module_is_discovered() -> None:
    modules = domain_modules()
    for expected in (
        "clock",
        "timer",
        "agenda",
        "session",
        "actions",
        "partnership",
        "dates",
        "text",
    ):
        assert f"facilitator.domain.{expected}" in modules


def test_importing_the_domain_does_not_import_ui_or_storage() -> None:
    imports = "\n".join(f"import {name}" for name in ["facilitator.domain", *domain_modules()])
    assert modules_loaded_after(imports, FORBIDDEN) == []


@pytest.mark.parametrize("module", domain_modules())
def test_each_domain_module_alone_stays_clear_of_ui_and_storage(module: str) -> None:
    assert modules_loaded_after(f"import {module}", FORBIDDEN) == []


def test_the_probe_would_notice_a_forbidden_import() -> None:
    # guards the test above against passing vacuously
    assert "rich" in modules_loaded_after("import rich", FORBIDDEN)


def test_date_libraries_are_left_off_the_import_path() -> None:
    imports = "\n".join(f"import {name}" for name in domain_modules())
    assert modules_loaded_after(imports, LAZY) == []


def test_using_the_domain_does_not_import_ui_or_storage() -> None:
    code = (
        "from datetime import UTC, date, datetime\n"
        "from facilitator.domain.dates import parse_due\n"
        "from facilitator.domain.partnership import Cadence, Partner, Partnership\n"
        "from facilitator.domain.session import Session\n"
        "today = date(2026, 11, 23)\n"
        "parse_due('next friday', today, today)\n"
        "Cadence.MONTHLY.after(today)\n"
        "p = Partnership('p', [Partner('A', id='a'), Partner('B', id='b')],\n"
        "                Cadence.WEEKLY, 30, today)\n"
        "Session.begin(p, ['a', 'b'], datetime(2026, 11, 23, tzinfo=UTC))\n"
    )
    assert modules_loaded_after(code, FORBIDDEN) == []
