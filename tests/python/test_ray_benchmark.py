"""Smoke test of python/benchmarks/ray_throughput.py on a tiny campaign: it starts its local
two-node Ray cluster, runs the four cases and prints its table, the speed-up, the overhead per
task and the bit-identity line. The figures themselves are not checked (speed is measured by
running the benchmark, not in tests)."""

import os
import re
import subprocess
import sys

import pytest

if not os.environ.get("COSMODROME_REQUIRE_RAY"):
    pytest.importorskip("ray", reason="ray is not installed")

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "python", "benchmarks", "ray_throughput.py")


def run(*args, timeout=300):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, timeout=timeout)


def test_the_benchmark_runs_a_tiny_campaign_and_prints_its_table():
    out = run("--samples", "200", "--chunk-samples", "50", "--noop-tasks", "20", "--allow-dev-build")
    assert out.returncode == 0, out.stderr[-3000:]
    text = out.stdout
    for name in ("local in-process (all cores)", "in-process chunks, 1 thread", "Ray, 1 worker", "Ray, 2 workers"):
        row = re.search(rf"^{re.escape(name)}\s+200\s+(-|4)\s+(\d+\.\d+)\s+(\d+)$", text, re.M)
        assert row, f"no row for {name!r} in:\n{text}"
        assert float(row.group(2)) > 0
    assert re.search(r"^speed-up, 2 Ray workers vs 1: \d+\.\d+x", text, re.M), text
    assert re.search(r"^Ray overhead per task: -?\d+\.\d ms", text, re.M), text
    assert re.search(r"^per-chunk setup in the task .*: \d+ ms", text, re.M), text
    assert re.search(r"^no-op task round trip: \d+\.\d+ ms", text, re.M), text
    assert "bit-identical to the local run: yes" in text, text
    assert re.search(r"^load average before: \d", text, re.M), text


def test_the_benchmark_refuses_a_dev_build_unless_allowed():
    sys.path.insert(0, os.path.dirname(SCRIPT))
    try:
        import ray_throughput
    finally:
        sys.path.pop(0)
    if ray_throughput.extension_build()[1] != "dev":
        pytest.skip("the installed cosmodrome is not a dev build")
    out = run("--samples", "10")
    assert out.returncode == 2 and "--allow-dev-build" in out.stderr, out.stderr


def test_bad_arguments_are_refused_naming_the_flag():
    out = run("--samples", "0")
    assert out.returncode == 2 and "--samples must be at least 1" in out.stderr, out.stderr
