"""Read trajectory.oem with the independent `oem` package and check it against trajectory.csv.

    python check_oem.py DIR LAUNCH_EPOCH

The OEM states are Earth-fixed, so the geodetic latitude, longitude and altitude computed here
from each OEM position (WGS-84, by iteration: independent of cosmodrome's closed form) must
match the CSV row of the same time, and the speed must match the CSV air speed (the speed
relative to the rotating Earth). Exits non-zero with the reason on the first mismatch.
"""
import csv
import math
import sys

from oem import OrbitEphemerisMessage

A = 6378137.0
F = 1.0 / 298.257223563
E2 = F * (2.0 - F)


def geodetic(x, y, z):
    """Latitude and longitude in degrees, height in metres, by fixed-point iteration on the latitude."""
    p = math.hypot(x, y)
    lat = math.atan2(z, p * (1.0 - E2))
    for _ in range(20):
        n = A / math.sqrt(1.0 - E2 * math.sin(lat) ** 2)
        h = p / math.cos(lat) - n
        lat = math.atan2(z, p * (1.0 - E2 * n / (n + h)))
    n = A / math.sqrt(1.0 - E2 * math.sin(lat) ** 2)
    h = p / math.cos(lat) - n
    return math.degrees(lat), math.degrees(math.atan2(y, x)), h


def fail(message):
    print(f"check_oem: {message}")
    sys.exit(1)


def main():
    directory, launch = sys.argv[1], sys.argv[2]
    ephemeris = OrbitEphemerisMessage.open(f"{directory}/trajectory.oem")
    if ephemeris.version != "2.0":
        fail(f"version {ephemeris.version}")
    if len(ephemeris.segments) != 1:
        fail(f"{len(ephemeris.segments)} segments")
    meta = ephemeris.segments[0].metadata
    expected = {"REF_FRAME": "ITRF2000", "CENTER_NAME": "EARTH", "TIME_SYSTEM": "UTC"}
    for key, value in expected.items():
        if meta[key] != value:
            fail(f"{key} = {meta[key]}, expected {value}")
    states = ephemeris.states
    start = states[0].epoch
    if start.isot[:19] != launch[:19]:
        fail(f"first epoch {start.isot} is not the launch epoch {launch}")
    times = [(s.epoch - start).sec for s in states]
    if any(b <= a for a, b in zip(times, times[1:])):
        fail("epochs do not increase")
    by_time = {round(t, 3): s for t, s in zip(times, states)}

    rows = list(csv.DictReader(open(f"{directory}/trajectory.csv")))
    worst = {"altitude_m": 0.0, "latitude_deg": 0.0, "longitude_deg": 0.0, "air_speed_m_s": 0.0}
    for row in rows:
        t = float(row["time_s"])
        state = by_time.get(round(t, 3))
        if state is None:
            fail(f"no OEM state at t = {t} s")
        x, y, z = (1e3 * c for c in state.position)
        lat, lon, h = geodetic(x, y, z)
        speed = 1e3 * math.sqrt(sum(c * c for c in state.velocity))
        dlon = (lon - float(row["longitude_deg"]) + 180.0) % 360.0 - 180.0
        errors = {
            "altitude_m": abs(h - float(row["altitude_m"])),
            "latitude_deg": abs(lat - float(row["latitude_deg"])),
            "longitude_deg": abs(dlon),
            "air_speed_m_s": abs(speed - float(row["air_speed_m_s"])),
        }
        for key, error in errors.items():
            worst[key] = max(worst[key], error)
    # Tolerances: the rounding of the two files (OEM mm and µm/s; CSV mm, 1e-7°, 1e-4 m/s).
    limits = {"altitude_m": 0.01, "latitude_deg": 2e-7, "longitude_deg": 2e-7, "air_speed_m_s": 2e-4}
    for key, limit in limits.items():
        if worst[key] > limit:
            fail(f"{key} differs by up to {worst[key]:.3g} (limit {limit})")
    print(f"oem ok: {len(states)} states, {len(rows)} CSV rows matched, worst differences {worst}")


main()
