"""Reference rocket performance from NASA CEA (the `cea` package from PyPI) on a grid of
propellant pairs, mixture ratios, chamber pressures and area ratios; cosmodrome's chemistry
solver is checked against it (tests/chemistry.rs).

    python tests/python/cea_grid.py tests/reference/cea-grid.csv tests/reference/cea-condensed.csv

(CEA itself may print warnings on standard output; the table goes to the named file.)

Problem: infinite-area combustor, reactants at their storage temperatures, products = every
species of NASA's library made of the reactants' elements (CEA's default, no ions), shifting
equilibrium, frozen at the chamber and frozen at the throat, to the given supersonic area ratio.
"""

import csv
import sys

import numpy as np
import cea

# HTPB binder: NASA's thermo library has no record, so CEA is given it as a user reactant with
# the formula and enthalpy of data/propellants.toml (the same card, so this checks the solver,
# not the binder's data).
HTPB = cea.Reactant(name="HTPB", formula={"C": 7.075, "H": 10.65, "O": 0.223, "N": 0.063},
                    enthalpy=-58.0, enthalpy_units="kJ/mol", temperature=298.15)

# Propellants as CEA reactants: (name in NASA's thermo library or a user reactant, mass
# fraction, temperature K). Mirrors data/propellants.toml.
PROPELLANTS = {
    "LOX": [("O2(L)", 1.0, 90.17)],
    "LH2": [("H2(L)", 1.0, 20.27)],
    "RP-1": [("RP-1", 1.0, 298.15)],
    "LCH4": [("CH4(L)", 1.0, 111.643)],
    "N2O4": [("N2O4(L)", 1.0, 298.15)],
    "UDMH": [("C2H8N2(L),UDMH", 1.0, 298.15)],
    "MMH": [("CH6N2(L)", 1.0, 298.15)],
    "N2H4": [("N2H4(L)", 1.0, 298.15)],
    "A-50": [("C2H8N2(L),UDMH", 0.5, 298.15), ("N2H4(L)", 0.5, 298.15)],
    "H2O2-98": [("H2O2(L)", 0.98, 298.15), ("H2O(L)", 0.02, 298.15)],
    "ETHANOL": [("C2H5OH(L)", 1.0, 298.15)],
    "AP": [("NH4CLO4(I)", 1.0, 298.15)],
    "AL": [("AL(cr)", 1.0, 298.15)],
    "HTPB": [(HTPB, 1.0, 298.15)],
    "AL-HTPB": [("AL(cr)", 0.5625, 298.15), (HTPB, 0.4375, 298.15)],
}

# (oxidizer, fuel, mixture ratios around the optimum Isp).
PAIRS = [
    ("LOX", "LH2", [4.5, 5.5, 6.0]),
    ("LOX", "RP-1", [2.2, 2.6, 3.0]),
    ("LOX", "LCH4", [2.8, 3.4, 3.8]),
    ("N2O4", "UDMH", [2.2, 2.6, 3.0]),
    ("N2O4", "MMH", [1.8, 2.2, 2.6]),
    ("N2O4", "A-50", [1.6, 2.0, 2.4]),
    ("N2O4", "N2H4", [1.0, 1.3, 1.6]),
    ("H2O2-98", "RP-1", [6.0, 7.0, 8.0]),
    ("LOX", "ETHANOL", [1.3, 1.6, 1.9]),
]

# (chamber pressure bar, supersonic area ratio), three per mixture ratio, rotated.
CONDITIONS = [(10.0, 5.0), (30.0, 20.0), (70.0, 40.0), (100.0, 80.0), (200.0, 150.0), (300.0, 200.0),
              (50.0, 10.0), (150.0, 60.0), (250.0, 120.0)]

# Points with condensed products, shifting equilibrium only (CEA stops frozen expansions once
# the temperature leaves a condensed species' range): alumina from ammonium perchlorate and
# aluminium, liquid in the chamber and solid (alpha) at a low exit temperature; graphite from
# very fuel-rich LOX/RP-1. (oxidizer, fuel, mixture ratio, chamber pressure bar, area ratio)
CONDENSED = [
    ("AP", "AL", 3.0, 70.0, 40.0),
    ("AP", "AL", 4.0, 70.0, 10.0),
    ("AP", "AL", 4.0, 30.0, 40.0),
    ("AP", "AL", 5.0, 70.0, 40.0),
    ("AP", "AL", 5.0, 150.0, 100.0),
    ("AP", "AL", 6.0, 50.0, 20.0),
    ("LOX", "RP-1", 0.6, 50.0, 20.0),
    ("LOX", "RP-1", 1.0, 50.0, 20.0),
    ("LOX", "RP-1", 1.0, 200.0, 5.0),
    ("LOX", "RP-1", 0.8, 10.0, 60.0),
    # The composite AP/Al/HTPB 68/18/14 (AP over the aluminium-binder fuel, 68/32).
    ("AP", "AL-HTPB", 2.125, 70.0, 10.0),
    ("AP", "AL-HTPB", 2.125, 50.0, 40.0),
]

MAJOR = ["H2O", "CO2", "CO", "H2", "H", "OH", "O", "O2", "N2", "NO"]


def solve(ox, fu, of, pc, eps, frozen, freeze_at=1):
    names = [n for n, _, _ in PROPELLANTS[ox]] + [n for n, _, _ in PROPELLANTS[fu]]
    temps = np.array([t for _, _, t in PROPELLANTS[ox]] + [t for _, _, t in PROPELLANTS[fu]])
    ox_w = np.array([w for _, w, _ in PROPELLANTS[ox]] + [0.0] * len(PROPELLANTS[fu]))
    fu_w = np.array([0.0] * len(PROPELLANTS[ox]) + [w for _, w, _ in PROPELLANTS[fu]])
    reac = cea.Mixture(names)
    prod = cea.Mixture(names, products_from_reactants=True)
    solver = cea.RocketSolver(prod, reactants=reac)
    sol = cea.RocketSolution(solver)
    weights = reac.of_ratio_to_weights(ox_w, fu_w, of)
    hc = reac.calc_property(cea.ENTHALPY, weights, temps) / cea.R
    kw = dict(supar=[eps], hc=hc, iac=True)
    if frozen:
        kw["n_frz"] = freeze_at
    solver.solve(sol, weights, pc, **kw)
    if not sol.converged:
        raise RuntimeError(f"CEA did not converge: {ox}/{fu} {of} {pc} {eps}")
    return sol


def main():
    out = open(sys.argv[1], "w", newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["oxidizer", "fuel", "mixture_ratio", "chamber_pressure_bar", "area_ratio",
                "chamber_temperature_k", "molar_mass_chamber_g_mol", "gamma_chamber", "c_star_m_s",
                "throat_temperature_k", "exit_pressure_bar", "exit_temperature_k", "exit_mach",
                "thrust_coefficient", "isp_vac_m_s", "isp_exit_m_s", "frozen_isp_vac_m_s",
                "frozen_exit_temperature_k", "throat_frozen_isp_vac_m_s"]
               + [f"x_chamber_{s}" for s in MAJOR] + [f"x_exit_{s}" for s in MAJOR])
    k = 0
    for ox, fu, ratios in PAIRS:
        for of in ratios:
            for _ in range(3):
                pc, eps = CONDITIONS[k % len(CONDITIONS)]
                k += 1
                s = solve(ox, fu, of, pc, eps, False)
                f = solve(ox, fu, of, pc, eps, True)
                ft = solve(ox, fu, of, pc, eps, True, freeze_at=2)
                x = s.mole_fractions
                row = [ox, fu, of, pc, eps, s.T[0], s.MW[0], s.gamma_s[0], s.c_star[-1], s.T[1],
                       s.P[-1], s.T[-1], s.Mach[-1], s.coefficient_of_thrust[-1], s.Isp_vacuum[-1],
                       s.Isp[-1], f.Isp_vacuum[-1], f.T[-1], ft.Isp_vacuum[-1]]
                row += [x[m][0] if m in x else 0.0 for m in MAJOR]
                row += [x[m][-1] if m in x else 0.0 for m in MAJOR]
                w.writerow(["%.7g" % v if isinstance(v, float) else v for v in row])
    out.close()
    if len(sys.argv) > 2:
        condensed(sys.argv[2])


def largest_condensed(fractions, i):
    names = [k for k in fractions if "(" in k and k[k.index("("):] in ("(L)", "(cr)", "(a)", "(gr)")]
    best = max(names, key=lambda k: fractions[k][i], default=None)
    if best is None or fractions[best][i] <= 0.0:
        return "", 0.0
    return best, fractions[best][i]


def condensed(path):
    with open(path, "w", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["oxidizer", "fuel", "mixture_ratio", "chamber_pressure_bar", "area_ratio",
                    "chamber_temperature_k", "c_star_m_s", "isp_vac_m_s", "throat_temperature_k",
                    "exit_temperature_k", "chamber_condensed", "x_chamber_condensed", "exit_condensed",
                    "x_exit_condensed"])
        for ox, fu, of, pc, eps in CONDENSED:
            s = solve(ox, fu, of, pc, eps, False)
            c_name, c_x = largest_condensed(s.mole_fractions, 0)
            e_name, e_x = largest_condensed(s.mole_fractions, -1)
            row = [ox, fu, of, pc, eps, s.T[0], s.c_star[-1], s.Isp_vacuum[-1], s.T[1], s.T[-1],
                   c_name, c_x, e_name, e_x]
            w.writerow(["%.7g" % v if isinstance(v, float) else v for v in row])


if __name__ == "__main__":
    main()
