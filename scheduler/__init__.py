"""Timed jobs: the catalogue (jobs.py) and the APScheduler wiring with a database lease (runner.py)."""
