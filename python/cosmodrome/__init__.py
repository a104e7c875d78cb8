"""cosmodrome: launch-vehicle performance from Python.

The missions of the ``cosmodrome`` command-line tool, computed by the same Rust core:

>>> import cosmodrome
>>> r = cosmodrome.payload("soyuz-2.1b", site="vostochny", inclination_deg=97.5)
>>> r.payload_kg                      # the largest payload into 200 x 200 km, kg
>>> r.trajectory.head()               # the optimized ascent, an Arrow table

Every result carries the members of the core's report (``docs/schema/*.schema.json``) as
attributes (``r.orbit.perigee_km``, ``r.stages[0].impact``); ``r.to_dict()`` gives the report as
plain Python data. Tables (trajectories, impacts, sweeps) are :class:`Table` objects around a
``pyarrow.Table`` built from the core's column buffers without a per-value copy;
``.to_pandas()`` and ``.to_polars()`` convert them when those packages are installed.

The computation runs with the GIL released, so threads of a notebook keep running. Errors are
:class:`CosmodromeError` subclasses; a vehicle-file error carries ``file``, ``line`` and ``key``.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import warnings
from typing import Any, Iterable, Optional, Sequence, Union

import pyarrow as pa

from . import _native

#: The package's version: the extension crate's, the one its wheel's metadata carries.
__version__: str = _native.__version__

__all__ = [
    "CosmodromeError",
    "VehicleFileError",
    "UnknownIdError",
    "InvalidInputError",
    "UnreachableError",
    "IntegrationError",
    "Vehicle",
    "Report",
    "Table",
    "PayloadResult",
    "FlightResult",
    "DropzonesResult",
    "PropellantSweep",
    "catalog_ids",
    "sites",
    "payload",
    "fly",
    "dropzones",
    "sweep",
    "propellant",
    "validate",
]


class CosmodromeError(Exception):
    """An error of the core. ``kind`` names it (``file``, ``unreachable``, ...); ``file``,
    ``line`` and ``key`` say where a data-file problem sits (``None`` when not known)."""

    def __init__(self, kind: str, message: str, file: Optional[str] = None, line: Optional[int] = None,
                 key: Optional[str] = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.file = file
        self.line = line
        self.key = key

    def __reduce__(self):
        # Rebuilt from all its fields, not from ``args`` (the message alone): an error raised
        # in a Ray worker or a process pool reaches the caller typed and located.
        return (type(self), (self.kind, self.message, self.file, self.line, self.key))


class VehicleFileError(CosmodromeError, ValueError):
    """A vehicle, site, dispersion or wind file is malformed or breaks a rule: ``file``, ``line``
    (1-based, when known) and ``key`` (dotted path such as ``stage[2].dry_mass_kg``) locate it."""


class UnknownIdError(CosmodromeError, LookupError):
    """A vehicle or site id that is not in the catalog; the message lists the nearest ids."""


class InvalidInputError(CosmodromeError, ValueError):
    """An argument outside its domain; ``key`` names the argument."""


class UnreachableError(CosmodromeError):
    """The orbit cannot be reached: out of the pad's corridors, too heavy a payload, no liftoff."""


class IntegrationError(CosmodromeError):
    """The numerical integration of a flight failed."""


_KINDS = {
    "file": VehicleFileError,
    "unknown_vehicle": UnknownIdError,
    "unknown_site": UnknownIdError,
    "invalid_input": InvalidInputError,
    "unreachable": UnreachableError,
    "payload_too_heavy": UnreachableError,
    "no_liftoff": UnreachableError,
    "integration": IntegrationError,
}


def _invalid(key: str, message: str) -> InvalidInputError:
    return InvalidInputError("invalid_input", f"invalid {key}: {message}", key=key)


def _as_list(x) -> list:
    """A sweep axis as a list: one value (a string counts as one), or any iterable of them
    (list, tuple, range, numpy array, generator)."""
    if isinstance(x, (str, bytes, os.PathLike)):
        return [x]
    try:
        return list(x)
    except TypeError:  # a scalar, a 0-d numpy array
        return [x]


def _numbers(key: str, values, *, positive: bool = False, allow_none: bool = False) -> list:
    """``values`` as floats (each read as :func:`_num` reads a number), each finite (and above 0
    when ``positive``; ``None`` kept when ``allow_none``): a sweep's axis is refused before the
    grid is flown, naming the argument."""
    out = []
    for v in values:
        if v is None and allow_none:
            out.append(None)
            continue
        f = _num(key, v)
        if not math.isfinite(f) or (positive and f <= 0.0):
            raise _invalid(key, f"must be {'above 0' if positive else 'finite numbers'}, got {f}")
        out.append(f)
    return out


def _num(key: str, value, optional: bool = False) -> Optional[float]:
    """A number argument as a float: an int, a float or a numpy number; ``None`` when
    ``optional``. A string, a bool or anything else is refused naming the argument (``float``
    would read ``"200"`` and ``True`` as numbers, or fail with a bare ``ValueError``)."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _invalid(key, f"must be a number, got {value!r}")
    return float(value)


def _opt(key: str, value) -> Optional[float]:
    """An optional number argument: ``None``, or as :func:`_num` reads it."""
    return _num(key, value, optional=True)


def _count(key: str, value, low: int, high: int, unit: str = "") -> int:
    """An integer argument (a sample count, a seed) within ``low``–``high`` (of ``unit``, said in
    the refusal); a float with a fraction, a bool or a non-number is refused rather than
    truncated or read as 0/1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise _invalid(key, f"must be a whole number, got {value!r}")
    value = int(value)
    if not low <= value <= high:
        raise _invalid(key, f"must be within {low} to {high}{' ' + unit if unit else ''}, got {value}")
    return value


def _samples(value) -> int:
    """A drop-zone run's dispersed falls per body, within the command line's bound."""
    return _count("samples", value, 1, _native.MAX_SAMPLES, "dispersed falls per body")


def _str(key: str, value, what: str) -> str:
    """A text argument (an id, a name); anything else is refused saying ``what`` it takes, where
    ``str()`` would turn ``42`` into an id nobody asked for."""
    if not isinstance(value, str):
        raise _invalid(key, f"must be {what}, got {value!r}")
    return value


def _is_site_file(site: str) -> bool:
    """Whether a site argument names a site file: it ends in ``.toml``, as no catalog id does."""
    return site[-5:].lower() == ".toml"


def _site(value, key: str = "site") -> str:
    """A site argument: a cosmodrome or pad id, or a site file's path (a ``str`` ending in
    ``.toml``, or an ``os.PathLike``), which the core reads as ``--site FILE.toml`` does. A file
    that is not there raises ``FileNotFoundError``, as a vehicle file's does."""
    what = "a site id, a cosmodrome or a pad (cosmodrome.sites() lists them), or a site file's path ending in .toml"
    if isinstance(value, os.PathLike):
        path = _path(key, value, what)
        if not _is_site_file(path):
            raise _invalid(key, f"a site file's name ends in .toml, got {path!r}")
    else:
        path = _str(key, value, what)
        if not _is_site_file(path):
            return path
    if not os.path.exists(path):
        raise FileNotFoundError(f"site file not found: {path}")
    return path


def _path(key: str, value, what: str = "a file path (a str or an os.PathLike)") -> str:
    """A path argument (a ``str`` or an ``os.PathLike``) as text; anything else is refused
    naming the argument rather than by ``os.fspath``'s bare ``TypeError``."""
    if not isinstance(value, (str, os.PathLike)):
        raise _invalid(key, f"must be {what}, got {value!r}")
    path = os.fspath(value)
    if not isinstance(path, str):
        raise _invalid(key, f"must be {what} as text, got {value!r}")
    return path


def _names(keys: list) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} and {keys[-1]}"


def _flag(key: str, value) -> bool:
    """A yes/no argument: a bool (numpy's too), not a truthy string such as ``"no"``."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value)
    raise _invalid(key, f"must be True or False, got {value!r}")


def _call(fn, *args):
    """Call the native module, re-raising its errors as typed Python exceptions."""
    try:
        return fn(*args)
    except _native.NativeError as e:
        kind, message, file, line, key = e.args
        raise _KINDS.get(kind, CosmodromeError)(kind, message, file, line, key or None) from None


class Report:
    """A mission report: its JSON members as attributes (nested objects are reports too)."""

    def __init__(self, data: dict) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        # Private and special names are never members: copy and pickle look them up on an
        # object not yet initialized, where reading ``_data`` would recurse.
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return _wrap(self._data[name])
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no member {name!r}; members: "
                                 f"{', '.join(self._data)}") from None

    def __getitem__(self, name: str) -> Any:
        return _wrap(self._data[name])

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def __dir__(self) -> Iterable[str]:
        return list(super().__dir__()) + list(self._data)

    def keys(self):
        """The report's member names."""
        return self._data.keys()

    def to_dict(self) -> dict:
        """The report as plain Python data (as ``cosmodrome ... --json`` prints it)."""
        return json.loads(json.dumps(self._data))

    def to_json(self, indent: Optional[int] = 2) -> str:
        """The report as JSON text."""
        return json.dumps(self._data, indent=indent, ensure_ascii=False)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._data.items() if not isinstance(v, (dict, list)))
        return f"{type(self).__name__}({fields})"


class PropellantSweep(Report):
    """The sweep report of :func:`propellant` over mixture ratios; ``table``: its points, one row
    per ratio, as a :class:`Table`."""

    def __init__(self, data: dict) -> None:
        super().__init__(data)
        self.table = Table(pa.Table.from_pylist(data["points"]))


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return Report(value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


_TYPES = {"f64": pa.float64(), "i64": pa.int64()}


def _table(columns) -> pa.Table:
    """A ``pyarrow.Table`` of the native columns: numeric columns wrap the core's buffers as
    Arrow buffers (no per-value conversion), strings become Arrow string arrays."""
    arrays, names = [], []
    for name, kind, data in columns:
        if kind in ("str", "str?"):
            arrays.append(pa.array(data, type=pa.string()))
        elif kind == "f64?":
            arrays.append(pa.array(data, type=pa.float64()))
        elif kind == "bool":
            arrays.append(pa.array(data, type=pa.bool_()))
        else:
            buf = pa.py_buffer(data)
            arrays.append(pa.Array.from_buffers(_TYPES[kind], len(data) // 8, [None, buf]))
        names.append(name)
    return pa.Table.from_arrays(arrays, names=names)


class Table:
    """A table of results around a ``pyarrow.Table`` (``.arrow``). Arrow's methods are
    available directly (``t.num_rows``, ``t.column("altitude_m")``); ``head`` as in pandas."""

    def __init__(self, arrow: pa.Table) -> None:
        self.arrow = arrow

    def head(self, n: int = 5) -> "Table":
        """The first ``n`` rows; with ``n`` negative, all but the last ``-n`` (as in pandas)."""
        if n < 0:
            n = max(self.arrow.num_rows + n, 0)
        return Table(self.arrow.slice(0, n))

    def to_pandas(self):
        """A pandas DataFrame (needs pandas)."""
        return self.arrow.to_pandas()

    def to_polars(self):
        """A polars DataFrame, sharing the Arrow buffers (needs polars)."""
        import polars

        return polars.from_arrow(self.arrow)

    def to_pylist(self) -> list:
        """The rows as dicts."""
        return self.arrow.to_pylist()

    def write_parquet(self, path: Union[str, os.PathLike]) -> None:
        """Write the table as Parquet."""
        import pyarrow.parquet as pq

        pq.write_table(self.arrow, str(path))

    def write_csv(self, path: Union[str, os.PathLike]) -> None:
        """Write the table as CSV with a header row."""
        import pyarrow.csv as pcsv

        pcsv.write_csv(self.arrow, str(path))

    @property
    def columns(self) -> list:
        """Column names, each with its unit (``altitude_m``)."""
        return self.arrow.column_names

    def __getitem__(self, name: str):
        return self.arrow.column(name)

    def __len__(self) -> int:
        return self.arrow.num_rows

    def __getattr__(self, name: str) -> Any:
        # As a report's: no private name is looked up on the Arrow table (copy, pickle).
        if name.startswith("_") or name == "arrow":
            raise AttributeError(name)
        return getattr(self.arrow, name)

    def __repr__(self) -> str:
        return f"cosmodrome.Table ({self.arrow.num_rows} rows)\n{self.arrow.to_string(preview_cols=8)}"


class Vehicle:
    """A validated launch vehicle: from the built-in catalog, a vehicle file, or its text."""

    def __init__(self, native: "_native.NativeVehicle", spec: tuple) -> None:
        self._native = native
        # How to build it again in another process (cosmodrome.distributed, pickle).
        self._spec = spec

    def __reduce__(self):
        # Pickled (copied, sent to a process pool) as what builds it: the native vehicle is
        # not picklable, its catalog id or file text is.
        return (_vehicle_from_spec, (self._spec,))

    @staticmethod
    def catalog(id: str) -> "Vehicle":
        """A catalog vehicle by id (``catalog_ids()`` lists them)."""
        id = _str("id", id, "a catalog id (cosmodrome.catalog_ids() lists them)")
        return Vehicle(_call(_native.vehicle_from_catalog, id), ("catalog", id))

    @staticmethod
    def from_file(path: Union[str, os.PathLike]) -> "Vehicle":
        """A vehicle file (TOML; docs/vehicle-file.md). Errors name the file, line and key."""
        path = _path("path", path, "a vehicle file's path (a str or an os.PathLike)")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return Vehicle(_call(_native.vehicle_from_toml, text, path), ("toml", text, path))

    @staticmethod
    def from_toml(text: str, name: str = "<string>") -> "Vehicle":
        """A vehicle from the text of a vehicle file; ``name`` stands for the file in errors."""
        text, name = _str("text", text, "a vehicle file's text"), _str("name", name, "text")
        return Vehicle(_call(_native.vehicle_from_toml, text, name), ("toml", text, name))

    @property
    def name(self) -> str:
        """The vehicle's name."""
        return self._native.name

    @property
    def source(self) -> str:
        """Catalog id or file it came from."""
        return self._native.source

    @property
    def warnings(self) -> list:
        """Warnings of the vehicle file (defaults in force, suspicious values)."""
        return self._native.warnings

    def info(self, payload_kg: float = 0.0) -> Report:
        """The vehicle summary of ``cosmodrome info`` (stages, masses, Δv with the payload)."""
        return Report(json.loads(_call(self._native.info_json, _num("payload_kg", payload_kg))))

    def __repr__(self) -> str:
        return f"Vehicle({self.name!r} from {self.source!r})"


def catalog_ids() -> list:
    """The ids of the built-in vehicle catalog."""
    return _native.catalog_ids_list()


VehicleLike = Union[Vehicle, str, os.PathLike]


def sites() -> Table:
    """The built-in launch sites (``cosmodrome sites``), one row per pad: its id, cosmodrome,
    name, the vehicle families it serves, position, its corridors (azimuth ranges or inclination
    ranges, ``[min, max]`` degrees) and the lowest inclination it allows, the default target's.
    A mission's ``site`` is a pad id or a cosmodrome id (its family's pad), or a site file for a
    pad they lack (see :func:`payload`)."""
    return Table(pa.Table.from_pylist(json.loads(_call(_native.sites_json))))


def _vehicle(v: VehicleLike, key: str = "vehicle") -> Vehicle:
    """A vehicle, a catalog id, or a path to a vehicle file; the errors name the argument
    ``key`` it came from."""
    if isinstance(v, Vehicle):
        return v
    s = _path(key, v, "a catalog id (cosmodrome.catalog_ids() lists them), a vehicle file's path or a "
                      "cosmodrome.Vehicle")
    if s in _native.catalog_ids_list():
        return Vehicle.catalog(s)
    if os.path.isfile(s):
        return Vehicle.from_file(s)
    if "/" in s or os.sep in s or s.lower().endswith(".toml"):
        raise FileNotFoundError(f"vehicle file not found: {s}")
    try:
        return Vehicle.catalog(s)  # raises UnknownIdError with the nearest ids
    except UnknownIdError as e:
        e.key = key
        raise


class PayloadResult(Report):
    """The payload report (``cosmodrome payload --json``) with the optimized ascent's
    ``trajectory``; ``site_note`` says when another pad than the one asked for was taken."""

    def __init__(self, data: dict, trajectory: Table, site_note: Optional[str]) -> None:
        super().__init__(data)
        self.trajectory = trajectory
        self.site_note = site_note


class FlightResult(Report):
    """The flight report (``cosmodrome fly --json``) with the ``trajectory``; of a mission to a
    named orbit (``orbit=``), the ``transfer`` report through a parking orbit, or the
    ``payload_report`` of a direct ascent with the largest payload (``None`` otherwise), and the
    ``notes`` on what the mission does not hold of the named orbit (a default argument of perigee
    a direct ascent leaves free; empty otherwise)."""

    def __init__(self, data: dict, trajectory: Table, site_note: Optional[str]) -> None:
        super().__init__(data)
        self.trajectory = trajectory
        self.site_note = site_note
        self.transfer: Optional[Report] = None
        self.payload_report: Optional[Report] = None
        self.notes: list = []


class DropzonesResult(Report):
    """The drop-zone report (``cosmodrome dropzones --json``) with every dispersed ``impacts``
    (one row per body and sample) and the nominal ascent's ``trajectory``."""

    def __init__(self, data: dict, impacts: Table, trajectory: Table, site_note: Optional[str]) -> None:
        super().__init__(data)
        self.impacts = impacts
        self.trajectory = trajectory
        self.site_note = site_note


def _orbit(perigee_km, apogee_km, inclination_deg):
    return (_num("perigee_km", perigee_km), _opt("apogee_km", apogee_km),
            _opt("inclination_deg", inclination_deg))


def _zones(drop_zones):
    """A designated-zone argument for the native module: ``(text, file name)`` of a zone file
    (a path: ``os.PathLike``, or text with a directory separator or ending in ``.toml``), or
    ``(None, id)`` of a built-in zone file."""
    if drop_zones is None:
        return None
    name = _path("drop_zones", drop_zones, "a built-in zone file id or a zone file's path (a str or an os.PathLike)")
    if isinstance(drop_zones, os.PathLike) or os.sep in name or name.endswith(".toml"):
        with open(name, encoding="utf-8") as f:
            return (f.read(), name)
    return (None, name)


def payload(vehicle: VehicleLike, site: Union[str, os.PathLike] = "vostochny", perigee_km: float = 200.0,
            apogee_km: Optional[float] = None, inclination_deg: Optional[float] = None,
            southbound: bool = False, sample_interval_s: Optional[float] = 1.0,
            drop_zones: Optional[Union[str, os.PathLike]] = None,
            argument_of_perigee_deg: Optional[float] = None, trade_factors: bool = False) -> PayloadResult:
    """The largest payload into an orbit (``cosmodrome payload``).

    ``site`` is a cosmodrome id (the pad of the vehicle's family there; ``site_note`` says when
    there is none), a pad id, or a site file for a pad the catalog lacks: a path ending in
    ``.toml`` (a ``str``, or any ``os.PathLike`` such as ``pathlib.Path``) written as
    ``data/sites.toml`` is, whose first ``[[site]]`` is flown from whatever the vehicle's family
    (``--site FILE.toml``); its errors are :class:`VehicleFileError` at the file's line and key.
    ``fly`` and ``dropzones`` take ``site`` the same way.

    The orbit is circular at ``perigee_km`` unless ``apogee_km`` is given, at the pad's lowest
    inclination unless ``inclination_deg`` is given; ``southbound`` takes the southbound leg.
    ``argument_of_perigee_deg`` is held by the ascent (an eccentric orbit's; default: free).
    ``trade_factors=True`` adds the payload trade factors (``--trade-factors``: the payload per
    kg of each stage's dry mass and propellant, per s of its vacuum Isp, per % of its thrust and
    per kg of fairing, each from two more optimizations) as the report's ``trade_factors``.
    The trajectory is sampled every ``sample_interval_s`` (``None``: no trajectory).
    ``drop_zones`` (a built-in zone file id such as ``"baikonur-iss"``, or a zone file) shapes
    the ascent so that the spent stages come down inside their designated zones
    (``--drop-zones``); the report's ``drop_zones`` say how each fall lands.
    """
    v = _vehicle(vehicle)
    data, traj, note = _call(_native.payload, v._native, _site(site), *_orbit(perigee_km, apogee_km, inclination_deg),
                             _flag("southbound", southbound), _opt("sample_interval_s", sample_interval_s),
                             _zones(drop_zones),
                             _opt("argument_of_perigee_deg", argument_of_perigee_deg),
                             _flag("trade_factors", trade_factors))
    return PayloadResult(json.loads(data), Table(_table(traj)), note)


def fly(vehicle: VehicleLike, payload_kg: Optional[float] = None, site: Union[str, os.PathLike] = "vostochny",
        perigee_km: Optional[float] = None, apogee_km: Optional[float] = None,
        inclination_deg: Optional[float] = None, southbound: bool = False,
        sample_interval_s: Optional[float] = None, open_loop: bool = False,
        azimuth_deg: Optional[float] = None, vertical_rise_s: Optional[float] = None,
        pitch_over_speed_m_s: Optional[float] = None, pitch_kick_deg: Optional[float] = None,
        staging_fpa_deg: Optional[float] = None, pitch_kick_duration_s: Optional[float] = None,
        final_pitch_deg: Optional[float] = None, gravity_turn_only: bool = False, orbit: Optional[str] = None,
        argument_of_perigee_deg: Optional[float] = None, c3_km2_s2: Optional[float] = None,
        declination_deg: Optional[float] = None, main_engine_burn_s: Optional[float] = None) -> FlightResult:
    """The targeted ascent with a given payload into an orbit (``cosmodrome fly``): events,
    final state and orbit, and the trajectory. A payload heavier than the vehicle carries there
    raises :class:`UnreachableError` naming the largest one. The orbit is circular at
    ``perigee_km`` (default 200) unless ``apogee_km`` is given.

    ``orbit`` (``"leo"``, ``"sso"``, ``"gto"``, ``"gto-1800"``, ``"gto-1500"``, ``"gso"``,
    ``"meo"``, ``"molniya"``, ``"escape"``) flies the whole mission to that named orbit
    (``cosmodrome fly --orbit NAME``), its default elements from the site overridden by
    ``perigee_km``, ``apogee_km``, ``inclination_deg``, ``argument_of_perigee_deg`` and
    ``c3_km2_s2`` (``declination_deg``: the declination of an escape's departure asymptote,
    −90…90°, ``"escape"`` only): a direct ascent, or for a vehicle with a restartable upper stage the ascent to
    a parking orbit, coasts and burns (the report's ``timeline``; the result's ``transfer`` is
    then the transfer report). Without ``payload_kg`` it flies the largest payload (a direct
    ascent's payload report is then the result's ``payload_report``). The trajectory is
    sampled every ``sample_interval_s`` (default 1 s; 10 s through a parking orbit). Without
    ``orbit``, ``argument_of_perigee_deg`` is held by the ascent (an eccentric orbit's; default:
    free).

    ``open_loop=True`` flies the open-loop program instead (``cosmodrome fly --open-loop``):
    vertical rise (``vertical_rise_s``, default 10 s; the kick waits for ``pitch_over_speed_m_s``,
    default 25 m/s), pitch-over kick (``pitch_kick_deg`` over ``pitch_kick_duration_s``, default
    10 s; by default the kick that brings the gravity turn to ``staging_fpa_deg`` at upper-stage
    ignition), gravity turn, then linear-tangent steering to ``final_pitch_deg`` (default 0°; or
    ``gravity_turn_only``), along ``azimuth_deg`` or the azimuth of ``inclination_deg``; it
    reports the orbit it reaches or where it comes down. ``perigee_km`` then only sets the
    azimuth's rotation correction, and ``main_engine_burn_s`` cuts the last stage's main engines
    off that long after its ignition, leaving the engines its file flags ``burns_on``. These
    settings of the program are refused without ``open_loop=True``, as the command line refuses
    them without ``--open-loop``: the targeted ascent would fly without them."""
    v = _vehicle(vehicle)
    open_loop = _flag("open_loop", open_loop)
    gravity_turn_only = _flag("gravity_turn_only", gravity_turn_only)
    program = [("azimuth_deg", azimuth_deg), ("vertical_rise_s", vertical_rise_s),
               ("pitch_over_speed_m_s", pitch_over_speed_m_s), ("pitch_kick_deg", pitch_kick_deg),
               ("staging_fpa_deg", staging_fpa_deg), ("pitch_kick_duration_s", pitch_kick_duration_s),
               ("final_pitch_deg", final_pitch_deg), ("gravity_turn_only", gravity_turn_only or None),
               ("main_engine_burn_s", main_engine_burn_s)]
    given = [key for key, value in program if value is not None]
    if orbit is not None:
        if open_loop:
            raise InvalidInputError("invalid_input", "orbit names a mission of the targeted ascent: not with open_loop",
                                    key="open_loop")
        if given:
            raise InvalidInputError("invalid_input", f"{_names(given)} belong{'s' * (len(given) == 1)} to the open-loop "
                                    "program, not to a mission to a named orbit", key=given[0])
        data, traj, note, transfer, payload_report, orbit_note = _call(
            _native.fly_orbit, v._native, _site(site), _str("orbit", orbit, 'a named orbit such as "leo" or "gto"'),
            _opt("payload_kg", payload_kg),
            _opt("perigee_km", perigee_km), _opt("apogee_km", apogee_km), _opt("inclination_deg", inclination_deg),
            _opt("argument_of_perigee_deg", argument_of_perigee_deg), _opt("c3_km2_s2", c3_km2_s2),
            _opt("declination_deg", declination_deg), _flag("southbound", southbound),
            _opt("sample_interval_s", sample_interval_s))
        result = FlightResult(json.loads(data), Table(_table(traj)), note)
        result.transfer = None if transfer is None else Report(json.loads(transfer))
        result.payload_report = None if payload_report is None else Report(json.loads(payload_report))
        result.notes = [] if orbit_note is None else [orbit_note]
        return result
    if not open_loop and given:
        raise InvalidInputError("invalid_input", f"{_names(given)} belong{'s' * (len(given) == 1)} to the open-loop "
                                "program: give open_loop=True to fly it", key=given[0])
    for key, value in (("c3_km2_s2", c3_km2_s2), ("declination_deg", declination_deg)):
        if value is not None:
            raise InvalidInputError("invalid_input", f"{key} overrides an element of a named orbit: give orbit", key=key)
    if payload_kg is None:
        raise InvalidInputError("invalid_input", "payload_kg is required without orbit", key="payload_kg")
    perigee_km = 200.0 if perigee_km is None else perigee_km
    sample_interval_s = 1.0 if sample_interval_s is None else sample_interval_s
    if open_loop:
        if apogee_km is not None:
            raise InvalidInputError("invalid_input", "apogee_km targets an orbit: not with open_loop", key="apogee_km")
        if argument_of_perigee_deg is not None:
            raise InvalidInputError("invalid_input",
                                    "argument_of_perigee_deg is held by the targeted ascent: not with open_loop",
                                    key="argument_of_perigee_deg")
        fpa = _native.default_staging_fpa_deg() if staging_fpa_deg is None else _num("staging_fpa_deg", staging_fpa_deg)
        # The command line's defaults of the program.
        defaults = {"vertical_rise_s": 10.0, "pitch_over_speed_m_s": 25.0, "pitch_kick_duration_s": 10.0,
                    "final_pitch_deg": 0.0}
        vertical_rise_s, pitch_over_speed_m_s, pitch_kick_duration_s, final_pitch_deg = (
            defaults[key] if value is None else _num(key, value)
            for key, value in (("vertical_rise_s", vertical_rise_s), ("pitch_over_speed_m_s", pitch_over_speed_m_s),
                               ("pitch_kick_duration_s", pitch_kick_duration_s), ("final_pitch_deg", final_pitch_deg)))
        data, traj, note = _call(
            _native.fly_open_loop, v._native, _site(site), _num("payload_kg", payload_kg), _num("perigee_km", perigee_km),
            _opt("inclination_deg", inclination_deg), _opt("azimuth_deg", azimuth_deg), _flag("southbound", southbound),
            vertical_rise_s, pitch_over_speed_m_s, _opt("pitch_kick_deg", pitch_kick_deg), fpa, pitch_kick_duration_s,
            final_pitch_deg, gravity_turn_only, _opt("main_engine_burn_s", main_engine_burn_s),
            _num("sample_interval_s", sample_interval_s))
        return FlightResult(json.loads(data), Table(_table(traj)), note)
    data, traj, note = _call(_native.fly, v._native, _site(site), _num("payload_kg", payload_kg),
                             *_orbit(perigee_km, apogee_km, inclination_deg), _flag("southbound", southbound),
                             _num("sample_interval_s", sample_interval_s),
                             _opt("argument_of_perigee_deg", argument_of_perigee_deg))
    return FlightResult(json.loads(data), Table(_table(traj)), note)


def _text_file(path, key: str):
    """``(text, path)`` of the file argument ``key``, or ``None``."""
    if path is None:
        return None
    path = _path(key, path)
    with open(path, encoding="utf-8") as f:
        return (f.read(), path)


def _named_orbit(orbit, argument_of_perigee_deg, c3_km2_s2, declination_deg=None):
    """``(orbit, argument_of_perigee_deg, c3_km2_s2, declination_deg)`` for the native module
    (``None`` stays)."""
    return (None if orbit is None else _str("orbit", orbit, 'a named orbit such as "leo" or "gto"'),
            _opt("argument_of_perigee_deg", argument_of_perigee_deg),
            _opt("c3_km2_s2", c3_km2_s2), _opt("declination_deg", declination_deg))


def dropzones(vehicle: VehicleLike, site: Union[str, os.PathLike] = "vostochny", perigee_km: Optional[float] = None,
              apogee_km: Optional[float] = None, inclination_deg: Optional[float] = None,
              southbound: bool = False, payload_kg: Optional[float] = None, samples: int = 1000,
              seed: int = 1, dispersions: Optional[Union[str, os.PathLike]] = None,
              wind: Optional[Union[str, os.PathLike]] = None,
              drop_zones: Optional[Union[str, os.PathLike]] = None, orbit: Optional[str] = None,
              argument_of_perigee_deg: Optional[float] = None,
              c3_km2_s2: Optional[float] = None, declination_deg: Optional[float] = None) -> DropzonesResult:
    """Where the jettisoned stages fall (``cosmodrome dropzones``): the nominal falls and
    ``samples`` dispersed falls per body (1 to 1 000 000, as the command line takes; Monte Carlo,
    reproducible by ``seed`` on any number of threads), their footprints. The ascent is the
    payload optimizer's, or with ``payload_kg`` the targeted ascent with that payload, into the
    orbit circular at ``perigee_km`` (default 200) unless ``apogee_km`` is given, holding
    ``argument_of_perigee_deg`` when given.
    ``dispersions`` and ``wind`` are TOML files; ``drop_zones`` shapes the ascent to designated
    zones as in :func:`payload`.

    ``orbit`` (``"leo"``, ``"sso"``, ``"gto"``, ``"gto-1800"``, ``"gto-1500"``, ``"gso"``,
    ``"meo"``, ``"molniya"``, ``"escape"``) is ``cosmodrome dropzones --orbit NAME``: the named orbit's
    default elements from the site, overridden by ``perigee_km``, ``apogee_km``,
    ``inclination_deg``, ``argument_of_perigee_deg``, ``c3_km2_s2`` and ``declination_deg``, as in
    :func:`fly`. On a
    mission through a parking orbit (a vehicle with a restartable upper stage to GTO, GSO, MEO)
    the nominal flight is the whole mission's (the largest payload, or ``payload_kg``), every
    body it drops falls, the report gains its ``transfer`` and the trajectory is sampled every
    10 s; designated zones are then checked, not shaped to. On ``"escape"`` the stages fall the
    same way; the upper stage and the payload leave on the hyperbola, the report has no
    ``target`` and its ``transfer.escape`` gives the C3 asked for and reached."""
    v = _vehicle(vehicle)
    samples, seed = _samples(samples), _count("seed", seed, 0, 2**64 - 1)
    data, impacts, traj, note = _call(
        _native.dropzones, v._native, _site(site), _opt("perigee_km", perigee_km), _opt("apogee_km", apogee_km),
        _opt("inclination_deg", inclination_deg), _flag("southbound", southbound), _opt("payload_kg", payload_kg), samples,
        seed, _text_file(dispersions, "dispersions"), _text_file(wind, "wind"), _zones(drop_zones),
        *_named_orbit(orbit, argument_of_perigee_deg, c3_km2_s2, declination_deg))
    return DropzonesResult(json.loads(data), Table(_table(impacts)), Table(_table(traj)), note)


def _vehicle_from_spec(spec: tuple) -> Vehicle:
    """The vehicle a ``Vehicle._spec`` describes: a catalog id, or a file's text and name."""
    if spec[0] == "catalog":
        return Vehicle.catalog(spec[1])
    return Vehicle.from_toml(spec[1], spec[2])


def _vary_spec(vary) -> str:
    """``PATH=VALUES`` as given, or from ``(path, values)``."""
    if isinstance(vary, str):
        return vary
    path, values = vary
    return f"{path}=" + ",".join(repr(float(v)) for v in values)


def _vehicle_text(v: Vehicle):
    """The text of a vehicle's file and the name its errors give."""
    if v._spec[0] == "catalog":
        return _native.catalog_vehicle_text(v._spec[1]), f"{v._spec[1]}.toml"
    return v._spec[1], v._spec[2]


def _sweep_axes(vehicles, sites, altitudes_km, inclinations_deg):
    """A sweep's axes checked before any flight: ``(vehicles, site ids, altitudes, inclinations)``.
    An empty axis of vehicles, sites or altitudes is refused (the grid would be empty, the
    table too, with no word why); no inclination is each pad's lowest, as ``None`` is."""
    axes = {"vehicles": _as_list(vehicles), "sites": _as_list(sites), "altitudes_km": _as_list(altitudes_km)}
    for key, values in axes.items():
        if not values:
            raise InvalidInputError("invalid_input", f"missing {key}: give at least one", key=key)
    vs = [_vehicle(v, "vehicles") for v in axes["vehicles"]]
    site_ids = [_site(s, "sites") for s in axes["sites"]]
    altitudes = _numbers("altitudes_km", axes["altitudes_km"], positive=True)
    incs = _inclinations(_as_list(inclinations_deg)) or [None]
    return vs, site_ids, altitudes, incs


def _inclinations(values) -> list:
    """A sweep's inclinations: numbers as :func:`_numbers` reads them, ``None`` (each pad's
    lowest) and ``"sso"`` (the sun-synchronous inclination at each altitude) kept."""
    out = []
    for v in values:
        if isinstance(v, str) and v.strip().lower() == "sso":
            out.append("sso")
        elif isinstance(v, str):
            raise _invalid("inclinations_deg", f'must be numbers or "sso", got {v!r}')
        else:
            out.extend(_numbers("inclinations_deg", [v], allow_none=True))
    return out


def sweep(vehicles: Union[VehicleLike, Sequence[VehicleLike]],
          sites: Union[str, os.PathLike, Sequence[Union[str, os.PathLike]]] = "vostochny",
          altitudes_km: Union[float, Sequence[float]] = 200.0,
          inclinations_deg: Union[None, float, str, Sequence[Union[None, float, str]]] = None,
          southbound: bool = False, out: Optional[Union[str, os.PathLike]] = None,
          vary: Union[None, str, tuple] = None, warm_start: bool = True,
          out_dir: Optional[Union[str, os.PathLike]] = None) -> Table:
    """Payload over a grid: vehicles × sites × circular-orbit altitudes × inclinations, on all
    cores (rayon). ``inclinations_deg=None`` (or no inclination) takes each pad's lowest
    inclination; ``"sso"`` the sun-synchronous inclination at each altitude (a user's guide's SSO
    chart: 97.4° at 500 km, 98.6° at 800 km), which the table's ``inclination_deg`` gives. A point the vehicle cannot reach is a row with ``status`` ``unreachable`` and
    the reason in ``message`` (``payload_kg`` null); it does not stop the sweep. No vehicle, site
    or altitude, or a site the catalog does not know, is refused before the run, as the web
    API refuses it: an empty grid is a mistake, not an empty table.

    A site is a catalog id, resolved for each vehicle to its family's pad, or a site file (as
    :func:`payload` takes it), read once before the run and flown from by every vehicle; the
    table's ``site`` and ``pad`` then give the file's pad id, not its path. Two sites whose pads
    would share an id (two files, or a file and a cosmodrome with a pad of that id) are refused.

    Each point starts from its neighbour's solution (along the altitude; along the parameter's
    values for a parameter swept at one altitude), which agrees with a cold start
    (``warm_start=False``) within 1 kg at a fraction of the flights; every fourth point starts
    from the fourth before it, so that the points between run beside them on all cores.

    ``vary`` sweeps one value of one vehicle's file: ``"stage.URM-2.propellant_mass_kg=30000:40000:2500"``
    (``PATH=START:END:STEP`` or ``PATH=V1,V2,...``) or ``("stage.URM-2.propellant_mass_kg",
    [30000, 35000])``; the table then has a column named by the path.

    Rows come in grid order (the last axis varies fastest). With ``out`` the table is also
    written, as Parquet (``.parquet``) or CSV (any other name); with ``out_dir`` the files of
    ``cosmodrome sweep --out`` are written there as one set: ``sweep.csv``, ``sweep.parquet``, the
    payload chart ``payload.png`` / ``payload.svg`` (payload against altitude, a line per
    inclination) and ``run.json``; the directory must be new, empty or a previous run's.
    """
    if out_dir is not None and not _path("out_dir", out_dir, "a directory path (a str or an os.PathLike)"):
        raise _invalid("out_dir", "an empty path: give a directory")
    out = None if out is None else _path("out", out)  # refused before the run, not after it
    vs, sites, altitudes, incs = _sweep_axes(vehicles, sites, altitudes_km, inclinations_deg)
    vary_args = None
    if vary is not None:
        if len(vs) != 1:
            raise InvalidInputError("invalid_input", f"vary sweeps one vehicle's file; give one vehicle, not {len(vs)}",
                                    key="vary")
        vary_args = (_vary_spec(vary), *_vehicle_text(vs[0]))
    cols = _call(_native.sweep, [v._native for v in vs], sites, altitudes, incs, _flag("southbound", southbound),
                 vary_args, _flag("warm_start", warm_start), None if out_dir is None else os.fspath(out_dir))
    table = Table(_table(cols))
    if out is not None:
        if out.endswith(".parquet"):
            table.write_parquet(out)
        else:
            table.write_csv(out)
    return table


def propellant(oxidizer: str, fuel: str, mixture_ratio: Union[float, str], chamber_pressure_bar: float,
               expansion_ratio: Optional[float] = None, pressure_ratio: Optional[float] = None,
               frozen: bool = False, frozen_at_throat: bool = False,
               ambient_pressure_bar: float = 1.01325) -> Report:
    """Equilibrium combustion and nozzle flow of a propellant pair, as NASA CEA computes them
    (``cosmodrome propellant``): chamber, throat and exit states, c*, vacuum and ambient Isp.

    ``mixture_ratio`` is the oxidizer-to-fuel mass ratio, or a sweep ``"start:end:step"`` (end
    included), answered with the sweep report: its ``points``, the best point and the optimum
    through it (a :class:`PropellantSweep`, whose ``table`` holds the points); the ratios whose
    equilibrium does not converge are left out of them and listed in ``failed`` with their
    reason (absent when every point converged). The nozzle
    exit is ``expansion_ratio`` (exit over throat area) or ``pressure_ratio`` (chamber over exit
    pressure); the flow is shifting equilibrium unless ``frozen`` (at the chamber) or
    ``frozen_at_throat``. ``ambient_pressure_bar`` (sea level by default, 0 for vacuum) gives
    the ambient Isp and the flow-separation check.
    """
    frozen, frozen_at_throat = _flag("frozen", frozen), _flag("frozen_at_throat", frozen_at_throat)
    if frozen and frozen_at_throat:
        raise InvalidInputError("invalid_input", "give frozen or frozen_at_throat, not both", key="frozen")
    flow = "frozen" if frozen else "frozen_at_throat" if frozen_at_throat else "shifting"
    ratio = mixture_ratio if isinstance(mixture_ratio, str) else repr(_num("mixture_ratio", mixture_ratio))
    data = json.loads(_call(_native.propellant, _str("oxidizer", oxidizer, 'a propellant name such as "LOX"'),
                            _str("fuel", fuel, 'a propellant name such as "RP-1"'), ratio,
                            _num("chamber_pressure_bar", chamber_pressure_bar),
                            _opt("expansion_ratio", expansion_ratio),
                            _opt("pressure_ratio", pressure_ratio), flow,
                            _num("ambient_pressure_bar", ambient_pressure_bar)))
    return PropellantSweep(data) if "points" in data else Report(data)


def validate(table: Optional[Union[str, os.PathLike]] = None) -> Report:
    """Predicted against published payloads (``cosmodrome validate --json``): every case of the
    built-in tables, or of the table file ``table`` (its cases name catalog ids or vehicle files
    relative to the table's directory), each flown on all cores, with the summaries and the
    comparisons of the flown flights. A vehicle file's warnings are issued as Python warnings,
    once per file."""
    data, told = _call(_native.validate, _text_file(table, "table"))
    for w in told:
        warnings.warn(w, stacklevel=2)
    return Report(json.loads(data))

