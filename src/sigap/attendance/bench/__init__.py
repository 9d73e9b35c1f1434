"""`sigap bench_checkin`: a benchmark of the check-in hot path (prints figures, asserts nothing).

The pieces, each usable on its own:

- `environment`: the machine, the throw-away bench database (PostgreSQL or SQLite), Redis,
  the frozen working-day clock, /proc CPU counters;
- `payload`: real JPEG selfies (~60 KB, 480x640) and pre-encoded multipart bodies;
- `prepare`: (a subprocess) seeds the demo regency and issues one API token per employee;
- `measure`: (a subprocess) SQL statements per check-in and an in-process cProfile;
- `server`: gunicorn, started and stopped;
- `load`: the HTTP load generator (processes x threads, keep-alive connections);
- `rawinsert`: the same machine's raw single-row INSERT rate, for comparison;
- `report`: percentiles, latency lines and the issue's targets;
- `results`: the results block printed at the end of a run;
- `options`: the command's options and their checks;
- `arrivals`: (pure) the morning-peak arrival schedule of `--peak`;
- `openloop`: the open-loop (asyncio) load generator of `--peak`;
- `peakreport` / `peakrun`: the figures of a `--peak` run, and its glue;
- `orchestrate`: the glue the command runs its steps with (subprocess environment and JSON,
  employees placed in their geofence, CPU snapshots, the load with a progress bar).

None of these modules imports Django models at import time, so the load-generator
processes start light.
"""
