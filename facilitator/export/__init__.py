"""What leaves the app when someone chooses to export it: minutes, a calendar, a backup.

Each export is made from records (the partnership, a session, actions, entries), never from
the UI, so the wrap-up screen and the command line make the same files. Nothing here imports
Textual; `icalendar` is imported only when a calendar is made.
"""
