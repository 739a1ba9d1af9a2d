"""Checks of a canonical log that a careful clerk would make before trusting the figures."""
