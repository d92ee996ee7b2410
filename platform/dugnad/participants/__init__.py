"""Participants: the people and organisations a municipality works with, by stakeholder category."""
