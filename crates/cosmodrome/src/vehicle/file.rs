//! Serde image of the vehicle file (format 1), exactly as written: units of the file (kN, km,
//! kPa), optional keys as `Option`, no defaults applied and no rule checked.
//!
//! Validation turns this into a [`Vehicle`](super::Vehicle). Values that a rule checks are wrapped
//! in [`Spanned`] so that an error can point at the line of the offending value. Every table denies
//! unknown keys, because a misspelt optional key (`residual_mas_kg`) would otherwise silently fall
//! back to its default. The format is documented in `docs/vehicle-file.md`.

use serde::Deserialize;
use toml::Spanned;

/// The version of the vehicle file format this crate reads.
pub const FORMAT_VERSION: i64 = 1;

/// The whole vehicle file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleFile {
    /// Format version; must be [`FORMAT_VERSION`].
    pub format: Spanned<i64>,
    /// Display name.
    pub name: Spanned<String>,
    /// One-line description; empty when absent.
    pub description: Option<Spanned<String>>,
    /// Vehicle family (`Angara`, `Soyuz-2`): picks the family's pad at a cosmodrome.
    pub family: Option<Spanned<String>>,
    /// `[[source]]` entries: where the figures come from.
    #[serde(default)]
    pub source: Vec<SourceEntry>,
    /// `[[engine]]` entries.
    #[serde(default)]
    pub engine: Vec<Spanned<EngineEntry>>,
    /// `[[stage]]` entries, in firing order.
    #[serde(default)]
    pub stage: Vec<Spanned<StageEntry>>,
    /// `[fairing]`, when the vehicle has one.
    pub fairing: Option<Spanned<FairingEntry>>,
    /// `[aero]`, when the file overrides the default drag model.
    pub aero: Option<Spanned<AeroEntry>>,
    /// `[limits]`, when the file states structural limits.
    pub limits: Option<LimitsEntry>,
    /// `[margins]`: flight performance reserve and payload adapter; defaults when absent.
    pub margins: Option<MarginsEntry>,
    /// `[[jettison]]` entries: interstages, skirts, escape towers dropped during the ascent.
    #[serde(default)]
    pub jettison: Vec<Spanned<JettisonEntry>>,
    /// `[[motor]]` entries: solid rocket motors, each with its thrust–time curve.
    #[serde(default)]
    pub motor: Vec<Spanned<MotorEntry>>,
}

/// Only the `format` key, read before the full file so that a file of another format version
/// is reported as such instead of as a list of unknown keys.
#[derive(Debug, Clone, Deserialize)]
pub struct FormatProbe {
    /// Format version, of whatever type the file gives.
    pub format: Option<Spanned<toml::Value>>,
}

/// A `[[source]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    /// What the source gives (`stage masses`).
    pub what: String,
    /// The reference (`ref` in the file, a reserved word in Rust).
    #[serde(rename = "ref")]
    pub reference: String,
}

/// An `[[engine]]` entry; thrust in kN, as data sheets give it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineEntry {
    /// Identifier the stages refer to.
    pub id: Spanned<String>,
    /// Propellant combination.
    pub propellant: String,
    /// Vacuum thrust at full throttle, kN.
    pub thrust_vac_kn: Spanned<f64>,
    /// Vacuum specific impulse, s; absent when `chemistry` gives it.
    pub isp_vac_s: Option<Spanned<f64>>,
    /// Sea-level thrust, kN; absent for a vacuum engine.
    pub thrust_sl_kn: Option<Spanned<f64>>,
    /// Sea-level specific impulse, s.
    pub isp_sl_s: Option<Spanned<f64>>,
    /// Lowest throttle setting, fraction of full thrust.
    pub throttle_min: Option<Spanned<f64>>,
    /// Where the figures come from (free text).
    pub source: Option<String>,
    /// Propellants and chamber instead of (or next to) the Isp: `chemistry = { oxidizer, fuel,
    /// mixture_ratio, chamber_pressure_bar, expansion_ratio }` (see `engine_chemistry`).
    pub chemistry: Option<Spanned<super::engine_chemistry::ChemistryEntry>>,
}

/// `ignition` of a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IgnitionEntry {
    /// Burns from liftoff.
    Liftoff,
    /// Ignites after the previous sequential stage separates.
    Sequential,
}

/// `kind` of a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KindEntry {
    /// Strap-on booster.
    Booster,
    /// Core or first stage.
    Core,
    /// Upper stage.
    Upper,
}

/// A `[[stage]]` entry; masses per unit (module).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageEntry {
    /// Unique name, the key of throttle `until`.
    pub name: Spanned<String>,
    /// Identical modules; 1 when absent.
    pub units: Option<Spanned<i64>>,
    /// Id of an `[[engine]]` (a liquid engine); exactly one of `engine`, `engines` and `motor`.
    pub engine: Option<Spanned<String>>,
    /// Engines per module; 1 when absent. Goes with `engine` only.
    pub engines_per_unit: Option<Spanned<i64>>,
    /// Several engine types burning together from the stage's tanks (a main engine and its
    /// steering engines), instead of `engine` and `engines_per_unit`.
    pub engines: Option<Spanned<Vec<Spanned<StageEngineEntry>>>>,
    /// Dry mass per module, kg.
    pub dry_mass_kg: Spanned<f64>,
    /// Usable propellant per module, kg.
    pub propellant_mass_kg: Spanned<f64>,
    /// Unusable propellant per module, kg; when absent, a default share of `propellant_mass_kg`
    /// (then read as the loaded propellant) stays aboard.
    pub residual_mass_kg: Option<Spanned<f64>>,
    /// Propellant per module burned during the engines' start-up before they give their rated
    /// thrust (on the pad before release for a liftoff stage), kg; 0 when absent.
    pub startup_propellant_kg: Option<Spanned<f64>>,
    /// Consumables expended during the burn without thrust, per module, kg; 0 when absent.
    pub auxiliary_mass_kg: Option<Spanned<f64>>,
    /// Module diameter, m.
    pub diameter_m: Spanned<f64>,
    /// When the stage ignites; liftoff for the first stage, sequential after, when absent.
    pub ignition: Option<Spanned<IgnitionEntry>>,
    /// Coast before ignition, s; 0 when absent.
    pub ignition_delay_s: Option<Spanned<f64>>,
    /// Solid stages lit in flight: the longest coast before ignition, s; the ascent then chooses
    /// the coast between `ignition_delay_s` and this. Absent: the coast is `ignition_delay_s`.
    pub ignition_delay_max_s: Option<Spanned<f64>>,
    /// What the stage is; derived from ignition and units when absent.
    pub kind: Option<Spanned<KindEntry>>,
    /// Throttle schedule; full throttle when absent.
    #[serde(default)]
    pub throttle: Vec<Spanned<ThrottleEntry>>,
    /// Tumbling drag of the spent stage.
    pub tumbling: Option<Spanned<TumblingEntry>>,
    /// Where the figures come from (free text).
    pub source: Option<String>,
    /// Id of a `[[motor]]` (a solid motor, one per unit) instead of `engine`.
    pub motor: Option<Spanned<String>>,
    /// Solid stages: separation this long after burnout (the curve's end), s.
    pub separation_delay_s: Option<Spanned<f64>>,
    /// Solid stages: separation when the vacuum thrust of one motor falls below this level in
    /// its tail-off, kN.
    pub separation_thrust_kn: Option<Spanned<f64>>,
    /// Solid stages igniting in flight: `burnout:STAGE NAME` or `separation:STAGE NAME` of a
    /// liftoff stage; `ignition_delay_s` then counts from that event.
    pub ignition_after: Option<Spanned<String>>,
    /// Liquid upper stages: most burns in all, the first included; 1 (not restartable) when
    /// absent.
    pub max_burns: Option<Spanned<i64>>,
    /// Restartable stages: shortest coast between a cutoff and the next ignition, s; 0 when
    /// absent.
    pub min_coast_s: Option<Spanned<f64>>,
    /// Restartable stages: propellant per module spent without impulse at each restart
    /// (chill-down, start transient), kg; `startup_propellant_kg` when absent.
    pub restart_propellant_kg: Option<Spanned<f64>>,
    /// Restartable stages: propellant per module spent on attitude control and ullage per hour
    /// of coast, kg/h; 0 when absent.
    pub coast_propellant_kg_per_h: Option<Spanned<f64>>,
    /// A jettisonable propellant tank that feeds the stage first (Briz-M's additional tank).
    pub drop_tank: Option<Spanned<DropTankEntry>>,
}

/// One entry of a stage's `engines = [{ engine = "RD-120", count = 1 }, ...]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageEngineEntry {
    /// Id of an `[[engine]]`.
    pub engine: Spanned<String>,
    /// Engines of this type per module; 1 when absent.
    pub count: Option<Spanned<i64>>,
    /// Whether these engines burn on alone after the stage's other (main) engines are cut off,
    /// as Zenit's RD-8 steering engine does after the RD-120; false when absent.
    pub burns_on: Option<Spanned<bool>>,
}

/// `[stage.drop_tank]`: part of the stage's dry and propellant masses, held in a tank the
/// stage drops once it is empty.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropTankEntry {
    /// Name, for events and drop-zone reports; `NAME tank` of the stage when absent.
    pub name: Option<Spanned<String>>,
    /// Dry mass of the tank per module, kg: part of the stage's `dry_mass_kg`.
    pub dry_mass_kg: Spanned<f64>,
    /// Usable propellant the tank holds per module, kg: part of the stage's
    /// `propellant_mass_kg`, burned before the stage's own tanks.
    pub propellant_mass_kg: Spanned<f64>,
    /// Tumbling drag of the empty tank.
    pub tumbling: Option<Spanned<TumblingEntry>>,
}

/// A `[[motor]]` entry: a solid rocket motor, per motor (one per unit of the stages using it).
/// The thrust comes from exactly one curve: tabulated vacuum thrust, or chamber pressure with
/// the throat and exit areas and the exhaust's ratio of specific heats.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MotorEntry {
    /// Identifier the stages refer to; unique among engines and motors.
    pub id: Spanned<String>,
    /// Propellant (free text).
    pub propellant: String,
    /// Vacuum specific impulse the source states, s: checked against the curve's impulse.
    pub isp_vac_s: Spanned<f64>,
    /// Nozzle exit area, m²: the back-pressure loss `p·A_e`.
    pub exit_area_m2: Spanned<f64>,
    /// Burn time the source states, s: checked against the curve.
    pub burn_time_s: Option<Spanned<f64>>,
    /// `[time_s, thrust_vac_kn]` points from ignition to the end of the tail-off.
    pub thrust_curve_vac_kn: Option<CurveTable>,
    /// `[time_s, chamber_pressure_mpa]` points from ignition to the end of the tail-off.
    pub chamber_pressure_curve_mpa: Option<CurveTable>,
    /// Nozzle throat area, m² (with the chamber-pressure curve).
    pub throat_area_m2: Option<Spanned<f64>>,
    /// Ratio of specific heats of the exhaust (with the chamber-pressure curve).
    pub gamma: Option<Spanned<f64>>,
    /// Temperature sensitivity of the chamber pressure, % per kelvin of grain temperature
    /// (`π_K`): how much a warmer grain raises the thrust and shortens the burn.
    pub temperature_sensitivity_percent_per_k: Option<Spanned<f64>>,
    /// Where the figures come from (free text).
    pub source: Option<String>,
}

/// A `[[x, y], ...]` table, each pair spanned for its own line.
pub type CurveTable = Spanned<Vec<Spanned<Pair>>>;

/// One `[x, y]` row of a table: exactly two numbers.
///
/// A plain `(f64, f64)` would not do: serde's tuple visitor reads the first two elements and
/// leaves refusing a third to the deserializer, and the TOML reader's array deserializer never
/// checks, so `[0.5, 272.7, 1]` would read as `[0.5, 272.7]`, the extra number silently dropped.
/// Every pair table of the file is read through this type, so every one refuses such a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair(pub f64, pub f64);

impl<'de> Deserialize<'de> for Pair {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairVisitor;
        impl<'de> serde::de::Visitor<'de> for PairVisitor {
            type Value = Pair;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a pair [x, y] of two numbers")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Pair, A::Error> {
                use serde::de::Error;
                let x = seq.next_element::<f64>()?.ok_or_else(|| A::Error::invalid_length(0, &self))?;
                let y = seq.next_element::<f64>()?.ok_or_else(|| A::Error::invalid_length(1, &self))?;
                let mut length = 2;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    length += 1;
                }
                if length > 2 {
                    return Err(A::Error::invalid_length(length, &self));
                }
                Ok(Pair(x, y))
            }
        }
        deserializer.deserialize_seq(PairVisitor)
    }
}

/// One throttle segment: `{ level, until = "separation:NAME" }` or `{ level, until_s }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThrottleEntry {
    /// Throttle level, fraction of full thrust.
    pub level: Spanned<f64>,
    /// `separation:NAME` of a stage.
    pub until: Option<Spanned<String>>,
    /// Time after liftoff, s.
    pub until_s: Option<Spanned<f64>>,
}

/// `tumbling = { cd, area_m2 }` of a stage.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TumblingEntry {
    /// Drag coefficient.
    pub cd: Spanned<f64>,
    /// Reference area, m².
    pub area_m2: Spanned<f64>,
}

/// `[fairing]`: mass and exactly one jettison rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FairingEntry {
    /// Mass of the whole fairing, kg.
    pub mass_kg: Spanned<f64>,
    /// Jettison when climbing through this altitude, km.
    pub jettison_altitude_km: Option<Spanned<f64>>,
    /// Jettison when the free-molecular heat flux falls below this value, W/m².
    pub jettison_heat_flux_w_m2: Option<Spanned<f64>>,
    /// Jettison at this time after liftoff, s.
    pub jettison_time_s: Option<Spanned<f64>>,
    /// Tumbling drag of one fairing half.
    pub tumbling: Option<Spanned<TumblingEntry>>,
    /// Where the figures come from (free text).
    pub source: Option<String>,
}

/// `[aero]`: reference area and drag curve.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AeroEntry {
    /// Reference area, m²; the attached cross-sections when absent.
    pub reference_area_m2: Option<Spanned<f64>>,
    /// `[mach, cd]` pairs; the generic curve when absent.
    pub cd_mach: Option<CdMachTable>,
}

/// `cd_mach = [[mach, cd], ...]`, each pair spanned for its own line.
pub type CdMachTable = Spanned<Vec<Spanned<Pair>>>;

/// `[limits]`: structural limits, in the units of data sheets.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsEntry {
    /// Maximum dynamic pressure, kPa.
    pub max_q_kpa: Option<Spanned<f64>>,
    /// Maximum axial acceleration, g0.
    pub max_accel_g: Option<Spanned<f64>>,
    /// Least liftoff thrust-to-weight the design allows.
    pub min_liftoff_thrust_to_weight: Option<Spanned<f64>>,
}

/// `[margins]`: what a published payload leaves out of the payload.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarginsEntry {
    /// Flight performance reserve: share of the last stage's usable propellant kept unburned.
    pub flight_performance_reserve: Option<Spanned<f64>>,
    /// Payload adapter and separation system, kg: carried to orbit, not counted as payload.
    pub payload_adapter_mass_kg: Option<Spanned<f64>>,
    /// Where the figures come from (free text).
    pub source: Option<String>,
}

/// A `[[jettison]]` entry: structure dropped at a stage's separation (plus a delay) or at a time.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JettisonEntry {
    /// Name in events (`S-II aft interstage`).
    pub name: Spanned<String>,
    /// Mass dropped, kg.
    pub mass_kg: Spanned<f64>,
    /// `separation:STAGE NAME`: dropped that long (`delay_s`) after the stage separates.
    pub after: Option<Spanned<String>>,
    /// Delay after `after`, s; 0 when absent.
    pub delay_s: Option<Spanned<f64>>,
    /// Time after liftoff, s (instead of `after`).
    pub time_s: Option<Spanned<f64>>,
    /// Where the figures come from (free text).
    pub source: Option<String>,
}
