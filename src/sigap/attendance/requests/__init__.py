"""Requests: leave, sick, permission, official duty, study assignment and corrections."""
