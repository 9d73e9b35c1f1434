"""A cheap Argon2 for the test suite. Django's default parameters (100 MiB, 2 passes) cost
about a tenth of a second per hash, paid by every user a factory creates. The parameters
travel inside each hash, so a server started by a test (gunicorn, with the production
hashers) still verifies these passwords."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64  # KiB
    parallelism = 1
