"""Voting: polls on processes, phases and activities."""
