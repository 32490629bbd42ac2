"""Storage: TinyDB on JSON files, written atomically under a cross-process lock."""
