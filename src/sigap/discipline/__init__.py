"""Consequences of attendance: TPP deductions, the PP 94/2021 ladder, rewards."""
