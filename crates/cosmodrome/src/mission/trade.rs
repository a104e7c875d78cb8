//! Payload trade factors (exchange ratios): what a kilogram of a stage's dry mass or propellant,
//! a second of its Isp, a per cent of its thrust or a kilogram of the fairing is worth in payload
//! into the target orbit (`cosmodrome payload --trade-factors`).
//!
//! Each factor is the partial derivative of the optimized maximum payload (the payload mission's
//! answer, [`super::payload()`]) with respect to one figure of the vehicle, by central
//! differences: the vehicle is cloned with the figure moved a step down and a step up, the
//! payload is re-optimized for each (ascent shape, launch azimuth and payload all re-solved, as
//! `payload` solves them, warm-started from the nominal solution, or from the built-in guesses
//! when that start does not reach the orbit), and the factor is
//! `(P₊ − P₋) / (2·step)`. Re-optimizing matters: a heavier lower stage stages lower and slower,
//! and the best ascent shape moves with it.
//!
//! The steps are large enough that the optimizer's settling of the payload (~0.1 kg, the
//! targeting tolerance of [`crate::optimize::targeting`]) is negligible against the difference,
//! and small enough to stay in the linear range:
//! - dry mass: ±max(1 % of the stage's, 50 kg), at most a quarter of it;
//! - usable propellant: ±0.5 % of the stage's load;
//! - vacuum Isp: ±1 s;
//! - vacuum thrust: ±1 % (a liquid stage: the engines' vacuum thrust at their Isp, so the mass
//!   flow follows; a solid motor: the thrust curve scaled at the same total impulse and
//!   propellant, so the burn is 1 % shorter, as a faster-burning grain);
//! - fairing mass: ±max(1 %, 50 kg), at most a quarter of it.
//!
//! Through a parking orbit ([`transfer_trade_factors`]) each side is the whole mission
//! re-optimized (ascent, transfer burns, the propellant held back for them), its ascent
//! warm-started from the nominal's.
//!
//! Masses are those of the whole stage (all its modules moved alike), so every mass factor is in
//! kg of payload per kg. The perturbed optimizations run in parallel on rayon's pool; one that
//! cannot be flown (the orbit out of reach with the figure moved) is that row's error.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::round;
use super::liftoff_limit::capped_payload_kg;
use super::payload::PayloadRequest;
use super::transfer::TransferRequest;
use crate::error::{Error, Result};
use crate::flight::FlightOptions;
use crate::optimize::payload::{maximize_payload_from, WarmStart};
use crate::optimize::transfer::{as_flown, maximize_transfer_payload_from};
use crate::vehicle::{Stage, Vehicle};

/// Share of a stage's (or the fairing's) mass its dry-mass step is at least.
pub const MASS_STEP_SHARE: f64 = 0.01;
/// Smallest dry-mass (and fairing-mass) step, kg: 500 times the optimizer's payload settling.
pub const MIN_MASS_STEP_KG: f64 = 50.0;
/// Largest mass step as a share of the mass (a light stage or fairing, where 50 kg is much).
pub const MAX_MASS_STEP_SHARE: f64 = 0.25;
/// Step of the usable propellant load, as a share of it.
pub const PROPELLANT_STEP_SHARE: f64 = 0.005;
/// Step of the vacuum Isp, s.
pub const ISP_STEP_S: f64 = 1.0;
/// Step of the vacuum thrust, per cent.
pub const THRUST_STEP_PERCENT: f64 = 1.0;

/// One figure of the vehicle whose payload trade factor is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TradeItem {
    /// Dry mass of the whole stage (every module), kg.
    DryMass {
        /// Stage index.
        stage: usize,
    },
    /// Usable propellant load of the whole stage, kg (residuals, start-up propellant and
    /// auxiliary consumables held; the last stage's flight performance reserve stays its share).
    PropellantMass {
        /// Stage index.
        stage: usize,
    },
    /// Vacuum Isp of the stage's engines or motor, s (thrust held: the mass flow follows).
    IspVac {
        /// Stage index.
        stage: usize,
    },
    /// Vacuum thrust of the stage's engines or motor, per cent.
    ThrustVac {
        /// Stage index.
        stage: usize,
    },
    /// Mass of the payload fairing, kg.
    FairingMass,
}

impl TradeItem {
    /// Every item of `vehicle`: for each stage its dry mass, propellant, Isp and thrust, then
    /// the fairing when it has one.
    pub fn all(vehicle: &Vehicle) -> Vec<TradeItem> {
        let mut items = Vec::with_capacity(4 * vehicle.stages.len() + 1);
        for stage in 0..vehicle.stages.len() {
            items.extend([
                TradeItem::DryMass { stage },
                TradeItem::PropellantMass { stage },
                TradeItem::IspVac { stage },
                TradeItem::ThrustVac { stage },
            ]);
        }
        if vehicle.fairing.is_some() {
            items.push(TradeItem::FairingMass);
        }
        items
    }

    /// The stage index, `None` for the fairing.
    pub fn stage(&self) -> Option<usize> {
        match *self {
            TradeItem::DryMass { stage }
            | TradeItem::PropellantMass { stage }
            | TradeItem::IspVac { stage }
            | TradeItem::ThrustVac { stage } => Some(stage),
            TradeItem::FairingMass => None,
        }
    }

    /// The figure's name with its unit, as the reports give it (`dry_mass_kg`).
    pub fn key(&self) -> &'static str {
        match self {
            TradeItem::DryMass { .. } => "dry_mass_kg",
            TradeItem::PropellantMass { .. } => "propellant_mass_kg",
            TradeItem::IspVac { .. } => "isp_vac_s",
            TradeItem::ThrustVac { .. } => "thrust_vac_percent",
            TradeItem::FairingMass => "mass_kg",
        }
    }

    /// Unit of the factor: kg of payload per unit of the figure.
    pub fn unit(&self) -> &'static str {
        match self {
            TradeItem::DryMass { .. } | TradeItem::PropellantMass { .. } | TradeItem::FairingMass => "kg/kg",
            TradeItem::IspVac { .. } => "kg/s",
            TradeItem::ThrustVac { .. } => "kg/%",
        }
    }

    /// What the item belongs to: the stage's name, or `fairing`.
    pub fn owner<'v>(&self, vehicle: &'v Vehicle) -> &'v str {
        match self.stage() {
            Some(i) => vehicle.stages.get(i).map_or("?", |s| s.name.as_str()),
            None => "fairing",
        }
    }

    /// The stage the item perturbs, or why there is none.
    fn stage_of<'v>(&self, vehicle: &'v Vehicle) -> Result<&'v Stage> {
        let i = self.stage().unwrap_or(usize::MAX);
        vehicle.stages.get(i).ok_or_else(|| {
            Error::invalid("trade factor", format!("{} has no stage {} (it has {})", vehicle.name, i + 1, vehicle.stages.len()))
        })
    }

    /// The central-difference step, in the figure's unit (kg for masses of the whole stage, s,
    /// per cent).
    pub fn step(&self, vehicle: &Vehicle) -> Result<f64> {
        let mass_step = |kg: f64| (MASS_STEP_SHARE * kg).max(MIN_MASS_STEP_KG).min(MAX_MASS_STEP_SHARE * kg);
        let step = match self {
            TradeItem::DryMass { .. } => {
                let s = self.stage_of(vehicle)?;
                mass_step(f64::from(s.units) * s.dry_mass_kg)
            }
            TradeItem::PropellantMass { .. } => {
                let s = self.stage_of(vehicle)?;
                PROPELLANT_STEP_SHARE * f64::from(s.units) * s.propellant_mass_kg
            }
            TradeItem::IspVac { .. } => {
                self.stage_of(vehicle)?;
                ISP_STEP_S
            }
            TradeItem::ThrustVac { .. } => {
                self.stage_of(vehicle)?;
                THRUST_STEP_PERCENT
            }
            TradeItem::FairingMass => {
                let f = vehicle.fairing.ok_or_else(|| Error::invalid("trade factor", format!("{} has no fairing", vehicle.name)))?;
                mass_step(f.mass_kg)
            }
        };
        if step.is_finite() && step > 0.0 {
            Ok(step)
        } else {
            Err(Error::invalid("trade factor", format!("{} of {} is zero: no step to take", self.key(), self.owner(vehicle))))
        }
    }

    /// `vehicle` with the figure moved by `delta` (in the figure's unit), everything else as it
    /// is. The vehicle is data: the clone's stage, engines, motor or fairing are changed the way
    /// the vehicle file's loader builds them (the equivalent engine and its listed engines
    /// alike, a solid motor's curve and its constant-thrust equivalent together).
    pub fn perturbed(&self, vehicle: &Vehicle, delta: f64) -> Result<Vehicle> {
        let mut v = vehicle.clone();
        let reserve_share = v.margins.flight_performance_reserve;
        let last = v.stages.len().saturating_sub(1);
        let bad = |what: String| Error::invalid("trade factor", what);
        match *self {
            TradeItem::FairingMass => {
                let f = v.fairing.as_mut().ok_or_else(|| bad(format!("{} has no fairing", vehicle.name)))?;
                f.mass_kg += delta;
                if f.mass_kg <= 0.0 {
                    return Err(bad(format!("fairing mass {:.1} kg is not positive", f.mass_kg)));
                }
            }
            item => {
                let i = item.stage().unwrap_or(usize::MAX);
                self.stage_of(vehicle)?;
                let s = &mut v.stages[i];
                let units = f64::from(s.units);
                match item {
                    TradeItem::DryMass { .. } => {
                        s.dry_mass_kg += delta / units;
                        let tank_kg = s.drop_tank.as_ref().map_or(0.0, |t| t.dry_mass_kg);
                        if s.dry_mass_kg <= tank_kg {
                            return Err(bad(format!("dry mass of {} would be {:.1} kg per module", s.name, s.dry_mass_kg)));
                        }
                    }
                    TradeItem::PropellantMass { .. } => {
                        let ratio = 1.0 + delta / (units * s.propellant_mass_kg);
                        if !(ratio > 0.5) {
                            return Err(bad(format!("propellant of {} cannot change by {delta:.1} kg", s.name)));
                        }
                        if s.motor.is_some() {
                            // The grain grows at the same thrust and Isp: the curve lasts `ratio`
                            // times as long and burns `ratio` times the propellant.
                            *s = s.with_dispersed_motor(1.0 / ratio, ratio);
                            let motor = s.motor.as_mut().expect("a solid stage keeps its motor");
                            motor.propellant_mass_kg *= ratio;
                            s.engine.isp_vac_s = motor.delivered_isp_vac_s();
                            s.propellant_mass_kg *= ratio;
                        } else {
                            s.propellant_mass_kg *= ratio;
                            if i == last {
                                s.reserve_mass_kg = reserve_share * s.propellant_mass_kg;
                            }
                            let tank_kg = s.drop_tank.as_ref().map_or(0.0, |t| t.propellant_mass_kg);
                            if s.propellant_mass_kg - s.reserve_mass_kg - s.startup_propellant_kg <= 0.0 || s.propellant_mass_kg < tank_kg {
                                return Err(bad(format!("{} would have no propellant to burn", s.name)));
                            }
                        }
                    }
                    TradeItem::IspVac { .. } => {
                        let ratio = (s.engine.isp_vac_s + delta) / s.engine.isp_vac_s;
                        if !(ratio > 0.5) {
                            return Err(bad(format!("Isp of {} cannot change by {delta} s", s.name)));
                        }
                        *s = if s.motor.is_some() {
                            // More impulse from the same grain in the same time: the curve's
                            // thrust scales, its times stay.
                            s.with_dispersed_motor(1.0, ratio)
                        } else {
                            // Every engine alike, so the equivalent engine's Isp (total thrust
                            // over total mass flow) moves by exactly `delta`.
                            s.with_scaled_engines(1.0, ratio)
                        };
                    }
                    TradeItem::ThrustVac { .. } => {
                        let ratio = 1.0 + delta / 100.0;
                        if !(ratio > 0.5) {
                            return Err(bad(format!("thrust of {} cannot change by {delta} %", s.name)));
                        }
                        *s = if s.motor.is_some() {
                            // The same grain burning faster: thrust × ratio, times ÷ ratio, the
                            // total impulse and the propellant unchanged.
                            s.with_dispersed_motor(ratio, 1.0)
                        } else {
                            s.with_scaled_engines(ratio, 1.0)
                        };
                    }
                    TradeItem::FairingMass => unreachable!("handled above"),
                }
            }
        }
        Ok(v)
    }
}

/// The payloads of one item's two re-optimizations and the slope between them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TradeSlope {
    /// Largest payload with the figure a step down, kg.
    pub payload_minus_kg: f64,
    /// Largest payload with the figure a step up, kg.
    pub payload_plus_kg: f64,
    /// `(P₊ − P₋) / (2·step)`: kg of payload per unit of the figure ([`TradeItem::unit`]).
    pub payload_per_unit: f64,
}

/// One item's trade factor, or why it could not be found.
#[derive(Debug, Clone, PartialEq)]
pub struct TradeFactor {
    /// The figure.
    pub item: TradeItem,
    /// The central-difference step, in the figure's unit (0 when the item has none).
    pub step: f64,
    /// The slope, or the reason a side could not be flown (the orbit out of reach with the
    /// figure moved, a stage the vehicle does not have).
    pub result: std::result::Result<TradeSlope, String>,
}

/// The trade factors of `items` for the payload mission `request`, each from two
/// re-optimizations of the payload warm-started from `nominal` (the request's own solution,
/// [`super::PayloadMission::warm_start`]; from the built-in guesses without one), all on
/// rayon's pool; in the order of `items`.
/// `progress(rows_done, rows)` is called as each row is finished (both its sides flown),
/// `on_flight` after every flight of every optimization (a caller may unwind out of it to
/// stop the whole run: the server's cancellation).
pub fn trade_factors(
    request: &PayloadRequest<'_>,
    nominal: Option<&WarmStart>,
    items: &[TradeItem],
    progress: &(dyn Fn(usize, usize) + Sync),
    on_flight: &(dyn Fn() + Sync),
) -> Vec<TradeFactor> {
    let PayloadRequest { vehicle, site, target, branch, zones, options, .. } = *request;
    let zone_list = zones.map_or(&[][..], |z| &z.zones[..]);
    // The trajectory is not written: no samples.
    let options = FlightOptions { sample_interval_s: None, ..options };
    central_differences(vehicle, items, progress, &|varied| {
        let optimize = |start: Option<&WarmStart>| {
            maximize_payload_from(varied, site, &target, branch, options, zone_list, start, &mut |_| on_flight())
        };
        // A warm start that ends outside the orbit's tolerances (an eccentric target's
        // insertion height searched from the nominal's) is run again from the built-in
        // guesses, as a lone `payload` would run it.
        // Held to the liftoff limit as the nominal answer is: the difference of two capped
        // payloads is the cap's slope (and where the search fails, the cap that flies answers).
        super::liftoff_limit::check_vehicle(varied)?;
        let found = match nominal {
            Some(start) => optimize(Some(start)).or_else(|_| optimize(None)),
            None => optimize(None),
        };
        match found {
            Ok(found) => Ok(capped_payload_kg(&found.solution.flown_vehicle(varied), found.solution.payload_kg)),
            Err(e) => super::liftoff_limit::rescued_by_liftoff_limit(varied, site, &target, branch, options, e, 0, &mut |_| on_flight())
                .map(|(solution, _)| solution.payload_kg),
        }
    })
}

/// The trade factors of `items` for the mission through a parking orbit `request` (`payload
/// --orbit gso --trade-factors`): each side the whole mission re-optimized — the ascent to the
/// parking orbit, the transfer burns and the propellant held back for them — its ascent
/// warm-started from `nominal` (the request's own ascent, [`super::transfer_payload_warm`]; the
/// built-in guesses when that start fails), all on rayon's pool; in the order of `items`.
/// `progress` and `on_flight` as for [`trade_factors`].
pub fn transfer_trade_factors(
    request: &TransferRequest<'_>,
    nominal: &WarmStart,
    items: &[TradeItem],
    progress: &(dyn Fn(usize, usize) + Sync),
    on_flight: &(dyn Fn() + Sync),
) -> Vec<TradeFactor> {
    let TransferRequest { vehicle, options, .. } = *request;
    let options = FlightOptions { sample_interval_s: None, ..options };
    central_differences(vehicle, items, progress, &|varied| {
        let optimize = |start: Option<&WarmStart>| {
            maximize_transfer_payload_from(&TransferRequest { vehicle: varied, options, ..*request }, start, &mut |_| on_flight())
        };
        super::liftoff_limit::check_vehicle(varied)?;
        optimize(Some(nominal))
            .or_else(|_| optimize(None))
            .map(|(found, _)| capped_payload_kg(&as_flown(varied, found.upper_stage_load_kg), found.payload_kg))
    })
}

/// The central differences of `items`: `optimize` (the largest payload of a vehicle) of
/// `vehicle` with each item a step down and a step up, every optimization a job of rayon's pool.
fn central_differences(
    vehicle: &Vehicle,
    items: &[TradeItem],
    progress: &(dyn Fn(usize, usize) + Sync),
    optimize: &(dyn Fn(&Vehicle) -> Result<f64> + Sync),
) -> Vec<TradeFactor> {
    let steps: Vec<Result<f64>> = items.iter().map(|item| item.step(vehicle)).collect();
    let total = 2 * items.len();
    // Sides flown of each row, and rows finished (both sides flown).
    let sides: Vec<AtomicUsize> = items.iter().map(|_| AtomicUsize::new(0)).collect();
    let rows_done = AtomicUsize::new(0);
    let payloads: Vec<std::result::Result<f64, String>> = (0..total)
        .into_par_iter()
        .with_max_len(1)
        .map(|job| {
            let (item, sign) = (&items[job / 2], if job % 2 == 0 { -1.0 } else { 1.0 });
            let result = steps[job / 2].as_ref().map_err(ToString::to_string).and_then(|&step| {
                let delta = sign * step;
                let side = || format!("with {} of {} {delta:+.1}", item.key(), item.owner(vehicle));
                let varied = item.perturbed(vehicle, delta).map_err(|e| format!("{}: {e}", side()))?;
                let kg = optimize(&varied).map_err(|e| format!("{}: {e}", side()))?;
                if kg.is_finite() {
                    Ok(kg)
                } else {
                    Err(format!("{}: the payload is not finite", side()))
                }
            });
            if sides[job / 2].fetch_add(1, Ordering::SeqCst) == 1 {
                progress(rows_done.fetch_add(1, Ordering::SeqCst) + 1, items.len());
            }
            result
        })
        .collect();
    items
        .iter()
        .zip(steps)
        .zip(payloads.chunks_exact(2))
        .map(|((&item, step), pair)| {
            let step_value = step.as_ref().map_or(0.0, |&s| s);
            let result = match (step, &pair[0], &pair[1]) {
                (Err(e), _, _) => Err(e.to_string()),
                (Ok(step), Ok(minus), Ok(plus)) => {
                    Ok(TradeSlope { payload_minus_kg: *minus, payload_plus_kg: *plus, payload_per_unit: (plus - minus) / (2.0 * step) })
                }
                (Ok(_), Err(e), _) | (Ok(_), _, Err(e)) => Err(e.clone()),
            };
            TradeFactor { item, step: step_value, result }
        })
        .collect()
}

/// One trade factor in the payload or transfer report (`payload --trade-factors --json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TradeFactorReport {
    /// The stage's name, or `fairing`.
    pub stage: String,
    /// The figure, its unit in its name: `dry_mass_kg` and `propellant_mass_kg` (the whole
    /// stage, every module), `isp_vac_s`, `thrust_vac_percent` (a solid motor: its curve scaled
    /// at the same total impulse, a shorter burn), `mass_kg` (the fairing).
    pub item: String,
    /// The central-difference step, ± in the figure's unit (kg, s or per cent).
    pub step: f64,
    /// Unit of `payload_per_unit`: `kg/kg`, `kg/s` or `kg/%`.
    pub unit: String,
    /// ∂(maximum payload)/∂(figure), kg of payload per unit of the figure (to 0.0001);
    /// `null` when a side could not be flown (`error` says why).
    pub payload_per_unit: Option<f64>,
    /// Largest payload with the figure a step down, kg (to 0.1 kg); `null` with `error`.
    pub payload_minus_kg: Option<f64>,
    /// Largest payload with the figure a step up, kg (to 0.1 kg); `null` with `error`.
    pub payload_plus_kg: Option<f64>,
    /// Why the factor could not be found; absent when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl TradeFactorReport {
    /// The report row of a trade factor of `vehicle`.
    pub fn new(vehicle: &Vehicle, factor: &TradeFactor) -> Self {
        let item = &factor.item;
        let slope = factor.result.as_ref().ok();
        TradeFactorReport {
            stage: item.owner(vehicle).to_owned(),
            item: item.key().to_owned(),
            step: round(factor.step, 3),
            unit: item.unit().to_owned(),
            payload_per_unit: slope.map(|s| round(s.payload_per_unit, 4)),
            payload_minus_kg: slope.map(|s| round(s.payload_minus_kg, 1)),
            payload_plus_kg: slope.map(|s| round(s.payload_plus_kg, 1)),
            error: factor.result.as_ref().err().cloned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guidance::Branch;
    use crate::mission::payload;
    use crate::vehicle::{resolve_vehicle, SiteCatalog};

    /// The nominal payload mission of Soyuz-2.1b from Vostochny to 200 km at 51.9° and the trade
    /// factors of `items`.
    fn soyuz_factors(items: &[TradeItem]) -> (Vehicle, Vec<TradeFactor>) {
        let (vehicle, _) = resolve_vehicle("soyuz-2.1b").expect("catalog");
        let sites = SiteCatalog::builtin().expect("sites");
        let request = crate::mission::tests::vostochny_200_km(&vehicle, &sites);
        let nominal = payload(&request, &mut |_| {}).expect("nominal payload");
        let factors = trade_factors(&request, nominal.warm_start.as_ref(), items, &|_, _| {}, &|| {});
        (vehicle.clone(), factors)
    }

    fn slope(f: &TradeFactor) -> f64 {
        f.result.as_ref().unwrap_or_else(|e| panic!("{:?}: {e}", f.item)).payload_per_unit
    }

    /// The closed form: the last stage's dry mass and the payload both ride all the way to the
    /// orbit, so on a direct ascent a kilogram more of the one is a kilogram less of the other
    /// (−1 within the optimizer's settling over the ±50 kg step). A lower stage's kilogram is
    /// dropped on the way: it costs less than one, and more than nothing. The last stage's
    /// propellant and Isp, and the fairing's mass (dropped on the way too), have the signs
    /// physics gives them.
    #[test]
    fn dry_mass_factors_follow_the_closed_form() {
        let items = [
            TradeItem::DryMass { stage: 2 },
            TradeItem::DryMass { stage: 1 },
            TradeItem::PropellantMass { stage: 2 },
            TradeItem::IspVac { stage: 2 },
            TradeItem::FairingMass,
        ];
        let (vehicle, f) = soyuz_factors(&items);
        assert_eq!(f.len(), items.len());
        assert_eq!(f[0].step, 50.0, "1 % of the Block I's 2314 kg is below the 50 kg floor");
        let last = slope(&f[0]);
        assert!((last + 1.0).abs() < 0.01, "last-stage dry mass: {last} kg/kg, closed form −1");
        let core = slope(&f[1]);
        assert!(core > -1.0 && core < 0.0 && core.abs() < last.abs(), "core dry mass: {core} kg/kg");
        assert!((f[2].step - 0.005 * vehicle.stages[2].propellant_mass_kg).abs() < 1e-9);
        assert!(slope(&f[2]) > 0.0, "Block I propellant: {} kg/kg", slope(&f[2]));
        assert!(slope(&f[3]) > 0.0, "Block I Isp: {} kg/s", slope(&f[3]));
        let fairing = slope(&f[4]);
        assert!(fairing > -1.0 && fairing < 0.0, "fairing mass: {fairing} kg/kg");
        let report = TradeFactorReport::new(&vehicle, &f[0]);
        assert_eq!((report.stage.as_str(), report.item.as_str(), report.unit.as_str()), ("Block I", "dry_mass_kg", "kg/kg"));
        assert!(report.error.is_none());
    }

    /// A figure moved out of reach is that row's error, not a panic, and the other rows stand.
    #[test]
    fn an_item_that_cannot_be_flown_is_a_row_error() {
        let (vehicle, f) = soyuz_factors(&[TradeItem::DryMass { stage: 7 }]);
        let e = f[0].result.as_ref().unwrap_err();
        assert!(e.contains("no stage 8"), "{e}");
        let report = TradeFactorReport::new(&vehicle, &f[0]);
        assert!(report.payload_per_unit.is_none() && report.error.is_some());
    }

    /// Through a parking orbit (Angara-A5/DM-03 from Vostochny to GSO): the DM-03 flies the
    /// ascent's last burn and every transfer burn and is never dropped, so its dry mass and the
    /// payload both ride all the way to GSO, one for one (−1 within the held-back propellant's
    /// 1 kg settling over the ±50 kg step); its Isp is worth payload. Each row is counted once,
    /// when both its sides are flown.
    #[test]
    fn transfer_dry_mass_of_the_upper_stage_follows_the_closed_form() {
        use crate::mission::{mission_target, transfer_payload_warm, OrbitOverrides};
        use crate::optimize::transfer::MissionTarget;
        let (vehicle, _) = resolve_vehicle("angara-a5-dm03").expect("catalog");
        let site = SiteCatalog::builtin().expect("sites").get("vostochny").expect("site").clone();
        let shortcut = crate::mission::orbits::OrbitShortcut::Gso;
        let MissionTarget::Transfer { parking, target } = mission_target(shortcut, &site, &vehicle, &OrbitOverrides::default()).unwrap()
        else {
            panic!("GSO goes through the parking orbit")
        };
        let request = TransferRequest {
            vehicle: &vehicle,
            site: &site,
            parking,
            target,
            branch: Branch::Northbound,
            options: FlightOptions::default(),
        };
        let (_, nominal) = transfer_payload_warm(&request, &mut |_| {}).expect("nominal mission");
        let last = vehicle.stages.len() - 1;
        let items = [TradeItem::DryMass { stage: last }, TradeItem::IspVac { stage: last }];
        let rows = std::sync::Mutex::new(Vec::new());
        let f = transfer_trade_factors(&request, &nominal, &items, &|done, total| rows.lock().unwrap().push((done, total)), &|| {});
        let dry = slope(&f[0]);
        assert!((dry + 1.0).abs() < 0.03, "DM-03 dry mass: {dry} kg/kg, closed form −1");
        assert!(slope(&f[1]) > 0.0, "DM-03 Isp: {} kg/s", slope(&f[1]));
        let mut rows = rows.into_inner().unwrap();
        rows.sort_unstable();
        assert_eq!(rows, [(1, 2), (2, 2)]);
    }

    /// Perturbing changes the one figure: a liquid stage's thrust moves its engines and the
    /// equivalent engine alike (Isp held), its Isp leaves the thrust, and a solid motor's thrust
    /// step shortens its burn at the same impulse.
    #[test]
    fn perturbations_change_one_figure() {
        let (soyuz, _) = resolve_vehicle("soyuz-2.1b").expect("catalog");
        let up = TradeItem::ThrustVac { stage: 1 }.perturbed(&soyuz, 1.0).unwrap();
        let (a, b) = (&soyuz.stages[1], &up.stages[1]);
        assert!((b.thrust_vac_n() / a.thrust_vac_n() - 1.01).abs() < 1e-12);
        assert!((b.isp_s(0.0) - a.isp_s(0.0)).abs() < 1e-9);
        assert_eq!(up.stages[0], soyuz.stages[0]);
        let isp = TradeItem::IspVac { stage: 2 }.perturbed(&soyuz, -1.0).unwrap();
        assert!((isp.stages[2].isp_s(0.0) - soyuz.stages[2].isp_s(0.0) + 1.0).abs() < 1e-9);
        assert_eq!(isp.stages[2].thrust_vac_n(), soyuz.stages[2].thrust_vac_n());
        let dry = TradeItem::DryMass { stage: 0 }.perturbed(&soyuz, 100.0).unwrap();
        assert!((dry.liftoff_mass_kg(0.0) - soyuz.liftoff_mass_kg(0.0) - 100.0).abs() < 1e-6, "the whole stage, 4 modules");
        let (vega, _) = resolve_vehicle("vega-c").expect("catalog");
        let solid = vega.stages.iter().position(Stage::is_solid).expect("a solid stage");
        let fast = TradeItem::ThrustVac { stage: solid }.perturbed(&vega, 1.0).unwrap();
        let (m0, m1) = (vega.stages[solid].motor.as_ref().unwrap(), fast.stages[solid].motor.as_ref().unwrap());
        assert!((m0.burn_time_s() / m1.burn_time_s() - 1.01).abs() < 1e-12);
        assert!((m1.total_impulse_vac_n_s() / m0.total_impulse_vac_n_s() - 1.0).abs() < 1e-12);
        let more = TradeItem::PropellantMass { stage: solid }.perturbed(&vega, 0.005 * vega.stages[solid].propellant_mass_kg).unwrap();
        let m2 = more.stages[solid].motor.as_ref().unwrap();
        assert!((m2.delivered_isp_vac_s() - m0.delivered_isp_vac_s()).abs() < 1e-9);
        assert!((m2.propellant_mass_kg / m0.propellant_mass_kg - 1.005).abs() < 1e-12);
        let better = TradeItem::IspVac { stage: solid }.perturbed(&vega, 1.0).unwrap();
        let m3 = better.stages[solid].motor.as_ref().unwrap();
        assert!((m3.delivered_isp_vac_s() - m0.delivered_isp_vac_s() - 1.0).abs() < 1e-9);
        assert!((better.stages[solid].engine.isp_vac_s - m3.delivered_isp_vac_s()).abs() < 1e-9);
        assert_eq!(m3.burn_time_s(), m0.burn_time_s());
    }
}
