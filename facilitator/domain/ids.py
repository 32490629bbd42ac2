"""The app's own ids: random, so two processes never hand out the same one."""


def new_id() -> str:
    # Imported here: uuid loads `platform`, ~3 ms of every start, and a look at the data
    # (the command line, the app's first frame) makes no ids.
    import uuid

    return uuid.uuid4().hex
