"""bench/burst.py at a tiny size: the harness starts the fake LINE API, ours on SQLite and the inline peer in their own
processes, and every /help is answered exactly once. Speed is never asserted here."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_burst():
    spec = importlib.util.spec_from_file_location("bench_burst", ROOT / "bench" / "burst.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tiny_burst_and_steady_load_every_help_answered_once_and_the_table_printed():
    burst = load_burst()
    # --quick's pieces (both shapes, ours on SQLite and the inline peer), smaller: 50 events in a burst, then 0.2 s of
    # steady load at --quick's 100 events/s, against a fake that answers after 5 ms.
    args = burst.parse_args(
        [
            "--quick",
            "--servers",
            "sqlite,inline",
            "--events",
            "50",
            "--steady-seconds",
            "0.2",
            "--latency-ms",
            "5",
            "--drain-timeout",
            "30",
        ]
    )
    printed: list[str] = []
    results = burst.run(args, out=printed.append)

    assert [(r["server"], r["shape"]) for r in results] == [
        ("sqlite", "burst"),
        ("sqlite", "steady"),
        ("inline", "burst"),
        ("inline", "steady"),
    ]
    for r in results:
        where = f"{r['server']} {r['shape']}"
        assert r["events"] == (50 if r["shape"] == "burst" else 20), where
        assert r["lost"] == 0, (where, r["counts"], r["backlog"])
        assert r["duplicated"] == 0, (where, r["counts"])
        assert r["counts"]["answered"] == r["events"], where
        assert r["counts"]["replies"] + r["counts"]["pushes"] == r["events"], where  # one answer each, nothing else
        assert r["counts"]["other_answers"] == 0, where
        assert r["load"]["statuses"] == {"200": r["events"] // args.per_request}, where
        assert r["peak_rss_mb"] > 0, where

    text = "\n".join(printed)
    at = next(i for i, line in enumerate(printed) if line.startswith("server "))
    header = printed[at]
    for column in (
        "first req→last answer",
        "answered/s",
        "replies",
        "pushes",
        "ack p50",
        "ack p99",
        "ack max",
        "non-200",
        "lost",
        "dup",
        "peak RSS",
    ):
        assert column in header, text
    rows = printed[at + 2 : at + 6]
    assert [row.split("  ")[0] for row in rows] == ["ours, SQLite"] * 2 + ["inline (SDK example)"] * 2, text
    for row, r in zip(rows, results, strict=False):
        assert row.split()[-4:] == ["0", "0", f"{r['peak_rss_mb']:.0f}", "MB"], text  # lost, dup, memory
