# %% [markdown]
# # cosmodrome from a notebook
# Cells in the `# %%` format (VS Code, Jupytext, Spyder); run it whole with
# `python python/examples/notebook.py`. Needs `pip install ./python`.

# %%
import cosmodrome

cosmodrome.catalog_ids()

# %% [markdown]
# ## A vehicle and its payload into a sun-synchronous orbit

# %%
soyuz = cosmodrome.Vehicle.catalog("soyuz-2.1b")
print(soyuz, soyuz.info().total_delta_v_m_s, "m/s of Δv without payload")

r = cosmodrome.payload(soyuz, site="vostochny", perigee_km=200, inclination_deg=97.5)
print(f"{r.payload_kg:.0f} kg into {r.orbit.perigee_km:.0f} × {r.orbit.apogee_km:.0f} km at {r.orbit.inclination_deg}°")
for stage in r.stages:
    print(stage.name, "falls at", stage.impact.latitude_deg if stage.impact else "— (stays in orbit)")
r.trajectory.head()

# %% [markdown]
# ## The trajectory as a DataFrame (pandas or polars, when installed)

# %%
t = r.trajectory
print(t.columns)
print("max-Q", max(t["dynamic_pressure_pa"].to_pylist()) / 1e3, "kPa; report says", r.max_q_kpa)

# %% [markdown]
# ## A payload chart: altitude × inclination, in parallel on every core

# %%
chart = cosmodrome.sweep("soyuz-2.1b", sites="vostochny", altitudes_km=[200, 400, 600, 800],
                         inclinations_deg=[51.9, 97.5, 30.0])
for row in chart.to_pylist():
    print(row["altitude_km"], row["inclination_deg"], row["status"], row["payload_kg"])

# %% [markdown]
# The same grid written as `cosmodrome sweep --out` writes it (CSV, Parquet, the payload chart),
# and a trade study over the second stage's propellant load at one orbit.

# %%
cosmodrome.sweep("soyuz-2.1b", altitudes_km=[200, 400, 600, 800], inclinations_deg=[51.9, 97.5], out_dir="chart")
trade = cosmodrome.sweep("angara-a5", inclinations_deg=63.0, vary="stage.URM-2.propellant_mass_kg=30000:40000:2500")
print(trade.arrow.select(["stage.URM-2.propellant_mass_kg", "payload_kg"]))

# %% [markdown]
# ## Where the stages fall

# %%
dz = cosmodrome.dropzones("soyuz-2.1b", site="vostochny", inclination_deg=97.5, samples=200, seed=1)
print(dz.impacts.num_rows, "dispersed impacts")
dz.impacts.head()

# %% [markdown]
# ## Errors name the file, the line and the key

# %%
# A misspelt key on line 3 of a vehicle file.
try:
    cosmodrome.Vehicle.from_toml("format = 1\nname = 'My rocket'\nfamliy = 'Soyuz-2'\n", "my-vehicle.toml")
except cosmodrome.VehicleFileError as e:
    print("file", e.file, "line", e.line, "key", e.key)
    print(e.message)

# %% [markdown]
# An argument at fault is named by `.key`, as the function's keyword.

# %%
try:
    cosmodrome.fly("soyuz-2.1b", 5000, pitch_kick_deg=1.5)
except cosmodrome.InvalidInputError as e:
    print(e.key, "—", e.message)
