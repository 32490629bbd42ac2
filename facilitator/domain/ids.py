"""The app's own ids: random, so two processes never hand out the same one."""

import uuid


def new_id() -> str:
    return uuid.uuid4().hex
