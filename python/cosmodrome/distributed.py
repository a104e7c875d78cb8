"""Sweeps and drop-zone Monte Carlo campaigns as Ray tasks.

``ray`` is an optional dependency (``pip install ray``). With no ``address`` the functions run
on a local Ray instance (started on first use); with ``address="ray://host:10001"`` or
``"host:6379"`` (or the ``RAY_ADDRESS`` environment variable) on that cluster, whose workers
must have the same ``cosmodrome`` installed::

    from cosmodrome import distributed
    impacts = distributed.dropzones_impacts("soyuz-2.1b", inclination_deg=97.5, samples=1_000_000,
                                            seed=7, chunk_samples=20_000, out_dir="campaign/")

Work is cut into chunks whose random streams are fixed by index (each sample of each body draws
from the stream of its own index under the seed), so the result is bit-identical to the local
run (``cosmodrome.dropzones(...).impacts``) for the same seed, whatever the chunking and the
number of workers. A task lost with its worker is retried (``max_retries``); with ``out_dir``
every finished chunk is written there as Parquet, and running the same campaign again reads
the chunks already written and computes only the others (resume). Progress goes to stderr.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from typing import Optional, Sequence, Union

import pyarrow as pa
import pyarrow.parquet as pq

from . import (InvalidInputError, Table, Vehicle, _call, _count, _flag, _is_site_file, _named_orbit, _native, _opt, _path,
               _samples, _site, _sweep_axes, _table, _vary_spec, _vehicle, _vehicle_from_spec, _zones,
               sweep as _local_sweep)

__all__ = ["dropzones_impacts", "sweep", "init"]


#: Seconds a cluster's address is given to accept a connection before ``init`` gives up on it.
#: Ray itself keeps retrying an address nobody answers at for minutes, with only log lines.
CONNECT_TIMEOUT_S = 10.0


def _check_reachable(address: Optional[str], timeout_s: float):
    """Raise ``ConnectionError`` at once when the head node at ``address`` (``host:port`` or
    ``ray://host:port``) does not accept a TCP connection within ``timeout_s``, and
    ``InvalidInputError`` when the address has no port. ``None``, ``auto`` and ``local`` are
    Ray's to resolve."""
    if address is None or address in ("", "auto", "local"):
        return
    rest = address[len("ray://"):] if address.startswith("ray://") else address
    host, _, port = rest.rpartition(":")
    try:
        port_number = int(port)
    except ValueError:
        port_number = -1
    if not host or not 0 < port_number < 65536:
        raise InvalidInputError("invalid_input",
                                f"invalid address: `{address}` is not host:port or ray://host:port", key="address")
    try:
        socket.create_connection((host.strip("[]"), port_number), timeout=timeout_s).close()
    except OSError as e:
        raise ConnectionError(
            f"cannot reach the Ray cluster at {address}: {e or type(e).__name__} (within {timeout_s:g} s); "
            "is its head node running, and the port open to this machine?") from None


def init(address: Optional[str] = None, connect_timeout_s: float = CONNECT_TIMEOUT_S, **kwargs):
    """Connect to the Ray cluster at ``address`` (``RAY_ADDRESS`` when not given), or start a
    local instance; does nothing when Ray is already initialized. An address whose head node
    does not answer within ``connect_timeout_s`` raises ``ConnectionError`` rather than leave
    Ray retrying."""
    import ray

    if not ray.is_initialized():
        _check_reachable(address if address is not None else os.environ.get("RAY_ADDRESS"), connect_timeout_s)
        ray.init(address=address, ignore_reinit_error=True, include_dashboard=False, log_to_driver=False, **kwargs)
    return ray


def _spec(v: Vehicle):
    """What a worker needs to rebuild the vehicle: its catalog id, or its file's text."""
    return v._spec




def _text(path, key: str):
    if path is None:
        return None
    path = _path(key, path)
    with open(path, encoding="utf-8") as f:
        return (f.read(), path)


def _dropzones_chunk(spec, args, first: int, end: int, path: Optional[str], zones=None, named=None) -> pa.Table:
    """One chunk: samples ``first..end`` of every body (runs in a Ray worker); ``named`` is
    ``(orbit, argument_of_perigee_deg, c3_km2_s2, declination_deg)`` of a named orbit."""
    v = _vehicle_from_spec(spec)
    table = _table(_call(_native.dropzones_chunk, v._native, *args, first, end, zones, *(named or (None, None, None, None))))
    if path is not None:
        tmp = f"{path}.{os.getpid()}.tmp"
        pq.write_table(table, tmp)
        os.replace(tmp, path)  # a chunk file is whole or absent
    return table


def _progress(done: int, total: int, what: str, show: bool) -> None:
    if show:
        print(f"\r{what}: {done}/{total} chunks", end="\n" if done == total else "", file=sys.stderr, flush=True)


def _chunk_bounds(samples: int, chunk_samples: int):
    return [(a, min(a + chunk_samples, samples)) for a in range(0, samples, chunk_samples)]


def dropzones_impacts(vehicle, site: str = "vostochny", perigee_km: Optional[float] = None,
                      apogee_km: Optional[float] = None, inclination_deg: Optional[float] = None,
                      southbound: bool = False, payload_kg: Optional[float] = None, samples: int = 1000,
                      seed: int = 1, dispersions=None, wind=None, chunk_samples: int = 10_000,
                      address: Optional[str] = None, out_dir=None, max_retries: int = 3,
                      progress: bool = True, use_ray: bool = True, drop_zones=None, orbit: Optional[str] = None,
                      argument_of_perigee_deg: Optional[float] = None, c3_km2_s2: Optional[float] = None,
                      declination_deg: Optional[float] = None) -> Table:
    """Every dispersed impact of a drop-zone campaign (the ``impacts`` of
    :func:`cosmodrome.dropzones`, same arguments, ``orbit`` included), computed as Ray tasks of
    ``chunk_samples`` samples per body. ``use_ray=False`` runs the same chunks in this process."""
    v = _vehicle(vehicle)
    samples, seed = _samples(samples), _count("seed", seed, 0, 2**64 - 1)
    chunk_samples = _count("chunk_samples", chunk_samples, 1, 2**63 - 1)
    named = _named_orbit(orbit, argument_of_perigee_deg, c3_km2_s2, declination_deg)
    if perigee_km is None and orbit is None:
        perigee_km = 200.0  # the campaign's manifest as before named orbits
    site = _site(site)
    if _is_site_file(site):
        site = os.path.abspath(site)  # read by each task, in a worker whose directory is not this one's
    args = (site, _opt("perigee_km", perigee_km), _opt("apogee_km", apogee_km), _opt("inclination_deg", inclination_deg),
            _flag("southbound", southbound), _opt("payload_kg", payload_kg), samples, seed, _text(dispersions, "dispersions"),
            _text(wind, "wind"))
    zones = _zones(drop_zones)
    bounds = _chunk_bounds(samples, chunk_samples)
    paths = [None] * len(bounds)
    if out_dir is not None:
        out_dir = _path("out_dir", out_dir, "a directory path (a str or an os.PathLike)")
        os.makedirs(out_dir, exist_ok=True)
        manifest = {"vehicle": list(_spec(v)), "args": json.loads(json.dumps(args)), "chunk_samples": chunk_samples}
        if zones is not None:
            manifest["drop_zones"] = list(zones)
        if named != (None, None, None, None):
            # Without a declination a campaign's manifest reads as it did before there was one,
            # so such a campaign still resumes.
            manifest["orbit"] = list(named if named[3] is not None else named[:3])
        mpath = os.path.join(out_dir, "campaign.json")
        if os.path.exists(mpath):
            with open(mpath, encoding="utf-8") as f:
                try:
                    written = json.load(f)
                except ValueError:
                    written = None  # damaged: not this campaign's either
                if written != manifest:
                    raise ValueError(f"{out_dir} holds another campaign (campaign.json differs): use another out_dir")
        else:
            with open(mpath, "w", encoding="utf-8") as f:
                json.dump(manifest, f)
        paths = [os.path.join(out_dir, f"chunk-{a:09d}-{b:09d}.parquet") for a, b in bounds]
    tables: list = [None] * len(bounds)
    todo = []
    for i, p in enumerate(paths):
        try:
            tables[i] = pq.read_table(p) if p is not None and os.path.exists(p) else None  # resumed
        except (pa.ArrowException, OSError):
            tables[i] = None  # a damaged chunk file is computed again (and rewritten whole)
        if tables[i] is None:
            todo.append(i)
    done = len(bounds) - len(todo)
    _progress(done, len(bounds), "drop-zone chunks", progress)
    if use_ray and todo:
        ray = init(address)
        task = ray.remote(max_retries=max_retries)(_dropzones_chunk)
        spec = _spec(v)
        pending = {task.remote(spec, args, *bounds[i], paths[i], zones, named): i for i in todo}
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                tables[pending.pop(ref)] = ray.get(ref)
                done += 1
                _progress(done, len(bounds), "drop-zone chunks", progress)
    else:
        for i in todo:
            tables[i] = _dropzones_chunk(_spec(v), args, *bounds[i], paths[i], zones, named)
            done += 1
            _progress(done, len(bounds), "drop-zone chunks", progress)
    whole = pa.concat_tables(tables).sort_by([("body_index", "ascending"), ("sample", "ascending")])
    return Table(whole.drop_columns(["body_index"]))


def _sweep_chunk(spec, sites, altitudes_km, inclinations, southbound, vary) -> pa.Table:
    """One chain of a sweep (runs in a Ray worker): the points solved one from the other, as
    the local sweep solves them, so the rows are the local sweep's bit for bit."""
    v = _vehicle_from_spec(spec)
    return _local_sweep(v, sites, altitudes_km, inclinations, southbound, vary=vary).arrow


def _sweep_chains(vs, sites, altitudes, incs, vary):
    """The chains of the local sweep (``SweepGrid::chains``) as tasks: ``(vehicle index or None
    for all variants, sub-grid arguments, grid index of each row the task returns)``."""
    n_s, n_a, n_i = len(sites), len(altitudes), len(incs)
    index = lambda v, s, a, i: ((v * n_s + s) * n_a + a) * n_i + i  # noqa: E731
    jobs = []
    if vary is not None:
        path, values = vary
        if n_a == 1:
            # Along the parameter's values, for each site and inclination.
            for s in range(n_s):
                for i in range(n_i):
                    spec = f"{path}=" + ",".join(repr(x) for x in values)
                    jobs.append((0, ([sites[s]], altitudes, [incs[i]], spec),
                                 [index(k, s, 0, i) for k in range(len(values))]))
            return jobs
        # Along the altitude, for each value, site and inclination.
        for k, x in enumerate(values):
            for s in range(n_s):
                for i in range(n_i):
                    jobs.append((0, ([sites[s]], altitudes, [incs[i]], f"{path}={x!r}"),
                                 [index(k, s, a, i) for a in range(n_a)]))
        return jobs
    for v in range(len(vs)):
        for s in range(n_s):
            for i in range(n_i):
                jobs.append((v, ([sites[s]], altitudes, [incs[i]], None), [index(v, s, a, i) for a in range(n_a)]))
    return jobs


def _vary_values(vary):
    """``(path, values)`` of a ``vary`` argument, the values as the core reads them."""
    if vary is None:
        return None
    return _call(_native.parse_vary, _vary_spec(vary))


def sweep(vehicles, sites: Union[str, Sequence[str]] = "vostochny",
          altitudes_km: Union[float, Sequence[float]] = 200.0, inclinations_deg=None, southbound: bool = False,
          out=None, address: Optional[str] = None, max_retries: int = 3, progress: bool = True,
          vary=None) -> Table:
    """:func:`cosmodrome.sweep` as Ray tasks, one per chain of neighbouring points (each vehicle,
    site and inclination along the altitude; for a parameter swept at one altitude, each site and
    inclination along its values): the same table, row for row, bit for bit, since each chain is
    warm-started within itself exactly as in the local run. A site file is read by each task at
    its absolute path: on a cluster, a path the workers can read too (a shared file system)."""
    out = None if out is None else _path("out", out)  # refused before any task, not after the run
    vs, sites, altitudes, incs = _sweep_axes(vehicles, sites, altitudes_km, inclinations_deg)
    southbound = _flag("southbound", southbound)
    # What the local sweep refuses before its run, refused before any task.
    _call(_native.check_sweep_sites, sites)
    # A task reads a site file where it runs, in a worker whose directory is not this one's.
    sites = [os.path.abspath(s) if _is_site_file(s) else s for s in sites]
    parameter = _vary_values(vary)
    if parameter is not None and len(vs) != 1:
        raise InvalidInputError("invalid_input", f"vary sweeps one vehicle's file; give one vehicle, not {len(vs)}",
                                key="vary")
    jobs = _sweep_chains(vs, sites, altitudes, incs, parameter)
    if not jobs:
        # No chain to send: the local sweep answers, with no task.
        return _local_sweep(vs, sites, altitudes, incs, southbound, out=out, vary=vary)
    ray = init(address)
    task = ray.remote(max_retries=max_retries)(_sweep_chunk)
    refs = [task.remote(_spec(vs[v]), *args[:3], southbound, args[3]) for v, args, _ in jobs]
    pending, done = list(refs), 0
    _progress(0, len(refs), "sweep chunks", progress)
    while pending:
        ready, pending = ray.wait(pending, num_returns=1)
        done += len(ready)
        _progress(done, len(refs), "sweep chunks", progress)
    whole = pa.concat_tables(ray.get(refs))
    # Back into grid order.
    positions = [p for _, _, indices in jobs for p in indices]
    order = sorted(range(len(positions)), key=positions.__getitem__)
    table = Table(whole.take(pa.array(order)))
    if out is not None:
        if out.endswith(".parquet"):
            table.write_parquet(out)
        else:
            table.write_csv(out)
    return table
