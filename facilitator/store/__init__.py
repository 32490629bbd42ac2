"""Storage: JSON files, written atomically under a cross-process lock (with TinyDB's storage
interface: see storage.py)."""
