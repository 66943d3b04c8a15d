"""`python -m nfp_app`: the operator CLI."""

from nfp_app.cli import cli

cli(prog_name="python -m nfp_app")
