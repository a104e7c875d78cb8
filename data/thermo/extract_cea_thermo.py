"""Write data/thermo/thermo.inp: the C/H/O/N/Al/Cl product species of NASA's thermodynamic
library, in the thermo.inp format of McBride, Zehe & Gordon (NASA TP-2002-211556).

Source: the compiled library `thermo.lib` shipped by NASA's CEA in the PyPI package `cea`
(public-domain NASA data). The compiled file is a Fortran unformatted sequential file; its
layout is CEA's UTHERM routine: a header (the four common temperature bounds of the gases
and the counts of gases, products and all species), then per gas one record with all
intervals, per condensed phase one record per temperature interval, then the reactants.

Rule for the subset: every neutral product species whose elements are among C, H, O, N, Al,
Cl (ions and the electron left out, as CEA leaves them out unless asked). Nothing is edited.

    python -m venv .venv && .venv/bin/pip install cea
    .venv/bin/python data/thermo/extract_cea_thermo.py > data/thermo/thermo.inp
"""

import os
import struct

import cea

R = 8.314510  # J/(mol K), the gas constant CEA's thermo.inp data were fitted with
ELEMENTS = {"C", "H", "O", "N", "AL", "CL"}


def records(path):
    data = open(path, "rb").read()
    i = 0
    while i < len(data):
        (n,) = struct.unpack("<i", data[i : i + 4])
        yield data[i + 4 : i + 4 + n]
        i += 8 + n


def head(r):
    name = r[:15].decode("latin1").strip().lstrip("*")
    (ntl,) = struct.unpack("<i", r[15:19])
    date = r[19:25].decode("latin1")
    formula = []
    for j in range(5):
        o = 25 + 10 * j
        sym = r[o : o + 2].decode("latin1").strip()
        (count,) = struct.unpack("<d", r[o + 2 : o + 10])
        if sym and count:
            formula.append((sym, count))
    (phase,) = struct.unpack("<i", r[75:79])
    t_range = struct.unpack("<2d", r[79:95])
    (molar_mass,) = struct.unpack("<d", r[95:103])
    coefs = struct.unpack("<%dd" % ((len(r) - 103) // 8), r[103:])
    return name, ntl, date, formula, phase, t_range, molar_mass, coefs


def d16(x):
    return ("%16.9E" % x).replace("E", "D")


def h_over_rt(a, t):
    return (-a[0] / t**2 + a[1] * __import__("math").log(t) / t + a[2] + a[3] * t / 2
            + a[4] * t**2 / 3 + a[5] * t**3 / 4 + a[6] * t**4 / 5 + a[7] / t)


def write_species(name, date, formula, phase, molar_mass, intervals):
    """intervals: list of ((t_low, t_high), nine coefficients)."""
    lo = intervals[0]
    hf = h_over_rt(lo[1], 298.15) * R * 298.15 if lo[0][0] <= 298.15 <= lo[0][1] else 0.0
    out = ["%-18s%s" % (name, " from NASA CEA thermo.lib")]
    f = "".join("%-2s%6.2f" % (s.capitalize() if len(s) == 2 else s, c) for s, c in formula)
    f += " " * (40 - len(f))
    out.append("%2d %-6s %s %1d%13.7f%15.3f" % (len(intervals), date, f, phase, molar_mass, hf))
    for (t0, t1), a in intervals:
        out.append(" %10.3f%10.3f 7 -2.0 -1.0  0.0  1.0  2.0  3.0  4.0  0.0%17.3f" % (t0, t1, 0.0))
        out.append("".join(d16(x) for x in a[:5]))
        out.append(d16(a[5]) + d16(a[6]) + " " * 16 + d16(a[7]) + d16(a[8]))
    return out


def main():
    path = os.path.join(os.path.dirname(cea.__file__), "data", "thermo.lib")
    recs = list(records(path))
    t_bounds = struct.unpack("<4d", recs[0][:32])
    n_gas, n_products, _ = struct.unpack("<3i", recs[0][32:44])
    lines = ["thermo", "%10.3f%10.3f%10.3f%10.3f   9/08/21" % t_bounds]
    condensed = {}
    for k in range(1, n_products + 1):
        name, ntl, date, formula, phase, t_range, mw, coefs = head(recs[k])
        symbols = {s.upper() for s, _ in formula}
        if not symbols <= ELEMENTS:
            continue
        if k <= n_gas:
            intervals = [((t_bounds[i], t_bounds[i + 1]), coefs[9 * i : 9 * i + 9]) for i in range(ntl)]
            lines += write_species(name, date, formula, 0, mw, intervals)
        else:
            condensed.setdefault(name, (date, formula, phase, mw, []))[4].append((t_range, coefs[:9]))
    for name, (date, formula, phase, mw, intervals) in condensed.items():
        lines += write_species(name, date, formula, phase, mw, intervals)
    lines.append("END PRODUCTS")
    lines.append("END REACTANTS")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
