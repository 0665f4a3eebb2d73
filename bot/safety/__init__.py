"""Staying with people over time: check-ins, case recovery and advisories (issue 17)."""
