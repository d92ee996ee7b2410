"""Dugnad: processes, participants and voting for the municipalities of a region."""

from dugnad.app import create_app

__all__ = ["create_app"]
