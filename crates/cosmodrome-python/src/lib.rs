//! The native half of the Python package `cosmodrome` (`cosmodrome._native`): it turns Python
//! arguments into the core's mission requests, runs the missions with the GIL released, and hands
//! back each report as JSON text (the core's serde reports, so the Python objects carry exactly the
//! members of `docs/schema/`) and each table as Arrow-ready column buffers. The Python package
//! (python/cosmodrome) wraps these in result objects and `pyarrow` tables; nothing is computed
//! on the Python side.

use cosmodrome::dropzone::dispersion::Dispersions;
use cosmodrome::dropzone::monte_carlo::{run_monte_carlo_chunk, MonteCarloSetup};
use cosmodrome::dropzone::wind::WindProfile;
use cosmodrome::dropzone::{DesignatedZones, FallOptions};
use cosmodrome::flight::FlightOptions;
use cosmodrome::guidance::Branch;
use cosmodrome::mission::sweep::{sweep_sites, SweepGrid, SweepInclination, VaryParameter};
use cosmodrome::mission::{self, DropzonesRequest, FlyRequest, PayloadRequest};
use cosmodrome::optimize::payload::TargetOrbit;
use cosmodrome::vehicle::{catalog_ids, catalog_vehicle, resolve_vehicle, Site, Vehicle};
use cosmodrome_io::impacts_csv::impacts_columns;
use cosmodrome_io::parquet::{trajectory_columns, Column, ColumnData};
use cosmodrome_io::sweep_outputs::{sweep_columns, write_sweep, SweepLabels};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyTuple};
use std::sync::atomic::AtomicBool;

create_exception!(
    _native,
    NativeError,
    PyException,
    "A core error: args are (kind, message, file, line, key); the package re-raises it typed."
);

/// A core error as a [`NativeError`] whose arguments keep its kind and, for a data-file error,
/// the file, line and key; an unknown id's key is the argument that named it (`vehicle`, `site`).
fn to_py(e: cosmodrome::Error) -> PyErr {
    to_py_naming(e, "vehicle", "site")
}

/// As [`to_py`], with the arguments an unknown vehicle or site id came from (a sweep's are
/// `vehicles` and `sites`).
fn to_py_naming(e: cosmodrome::Error, vehicle_argument: &str, site_argument: &str) -> PyErr {
    use cosmodrome::Error as E;
    let message = cosmodrome::error::request_text(&e);
    let (kind, file, line, key) = match &e {
        E::File(f) => ("file", Some(f.location.file.clone()), f.location.line, Some(f.location.key.clone())),
        E::UnknownVehicle { .. } => ("unknown_vehicle", None, None, Some(vehicle_argument.to_owned())),
        E::UnknownSite { .. } => ("unknown_site", None, None, Some(site_argument.to_owned())),
        // The keyword argument at fault, as the package's functions name it (a sweep's site file
        // came from `sites`).
        E::InvalidInput { name, message } => {
            let key = cosmodrome::error::input_argument(name, message);
            ("invalid_input", None, None, Some(if key == "site" { site_argument.to_owned() } else { key }))
        }
        E::Unreachable(_) | E::FlightBudget { .. } => ("unreachable", None, None, None),
        E::PayloadTooHeavy { .. } => ("payload_too_heavy", None, None, None),
        E::NoLiftoff { .. } => ("no_liftoff", None, None, None),
        E::Interrupted => ("interrupted", None, None, None),
        E::Integration { .. } => ("integration", None, None, None),
        E::RestartRefused { .. } => ("restart_refused", None, None, None),
    };
    NativeError::new_err((kind, message, file, line, key))
}

fn file_error(e: cosmodrome::error::FileError) -> PyErr {
    to_py(cosmodrome::Error::File(e))
}

fn json_err(e: serde_json::Error) -> PyErr {
    NativeError::new_err(("internal", format!("report not serializable: {e}"), None::<String>, None::<usize>, None::<String>))
}

/// A validated vehicle (the core's `Vehicle`) with the warnings its file raised.
#[pyclass(module = "cosmodrome._native", frozen)]
struct NativeVehicle {
    vehicle: Vehicle,
    /// Catalog id or file name it was read from.
    source: String,
    warnings: Vec<String>,
}

#[pymethods]
impl NativeVehicle {
    /// Vehicle name as the file gives it.
    #[getter]
    fn name(&self) -> String {
        self.vehicle.name.clone()
    }

    /// Catalog id or file name the vehicle was read from.
    #[getter]
    fn source(&self) -> String {
        self.source.clone()
    }

    /// Warnings of the vehicle file (defaults in force, suspicious values).
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// The info report (`cosmodrome info --json`) as JSON text.
    fn info_json(&self, py: Python<'_>, payload_kg: f64) -> PyResult<String> {
        let report = py.detach(|| mission::info(&self.vehicle, payload_kg)).map_err(to_py)?;
        serde_json::to_string(&report).map_err(json_err)
    }
}

fn native(vehicle: Vehicle, source: &str, warnings: Vec<impl ToString>) -> NativeVehicle {
    NativeVehicle { vehicle, source: source.to_owned(), warnings: warnings.iter().map(ToString::to_string).collect() }
}

/// The ids of the built-in vehicle catalog.
#[pyfunction]
fn catalog_ids_list() -> Vec<String> {
    catalog_ids().into_iter().map(str::to_owned).collect()
}

/// A catalog vehicle by id.
#[pyfunction]
fn vehicle_from_catalog(id: &str) -> PyResult<NativeVehicle> {
    let (vehicle, warnings) = resolve_vehicle(id).map_err(to_py)?;
    Ok(native(vehicle, id, warnings))
}

/// A vehicle from the text of a vehicle file; `file` names it in errors.
#[pyfunction]
fn vehicle_from_toml(text: &str, file: &str) -> PyResult<NativeVehicle> {
    let (vehicle, warnings) = Vehicle::from_toml(text, file).map_err(file_error)?;
    Ok(native(vehicle, file, warnings))
}

/// The dispersions and wind of a drop-zone campaign, from their files' text (`(text, file
/// name)`), or the defaults: no wind, the built-in dispersions.
fn dispersion_inputs(
    dispersions_toml: &Option<(String, String)>,
    wind_toml: &Option<(String, String)>,
) -> cosmodrome::Result<(Dispersions, Option<WindProfile>)> {
    let dispersions = match dispersions_toml {
        Some((text, file)) => Dispersions::from_toml(text, file)?,
        None => Dispersions::default(),
    };
    let wind = match wind_toml {
        Some((text, file)) => Some(WindProfile::from_toml(text, file)?),
        None => None,
    };
    Ok((dispersions, wind))
}

/// Designated drop zones: `(file text, file name)` of a zone file, or `(None, id)` of a built-in
/// one; checked against the vehicle (every zone selects a body it drops).
fn zones_input(zones: &Option<(Option<String>, String)>, vehicle: &Vehicle) -> Result<Option<DesignatedZones>, cosmodrome::Error> {
    let Some((text, name)) = zones else { return Ok(None) };
    let zones = match text {
        Some(text) => DesignatedZones::from_toml(text, name)?,
        None => DesignatedZones::resolve(name)?,
    };
    zones.check_against(vehicle)?;
    Ok(Some(zones))
}

/// The pad of `site` the vehicle flies from (its family's pad at a cosmodrome, or a site file's
/// first pad) and the note when that choice was not the one asked for.
fn resolve_site(site: &str, vehicle: &Vehicle) -> Result<(Site, Option<String>), cosmodrome::Error> {
    mission::sites::resolve_site(site, vehicle.family.as_deref())
}

/// The target orbit of the keyword arguments: circular at the perigee unless an apogee is given,
/// the pad's lowest inclination unless one is given, the argument of perigee held when given (a
/// circular orbit's refused before any flight, naming the keyword).
fn target(
    site: &Site,
    perigee_km: f64,
    apogee_km: Option<f64>,
    inclination_deg: Option<f64>,
    argument_of_perigee_deg: Option<f64>,
) -> Result<TargetOrbit, cosmodrome::Error> {
    mission::target_orbit(site, perigee_km * 1e3, apogee_km.map(|a| a * 1e3), inclination_deg)
        .holding_argument_of_perigee(argument_of_perigee_deg)
        .map_err(|e| match e {
            cosmodrome::Error::InvalidInput { message, .. } => cosmodrome::Error::invalid("argument_of_perigee_deg", message),
            e => e,
        })
}

/// The overrides of a named orbit's elements (`orbit=`), as the CLI's flags.
fn orbit_overrides(
    perigee_km: Option<f64>,
    apogee_km: Option<f64>,
    inclination_deg: Option<f64>,
    argument_of_perigee_deg: Option<f64>,
    c3_km2_s2: Option<f64>,
    declination_deg: Option<f64>,
) -> mission::OrbitOverrides {
    mission::OrbitOverrides {
        perigee_m: perigee_km.map(|km| km * 1e3),
        apogee_m: apogee_km.map(|km| km * 1e3),
        inclination_deg,
        argument_of_perigee_deg,
        c3_km2_s2,
        declination_deg,
    }
}

fn options(sample_interval_s: Option<f64>) -> Result<FlightOptions, cosmodrome::Error> {
    if let Some(dt) = sample_interval_s {
        if !(dt.is_finite() && dt > 0.0) {
            return Err(cosmodrome::Error::invalid("sample_interval_s", format!("must be a positive number of seconds, got {dt}")));
        }
    }
    Ok(FlightOptions { sample_interval_s, ..FlightOptions::default() })
}

/// Columns as `(name, kind, data)`: `kind` "f64"/"i64" with little-endian bytes (an Arrow
/// buffer as is), "str" and "bool" with lists, "f64?" and "str?" with lists holding `None`s.
fn columns_py<'py>(py: Python<'py>, columns: &[Column]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for c in columns {
        let item: Bound<'py, PyTuple> = match &c.data {
            ColumnData::F64(v) => {
                let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
                (c.name.as_str(), "f64", PyBytes::new(py, &bytes)).into_pyobject(py)?
            }
            ColumnData::I64(v) => {
                let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
                (c.name.as_str(), "i64", PyBytes::new(py, &bytes)).into_pyobject(py)?
            }
            ColumnData::Str(v) => (c.name.as_str(), "str", PyList::new(py, v)?).into_pyobject(py)?,
            ColumnData::Bool(v) => (c.name.as_str(), "bool", PyList::new(py, v)?).into_pyobject(py)?,
            ColumnData::OptionalF64(v) => (c.name.as_str(), "f64?", PyList::new(py, v)?).into_pyobject(py)?,
            ColumnData::OptionalStr(v) => (c.name.as_str(), "str?", PyList::new(py, v)?).into_pyobject(py)?,
        };
        list.append(item)?;
    }
    Ok(list)
}

/// The payload mission: `(report JSON, trajectory columns, site note)`.
#[pyfunction]
#[pyo3(signature = (vehicle, site, perigee_km, apogee_km, inclination_deg, southbound, sample_interval_s, drop_zones=None, argument_of_perigee_deg=None, trade_factors=false))]
#[allow(clippy::too_many_arguments)]
fn payload<'py>(
    py: Python<'py>,
    vehicle: &NativeVehicle,
    site: &str,
    perigee_km: f64,
    apogee_km: Option<f64>,
    inclination_deg: Option<f64>,
    southbound: bool,
    sample_interval_s: Option<f64>,
    drop_zones: Option<(Option<String>, String)>,
    argument_of_perigee_deg: Option<f64>,
    trade_factors: bool,
) -> PyResult<(String, Bound<'py, PyList>, Option<String>)> {
    let v = &vehicle.vehicle;
    let (m, note) = py
        .detach(|| {
            let zones = zones_input(&drop_zones, v)?;
            let (site, note) = resolve_site(site, v)?;
            let request = PayloadRequest {
                vehicle: v,
                site: &site,
                target: target(&site, perigee_km, apogee_km, inclination_deg, argument_of_perigee_deg)?,
                branch: Branch::from_southbound(southbound),
                zones: zones.as_ref(),
                options: options(sample_interval_s)?,
                note: None,
            };
            let mut m = mission::payload(&request, &mut |_| {})?;
            if trade_factors {
                // As `payload --trade-factors`: two more optimizations per stage figure and for
                // the fairing, each started from this one.
                let items = mission::TradeItem::all(v);
                let factors = mission::trade_factors(&request, m.warm_start.as_ref(), &items, &|_, _| {}, &|| {});
                m.report.trade_factors = Some(factors.iter().map(|f| mission::TradeFactorReport::new(v, f)).collect());
            }
            Ok((m, note))
        })
        .map_err(to_py)?;
    let json = serde_json::to_string(&m.report).map_err(json_err)?;
    Ok((json, columns_py(py, &trajectory_columns(&m.solution.flight))?, note))
}

/// The fly mission, the targeted ascent with a given payload: `(report JSON, trajectory
/// columns, site note)`.
#[pyfunction]
#[pyo3(signature = (vehicle, site, payload_kg, perigee_km, apogee_km, inclination_deg, southbound, sample_interval_s, argument_of_perigee_deg=None))]
#[allow(clippy::too_many_arguments)]
fn fly<'py>(
    py: Python<'py>,
    vehicle: &NativeVehicle,
    site: &str,
    payload_kg: f64,
    perigee_km: f64,
    apogee_km: Option<f64>,
    inclination_deg: Option<f64>,
    southbound: bool,
    sample_interval_s: Option<f64>,
    argument_of_perigee_deg: Option<f64>,
) -> PyResult<(String, Bound<'py, PyList>, Option<String>)> {
    let v = &vehicle.vehicle;
    let (m, note) = py
        .detach(|| {
            let (site, note) = resolve_site(site, v)?;
            let request = FlyRequest {
                vehicle: v,
                vehicle_id: &vehicle.source,
                site: &site,
                payload_kg,
                steering: mission::fly::Steering::Targeted {
                    target: target(&site, perigee_km, apogee_km, inclination_deg, argument_of_perigee_deg)?,
                    branch: Branch::from_southbound(southbound),
                },
                options: options(sample_interval_s)?,
            };
            Ok((mission::fly(&request, &mut |_| {})?, note))
        })
        .map_err(to_py)?;
    let json = serde_json::to_string(&m.report).map_err(json_err)?;
    Ok((json, columns_py(py, &trajectory_columns(&m.flight))?, note))
}

/// The whole mission to a named orbit (`cosmodrome fly --orbit NAME`), through the core's
/// resolver of named orbits: a direct ascent, or the ascent to a parking orbit, coasts and
/// burns. `(flight report JSON, trajectory columns, site note, transfer report JSON, payload
/// report JSON, orbit note)`; the transfer report through a parking orbit, the payload report of
/// a direct ascent without `payload_kg` (its `notes` carry the orbit note), the note when the
/// mission does not hold an element of the named orbit.
#[pyfunction]
#[pyo3(signature = (vehicle, site, orbit, payload_kg, perigee_km, apogee_km, inclination_deg, argument_of_perigee_deg, c3_km2_s2, declination_deg, southbound, sample_interval_s))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn fly_orbit<'py>(
    py: Python<'py>,
    vehicle: &NativeVehicle,
    site: &str,
    orbit: &str,
    payload_kg: Option<f64>,
    perigee_km: Option<f64>,
    apogee_km: Option<f64>,
    inclination_deg: Option<f64>,
    argument_of_perigee_deg: Option<f64>,
    c3_km2_s2: Option<f64>,
    declination_deg: Option<f64>,
    southbound: bool,
    sample_interval_s: Option<f64>,
) -> PyResult<(String, Bound<'py, PyList>, Option<String>, Option<String>, Option<String>, Option<String>)> {
    let v = &vehicle.vehicle;
    let (m, note, orbit_note) = py
        .detach(|| {
            let (site, note) = resolve_site(site, v)?;
            let overrides = orbit_overrides(perigee_km, apogee_km, inclination_deg, argument_of_perigee_deg, c3_km2_s2, declination_deg);
            let mission::NamedTarget { target, note: orbit_note } = mission::named_target(orbit, &site, v, &overrides)?;
            // Sampled as the CLI samples: every second, every 10 s through a parking orbit.
            let default_interval_s = mission::fly::default_sample_interval_s(&target);
            let request = mission::FlyOrbitRequest {
                vehicle: v,
                vehicle_id: &vehicle.source,
                site: &site,
                target,
                note: orbit_note.as_deref(),
                branch: Branch::from_southbound(southbound),
                payload_kg,
                options: options(Some(sample_interval_s.unwrap_or(default_interval_s)))?,
            };
            Ok((mission::fly_orbit(&request, &mut |_| {})?, note, orbit_note))
        })
        .map_err(to_py)?;
    let json = serde_json::to_string(&m.report).map_err(json_err)?;
    let transfer = m.transfer.as_ref().map(serde_json::to_string).transpose().map_err(json_err)?;
    let payload = m.payload.as_ref().map(serde_json::to_string).transpose().map_err(json_err)?;
    Ok((json, columns_py(py, &trajectory_columns(&m.flight))?, note, transfer, payload, orbit_note))
}

/// The open-loop program of `cosmodrome fly --open-loop`: vertical rise, pitch-over kick
/// (`pitch_kick_deg`, or by default the kick that brings the gravity turn to
/// `staging_fpa_deg` at upper-stage ignition), gravity turn, then linear-tangent steering to
/// `final_pitch_deg` (or the gravity turn throughout). Heads along `azimuth_deg`, or the azimuth
/// of the inclination. `(report JSON, trajectory columns, site note)`, as `fly`.
#[pyfunction]
#[pyo3(signature = (vehicle, site, payload_kg, perigee_km, inclination_deg, azimuth_deg, southbound, vertical_rise_s, pitch_over_speed_m_s, pitch_kick_deg, staging_fpa_deg, pitch_kick_duration_s, final_pitch_deg, gravity_turn_only, main_engine_burn_s, sample_interval_s))]
#[allow(clippy::too_many_arguments)]
fn fly_open_loop<'py>(
    py: Python<'py>,
    vehicle: &NativeVehicle,
    site: &str,
    payload_kg: f64,
    perigee_km: f64,
    inclination_deg: Option<f64>,
    azimuth_deg: Option<f64>,
    southbound: bool,
    vertical_rise_s: f64,
    pitch_over_speed_m_s: f64,
    pitch_kick_deg: Option<f64>,
    staging_fpa_deg: f64,
    pitch_kick_duration_s: f64,
    final_pitch_deg: f64,
    gravity_turn_only: bool,
    main_engine_burn_s: Option<f64>,
    sample_interval_s: Option<f64>,
) -> PyResult<(String, Bound<'py, PyList>, Option<String>)> {
    use cosmodrome::guidance::{AscentParameters, UpperSteering};
    use cosmodrome::mission::fly::{Heading, Steering};
    let v = &vehicle.vehicle;
    let (m, note) = py
        .detach(|| {
            if azimuth_deg.is_some() && inclination_deg.is_some() {
                return Err(cosmodrome::Error::invalid("azimuth_deg", "give an azimuth or an inclination, not both"));
            }
            let (site, note) = resolve_site(site, v)?;
            let heading = match azimuth_deg {
                Some(az) => Heading::Azimuth(az),
                None => Heading::Inclination { inclination_deg, branch: Branch::from_southbound(southbound) },
            };
            let parameters = AscentParameters {
                vertical_rise_s,
                pitch_over_min_air_speed_m_s: pitch_over_speed_m_s,
                pitch_kick_deg: pitch_kick_deg.unwrap_or(0.0),
                pitch_kick_duration_s,
                steering: if gravity_turn_only { UpperSteering::GravityTurn } else { UpperSteering::LinearTangent { final_pitch_deg } },
                main_engine_burn_s,
                coast_s: None,
            };
            let request = FlyRequest {
                vehicle: v,
                vehicle_id: &vehicle.source,
                site: &site,
                payload_kg,
                steering: Steering::OpenLoop {
                    heading,
                    perigee_m: perigee_km * 1e3,
                    parameters,
                    kick_for_staging_fpa_deg: pitch_kick_deg.is_none().then_some(staging_fpa_deg),
                },
                options: options(sample_interval_s)?,
            };
            Ok((mission::fly(&request, &mut |_| {})?, note))
        })
        .map_err(to_py)?;
    let json = serde_json::to_string(&m.report).map_err(json_err)?;
    Ok((json, columns_py(py, &trajectory_columns(&m.flight))?, note))
}

/// Equilibrium combustion and nozzle flow of a propellant pair (`cosmodrome propellant`): the
/// propellant report at one mixture ratio, or the sweep report for `start:end:step` (the core's
/// parser of `mixture_ratio`, as the command line's and the web API's), as JSON. `flow` is
/// `shifting`, `frozen` (at the chamber) or `frozen_at_throat`; the nozzle exit is
/// `expansion_ratio` or `pressure_ratio`, the caller gives one.
#[pyfunction]
#[pyo3(signature = (oxidizer, fuel, mixture_ratio, chamber_pressure_bar, expansion_ratio, pressure_ratio, flow, ambient_pressure_bar))]
#[allow(clippy::too_many_arguments)]
fn propellant(
    py: Python<'_>,
    oxidizer: &str,
    fuel: &str,
    mixture_ratio: &str,
    chamber_pressure_bar: f64,
    expansion_ratio: Option<f64>,
    pressure_ratio: Option<f64>,
    flow: &str,
    ambient_pressure_bar: f64,
) -> PyResult<String> {
    use cosmodrome::propulsion::chemistry::{builtin_propellants, builtin_species, Flow, NozzleExit};
    let invalid = |key: &str, message: String| to_py(cosmodrome::Error::invalid(key, message));
    let exit = match (expansion_ratio, pressure_ratio) {
        (Some(e), None) => NozzleExit::AreaRatio(e),
        (None, Some(r)) => NozzleExit::PressureRatio(r),
        _ => return Err(invalid("expansion_ratio", "give expansion_ratio or pressure_ratio (one of them)".to_owned())),
    };
    let flow = match flow {
        "shifting" => Flow::Shifting,
        "frozen" => Flow::FrozenAtChamber,
        "frozen_at_throat" => Flow::FrozenAtThroat,
        other => return Err(invalid("flow", format!("unknown flow `{other}`: shifting, frozen or frozen_at_throat"))),
    };
    let (ratios, sweep) = mission::propellant::mixture_ratios(mixture_ratio).map_err(|e| match e {
        cosmodrome::Error::InvalidInput { message, .. } => {
            // Quoted once: the parser's message may quote it already.
            let quoted = format!("`{mixture_ratio}`");
            invalid("mixture_ratio", if message.contains(&quoted) { message } else { format!("{quoted}: {message}") })
        }
        e => to_py(e),
    })?;
    let request = mission::PropellantRequest {
        species: builtin_species(),
        propellants: builtin_propellants(),
        oxidizer,
        fuel,
        mixture_ratios: &ratios,
        chamber_pressure_bar,
        exit,
        flow,
        ambient_pressure_bar,
    };
    let json = py.detach(|| {
        if sweep {
            mission::propellant_sweep(&request).map(|r| serde_json::to_string(&r))
        } else {
            mission::propellant(&request).map(|r| serde_json::to_string(&r))
        }
    });
    json.map_err(to_py)?.map_err(json_err)
}

/// The built-in launch sites, one entry per pad, as JSON (the web API's `GET /api/sites`).
#[pyfunction]
fn sites_json() -> PyResult<String> {
    serde_json::to_string(&mission::sites().map_err(to_py)?).map_err(json_err)
}

/// The validation mission (`cosmodrome validate`): every case of the built-in tables, or of the
/// table `(text, path)` whose vehicle files lie beside it, and the flown flights; `(report JSON,
/// warnings of the table's vehicle files)`.
#[pyfunction]
#[pyo3(signature = (table=None))]
fn validate(py: Python<'_>, table: Option<(String, String)>) -> PyResult<(String, Vec<String>)> {
    use cosmodrome::mission::validate::{builtin_tables, validate_tables_with};
    use cosmodrome_io::table_vehicles::TableVehicles;
    let warnings = std::sync::Mutex::new(Vec::new());
    let report = py.detach(|| {
        let path = table.as_ref().map(|(_, path)| std::path::Path::new(path.as_str()));
        let files = TableVehicles::new(path, |w| warnings.lock().expect("warnings").push(w));
        let resolve = |id: &str| files.vehicle(id);
        match &table {
            Some((text, path)) => validate_tables_with(&[(text.as_str(), path.as_str())], &resolve, |_| {}),
            None => validate_tables_with(&builtin_tables(), &resolve, |_| {}),
        }
    });
    let json = serde_json::to_string(&report.map_err(to_py)?).map_err(json_err)?;
    Ok((json, warnings.into_inner().unwrap_or_default()))
}

/// The drop-zone mission's answer: report JSON, impact columns, trajectory columns, site note.
type DropzonesAnswer<'py> = (String, Bound<'py, PyList>, Bound<'py, PyList>, Option<String>);

/// The drop-zone arguments as Python passes them to `dropzones` and `dropzones_chunk`.
struct DropzonesArgs<'a> {
    vehicle: &'a Vehicle,
    site: &'a str,
    /// Without `orbit`, 200 km when `None`; with it, the named orbit's.
    perigee_km: Option<f64>,
    apogee_km: Option<f64>,
    inclination_deg: Option<f64>,
    southbound: bool,
    payload_kg: Option<f64>,
    samples: usize,
    seed: u64,
    dispersions_toml: &'a Option<(String, String)>,
    wind_toml: &'a Option<(String, String)>,
    drop_zones: &'a Option<(Option<String>, String)>,
    /// A named orbit (`dropzones --orbit NAME`) and its overrides of the argument of perigee
    /// and of C3, and the declination of an escape's asymptote; without it, the argument of
    /// perigee the ascent holds.
    orbit: Option<&'a str>,
    argument_of_perigee_deg: Option<f64>,
    c3_km2_s2: Option<f64>,
    declination_deg: Option<f64>,
}

impl DropzonesArgs<'_> {
    /// Read the files, resolve the site and the orbit, fly the ascent the falls start from
    /// (through a parking orbit, the whole mission's flight, as `dropzones --orbit`; sampled when
    /// `sampled`, every second, every 10 s through a parking orbit), and hand the core's
    /// request, that ascent and the site note to `then`: one set-up for the whole run and for a
    /// chunk of it, so a chunk falls from the very ascent the whole run does.
    fn with_ascent<T>(
        &self,
        sampled: bool,
        then: impl FnOnce(&DropzonesRequest<'_>, mission::NominalAscent, Option<String>) -> Result<T, cosmodrome::Error>,
    ) -> Result<T, cosmodrome::Error> {
        use cosmodrome::optimize::transfer::MissionTarget;
        if self.samples == 0 {
            return Err(cosmodrome::Error::invalid("samples", "must be at least 1 dispersed fall per body"));
        }
        let (dispersions, wind) = dispersion_inputs(self.dispersions_toml, self.wind_toml)?;
        let zones = zones_input(self.drop_zones, self.vehicle)?;
        let (site, note) = resolve_site(self.site, self.vehicle)?;
        // The orbit the ascent flies to, or a parking orbit and the transfer after it.
        let mission::NamedTarget { target, note: orbit_note } = match self.orbit {
            None => {
                for (key, given) in [("c3_km2_s2", self.c3_km2_s2), ("declination_deg", self.declination_deg)] {
                    if given.is_some() {
                        return Err(cosmodrome::Error::invalid(key, format!("{key} overrides an element of a named orbit: give orbit")));
                    }
                }
                let perigee_km = self.perigee_km.unwrap_or(200.0);
                let orbit = target(&site, perigee_km, self.apogee_km, self.inclination_deg, self.argument_of_perigee_deg)?;
                mission::NamedTarget { target: MissionTarget::Direct(orbit), note: None }
            }
            Some(name) => {
                let overrides = orbit_overrides(
                    self.perigee_km,
                    self.apogee_km,
                    self.inclination_deg,
                    self.argument_of_perigee_deg,
                    self.c3_km2_s2,
                    self.declination_deg,
                );
                mission::named_target(name, &site, self.vehicle, &overrides)?
            }
        };
        let request = DropzonesRequest {
            vehicle: self.vehicle,
            site: &site,
            target,
            note: orbit_note.as_deref(),
            branch: Branch::from_southbound(self.southbound),
            payload_kg: self.payload_kg,
            zones: zones.as_ref(),
            dispersions: &dispersions,
            wind: wind.as_ref(),
            samples: self.samples,
            seed: self.seed,
            options: options(sampled.then(|| mission::fly::default_sample_interval_s(&target)))?,
        };
        let ascent = mission::dropzones_nominal_ascent(&request, &mut |_| {})?;
        then(&request, ascent, note)
    }
}

/// The drop-zone mission: `(report JSON, impact columns, trajectory columns, site note)`. With
/// `orbit`, the bodies of the whole mission to that named orbit fall (`dropzones --orbit NAME`).
#[pyfunction]
#[pyo3(signature = (vehicle, site, perigee_km, apogee_km, inclination_deg, southbound, payload_kg, samples, seed, dispersions_toml, wind_toml, drop_zones=None, orbit=None, argument_of_perigee_deg=None, c3_km2_s2=None, declination_deg=None))]
#[allow(clippy::too_many_arguments)]
fn dropzones<'py>(
    py: Python<'py>,
    vehicle: &NativeVehicle,
    site: &str,
    perigee_km: Option<f64>,
    apogee_km: Option<f64>,
    inclination_deg: Option<f64>,
    southbound: bool,
    payload_kg: Option<f64>,
    samples: usize,
    seed: u64,
    dispersions_toml: Option<(String, String)>,
    wind_toml: Option<(String, String)>,
    drop_zones: Option<(Option<String>, String)>,
    orbit: Option<&str>,
    argument_of_perigee_deg: Option<f64>,
    c3_km2_s2: Option<f64>,
    declination_deg: Option<f64>,
) -> PyResult<DropzonesAnswer<'py>> {
    let args = DropzonesArgs {
        vehicle: &vehicle.vehicle,
        site,
        perigee_km,
        apogee_km,
        inclination_deg,
        southbound,
        payload_kg,
        samples,
        seed,
        dispersions_toml: &dispersions_toml,
        wind_toml: &wind_toml,
        drop_zones: &drop_zones,
        orbit,
        argument_of_perigee_deg,
        c3_km2_s2,
        declination_deg,
    };
    let (m, ascent, note) = py
        .detach(|| {
            args.with_ascent(true, |request, ascent, note| {
                let cancel = AtomicBool::new(false);
                let m = mission::dropzones(request, &ascent, &|_, _| {}, &cancel)?;
                Ok((m, ascent, note))
            })
        })
        .map_err(to_py)?;
    let json = serde_json::to_string(&m.report).map_err(json_err)?;
    Ok((json, columns_py(py, &impacts_columns(&m.results))?, columns_py(py, &trajectory_columns(&ascent.flight))?, note))
}

/// Samples `first..end` of a drop-zone Monte Carlo of `samples` per body (the chunk of a
/// distributed run): the ascent is flown as by `dropzones`, then only these samples fall, each
/// from its own random stream. Returns the impact columns of `impacts` with a leading
/// `body_index` column (the chunks are put back in the whole run's order by it and `sample`).
#[pyfunction]
#[pyo3(signature = (vehicle, site, perigee_km, apogee_km, inclination_deg, southbound, payload_kg, samples, seed, dispersions_toml, wind_toml, first, end, drop_zones=None, orbit=None, argument_of_perigee_deg=None, c3_km2_s2=None, declination_deg=None))]
#[allow(clippy::too_many_arguments)]
fn dropzones_chunk<'py>(
    py: Python<'py>,
    vehicle: &NativeVehicle,
    site: &str,
    perigee_km: Option<f64>,
    apogee_km: Option<f64>,
    inclination_deg: Option<f64>,
    southbound: bool,
    payload_kg: Option<f64>,
    samples: usize,
    seed: u64,
    dispersions_toml: Option<(String, String)>,
    wind_toml: Option<(String, String)>,
    first: usize,
    end: usize,
    drop_zones: Option<(Option<String>, String)>,
    orbit: Option<&str>,
    argument_of_perigee_deg: Option<f64>,
    c3_km2_s2: Option<f64>,
    declination_deg: Option<f64>,
) -> PyResult<Bound<'py, PyList>> {
    let args = DropzonesArgs {
        vehicle: &vehicle.vehicle,
        site,
        perigee_km,
        apogee_km,
        inclination_deg,
        southbound,
        payload_kg,
        samples,
        seed,
        dispersions_toml: &dispersions_toml,
        wind_toml: &wind_toml,
        drop_zones: &drop_zones,
        orbit,
        argument_of_perigee_deg,
        c3_km2_s2,
        declination_deg,
    };
    let bodies = py
        .detach(|| {
            args.with_ascent(false, |request, ascent, _| {
                let flown = ascent.flown_vehicle(request.vehicle);
                let setup = MonteCarloSetup {
                    vehicle: &flown,
                    launch: ascent.launch,
                    bodies: &ascent.flight.jettisoned,
                    dispersions: *request.dispersions,
                    wind: request.wind,
                    options: FallOptions::default(),
                    ascent: Some(ascent.replay(request.options)),
                    samples: request.samples,
                    seed: request.seed,
                };
                run_monte_carlo_chunk(&setup, first, end)
            })
        })
        .map_err(to_py)?;
    let index: Vec<i64> = bodies.iter().enumerate().flat_map(|(i, b)| std::iter::repeat_n(i as i64, b.impacts.len())).collect();
    let mut columns = vec![Column::i64("body_index", index)];
    columns.extend(impacts_columns(&bodies));
    columns_py(py, &columns)
}

/// One value of a sweep's inclination axis as Python gives it: degrees, or `"sso"`.
#[derive(FromPyObject)]
enum PyInclination {
    Degrees(f64),
    Named(String),
}

/// Payload over the grid vehicles × sites × altitudes (circular orbits) × inclinations
/// (`cosmodrome::mission::sweep::sweep_grid`, chains of neighbouring points warm-started from
/// each other on rayon's pool; a site is a catalog id or a site file's path, read once before
/// the run and named in the table by its pad id), or over the values of one vehicle-file
/// parameter: `vary` is `(spec, file text, file name)` with `spec` `PATH=START:END:STEP` or
/// `PATH=V1,V2,…`, and one vehicle. A point the vehicle cannot reach is reported with its status and message; it does
/// not stop the others. With `out_dir` the CLI's files are written there as one set
/// (`sweep.csv`, `sweep.parquet`, the payload chart, `run.json`), the directory checked before
/// any flight as the CLI's `--out` is. Returns the columns of the result table in grid order
/// (the last axis varies fastest), the io crate's sweep columns.
#[pyfunction]
#[pyo3(signature = (vehicles, sites, altitudes_km, inclinations_deg, southbound, vary=None, warm_start=true, out_dir=None))]
#[allow(clippy::too_many_arguments)]
fn sweep<'py>(
    py: Python<'py>,
    vehicles: Vec<PyRef<'py, NativeVehicle>>,
    sites: Vec<String>,
    altitudes_km: Vec<f64>,
    inclinations_deg: Vec<Option<PyInclination>>,
    southbound: bool,
    vary: Option<(String, String, String)>,
    warm_start: bool,
    out_dir: Option<std::path::PathBuf>,
) -> PyResult<Bound<'py, PyList>> {
    // Site files read once, here, before anything flies.
    let grid_sites = py.detach(|| sweep_sites(&sites)).map_err(sweep_error)?;
    let site_labels: Vec<String> = grid_sites.iter().map(|s| s.label().to_owned()).collect();
    if let Some(dir) = &out_dir {
        cosmodrome_io::check_out_dir(dir).map_err(|e| to_py(cosmodrome::Error::invalid("out_dir", e.to_string())))?;
    }
    let parameter = vary.as_ref().map(|(spec, _, _)| VaryParameter::parse(spec)).transpose().map_err(to_py)?;
    // A value or a vehicle given twice would give its rows twice.
    let altitudes: Vec<Option<f64>> = altitudes_km.iter().copied().map(Some).collect();
    mission::sweep::refuse_repeated_values("altitudes_km", &altitudes).map_err(to_py)?;
    let inclinations = inclinations_deg
        .iter()
        .map(|i| match i {
            None => Ok(SweepInclination::Lowest),
            Some(PyInclination::Degrees(deg)) => Ok(SweepInclination::Degrees(*deg)),
            Some(PyInclination::Named(name)) => SweepInclination::named(name)
                .ok_or_else(|| to_py(cosmodrome::Error::invalid("inclinations_deg", format!("must be numbers or \"sso\", got {name:?}")))),
        })
        .collect::<PyResult<Vec<_>>>()?;
    mission::sweep::refuse_repeated_inclinations("inclinations_deg", &inclinations).map_err(to_py)?;
    if let Some(parameter) = &parameter {
        let values: Vec<Option<f64>> = parameter.values.iter().copied().map(Some).collect();
        mission::sweep::refuse_repeated_values("vary", &values).map_err(to_py)?;
    }
    for (i, v) in vehicles.iter().enumerate() {
        if let Some(first) = vehicles[..i].iter().find(|w| w.vehicle == v.vehicle) {
            let message = format!(
                "`{}` is given twice (as `{}`): every row of it would be given twice; give each vehicle once",
                v.source, first.source
            );
            return Err(to_py(cosmodrome::Error::invalid("vehicles", message)));
        }
    }
    let variants: Vec<Vehicle> = match (&parameter, &vary) {
        (Some(parameter), Some((_, text, file))) => {
            if vehicles.len() != 1 {
                let message = format!("vary sweeps one vehicle's file; give one vehicle, not {}", vehicles.len());
                return Err(to_py(cosmodrome::Error::invalid("vary", message)));
            }
            py.detach(|| parameter.variants(text, file)).map_err(to_py)?
        }
        _ => Vec::new(),
    };
    let vs: Vec<&Vehicle> = if parameter.is_some() { variants.iter().collect() } else { vehicles.iter().map(|v| &v.vehicle).collect() };
    let grid = SweepGrid {
        vehicles: &vs,
        variants: parameter.is_some(),
        sites: &grid_sites,
        altitudes_km: &altitudes_km,
        inclinations: &inclinations,
        branch: Branch::from_southbound(southbound),
        warm_start,
    };
    let rows = py.detach(|| mission::sweep::sweep_grid(&grid, &|_, _| {}));
    let vehicle_labels: Vec<String> =
        vs.iter().enumerate().map(|(i, _)| vehicles[if parameter.is_some() { 0 } else { i }].source.clone()).collect();
    let vehicle_names: Vec<String> = vs.iter().map(|v| v.name.clone()).collect();
    let labels = SweepLabels {
        vehicles: &vehicle_labels,
        names: &vehicle_names,
        sites: &site_labels,
        parameter: parameter.as_ref().map(|p| (p.path.as_str(), p.values.as_slice())),
    };
    if let Some(dir) = &out_dir {
        let record = serde_json::json!({ "command": "sweep", "interface": "python", "vehicles": vehicle_labels, "sites": sites });
        py.detach(|| write_sweep(dir, &rows, &labels, &record)).map_err(|e| to_py(cosmodrome::Error::invalid("out_dir", e.to_string())))?;
    }
    columns_py(py, &sweep_columns(&rows, &labels))
}

/// Every site of a sweep is known, every site file reads (`cosmodrome.distributed.sweep` checks
/// before its tasks, as the local sweep does before its run).
#[pyfunction]
fn check_sweep_sites(sites: Vec<String>) -> PyResult<()> {
    sweep_sites(&sites).map(|_| ()).map_err(sweep_error)
}

/// A sweep's error: an unknown id is one of its `vehicles` or `sites`.
fn sweep_error(e: cosmodrome::Error) -> PyErr {
    to_py_naming(e, "vehicles", "sites")
}

/// The staging flight-path angle the open-loop kick aims for by default, degrees (the CLI's
/// `--staging-fpa-deg` default).
#[pyfunction]
fn default_staging_fpa_deg() -> f64 {
    cosmodrome::guidance::ascent::DEFAULT_STAGING_FLIGHT_PATH_ANGLE_DEG
}

/// A parameter sweep's `PATH=START:END:STEP` or `PATH=V1,V2,…` as `(path, values)`, read as
/// the sweep reads it (so that a distributed sweep cuts the same values into tasks).
#[pyfunction]
fn parse_vary(spec: &str) -> PyResult<(String, Vec<f64>)> {
    let vary = VaryParameter::parse(spec).map_err(to_py)?;
    Ok((vary.path, vary.values))
}

/// The text of a catalog vehicle's file (what a parameter sweep edits).
#[pyfunction]
fn catalog_vehicle_text(id: &str) -> PyResult<String> {
    catalog_vehicle(id).map(str::to_owned).ok_or_else(|| to_py(cosmodrome::vehicle::unknown_vehicle(id)))
}

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    // The package's version is the crate's (pyproject.toml takes it from Cargo.toml).
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // Most dispersed falls per body of a drop-zone run, the command line's bound.
    m.add("MAX_SAMPLES", cosmodrome::dropzone::monte_carlo::MAX_SAMPLES)?;
    m.add_class::<NativeVehicle>()?;
    m.add_function(wrap_pyfunction!(catalog_ids_list, m)?)?;
    m.add_function(wrap_pyfunction!(vehicle_from_catalog, m)?)?;
    m.add_function(wrap_pyfunction!(vehicle_from_toml, m)?)?;
    m.add_function(wrap_pyfunction!(payload, m)?)?;
    m.add_function(wrap_pyfunction!(fly, m)?)?;
    m.add_function(wrap_pyfunction!(fly_open_loop, m)?)?;
    m.add_function(wrap_pyfunction!(fly_orbit, m)?)?;
    m.add_function(wrap_pyfunction!(dropzones, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(check_sweep_sites, m)?)?;
    m.add_function(wrap_pyfunction!(catalog_vehicle_text, m)?)?;
    m.add_function(wrap_pyfunction!(parse_vary, m)?)?;
    m.add_function(wrap_pyfunction!(default_staging_fpa_deg, m)?)?;
    m.add_function(wrap_pyfunction!(dropzones_chunk, m)?)?;
    m.add_function(wrap_pyfunction!(propellant, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(sites_json, m)?)?;
    Ok(())
}
