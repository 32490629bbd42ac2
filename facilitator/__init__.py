"""facilitator: a terminal facilitator for accountability-partner meetings."""

__version__ = "0.1.0"
