"""Processes: long, multi-phase development work owned by one municipality."""
