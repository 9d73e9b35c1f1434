"""Catching cheating: face match, reused selfies, implausible locations, devices, the
office QR code, the review queue and surprise inspections (sidak)."""
