#!/usr/bin/env python3
"""Throughput of a drop-zone Monte Carlo on Ray: one worker against two, and Ray's overhead per task.

Runs the same campaign (``cosmodrome.distributed.dropzones_impacts``) four ways and prints, for
each, the samples, chunks (tasks), wall time and throughput in falls per second:

- local in-process: ``cosmodrome.dropzones(...)`` in this process, on all cores (rayon);
- in-process chunks, 1 thread: the same chunks one after the other without Ray
  (``use_ray=False``, in a child process with ``RAYON_NUM_THREADS=1``): the compute the tasks do;
- Ray, 1 worker and Ray, 2 workers: the chunks as Ray tasks confined to a placement group of one
  or two 1-CPU bundles (each task on one thread, ``RAYON_NUM_THREADS=1``, so a worker is a core).

then the speed-up of 2 workers over 1 (the goal is >= 1.8x) and Ray's overhead per task, measured
two ways: the 1-worker Ray wall time minus the wall time of the same chunks in-process, divided by
the number of tasks (what a task costs beyond its compute: scheduling, the worker's call,
returning the Arrow table); and the round trip of a no-op task, many of them queued on the one
worker. It checks that every Ray run equals the local run bit for bit.

Without ``--address`` it starts a local cluster of two nodes of 1 CPU each (a head and a second
raylet, loopback) and shuts it down at the end; with ``--address`` it uses that cluster, which
needs two free CPUs and the same ``cosmodrome`` on its workers.

Measure with an optimized wheel (``maturin build --release``); the script refuses a build that
carries debug information (a ``--profile dev`` wheel) unless ``--allow-dev-build``. Two workers
can only show their speed-up on two idle cores: the output warns when the load average says the
machine is busy.

    python python/benchmarks/ray_throughput.py                  # 100 000 samples per body
    python python/benchmarks/ray_throughput.py --samples 200 --chunk-samples 50 --allow-dev-build
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

#: Each task computes on one thread, so that a Ray worker holding one CPU uses one core.
ONE_THREAD = {"RAYON_NUM_THREADS": "1"}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--vehicle", default="soyuz-2.1b")
    p.add_argument("--site", default="vostochny")
    p.add_argument("--inclination-deg", type=float, default=51.9)
    p.add_argument("--payload-kg", type=float, default=6000.0,
                   help="targeted ascent with this payload (the test campaign of tests/python)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--samples", type=int, default=100_000, help="dispersed falls per body")
    p.add_argument("--chunk-samples", type=int, default=10_000,
                   help="samples per body in one task (default: that of cosmodrome.distributed)")
    p.add_argument("--noop-tasks", type=int, default=200, help="no-op tasks timed for the round trip")
    p.add_argument("--repeat", type=int, default=1, help="runs of each case, the Ray cases alternating (1, 2, 1, 2, ...); the fastest counts")
    p.add_argument("--address", default=None, help="a running Ray cluster (else a local two-node one is started)")
    p.add_argument("--allow-dev-build", action="store_true", help="measure even a wheel built with debug info")
    p.add_argument("--in-process-chunks", default=None, help=argparse.SUPPRESS)  # the child process's job
    args = p.parse_args(argv)
    for name in ("samples", "chunk_samples", "noop_tasks", "repeat"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}")
    return args


def campaign(args) -> dict:
    return dict(vehicle=args.vehicle, site=args.site, inclination_deg=args.inclination_deg,
                payload_kg=args.payload_kg, seed=args.seed, samples=args.samples)


def elf_section_names(path: str):
    """The section names of a 64-bit little-endian ELF file, or None for another format."""
    import struct

    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x7fELF\x02\x01":
        return None
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)

    def header(i):  # (name offset, file offset, size) of section i
        name, = struct.unpack_from("<I", data, shoff + i * shentsize)
        offset, size = struct.unpack_from("<QQ", data, shoff + i * shentsize + 0x18)
        return name, offset, size
    _, strtab, _ = header(shstrndx)
    return {data[strtab + n:data.index(b"\0", strtab + n)].decode() for n, _, _ in map(header, range(shnum))}


def extension_build() -> tuple[str, str]:
    """The native module's file and its build: ``dev`` when it carries DWARF sections (the dev
    profile), ``release`` when not (``debug = false``), ``unknown`` off ELF platforms."""
    from cosmodrome import _native

    names = elf_section_names(_native.__file__)
    if names is None:
        return _native.__file__, "unknown"
    return _native.__file__, "dev" if ".debug_info" in names else "release"


def in_process_chunks(job: str) -> None:
    """Child process: the campaign's chunks one after the other, no Ray; prints the best wall time."""
    from cosmodrome import distributed

    kw, chunk_samples, repeat = json.loads(job)
    # Warm-up, as on the Ray workers: cosmodrome imported and the catalog read.
    one_sample = dict(**{**kw, "samples": 1}, chunk_samples=1, use_ray=False, progress=False)
    distributed.dropzones_impacts(**one_sample)
    # What every chunk pays before its first fall: the vehicle and the nominal ascent.
    t0 = time.perf_counter()
    distributed.dropzones_impacts(**one_sample)
    setup_s = time.perf_counter() - t0
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        distributed.dropzones_impacts(chunk_samples=chunk_samples, use_ray=False, progress=False, **kw)
        best = min(best, time.perf_counter() - t0)
    print(best, setup_s)


def time_in_process_chunks(args) -> tuple[float, float]:
    """(best wall s of the chunks one after the other, s of one chunk of one sample)."""
    job = json.dumps([campaign(args), args.chunk_samples, args.repeat])
    env = {**os.environ, **ONE_THREAD}
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--in-process-chunks", job],
                         env=env, check=True, capture_output=True, text=True)
    best, setup = out.stdout.strip().splitlines()[-1].split()
    return float(best), float(setup)


def start_ray(address):
    """Connect to ``address`` or start a local cluster of two 1-CPU nodes; returns (ray, cluster)."""
    import ray

    runtime_env = {"env_vars": ONE_THREAD}
    if address is not None:
        ray.init(address=address, runtime_env=runtime_env, log_to_driver=False)
        return ray, None
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    cluster.add_node(num_cpus=1)
    ray.init(address=cluster.address, runtime_env=runtime_env, log_to_driver=False)
    return ray, cluster


def ray_run(ray, args, workers: int, noop_tasks: int):
    """The campaign on ``workers`` 1-CPU bundles: (wall s, its table, no-op round trip s or None).

    A coordinating task (no CPU) runs ``distributed.dropzones_impacts`` inside the placement group
    and its chunk tasks are captured by it, so they never use more than ``workers`` CPUs."""
    from ray.util.placement_group import placement_group, remove_placement_group
    from ray.util.scheduling_strategies import PlacementGroupSchedulingStrategy

    @ray.remote(num_cpus=1)
    def warm_up(kw):
        from cosmodrome import distributed

        distributed.dropzones_impacts(**{**kw, "samples": 1}, chunk_samples=1, use_ray=False, progress=False)
        return os.getpid()

    @ray.remote(num_cpus=0)
    def coordinate(kw, chunk_samples, noop_tasks):
        from cosmodrome import distributed

        @ray.remote(num_cpus=1)
        def noop():
            return None

        # Warm-up: one task pinned to each bundle, so that every bundle has a worker process with
        # cosmodrome imported and the catalog read before the clock starts (two tasks left to the
        # scheduler may both run on one worker, and the other's start-up would be timed).
        pg = ray.util.get_current_placement_group()
        ray.get([warm_up.options(scheduling_strategy=PlacementGroupSchedulingStrategy(
            pg, placement_group_bundle_index=i)).remote(kw) for i in range(workers)])
        t0 = time.perf_counter()
        table = distributed.dropzones_impacts(chunk_samples=chunk_samples, progress=False, **kw).arrow
        wall_s = time.perf_counter() - t0
        noop_s = None
        if noop_tasks:
            ray.get([noop.remote() for _ in range(10)])
            t0 = time.perf_counter()
            ray.get([noop.remote() for _ in range(noop_tasks)])
            noop_s = (time.perf_counter() - t0) / noop_tasks
        return wall_s, table, noop_s

    pg = placement_group([{"CPU": 1}] * workers, strategy="SPREAD")
    ray.get(pg.ready(), timeout=120)
    try:
        strategy = PlacementGroupSchedulingStrategy(pg, placement_group_capture_child_tasks=True)
        return ray.get(coordinate.options(scheduling_strategy=strategy).remote(
            campaign(args), args.chunk_samples, noop_tasks))
    finally:
        remove_placement_group(pg)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.in_process_chunks is not None:
        in_process_chunks(args.in_process_chunks)
        return 0

    load_before = os.getloadavg()
    cores = os.cpu_count() or 1
    import cosmodrome

    so, build = extension_build()
    if build == "dev" and not args.allow_dev_build:
        print(f"{so} carries debug info (a --profile dev build): install a release wheel to measure\n"
              "  (cd python && maturin build --release --out ../target/wheels) && pip install --force-reinstall "
              "target/wheels/cosmodrome-*.whl\nor pass --allow-dev-build.", file=sys.stderr)
        return 2

    kw = campaign(args)
    chunks = -(-args.samples // args.chunk_samples)
    t0 = time.perf_counter()
    local = cosmodrome.dropzones(**kw).impacts.arrow
    local_s = time.perf_counter() - t0
    falls = local.num_rows
    chunks_s, setup_s = time_in_process_chunks(args)

    ray, cluster = start_ray(args.address)
    try:
        # Alternating, so that a change of the machine's load touches both cases alike.
        one_s = two_s = float("inf")
        noop_s = None
        for r in range(args.repeat):
            wall_s, one, noop = ray_run(ray, args, 1, args.noop_tasks if r == 0 else 0)
            noop_s = noop if r == 0 else noop_s
            one_s = min(one_s, wall_s)
            wall_s, two, _ = ray_run(ray, args, 2, 0)
            two_s = min(two_s, wall_s)
    finally:
        ray.shutdown()
        if cluster is not None:
            cluster.shutdown()
    load_after = os.getloadavg()

    where = args.address or "local cluster, 2 nodes x 1 CPU (loopback)"
    print(f"drop-zone Monte Carlo: {args.vehicle} from {args.site}, inclination {args.inclination_deg} deg, "
          f"payload {args.payload_kg:g} kg, seed {args.seed}")
    print(f"{args.samples} samples per body, {falls} falls, {chunks} chunks of {args.chunk_samples}; "
          f"best of {args.repeat}; wheel: {build} build; Ray {ray.__version__} on {where}")
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} on {cores} cores")
    if cores - load_before[0] < 1.5:
        print(f"WARNING: the machine is loaded (load {load_before[0]:.2f} on {cores} cores): two workers need two "
              "idle cores, so the speed-up below says little about Ray")
    print()
    rows = [("local in-process (all cores)", "-", local_s), ("in-process chunks, 1 thread", chunks, chunks_s),
            ("Ray, 1 worker", chunks, one_s), ("Ray, 2 workers", chunks, two_s)]
    print(f"{'run':<30} {'samples':>9} {'chunks':>7} {'wall s':>9} {'falls/s':>11}")
    for name, n, wall in rows:
        print(f"{name:<30} {args.samples:>9} {n:>7} {wall:>9.3f} {falls / wall:>11.0f}")
    print()
    print(f"speed-up, 2 Ray workers vs 1: {one_s / two_s:.2f}x (goal >= 1.8x)")
    overhead_s = (one_s - chunks_s) / chunks
    print(f"Ray overhead per task: {overhead_s * 1e3:.1f} ms "
          f"= (1-worker Ray wall - in-process chunks wall) / {chunks} tasks"
          + (" (negative: the two runs got different shares of a busy machine; see the no-op round trip)"
             if overhead_s < 0 else ""))
    print(f"per-chunk setup in the task (the nominal ascent each chunk flies): {setup_s * 1e3:.0f} ms, "
          f"compute not Ray overhead")
    if noop_s is not None:
        print(f"no-op task round trip: {noop_s * 1e3:.2f} ms ({args.noop_tasks} tasks queued on 1 worker)")
    differ = [name for name, t in (("1 worker", one), ("2 workers", two)) if not t.equals(local)]
    print("bit-identical to the local run: " + ("yes (Ray 1 worker, Ray 2 workers)" if not differ
                                                 else f"NO: Ray {', '.join(differ)} differ"))
    print(f"load average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    return 0 if not differ else 1


if __name__ == "__main__":
    sys.exit(main())
