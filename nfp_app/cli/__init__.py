"""Operator commands: `python -m nfp_app ...`, on the same settings and database as the app."""

from nfp_app.cli import accounts, audit, seed, status
from nfp_app.cli.common import cli

__all__ = ["accounts", "audit", "cli", "seed", "status"]
