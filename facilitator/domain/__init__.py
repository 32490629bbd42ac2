"""The practice as plain Python: partnership, agenda, session, actions and the timer maths.

Nothing here imports the UI (textual) or the storage (tinydb); a test proves it.
"""
