from facilitator.cli import run

raise SystemExit(run())
