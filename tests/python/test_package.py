"""Tests of the Python package `cosmodrome` (python/): the missions through the bindings agree
with the command-line tool, tables are well-formed Arrow, errors are typed and located, the GIL
is released, sweeps report unreachable points without aborting. CI builds the wheel into its
venv and runs these with pytest (.ci/run)."""

import json
import os
import pathlib
import shutil
import subprocess
import threading
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import cosmodrome

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOYUZ = ROOT / "data" / "vehicles" / "soyuz-2.1b.toml"


def cli():
    """The `cosmodrome` binary: $COSMODROME_CLI, else the workspace's debug build."""
    path = os.environ.get("COSMODROME_CLI") or str(ROOT / "target" / "debug" / "cosmodrome")
    if not os.path.exists(path):
        if os.environ.get("COSMODROME_REQUIRE_CLI"):
            pytest.fail(f"cosmodrome binary not found at {path}")
        pytest.skip("cosmodrome binary not built")
    return path


@pytest.fixture(scope="module")
def soyuz_sso():
    return cosmodrome.payload("soyuz-2.1b", site="vostochny", inclination_deg=97.5)


def test_payload_matches_the_cli_to_the_kilogram(soyuz_sso):
    out = subprocess.run([cli(), "payload", "soyuz-2.1b", "--site", "vostochny", "--inclination-deg", "97.5", "--json"],
                         check=True, capture_output=True, text=True).stdout
    report = json.loads(out)
    assert abs(soyuz_sso.payload_kg - report["payload_kg"]) < 1.0
    # The whole report is the core's: the same members with the same values.
    assert soyuz_sso.to_dict() == report


def test_payload_report_members_are_attributes(soyuz_sso):
    r = soyuz_sso
    assert r.format == "cosmodrome-payload/1"
    assert r.site.startswith("vostochny")
    assert abs(r.orbit.inclination_deg - 97.5) < 0.05
    assert abs(r.orbit.perigee_km - 200.0) < 1.0
    assert r.stages and all(s.name for s in r.stages)
    with pytest.raises(AttributeError, match="no member"):
        r.payload_lb


def test_trajectory_is_an_arrow_table_of_the_ascent(soyuz_sso):
    t = soyuz_sso.trajectory
    assert isinstance(t.arrow, pa.Table)
    assert t.columns[:3] == ["time_s", "altitude_m", "latitude_deg"]
    assert t.arrow.schema.field("altitude_m").type == pa.float64()
    assert t.arrow.schema.field("stage").type == pa.string()
    assert len(t.head()) == 5
    time_s = t["time_s"].to_pylist()
    assert time_s[0] == 0.0 and all(b > a for a, b in zip(time_s, time_s[1:]))
    # Sampled every second up to insertion, where the last row sits.
    assert abs(time_s[-1] - soyuz_sso.insertion_time_s) < 1.5
    mass = t["mass_kg"].to_pylist()
    assert all(b <= a + 1e-9 for a, b in zip(mass, mass[1:])), "mass never grows"
    alt = t["altitude_m"].to_pylist()
    # Geodetic altitude: the orbit's 200 km are over the equatorial radius, the ground is up to
    # 21 km lower at high latitude.
    assert 195.0 < alt[-1] / 1e3 < 225.0


def test_vehicle_catalog_file_and_text_are_the_same_vehicle():
    a = cosmodrome.Vehicle.catalog("soyuz-2.1b")
    b = cosmodrome.Vehicle.from_file(SOYUZ)
    c = cosmodrome.Vehicle.from_toml(SOYUZ.read_text(), "soyuz.toml")
    assert a.name == b.name == c.name == "Soyuz-2.1b"
    ia, ib = a.info(payload_kg=5000).to_dict(), b.info(payload_kg=5000).to_dict()
    assert ia == ib
    assert ia["payload_kg"] == 5000
    assert len(ia["stages"]) >= 2 and ia["liftoff_mass_kg"] > 300_000
    assert "soyuz-2.1b" in cosmodrome.catalog_ids()


def test_a_bad_vehicle_file_raises_with_file_line_and_key():
    lines = SOYUZ.read_text().splitlines()
    n = next(i for i, l in enumerate(lines) if l.startswith("dry_mass_kg"))
    lines[n] = "dry_mass_kg = -5.0"
    with pytest.raises(cosmodrome.VehicleFileError) as e:
        cosmodrome.Vehicle.from_toml("\n".join(lines), "broken.toml")
    assert e.value.file == "broken.toml"
    assert e.value.line == n + 1
    assert "dry_mass_kg" in e.value.key
    assert isinstance(e.value, ValueError)


def test_a_bad_vehicle_file_on_disk_names_its_path(tmp_path):
    p = tmp_path / "v.toml"
    p.write_text(SOYUZ.read_text().replace("format = 1", "format = 99", 1))
    with pytest.raises(cosmodrome.VehicleFileError) as e:
        cosmodrome.Vehicle.from_file(p)
    assert e.value.file == str(p) and e.value.key == "format" and e.value.line == 4


#: README's example site file: a pad the catalog lacks.
WALLOPS = """format = 1

[[site]]
id = "wallops-0a"
cosmodrome = "wallops"
name = "Wallops LP-0A"
latitude_deg = 37.8338
longitude_deg = -75.4881
altitude_m = 0.0
source = "test"
corridors = [{ azimuth_min_deg = 38.0, azimuth_max_deg = 130.0 }]
"""


def test_a_site_file_is_the_clis_pad_as_a_str_or_a_path(tmp_path):
    pad = tmp_path / "my-pad.toml"
    pad.write_text(WALLOPS)
    r = cosmodrome.payload("soyuz-2.1b", site=str(pad))
    out = subprocess.run([cli(), "payload", "soyuz-2.1b", "--site", str(pad), "--json"],
                         check=True, capture_output=True, text=True).stdout
    assert r.to_dict() == json.loads(out)
    assert r.site == "wallops-0a" and r.site_note is None
    # Flown from 37.8° N: the lowest inclination is the pad's latitude, not Vostochny's 51.9°.
    assert 37.8 <= r.orbit.inclination_deg < 38.5
    assert cosmodrome.payload("soyuz-2.1b", site=pad, sample_interval_s=None).payload_kg == r.payload_kg
    # A sweep reads it once and names it by its pad id, for every vehicle.
    rows = cosmodrome.sweep(["soyuz-2.1b", "angara-a5"], sites=["vostochny", pad], altitudes_km=200).to_pylist()
    assert [(row["site"], row["pad"]) for row in rows] == [("vostochny", "vostochny-1s"), ("wallops-0a", "wallops-0a"),
                                                           ("vostochny", "vostochny-1a"), ("wallops-0a", "wallops-0a")]
    assert abs(rows[1]["payload_kg"] - r.payload_kg) <= 1.0
    assert cosmodrome.sweep("soyuz-2.1b", sites=pad, altitudes_km=200).to_pylist() == rows[1:2]


def test_a_bad_site_file_is_refused_naming_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="site file not found"):
        cosmodrome.payload("soyuz-2.1b", site=tmp_path / "no-pad.toml")
    with pytest.raises(FileNotFoundError, match="no-pad.toml"):
        cosmodrome.sweep("soyuz-2.1b", sites=["vostochny", str(tmp_path / "no-pad.toml")])
    with pytest.raises(cosmodrome.InvalidInputError, match="ends in .toml") as e:
        cosmodrome.fly("soyuz-2.1b", 5000, site=tmp_path / "my-pad")
    assert e.value.key == "site"
    pad = tmp_path / "my-pad.toml"
    pad.write_text(WALLOPS.replace("altitude_m = 0.0\n", ""))
    with pytest.raises(cosmodrome.VehicleFileError, match="altitude_m") as e:
        cosmodrome.payload("soyuz-2.1b", site=pad)
    assert (e.value.file, e.value.line) == (str(pad), 3) and "altitude_m" in e.value.key
    with pytest.raises(cosmodrome.VehicleFileError, match="altitude_m"):
        cosmodrome.sweep("soyuz-2.1b", sites=[pad])
    # Two pads of one id would read as one site in the table.
    pad.write_text(WALLOPS)
    (tmp_path / "copy.toml").write_text(WALLOPS)
    with pytest.raises(cosmodrome.InvalidInputError, match="both have a pad `wallops-0a`") as e:
        cosmodrome.sweep("soyuz-2.1b", sites=[pad, tmp_path / "copy.toml"])
    assert e.value.key == "sites"
    # A site given twice would give every row twice.
    with pytest.raises(cosmodrome.InvalidInputError, match="`vostochny` is given twice") as e:
        cosmodrome.sweep("soyuz-2.1b", sites=["vostochny", "vostochny"])
    assert e.value.key == "sites"
    # A pad with a catalog pad's id could not be told from it in the outputs.
    pad.write_text(WALLOPS.replace('id = "wallops-0a"', 'id = "vostochny-1s"'))
    for run in (lambda: cosmodrome.payload("soyuz-2.1b", site=pad), lambda: cosmodrome.sweep("soyuz-2.1b", sites=["kourou", pad])):
        with pytest.raises(cosmodrome.VehicleFileError, match="is the catalog's pad `vostochny-1s`") as e:
            run()
        assert (e.value.file, e.value.key) == (str(pad), "site[0].id")


def test_unknown_ids_suggest_the_nearest():
    with pytest.raises(cosmodrome.UnknownIdError, match="soyuz-2.1b"):
        cosmodrome.payload("soyuz-2.1x")
    with pytest.raises(cosmodrome.UnknownIdError, match="vostochny"):
        cosmodrome.payload("soyuz-2.1b", site="vostochniy")
    with pytest.raises(FileNotFoundError):
        cosmodrome.payload("no/such/vehicle.toml")


def test_an_orbit_outside_the_corridors_is_unreachable():
    with pytest.raises(cosmodrome.UnreachableError):
        cosmodrome.payload("soyuz-2.1b", site="vostochny", inclination_deg=30.0)


def test_fly_reaches_the_orbit_below_the_payload_and_refuses_above(soyuz_sso):
    f = cosmodrome.fly("soyuz-2.1b", soyuz_sso.payload_kg - 500, site="vostochny", inclination_deg=97.5)
    assert f.format.startswith("cosmodrome-flight/")
    assert f.events and f.events[0].time_s == 0.0
    assert len(f.trajectory) > 100
    with pytest.raises(cosmodrome.UnreachableError, match="cannot carry"):
        cosmodrome.fly("soyuz-2.1b", soyuz_sso.payload_kg + 800, site="vostochny", inclination_deg=97.5)


def test_open_loop_fly_is_the_cli_open_loop_flight():
    kw = dict(site="vostochny", inclination_deg=51.9, open_loop=True, pitch_kick_deg=1.5)
    f = cosmodrome.fly("soyuz-2.1b", 5000, **kw)
    out = subprocess.run([cli(), "fly", "soyuz-2.1b", "--payload-kg", "5000", "--site", "vostochny", "--inclination-deg",
                          "51.9", "--open-loop", "--pitch-kick-deg", "1.5", "--json"],
                         check=True, capture_output=True, text=True).stdout
    assert f.to_dict() == json.loads(out), "the CLI's report, member for member"
    # Another kick flies another ascent (the comparison can fail), and the default kick aims the
    # gravity turn at the staging flight-path angle.
    assert cosmodrome.fly("soyuz-2.1b", 5000, **{**kw, "pitch_kick_deg": 3.0}).to_dict() != f.to_dict()
    assert cosmodrome.fly("soyuz-2.1b", 5000, site="vostochny", azimuth_deg=45.0, open_loop=True).events
    with pytest.raises(cosmodrome.InvalidInputError):
        cosmodrome.fly("soyuz-2.1b", 5000, azimuth_deg=60.0)
    # A main-engine cutoff for Zenit-2's burn-on RD-8: the CLI's flight, its event reported;
    # not without the open loop, and not for a vehicle without burn-on engines.
    zenit = dict(site="baikonur", inclination_deg=99.64, open_loop=True, final_pitch_deg=20.0, main_engine_burn_s=240.0)
    z = cosmodrome.fly("zenit-2", 3000, **zenit)
    out = subprocess.run([cli(), "fly", "zenit-2", "--payload-kg", "3000", "--site", "baikonur", "--inclination-deg", "99.64",
                          "--open-loop", "--final-pitch-deg", "20", "--main-engine-burn-s", "240", "--json"],
                         check=True, capture_output=True, text=True).stdout
    assert z.to_dict() == json.loads(out)
    assert any(e["event"] == "main_engine_cutoff" for e in z.to_dict()["events"])
    with pytest.raises(cosmodrome.InvalidInputError):
        cosmodrome.fly("zenit-2", 3000, site="baikonur", main_engine_burn_s=240.0)
    with pytest.raises(cosmodrome.InvalidInputError):
        cosmodrome.fly("soyuz-2.1b", 5000, open_loop=True, main_engine_burn_s=240.0)


def test_ascents_shaped_to_designated_drop_zones_are_the_cli_ones(tmp_path):
    kw = dict(site="baikonur", inclination_deg=51.6, drop_zones="baikonur-iss")
    r = cosmodrome.payload("soyuz-2.1b", **kw)
    out = subprocess.run([cli(), "payload", "soyuz-2.1b", "--site", "baikonur", "--inclination-deg", "51.6",
                          "--drop-zones", "baikonur-iss", "--json"], check=True, capture_output=True, text=True).stdout
    assert r.to_dict() == json.loads(out)
    assert r.drop_zones.zones[0].inside
    # Unshaped, the booster falls elsewhere (the zone changes the answer).
    free = cosmodrome.payload("soyuz-2.1b", site="baikonur", inclination_deg=51.6)
    assert free.stages[0].impact.to_dict() != r.stages[0].impact.to_dict()
    dz = cosmodrome.dropzones("soyuz-2.1b", samples=50, seed=1, **kw)
    assert dz.designated_zones.ascent_shaped and dz.designated_zones.zones[0].nominal_inside
    # A zone file by path; a bad one names the file and the key.
    bad = tmp_path / "zones.toml"
    bad.write_text('format = 1\nname = "x"\n[[zone]]\nname = "Z"\nstage = "booster"\nlatitude_deg = 47.0\n'
                   'longitude_deg = 67.0\nradius_km = 0.0\nsource = "s"\n')
    with pytest.raises(cosmodrome.VehicleFileError) as e:
        cosmodrome.payload("soyuz-2.1b", site="baikonur", drop_zones=bad)
    assert e.value.file == str(bad) and "radius_km" in e.value.key
    with pytest.raises(cosmodrome.InvalidInputError):
        cosmodrome.payload("soyuz-2.1b", site="baikonur", drop_zones="no-such-zones")


def test_dropzones_impacts_are_reproducible_by_seed():
    a = cosmodrome.dropzones("soyuz-2.1b", inclination_deg=51.9, payload_kg=6000, samples=40, seed=7)
    b = cosmodrome.dropzones("soyuz-2.1b", inclination_deg=51.9, payload_kg=6000, samples=40, seed=7)
    c = cosmodrome.dropzones("soyuz-2.1b", inclination_deg=51.9, payload_kg=6000, samples=40, seed=8)
    assert a.format.startswith("cosmodrome-dropzones/")
    bodies = a.impacts["body"].to_pylist()
    assert len(bodies) == 40 * len(set(bodies))
    assert a.impacts.arrow.equals(b.impacts.arrow)
    assert not a.impacts.arrow.equals(c.impacts.arrow)
    with pytest.raises(cosmodrome.InvalidInputError):
        cosmodrome.dropzones("soyuz-2.1b", samples=0)


def test_dropzones_of_a_mission_through_a_parking_orbit():
    """``orbit=`` is ``dropzones --orbit``: Soyuz-2.1b/Fregat-MT to GTO from Baikonur drops its
    bodies from the whole mission at the largest payload (that of ``fly(orbit=)``'s transfer
    report, the same optimizer), the report has its ``transfer``; the CLI answers the same
    report, a distributed campaign the same impacts."""
    kw = dict(site="baikonur", orbit="gto", samples=10, seed=3)
    dz = cosmodrome.dropzones("soyuz-2.1b-fregat", **kw)
    mission = cosmodrome.fly("soyuz-2.1b-fregat", site="baikonur", orbit="gto", sample_interval_s=60.0)
    assert dz.transfer.target == mission.transfer.target and dz.ascent == "optimized"
    assert abs(dz.transfer.orbit.apogee_km - 35_786.0) < 50.0
    assert dz.payload_kg == mission.transfer.payload_kg > 1000.0
    assert dz.transfer.parking.to_dict() == mission.transfer.parking.to_dict()
    bodies = dz.impacts["body"].to_pylist()
    assert len(bodies) <= 10 * len(dz.bodies) and all(b.samples_down + b.samples_not_down == 10 for b in dz.bodies)
    # Sampled every 10 s through the hours of the mission.
    t = dz.trajectory["time_s"].to_pylist()
    assert t[-1] > 3600.0 and abs(t[1] - t[0] - 10.0) < 1e-9
    chunks = distributed_impacts("soyuz-2.1b-fregat", chunk_samples=6, use_ray=False, progress=False, **kw)
    assert chunks.arrow.equals(dz.impacts.arrow)
    # Through the parking orbit the GTO's argument of perigee is held; flown directly, it is not,
    # and the report says so.
    assert "notes" not in dz
    direct = cosmodrome.dropzones("ariane-5-eca", site="kourou", orbit="gto", payload_kg=9000.0, samples=3, seed=3)
    assert "transfer" not in direct
    assert len(direct.notes) == 1 and "the named orbit's 178° is not held" in direct.notes[0]
    # Asked for, the direct ascent holds it (on the southbound leg from Kourou), with no note.
    held = cosmodrome.dropzones("ariane-5-eca", site="kourou", orbit="gto", argument_of_perigee_deg=178.0,
                                southbound=True, payload_kg=9000.0, samples=3, seed=3)
    assert "notes" not in held and held.target.argument_of_perigee_deg == 178.0
    with pytest.raises(cosmodrome.InvalidInputError) as e:
        cosmodrome.dropzones("soyuz-2.1b", c3_km2_s2=10.0, samples=10)
    assert e.value.key == "c3_km2_s2"
    with pytest.raises(cosmodrome.CosmodromeError) as e:
        cosmodrome.dropzones("soyuz-2.1b-fregat", orbit="geo", samples=10)
    assert "gso" in e.value.message
    out = subprocess.run([cli(), "dropzones", "soyuz-2.1b-fregat", "--site", "baikonur", "--orbit", "gto", "--samples", "10",
                          "--seed", "3", "--json"], check=True, capture_output=True, text=True).stdout
    assert dz.to_dict() == json.loads(out)


def test_dropzones_of_an_escape_mission():
    """``orbit="escape"``: Angara-A5/Briz-M at C3 5 km²/s² from Vostochny drops its bodies from the
    whole escape mission at the largest payload (that of ``fly(orbit="escape")``'s transfer
    report); the report has no ``target`` nor ``transfer.orbit``, its ``transfer.escape`` the C3
    asked for and reached; the first stages come down, Briz-M's drop tank does not; the CLI
    answers the same report. A C3 out of range is refused saying so."""
    kw = dict(site="vostochny", orbit="escape", c3_km2_s2=5.0, samples=10, seed=3)
    dz = cosmodrome.dropzones("angara-a5-briz-m", **kw)
    mission = cosmodrome.fly("angara-a5-briz-m", site="vostochny", orbit="escape", c3_km2_s2=5.0, sample_interval_s=60.0)
    assert "target" not in dz and "orbit" not in dz.transfer
    assert dz.transfer.target == mission.transfer.target == "escape with C3 5.00 km²/s²"
    assert dz.payload_kg == mission.transfer.payload_kg > 1000.0
    e = dz.transfer.escape
    assert e.target_c3_km2_s2 == 5.0 and abs(e.c3_km2_s2 - 5.0) < 0.05
    assert (e.c3_km2_s2, e.perigee_km, e.inclination_deg) == (mission.transfer.c3_km2_s2, mission.transfer.perigee_km,
                                                               mission.transfer.inclination_deg)
    assert [b.nominal_impact is not None for b in dz.bodies] == [True, True, True, True, False]
    assert all(b.samples_down + b.samples_not_down == 10 for b in dz.bodies)
    with pytest.raises(cosmodrome.CosmodromeError) as err:
        cosmodrome.dropzones("angara-a5-briz-m", site="vostochny", orbit="escape", c3_km2_s2=500.0, samples=10)
    assert "C3 must be within 0–200 km²/s², got 500" in err.value.message
    out = subprocess.run([cli(), "dropzones", "angara-a5-briz-m", "--site", "vostochny", "--orbit", "escape", "--c3-km2-s2", "5",
                          "--samples", "10", "--seed", "3", "--json"], check=True, capture_output=True, text=True).stdout
    assert dz.to_dict() == json.loads(out)


def test_a_named_orbit_its_parking_orbit_cannot_lead_to_is_refused_before_any_flight():
    """The core's resolver of named orbits refuses a transfer target its parking orbit cannot lead
    to (a C3 out of range, a perigee below the parking orbit) for ``fly`` and ``dropzones`` alike,
    as ``--orbit`` of the CLI and ``orbit`` of the web API are refused: an
    :class:`InvalidInputError` whose ``key`` is ``orbit`` (the flight code's own refusal would
    name the transfer target) and whose message says why, with the figures asked for."""
    vostochny = dict(vehicle="angara-a5-briz-m", site="vostochny")
    calls = [
        (lambda: cosmodrome.fly(**vostochny, orbit="escape", c3_km2_s2=500.0), "C3 must be within 0–200 km²/s², got 500"),
        (lambda: cosmodrome.fly(**vostochny, orbit="escape", c3_km2_s2=-1.0, payload_kg=1000.0), "got -1 km²/s²"),
        (lambda: cosmodrome.dropzones(**vostochny, orbit="escape", c3_km2_s2=500.0, samples=10),
         "C3 must be within 0–200 km²/s², got 500"),
        (lambda: cosmodrome.dropzones(**vostochny, orbit="gto", perigee_km=100.0, samples=10),
         "the perigee (100 km) is below the parking orbit's (200 km)"),
    ]
    for call, why in calls:
        with pytest.raises(cosmodrome.InvalidInputError) as e:
            call()
        assert e.value.key == "orbit", e.value
        assert why in e.value.message, e.value.message


def distributed_impacts(*args, **kw):
    from cosmodrome import distributed
    return distributed.dropzones_impacts(*args, **kw)


def test_the_gil_is_released_during_a_mission():
    ticks = [0]
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks[0] += 1

    t = threading.Thread(target=count)
    t.start()
    try:
        time.sleep(0.05)
        # The counter's own rate, with this thread asleep.
        before, start = ticks[0], time.perf_counter()
        time.sleep(0.2)
        alone_per_s = (ticks[0] - before) / (time.perf_counter() - start)
        # Missions of some tenths of a second each (Electron/Curie to a 500 km SSO from Mahia),
        # for half a second at least, however fast the machine.
        before, start, calls = ticks[0], time.perf_counter(), 0
        while time.perf_counter() - start < 0.5 and calls < 50:
            cosmodrome.payload("electron-curie", site="mahia", perigee_km=500, inclination_deg=97.4, sample_interval_s=None)
            calls += 1
        elapsed = time.perf_counter() - start
        during_per_s = (ticks[0] - before) / elapsed
    finally:
        stop.set()
        t.join()
    # With the GIL held the counter would run only between the calls, a switch interval (5 ms)
    # each, a few hundredths of the time; released, it runs on the other core (or interleaves)
    # for most of it.
    assert elapsed >= 0.5, f"{calls} calls in {elapsed:.2f} s"
    assert during_per_s > 0.2 * alone_per_s, f"{during_per_s:.0f} ticks/s during {calls} calls, {alone_per_s:.0f} alone"


def test_sweep_reports_unreachable_points_and_matches_single_runs(tmp_path):
    out = tmp_path / "sweep.parquet"
    t = cosmodrome.sweep(["soyuz-2.1b"], sites=["vostochny"], altitudes_km=[200, 600],
                         inclinations_deg=[51.9, 30.0], out=out)
    rows = t.to_pylist()
    assert [(r["altitude_km"], r["inclination_deg"]) for r in rows] == [(200, 51.9), (200, 30.0), (600, 51.9), (600, 30.0)]
    ok = [r for r in rows if r["status"] == "ok"]
    bad = [r for r in rows if r["status"] != "ok"]
    assert len(ok) == 2 and len(bad) == 2
    assert all(r["payload_kg"] is None and r["message"] for r in bad)
    # Nothing to say is null, as in the JSON report, not an empty string.
    assert all(r["message"] is None and r["profile"] == "direct" for r in ok)
    assert all(r["profile"] is None for r in bad)
    assert ok[1]["payload_kg"] < ok[0]["payload_kg"], "higher orbit, smaller payload"
    single = cosmodrome.payload("soyuz-2.1b", site="vostochny", perigee_km=600, inclination_deg=51.9)
    # The 600 km point is warm-started from the 200 km one: the lone optimization's answer within 1 kg.
    assert abs(ok[1]["payload_kg"] - single.payload_kg) <= 1.0
    assert pq.read_table(out).equals(t.arrow)
    csv = tmp_path / "sweep.csv"
    cosmodrome.sweep("soyuz-2.1b", altitudes_km=200, out=csv)
    lines = csv.read_text().splitlines()
    assert lines[0].startswith('"vehicle","site"') and len(lines) == 2
    # A mistyped site is bad input, refused before the run, not a row.
    with pytest.raises(cosmodrome.UnknownIdError, match="unknown site `plesetk`; did you mean `plesetsk`"):
        cosmodrome.sweep("soyuz-2.1b", sites=["vostochny", "plesetk"], altitudes_km=200)


def test_warm_started_sweeps_agree_with_cold_ones_and_write_the_chart(tmp_path):
    grid = dict(sites="vostochny", altitudes_km=[200, 500, 800], inclinations_deg=[51.9, 30.0])
    warm = cosmodrome.sweep("soyuz-2.1b", out_dir=tmp_path / "chart", **grid).to_pylist()
    cold = cosmodrome.sweep("soyuz-2.1b", warm_start=False, **grid).to_pylist()
    assert [r["status"] for r in warm] == [r["status"] for r in cold] == ["ok", "unreachable"] * 3
    for w, c in zip(warm, cold):
        if w["status"] == "ok":
            assert abs(w["payload_kg"] - c["payload_kg"]) <= 1.0, (w, c)
    files = sorted(p.name for p in (tmp_path / "chart").iterdir())
    assert files == ["payload.png", "payload.svg", "run.json", "sweep.csv", "sweep.parquet"]
    # A directory holding files of its own is refused before any flight, and left as it was.
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    with pytest.raises(cosmodrome.InvalidInputError, match="holds no run.json"):
        cosmodrome.sweep("soyuz-2.1b", out_dir=mine, **grid)
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    written = pq.read_table(tmp_path / "chart" / "sweep.parquet").to_pylist()
    assert written == warm, "the Parquet file holds the returned table"
    svg = (tmp_path / "chart" / "payload.svg").read_text()
    assert "51.9°" in svg and "payload, kg" in svg


def test_a_sweep_takes_the_sun_synchronous_inclination_at_each_altitude():
    rows = cosmodrome.sweep("soyuz-2.1b", altitudes_km=[500, 800], inclinations_deg=["sso", 97.0]).to_pylist()
    assert [r["status"] for r in rows] == ["ok"] * 4
    assert abs(rows[0]["inclination_deg"] - 97.40) < 0.01 and abs(rows[2]["inclination_deg"] - 98.60) < 0.01
    assert rows[1]["inclination_deg"] == rows[3]["inclination_deg"] == 97.0
    assert [r["sun_synchronous"] for r in rows] == [True, False, True, False]
    single = cosmodrome.payload("soyuz-2.1b", perigee_km=500, inclination_deg=rows[0]["inclination_deg"])
    assert abs(rows[0]["payload_kg"] - single.payload_kg) <= 1.0
    for bad, words in [(["sso", "SSO"], "sso is given twice"), (["sun"], 'must be numbers or "sso"')]:
        with pytest.raises(cosmodrome.InvalidInputError, match=words):
            cosmodrome.sweep("soyuz-2.1b", altitudes_km=500, inclinations_deg=bad)


def test_a_vehicle_file_value_is_swept_and_unreachable_values_are_rows(tmp_path):
    t = cosmodrome.sweep("angara-a5", inclinations_deg=63.0, vary=("stage.URM-2.dry_mass_kg", [4000, 100000, 400000]))
    rows = t.to_pylist()
    assert [r["stage.URM-2.dry_mass_kg"] for r in rows] == [4000.0, 100000.0, 400000.0]
    assert [r["status"] for r in rows] == ["ok", "unreachable", "unreachable"]
    assert "m/s short" in rows[1]["message"] and "cannot lift off" in rows[2]["message"]
    # The range form and a vehicle file give the same sweep.
    text = (ROOT / "data" / "vehicles" / "angara-a5.toml").read_text()
    again = cosmodrome.sweep(cosmodrome.Vehicle.from_toml(text, "angara-a5.toml"), inclinations_deg=63.0,
                             vary="stage.URM-2.dry_mass_kg=4000:4000:1")
    assert again.to_pylist()[0]["payload_kg"] == rows[0]["payload_kg"]
    with pytest.raises(cosmodrome.VehicleFileError) as e:
        cosmodrome.sweep("angara-a5", vary="stage.URM-3.dry_mass_kg=1")
    assert e.value.file == "angara-a5.toml" and "URM-2" in str(e.value)
    with pytest.raises(cosmodrome.InvalidInputError):
        cosmodrome.sweep("angara-a5", vary="stage.URM-2.dry_mass_kg=5:1:1")


def _cli_fly_orbit(*args):
    out = subprocess.run([cli(), "fly", *args, "--json"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def test_fly_to_a_named_orbit_through_a_parking_orbit_is_the_cli_mission():
    f = cosmodrome.fly("angara-a5-briz-m", orbit="gto", payload_kg=3000, site="vostochny")
    cli_report = _cli_fly_orbit("angara-a5-briz-m", "--orbit", "gto", "--payload-kg", "3000", "--site", "vostochny")
    assert f.to_dict() == cli_report, "the CLI's flight report of the whole mission, member for member"
    assert f.payload_kg == 3000.0 and f.ending.outcome == "orbit"
    assert abs(f.ending.apogee_km - 35_786.0) < 50.0
    assert len(f.timeline.burns) >= 4 and f.timeline.coasts, "ascent, parking-orbit coast and the upper stage's burns"
    assert f.transfer is not None and f.transfer.format == "cosmodrome-transfer/1" and f.payload_report is None
    assert f.transfer.payload_kg == 3000.0
    # Sampled every 10 s as the CLI samples a mission of hours.
    t = f.trajectory.column("time_s").to_pylist()
    assert len(t) > 100 and t[1] - t[0] == pytest.approx(10.0)


def test_fly_to_a_named_low_orbit_is_the_cli_direct_ascent():
    f = cosmodrome.fly("soyuz-2.1b", orbit="leo", payload_kg=5000, site="vostochny")
    assert f.to_dict() == _cli_fly_orbit("soyuz-2.1b", "--orbit", "leo", "--payload-kg", "5000", "--site", "vostochny")
    assert f.transfer is None and f.payload_report is None
    assert f.payload_kg == 5000.0 and f.ending.outcome == "orbit"
    assert f.notes == []


def test_a_named_gto_flown_directly_notes_the_perigee_it_leaves_free():
    # The largest payload: its payload report carries the note too.
    f = cosmodrome.fly("soyuz-2.1b", orbit="gto", site="vostochny")
    assert len(f.notes) == 1 and "180° is not held" in f.notes[0]
    assert f.payload_report is not None and f.payload_report.notes == f.notes
    reached = f.payload_report.orbit.argument_of_perigee_deg
    assert 0.0 <= reached < 360.0
    assert f.final.orbit.argument_of_perigee_deg == pytest.approx(reached, abs=1e-3)


def test_a_named_gto_flown_directly_holds_the_perigee_asked_for():
    f = cosmodrome.fly("ariane-5-eca", orbit="gto", site="kourou", argument_of_perigee_deg=178.0, southbound=True,
                       payload_kg=9000.0)
    assert f.notes == [] and f.ending.outcome == "orbit"
    assert f.final.orbit.argument_of_perigee_deg == pytest.approx(178.0, abs=0.5)


def test_an_argument_of_perigee_given_with_the_elements_is_held():
    gto = dict(site="kourou", perigee_km=250.0, apogee_km=35950.0, inclination_deg=6.0, southbound=True)
    p = cosmodrome.payload("ariane-5-eca", argument_of_perigee_deg=178.0, sample_interval_s=None, **gto)
    assert p.target.argument_of_perigee_deg == 178.0
    assert p.orbit.argument_of_perigee_deg == pytest.approx(178.0, abs=0.5)
    f = cosmodrome.fly("ariane-5-eca", 9000.0, argument_of_perigee_deg=178.0, **gto)
    assert f.ending.outcome == "orbit" and f.final.orbit.argument_of_perigee_deg == pytest.approx(178.0, abs=0.5)
    # A circular orbit has no perigee to place; the open-loop program targets no orbit.
    with pytest.raises(cosmodrome.InvalidInputError, match="no perigee to place") as e:
        cosmodrome.payload("soyuz-2.1b", perigee_km=500.0, argument_of_perigee_deg=90.0)
    assert e.value.key == "argument_of_perigee_deg"
    with pytest.raises(cosmodrome.InvalidInputError) as e:
        cosmodrome.fly("soyuz-2.1b", 1000.0, open_loop=True, argument_of_perigee_deg=90.0)
    assert e.value.key == "argument_of_perigee_deg"
    with pytest.raises(cosmodrome.InvalidInputError) as e:
        cosmodrome.dropzones("soyuz-2.1b", argument_of_perigee_deg=90.0, samples=10)
    assert e.value.key == "argument_of_perigee_deg"


def test_fly_to_a_named_orbit_refuses_what_the_cli_refuses():
    with pytest.raises(cosmodrome.InvalidInputError, match="unknown orbit `geo`; one of leo, sso, gto"):
        cosmodrome.fly("angara-a5-briz-m", orbit="geo", payload_kg=3000)
    with pytest.raises(cosmodrome.InvalidInputError) as e:
        cosmodrome.fly("soyuz-2.1b", 5000, c3_km2_s2=10.0)
    assert e.value.key == "c3_km2_s2"
    with pytest.raises(cosmodrome.InvalidInputError):
        cosmodrome.fly("soyuz-2.1b", 5000, orbit="leo", open_loop=True)
    with pytest.raises(cosmodrome.InvalidInputError) as e:
        cosmodrome.fly("soyuz-2.1b")
    assert e.value.key == "payload_kg"
    with pytest.raises(cosmodrome.CosmodromeError, match="restartable"):
        cosmodrome.fly("angara-a5", orbit="gso", payload_kg=1000)


def test_an_escape_reaches_the_asymptote_declination_asked():
    """``declination_deg`` aims an escape's departure asymptote, as ``--declination-deg``: the
    transfer report's ``asymptote_declination_deg`` is the one asked within the optimizer's 0.1°;
    with another orbit, out of −90…90 or NaN, or without ``orbit``, it is refused naming it."""
    mission = cosmodrome.fly("angara-a5-dm03", site="vostochny", orbit="escape", c3_km2_s2=5.0, declination_deg=30.0,
                             sample_interval_s=60.0)
    assert abs(mission.transfer.asymptote_declination_deg - 30.0) <= 0.1
    for call in (
        lambda: cosmodrome.fly("angara-a5-dm03", orbit="gto", declination_deg=20.0),
        lambda: cosmodrome.fly("angara-a5-dm03", orbit="escape", declination_deg=float("nan")),
        lambda: cosmodrome.fly("soyuz-2.1b", 5000, declination_deg=20.0),
        lambda: cosmodrome.dropzones("angara-a5-dm03", orbit="escape", declination_deg=95.0, samples=10),
    ):
        with pytest.raises(cosmodrome.InvalidInputError) as e:
            call()
        assert e.value.key == "declination_deg"


def test_a_propellant_sweep_keeps_its_converged_points_and_lists_the_others():
    sweep = cosmodrome.propellant("LOX", "LH2", "1:10:0.5", 100.0, expansion_ratio=80.0)
    failed = sweep.to_dict()["failed"]
    ratios = sweep.table["mixture_ratio"].to_pylist()
    assert failed and all(f["reason"] for f in failed)
    assert sorted(ratios + [f["mixture_ratio"] for f in failed]) == [1 + 0.5 * k for k in range(19)]
    assert sweep.best_point_mixture_ratio in ratios


def test_propellant_is_the_clis_report():
    args = ["--oxidizer", "LOX", "--fuel", "RP-1", "--chamber-pressure-bar", "100", "--expansion-ratio", "40", "--json"]
    point = cosmodrome.propellant("LOX", "RP-1", 2.6, 100.0, expansion_ratio=40.0)
    out = subprocess.run([cli(), "propellant", "--mixture-ratio", "2.6", *args], capture_output=True, text=True, check=True)
    assert point.to_dict() == json.loads(out.stdout)
    assert 3300.0 < point.isp_vac_m_s < 3600.0 and point.format == "cosmodrome-propellant/1"
    # A sweep as the command line's start:end:step: the sweep report, its points as a table.
    sweep = cosmodrome.propellant("LOX", "RP-1", "2.0:3.0:0.5", 100.0, expansion_ratio=40.0)
    out = subprocess.run([cli(), "propellant", "--mixture-ratio", "2.0:3.0:0.5", *args], capture_output=True, text=True, check=True)
    assert isinstance(sweep, cosmodrome.PropellantSweep) and sweep.to_dict() == json.loads(out.stdout)
    assert sweep.table["mixture_ratio"].to_pylist() == [2.0, 2.5, 3.0]
    assert sweep.table["isp_vac_s"].to_pylist() == [p["isp_vac_s"] for p in sweep.to_dict()["points"]]
    # Frozen flow gives less than shifting equilibrium.
    frozen = cosmodrome.propellant("LOX", "RP-1", 2.6, 100.0, expansion_ratio=40.0, frozen=True)
    assert frozen.isp_vac_s < point.isp_vac_s
    for kwargs, key in [(dict(mixture_ratio="3:2:0.1"), "mixture_ratio"), (dict(mixture_ratio="x"), "mixture_ratio"),
                        (dict(frozen=True, frozen_at_throat=True), "frozen"), (dict(pressure_ratio=50.0), "expansion_ratio")]:
        call = {"mixture_ratio": 2.6, "expansion_ratio": 40.0, **kwargs}
        with pytest.raises(cosmodrome.InvalidInputError) as e:
            cosmodrome.propellant("LOX", "RP-1", chamber_pressure_bar=100.0, **call)
        assert e.value.key == key, (kwargs, e.value)
    with pytest.raises(cosmodrome.CosmodromeError, match="KEROSENE-X"):
        cosmodrome.propellant("LOX", "KEROSENE-X", 2.6, 100.0, expansion_ratio=40.0)


def test_validate_is_the_clis_report(tmp_path):
    # A user's table: a catalog id and a vehicle file beside the table, flown as the CLI flies them.
    (tmp_path / "vehicles").mkdir()
    shutil.copy(ROOT / "data" / "vehicles" / "electron.toml", tmp_path / "vehicles" / "my-electron.toml")
    case = ('[[case]]\nvehicle = "{}"\nsite = "mahia"\norbit = "LEO"\npayload_kg = 300.0\nperigee_km = 200.0\n'
            'apogee_km = 200.0\norbit_published = false\nsource = "test"\n')
    table = tmp_path / "table.toml"
    table.write_text("format = 1\n" + case.format("vehicles/my-electron.toml") + case.format("electron"))
    report = cosmodrome.validate(table)
    out = subprocess.run([cli(), "validate", "--table", str(table), "--json"], capture_output=True, text=True, check=True)
    assert report.to_dict() == json.loads(out.stdout)
    assert report.cases[0].predicted_kg == report.cases[1].predicted_kg > 0
    assert report.all.count == 2 and len(report.trajectories) > 0
    with pytest.raises(FileNotFoundError):
        cosmodrome.validate(tmp_path / "no-table.toml")


def test_sites_are_the_clis_pads():
    table = cosmodrome.sites()
    out = subprocess.run([cli(), "sites"], capture_output=True, text=True, check=True)
    ids = [line.split()[0] for line in out.stdout.splitlines()[2:] if line.strip() and not line.startswith("(")]
    assert table["id"].to_pylist() == ids
    row = table.arrow.to_pylist()[ids.index("vostochny-1s")]
    assert row["cosmodrome"] == "vostochny" and [50.0, 52.0] in row["inclination_ranges_deg"]
    assert row["latitude_deg"] == pytest.approx(51.8842, abs=1e-4) and "Soyuz-2" in row["families"]


def test_payload_trade_factors_are_the_clis():
    p = cosmodrome.payload("soyuz-2.1b", sample_interval_s=None, trade_factors=True)
    out = subprocess.run([cli(), "payload", "soyuz-2.1b", "--trade-factors", "--json"], capture_output=True, text=True, check=True)
    assert p.to_dict()["trade_factors"] == json.loads(out.stdout)["trade_factors"]
    last = next(r for r in p.trade_factors if r.stage == "Block I" and r.item == "dry_mass_kg")
    assert last.payload_per_unit == pytest.approx(-1.0, abs=0.01)
    assert "trade_factors" not in cosmodrome.payload("soyuz-2.1b", sample_interval_s=None)


def test_reports_tables_and_errors_copy_and_pickle():
    import copy
    import pickle

    info = cosmodrome.Vehicle.catalog("soyuz-2.1b").info()
    assert copy.deepcopy(info).to_dict() == info.to_dict() == pickle.loads(pickle.dumps(info)).to_dict()
    # A vehicle travels as what builds it: its catalog id, or its file's text and name.
    text = (ROOT / "data" / "vehicles" / "electron.toml").read_text()
    for v in [cosmodrome.Vehicle.catalog("soyuz-2.1b"), cosmodrome.Vehicle.from_toml(text, "mine.toml")]:
        back = pickle.loads(pickle.dumps(v))
        assert back.info().to_dict() == v.info().to_dict() and back._spec == v._spec
    table = cosmodrome.sweep("soyuz-2.1b", altitudes_km=[200, 300, 400])
    assert copy.copy(table).to_pylist() == table.to_pylist() == pickle.loads(pickle.dumps(table)).to_pylist()
    assert table.head(-1).to_pylist() == table.to_pylist()[:-1] and len(table.head(-5)) == 0
    # An error rebuilt by pickle (a Ray worker's, a process pool's) keeps its type and its fields.
    with pytest.raises(cosmodrome.UnknownIdError) as e:
        cosmodrome.payload("soyuz-2.1b", site="vostochni")
    back = pickle.loads(pickle.dumps(e.value))
    assert type(back) is cosmodrome.UnknownIdError and (back.kind, str(back)) == (e.value.kind, str(e.value))


def test_sweep_axes_take_any_sequence_and_refuse_what_is_not_a_number():
    np = pytest.importorskip("numpy")
    rows = cosmodrome.sweep("soyuz-2.1b", altitudes_km=np.arange(200, 401, 100)).to_pylist()
    assert rows == cosmodrome.sweep("soyuz-2.1b", altitudes_km=(a for a in (200, 300, 400))).to_pylist()
    assert [r["altitude_km"] for r in rows] == [200.0, 300.0, 400.0]
    for key, grid in [("altitudes_km", dict(altitudes_km=[float("nan"), 200])), ("altitudes_km", dict(altitudes_km=[200, float("inf")])),
                      ("altitudes_km", dict(altitudes_km=-5)), ("altitudes_km", dict(altitudes_km=["x"])),
                      ("inclinations_deg", dict(inclinations_deg=[51.9, float("nan")]))]:
        with pytest.raises(cosmodrome.InvalidInputError) as e:
            cosmodrome.sweep("soyuz-2.1b", **grid)
        assert e.value.key == key, (grid, e.value)


def test_counts_flags_and_refused_values_name_their_argument():
    for kwargs, key in [(dict(samples=10.7), "samples"), (dict(samples=float("nan")), "samples"), (dict(samples=None), "samples"),
                        (dict(seed=-1), "seed"), (dict(seed=2**64), "seed"), (dict(southbound="no"), "southbound")]:
        with pytest.raises(cosmodrome.InvalidInputError) as e:
            cosmodrome.dropzones("soyuz-2.1b", **{"samples": 3, **kwargs})
        assert e.value.key == key, (kwargs, e.value)
    with pytest.raises(cosmodrome.InvalidInputError, match="^invalid mixture_ratio: `abc` is not a number$"):
        cosmodrome.propellant("LOX", "RP-1", "abc", 100.0, expansion_ratio=40.0)
    with pytest.raises(cosmodrome.InvalidInputError) as e:
        cosmodrome.payload("soyuz-2.1b", southbound="no")
    assert e.value.key == "southbound"
    # A number given as a string or a bool is refused rather than read.
    for kwargs, key in [(dict(payload_kg="7000"), "payload_kg"), (dict(perigee_km=True), "perigee_km")]:
        with pytest.raises(cosmodrome.InvalidInputError, match="must be a number") as e:
            cosmodrome.fly("soyuz-2.1b", **{"payload_kg": 7000.0, **kwargs})
        assert e.value.key == key, (kwargs, e.value)
    with pytest.raises(cosmodrome.InvalidInputError) as e:
        cosmodrome.propellant("LOX", "RP-1", 2.6, 100.0, expansion_ratio=40.0, frozen="yes")
    assert e.value.key == "frozen"
    with pytest.raises(cosmodrome.InvalidInputError) as e:
        cosmodrome.sweep("soyuz-2.1b", out_dir="")
    assert e.value.key == "out_dir"
    # The core's refusals name the keyword, not the command line's words for it.
    for kwargs, key in [(dict(perigee_km=50.0), "perigee_km"), (dict(apogee_km=2e6), "apogee_km"), (dict(payload_kg=-1.0), "payload_kg")]:
        with pytest.raises(cosmodrome.InvalidInputError) as e:
            cosmodrome.fly("soyuz-2.1b", **{"payload_kg": 7000.0, **kwargs})
        assert e.value.key == key, (kwargs, e.value)
    # A named orbit's apogee that is not a number, or past the sphere of influence, is said so.
    for apogee_km, words in [(float("nan"), "got NaN"), (1e308, "sphere of influence")]:
        with pytest.raises(cosmodrome.InvalidInputError, match=words):
            cosmodrome.fly("angara-a5-briz-m", orbit="gto", payload_kg=3000.0, apogee_km=apogee_km)


def test_open_loop_settings_are_refused_without_the_open_loop_program():
    """As the command line without ``--open-loop`` and the web API without ``open_loop``: a
    setting of the open-loop program given to the targeted ascent would be dropped in silence."""
    for kwargs, key in [(dict(pitch_kick_deg=1.5), "pitch_kick_deg"),
                        (dict(final_pitch_deg=-30.0, vertical_rise_s=40.0), "vertical_rise_s"),
                        (dict(pitch_over_speed_m_s=30.0), "pitch_over_speed_m_s"),
                        (dict(pitch_kick_duration_s=5.0), "pitch_kick_duration_s"),
                        (dict(staging_fpa_deg=10.0), "staging_fpa_deg"), (dict(gravity_turn_only=True), "gravity_turn_only")]:
        with pytest.raises(cosmodrome.InvalidInputError, match="belongs? to the open-loop program: give open_loop=True") as e:
            cosmodrome.fly("soyuz-2.1b", 5000, **kwargs)
        assert e.value.key == key, (kwargs, e.value)
        assert all(k in e.value.message for k in kwargs), e.value
    with pytest.raises(cosmodrome.InvalidInputError, match="not to a mission to a named orbit") as e:
        cosmodrome.fly("soyuz-2.1b", orbit="leo", final_pitch_deg=-30.0)
    assert e.value.key == "final_pitch_deg"
    with pytest.raises(cosmodrome.InvalidInputError) as e:
        cosmodrome.fly("soyuz-2.1b", 5000, open_loop="yes", pitch_kick_deg=1.5)
    assert e.value.key == "open_loop"


def test_unknown_ids_name_the_argument_they_were_given_as():
    for call, key in [(lambda: cosmodrome.payload("soyuz-2.1x"), "vehicle"),
                      (lambda: cosmodrome.payload("soyuz-2.1b", site="vostochniy"), "site"),
                      (lambda: cosmodrome.fly("soyuz-2.1b", 5000, site="kourouu"), "site"),
                      (lambda: cosmodrome.dropzones("soyuz-2.1b", site="baikonr", samples=10), "site"),
                      (lambda: cosmodrome.sweep(["soyuz-2.1b", "soyuz-2.1x"]), "vehicles"),
                      (lambda: cosmodrome.sweep("soyuz-2.1b", sites=["vostochny", "vostochniy"]), "sites")]:
        with pytest.raises(cosmodrome.UnknownIdError) as e:
            call()
        assert e.value.key == key, e.value
    import pickle
    assert pickle.loads(pickle.dumps(e.value)).key == "sites"


def test_the_sample_count_is_bounded_as_the_cli_bounds_it():
    out = subprocess.run([cli(), "dropzones", "soyuz-2.1b", "--samples", "0"], capture_output=True, text=True)
    assert out.returncode != 0
    with pytest.raises(cosmodrome.InvalidInputError) as e:
        cosmodrome.dropzones("soyuz-2.1b", samples=0)
    assert e.value.key == "samples" and e.value.message in out.stderr, (e.value.message, out.stderr)
    assert "1 to 1000000 dispersed falls per body" in e.value.message
    with pytest.raises(cosmodrome.InvalidInputError, match="got 1000001$"):
        cosmodrome.dropzones("soyuz-2.1b", samples=1_000_001)


def test_a_sweep_without_vehicles_sites_or_altitudes_is_refused():
    for grid, key in [(dict(altitudes_km=[]), "altitudes_km"), (dict(altitudes_km=range(0)), "altitudes_km"),
                      (dict(sites=[]), "sites"), (dict(vehicles=[]), "vehicles")]:
        with pytest.raises(cosmodrome.InvalidInputError, match=f"^missing {key}: give at least one") as e:
            cosmodrome.sweep(**{"vehicles": "angara-a5", **grid})
        assert e.value.key == key, (grid, e.value)
    # No inclination is each pad's lowest, as the web API reads an empty list.
    rows = cosmodrome.sweep("soyuz-2.1b", altitudes_km=[300], inclinations_deg=[]).to_pylist()
    assert rows == cosmodrome.sweep("soyuz-2.1b", altitudes_km=[300]).to_pylist() and len(rows) == 1


def test_a_sweep_refuses_a_vehicle_or_a_value_given_twice():
    # Each would give its rows twice. The same vehicle is the same model, however it is named.
    soyuz = cosmodrome.Vehicle.catalog("soyuz-2.1b")
    for grid, key, words in [(dict(vehicles=["soyuz-2.1b", "angara-a5", soyuz]), "vehicles", "is given twice"),
                             (dict(altitudes_km=[200, 450, 450.0]), "altitudes_km", "450 is given twice"),
                             (dict(inclinations_deg=[51.9, None, 51.9]), "inclinations_deg", "51.9 is given twice"),
                             (dict(vehicles="angara-a5", vary="stage.URM-2.dry_mass_kg=4000,4100,4000"), "vary", "4000 is given twice")]:
        with pytest.raises(cosmodrome.InvalidInputError, match=words) as e:
            cosmodrome.sweep(**{"vehicles": "soyuz-2.1b", **grid})
        assert e.value.key == key, (grid, e.value)


def test_arguments_of_the_wrong_type_name_the_argument_and_what_it_takes():
    for call, key, words in [
        (lambda: cosmodrome.payload(42), "vehicle", "catalog id"),
        (lambda: cosmodrome.payload(None), "vehicle", "cosmodrome.Vehicle"),
        (lambda: cosmodrome.payload("soyuz-2.1b", site=42), "site", "site id"),
        (lambda: cosmodrome.fly("soyuz-2.1b", 5000, site=None), "site", "site id"),
        (lambda: cosmodrome.fly("soyuz-2.1b", orbit=1), "orbit", "named orbit"),
        (lambda: cosmodrome.dropzones("soyuz-2.1b", samples=10, dispersions=3), "dispersions", "file path"),
        (lambda: cosmodrome.payload("soyuz-2.1b", drop_zones=7), "drop_zones", "zone file"),
        (lambda: cosmodrome.sweep(["soyuz-2.1b", 42]), "vehicles", "catalog id"),
        (lambda: cosmodrome.sweep("soyuz-2.1b", sites=[42]), "sites", "site id"),
        (lambda: cosmodrome.propellant(42, "RP-1", 2.6, 100.0, expansion_ratio=40.0), "oxidizer", "propellant name"),
        (lambda: cosmodrome.Vehicle.catalog(42), "id", "catalog id"),
        (lambda: cosmodrome.Vehicle.from_file(42), "path", "file's path"),
        (lambda: cosmodrome.validate(42), "table", "file path"),
    ]:
        with pytest.raises(cosmodrome.InvalidInputError, match=words) as e:
            call()
        assert e.value.key == key, e.value
        assert e.value.message.startswith(f"invalid {key}: must be "), e.value


def test_an_apogee_below_the_perigee_blames_the_apogee():
    with pytest.raises(cosmodrome.InvalidInputError) as e:
        cosmodrome.payload("soyuz-2.1b", perigee_km=400.0, apogee_km=300.0)
    assert e.value.key == "apogee_km", e.value


def test_the_version_is_the_packages_and_the_crates():
    import importlib.metadata
    import re

    assert cosmodrome.__version__ == importlib.metadata.version("cosmodrome")
    workspace = (ROOT / "Cargo.toml").read_text()
    assert re.search(r'^version = "([^"]+)"', workspace, re.M).group(1) == cosmodrome.__version__


def test_refusals_name_the_keyword_not_the_command_line_flag():
    for call, key in [
        (lambda: cosmodrome.fly("soyuz-2.1b", orbit="gtox"), "orbit"),
        (lambda: cosmodrome.fly("soyuz-2.1b", orbit="sso", perigee_km=8000.0), "orbit"),
        (lambda: cosmodrome.propellant("LOXX", "RP-1", 2.6, 100.0, expansion_ratio=40.0), "oxidizer"),
        (lambda: cosmodrome.propellant("LOX", "RP-1X", 2.6, 100.0, expansion_ratio=40.0), "fuel"),
        (lambda: cosmodrome.propellant("LOX", "RP-1", 2.6, -100.0, expansion_ratio=40.0), "chamber_pressure_bar"),
        (lambda: cosmodrome.payload("soyuz-2.1b", drop_zones="nowhere"), "drop_zones"),
    ]:
        with pytest.raises(cosmodrome.InvalidInputError) as e:
            call()
        assert e.value.key == key and e.value.message.startswith(f"invalid {key}: "), e.value
        assert "--" not in e.value.message, e.value


def test_the_notebook_shows_where_errors_sit(capsys):
    """The notebook's cells on errors print a file's line and key and an argument's name."""
    text = (ROOT / "python" / "examples" / "notebook.py").read_text()
    cells = text.split("# %%")
    start = next(i for i, c in enumerate(cells) if "Errors name the file, the line and the key" in c)
    exec(compile("".join(c for c in cells[start:] if not c.startswith(" [markdown]")), "notebook.py", "exec"), {"cosmodrome": cosmodrome})
    out = capsys.readouterr().out
    assert "line 3 key famliy" in out and "None" not in out, out
    assert "pitch_kick_deg — pitch_kick_deg belongs to the open-loop program" in out, out


def test_a_liftoff_limit_holds_the_payload_and_the_sweep_says_so():
    text = SOYUZ.read_text() + "\n[limits]\nmin_liftoff_thrust_to_weight = 1.35\n"
    held = cosmodrome.Vehicle.from_toml(text, "held.toml")
    r = cosmodrome.payload(held).to_dict()
    limit = r["liftoff_limit"]
    assert limit["min_thrust_to_weight"] == 1.35 and r["payload_kg"] == limit["max_payload_kg"]
    assert limit["orbit_payload_kg"] > r["payload_kg"] + 1000
    assert held.info().to_dict()["liftoff_limit"]["max_payload_kg"] == r["payload_kg"]
    rows = cosmodrome.sweep(held, altitudes_km=[200, 400]).to_pylist()
    assert [row["payload_kg"] for row in rows] == [r["payload_kg"]] * 2
    assert rows[0]["orbit_payload_kg"] == limit["orbit_payload_kg"]
    free = cosmodrome.sweep("soyuz-2.1b", altitudes_km=200).to_pylist()
    assert free[0]["orbit_payload_kg"] is None
    with pytest.raises(cosmodrome.InvalidInputError, match="min_liftoff_thrust_to_weight"):
        cosmodrome.fly(held, payload_kg=r["payload_kg"] + 100)
