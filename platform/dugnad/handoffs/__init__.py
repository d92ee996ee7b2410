"""Handoffs: one module asks another for help, without importing it (``dugnad.handoffs.service``).

A module declares the kinds of help it can receive (``register_help_kinds``) and the kinds of
object that may ask for help (``register_handoff_origins``); the core carries the request between
them, keeps its status and timeline, and tells the origin of changes (``handoff_changed``).
"""
