"""`python -m lbf_rules` runs the same command line as `lbf-rules`."""

from .cli import run

run()
