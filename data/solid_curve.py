#!/usr/bin/env python3
"""Build a solid motor's vacuum thrust curve from its published figures by the rule of
data/README.md ("Solid motor curves"), for the motors whose published curve was not found.

    python3 data/solid_curve.py PROPELLANT_KG ISP_VAC_S BURN_TIME_S [F0_VAC_KN]

The curve rises linearly from 0 to F0 in 0.5 s, runs straight from F0 to F2 at the start of the
tail-off, and tails off linearly to 0 at the burn time; the tail-off lasts 8 % of the burn time.
F2 is the level that makes the curve's impulse equal propellant x Isp x g0. Without F0 (no
published maximum thrust) the curve is flat: F0 = F2. It prints the [time_s, thrust_vac_kn]
points for the vehicle file and the curve's impulse and average thrust.
"""
import sys

G0 = 9.80665
RISE_S = 0.5
TAIL_OFF_SHARE = 0.08


def curve(propellant_kg, isp_s, burn_s, f0_kn=None):
    impulse = propellant_kg * isp_s * G0
    tail = TAIL_OFF_SHARE * burn_s
    if f0_kn is None:
        # Flat: I = F·(burn − rise/2 − tail/2).
        f2 = impulse / (burn_s - RISE_S / 2 - tail / 2)
        f0 = f2
    else:
        f0 = f0_kn * 1000.0
        f2 = (2 * impulse - f0 * (burn_s - tail)) / (burn_s - RISE_S)
    points = [(0.0, 0.0), (RISE_S, f0), (burn_s - tail, f2), (burn_s, 0.0)]
    area = sum(0.5 * (a[1] + b[1]) * (b[0] - a[0]) for a, b in zip(points, points[1:]))
    return points, impulse, area


if __name__ == "__main__":
    args = [float(a) for a in sys.argv[1:]]
    points, impulse, area = curve(*args)
    print("thrust_curve_vac_kn = [" + ", ".join(f"[{t:.2f}, {f / 1000:.1f}]" for t, f in points) + "]")
    print(f"# propellant x Isp x g0 = {impulse:.5e} N s; curve (rounded points) {area:.5e} N s; average {area / points[-1][0] / 1000:.1f} kN")
