//! Solid motors in a vehicle file: the `[[motor]]` tables, their thrust curves, and the stages
//! that burn them, checked with the file, line and key of any fault.

use super::*;

impl Ctx<'_> {
    /// All `[[motor]]` entries, with ids unique among engines and motors.
    pub(super) fn motors(&self, entries: &[Spanned<MotorEntry>], engines: &[(Engine, Range<usize>)]) -> Result<Vec<MotorDef>, FileError> {
        self.at_most(entries, MAX_MOTORS, "motor", "[[motor]] entries", |m| m.get_ref().id.span())?;
        let mut motors: Vec<MotorDef> = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            let key = format!("motor[{}]", i + 1);
            let def = self.motor(entry, &key)?;
            let id_span = entry.get_ref().id.span();
            let first = motors
                .iter()
                .find(|m| m.id == def.id)
                .map(|m| m.id_span.start)
                .or_else(|| engines.iter().find(|(e, _)| e.id == def.id).map(|(_, span)| span.start));
            if let Some(first) = first {
                return Err(self.error(
                    id_span,
                    &format!("{key}.id"),
                    format!(
                        "duplicate id `{}` (first defined on line {}); engines and motors share one set of ids",
                        def.id,
                        line_of(self.text, first)
                    ),
                ));
            }
            motors.push(def);
        }
        Ok(motors)
    }

    /// One `[[motor]]`: its curve in vacuum thrust (N), from either form, and its figures.
    pub(super) fn motor(&self, entry: &Spanned<MotorEntry>, key: &str) -> Result<MotorDef, FileError> {
        let e = entry.get_ref();
        let k = |field: &str| format!("{key}.{field}");
        let id = self.name(&e.id, &k("id"))?;
        let isp_vac_s = self.plausible(&e.isp_vac_s, &k("isp_vac_s"), ISP_S)?;
        let exit_area_m2 = self.plausible(&e.exit_area_m2, &k("exit_area_m2"), AREA_M2)?;
        let (curve, curve_key, curve_span) = match (&e.thrust_curve_vac_kn, &e.chamber_pressure_curve_mpa) {
            (Some(table), None) => {
                for (field, given) in [("throat_area_m2", e.throat_area_m2.as_ref()), ("gamma", e.gamma.as_ref())] {
                    if let Some(v) = given {
                        return Err(self.error(
                            v.span(),
                            &k(field),
                            "goes with chamber_pressure_curve_mpa; a thrust curve needs no nozzle figures",
                        ));
                    }
                }
                let curve_key = k("thrust_curve_vac_kn");
                (self.curve(table, &curve_key, CURVE_THRUST_KN, 1000.0)?, curve_key, table.span())
            }
            (None, Some(table)) => {
                let curve_key = k("chamber_pressure_curve_mpa");
                let Some(throat) = e.throat_area_m2.as_ref() else {
                    return Err(self.error(
                        entry.span(),
                        &k("throat_area_m2"),
                        "a chamber-pressure curve needs throat_area_m2 (and gamma)",
                    ));
                };
                let Some(gamma) = e.gamma.as_ref() else {
                    return Err(self.error(
                        entry.span(),
                        &k("gamma"),
                        "a chamber-pressure curve needs gamma, the exhaust's ratio of specific heats",
                    ));
                };
                let throat_area_m2 = self.plausible(throat, &k("throat_area_m2"), AREA_M2)?;
                let gamma = self.plausible(gamma, &k("gamma"), GAMMA)?;
                let area_ratio = exit_area_m2 / throat_area_m2;
                let Some(cf) = thrust_coefficient_vac(gamma, area_ratio) else {
                    return Err(self.error(
                        e.exit_area_m2.span(),
                        &k("exit_area_m2"),
                        format!("must be at least the throat area {}, got {}", show(throat_area_m2, "m²"), show(exit_area_m2, "m²")),
                    ));
                };
                let pressure = self.curve(table, &curve_key, CHAMBER_PRESSURE_MPA, 1.0e6)?;
                let curve: Vec<(f64, f64)> = pressure.iter().map(|&(t, p)| (t, cf * p * throat_area_m2)).collect();
                (curve, curve_key, table.span())
            }
            (Some(_), Some(table)) => {
                return Err(self.error(
                    table.span(),
                    &k("chamber_pressure_curve_mpa"),
                    "give either thrust_curve_vac_kn or chamber_pressure_curve_mpa, not both",
                ));
            }
            (None, None) => {
                return Err(self.error(
                    entry.span(),
                    key,
                    "needs a curve: thrust_curve_vac_kn, or chamber_pressure_curve_mpa with throat_area_m2 and gamma",
                ));
            }
        };
        let max_n = curve.iter().map(|p| p.1).fold(0.0, f64::max);
        if max_n > THRUST_KN.max * 1000.0 {
            return Err(self.error(
                curve_span,
                &curve_key,
                format!(
                    "gives a vacuum thrust of up to {}, beyond the {} of any motor",
                    show(max_n / 1000.0, "kN"),
                    show(THRUST_KN.max, "kN")
                ),
            ));
        }
        // The propellant is the stage's; a unit mass gives the curve's times.
        let shape = SolidMotor::new(id.clone(), e.propellant.clone(), curve.clone(), 1.0, exit_area_m2)
            .map_err(|err| self.error(curve_span.clone(), &curve_key, err.to_string()))?;
        if shape.average_thrust_vac_n() < THRUST_KN.min * 1000.0 {
            return Err(self.error(
                curve_span,
                &curve_key,
                format!(
                    "gives an average vacuum thrust of {}, below the {} of any motor",
                    show(shape.average_thrust_vac_n() / 1000.0, "kN"),
                    show(THRUST_KN.min, "kN")
                ),
            ));
        }
        if let Some(v) = &e.burn_time_s {
            let stated = self.plausible(v, &k("burn_time_s"), TIME_S)?;
            let (action, end) = (shape.action_time_s(), shape.burn_time_s());
            if !(stated >= action * (1.0 - BURN_TIME_SLACK) && stated <= end * (1.0 + BURN_TIME_SLACK)) {
                return Err(self.error(
                    v.span(),
                    &k("burn_time_s"),
                    format!(
                        "{} does not fit the curve: its action time (10 % thrust points) is {} and it ends at {}; a stated burn time lies between them (±5 %)",
                        show(stated, "s"),
                        show((action * 10.0).round() / 10.0, "s"),
                        show(end, "s")
                    ),
                ));
            }
        }
        let temperature_sensitivity_per_k = match &e.temperature_sensitivity_percent_per_k {
            Some(v) => Some(self.plausible(v, &k("temperature_sensitivity_percent_per_k"), TEMPERATURE_SENSITIVITY_PERCENT_PER_K)? / 100.0),
            None => None,
        };
        Ok(MotorDef {
            id,
            propellant: e.propellant.clone(),
            curve_vac_n: curve,
            isp_vac_s,
            exit_area_m2,
            temperature_sensitivity_per_k,
            id_span: e.id.span(),
            curve_key,
            curve_span,
        })
    }

    /// A `[[t, value], ...]` table of a motor: each point finite and plausible, then the rules of
    /// a curve (from 0, increasing time, positive until a zero last point); values times `scale`.
    pub(super) fn curve(&self, table: &CurveTable, key: &str, range: Plausible, scale: f64) -> Result<Vec<(f64, f64)>, FileError> {
        self.at_most(table.get_ref(), MAX_CURVE_POINTS, key, "curve points", Spanned::span)?;
        let mut curve = Vec::with_capacity(table.get_ref().len());
        for (j, point) in table.get_ref().iter().enumerate() {
            let super::Pair(t, value) = *point.get_ref();
            let bad = |msg: String| self.error(point.span(), &format!("{key}[{}]", j + 1), msg);
            if !(t.is_finite() && value.is_finite()) {
                return Err(bad(format!("must be finite numbers, got [{}, {}]", show(t, "s"), show(value, range.unit))));
            }
            if !(DELAY_S.min..=DELAY_S.max).contains(&t) {
                return Err(bad(format!("time must be from 0 to {} after ignition, got {}", show(DELAY_S.max, "s"), show(t, "s"))));
            }
            if !(range.min..=range.max).contains(&value) {
                return Err(bad(format!(
                    "must be from {} to {} (the plausible range of {}), got {}",
                    show(range.min, ""),
                    show(range.max, range.unit),
                    range.of,
                    show(value, range.unit)
                )));
            }
            curve.push((t, value * scale));
        }
        crate::propulsion::solid::check_curve(&curve).map_err(|err| {
            let at = |i: usize| table.get_ref().get(i).map_or_else(|| table.span(), Spanned::span);
            let point_key = |i: usize| format!("{key}[{}]", i + 1);
            match err {
                CurveError::NotFinite(i) | CurveError::TimeNotIncreasing(i) | CurveError::ThrustNotPositive(i) => {
                    self.error(at(i), &point_key(i), err.to_string())
                }
                CurveError::FirstNotAtIgnition => self.error(at(0), &point_key(0), err.to_string()),
                CurveError::NoTailOff => {
                    let last = curve.len().saturating_sub(1);
                    self.error(at(last), &point_key(last), err.to_string())
                }
                CurveError::TooShort | CurveError::BadPropellant | CurveError::NoImpulse => self.error(table.span(), key, err.to_string()),
            }
        })?;
        Ok(curve)
    }

    /// Which propulsion a stage names: exactly one of `engine` and `motor`; the keys of the
    /// other kind refused.
    pub(super) fn stage_propulsion<'m>(
        &self,
        s: &StageEntry,
        key: &str,
        engines_per_unit: u32,
        motors: &'m [MotorDef],
    ) -> Result<Option<&'m MotorDef>, FileError> {
        let k = |field: &str| format!("{key}.{field}");
        // Exactly one of the three forms: one engine type, several, or a solid motor.
        if let (Some(_), Some(list)) = (&s.engine, &s.engines) {
            return Err(self.error(
                list.span(),
                &k("engines"),
                "give either engine (one engine type, with engines_per_unit) or engines = [...] (several engine types), not both",
            ));
        }
        if let (Some(n), Some(_)) = (&s.engines_per_unit, &s.engines) {
            return Err(self.error(
                n.span(),
                &k("engines_per_unit"),
                "goes with engine; with engines = [...], give each entry its count ({ engine = \"ID\", count = N })",
            ));
        }
        if let (Some(_), Some(m)) = (&s.engines, &s.motor) {
            return Err(self.error(m.span(), &k("motor"), "give either engines (liquid engines) or motor (a solid motor), not both"));
        }
        let liquid = s.engine.is_some() || s.engines.is_some();
        match (liquid, &s.motor) {
            (true, Some(m)) => {
                Err(self.error(m.span(), &k("motor"), "give either engine (a liquid engine) or motor (a solid motor), not both"))
            }
            (false, None) => Err(self.error(s.name.span(), key, NEEDS_PROPULSION)),
            // The keys of solid stages are refused once the engines are known
            // ([`Ctx::liquid_stage_keys`]): an id of a motor in `engine` is the fault to name.
            (true, None) => Ok(None),
            (false, Some(id)) => {
                let Some(def) = motors.iter().find(|m| m.id == id.get_ref().trim()) else {
                    let ids: Vec<String> = motors.iter().map(|m| format!("`{}`", m.id)).collect();
                    let defined = if ids.is_empty() { "none".to_owned() } else { ids.join(", ") };
                    return Err(self.error(
                        id.span(),
                        &k("motor"),
                        format!("no [[motor]] has id `{}`; defined motor ids: {defined}", id.get_ref()),
                    ));
                };
                let liquid_only = [
                    (
                        "engines_per_unit",
                        s.engines_per_unit.as_ref().filter(|_| engines_per_unit != 1).map(Spanned::span),
                        "a solid stage has one motor per unit; give `units` instead",
                    ),
                    ("throttle", s.throttle.first().map(Spanned::span), "a solid motor cannot throttle: its thrust is its curve's"),
                    (
                        "startup_propellant_kg",
                        s.startup_propellant_kg.as_ref().map(Spanned::span),
                        "a solid motor's ignition rise is part of its curve",
                    ),
                    (
                        "auxiliary_mass_kg",
                        s.auxiliary_mass_kg.as_ref().map(Spanned::span),
                        "goes with liquid engines (turbopump consumables)",
                    ),
                ];
                match liquid_only.into_iter().find_map(|(field, span, why)| span.map(|sp| (field, sp, why))) {
                    Some((field, span, why)) => Err(self.error(span, &k(field), why)),
                    None => Ok(Some(def)),
                }
            }
        }
    }

    /// The keys of a solid stage on a liquid one, refused.
    pub(super) fn liquid_stage_keys(&self, s: &StageEntry, key: &str) -> Result<(), FileError> {
        let solid_only = [
            ("separation_delay_s", s.separation_delay_s.as_ref().map(Spanned::span)),
            ("separation_thrust_kn", s.separation_thrust_kn.as_ref().map(Spanned::span)),
            ("ignition_after", s.ignition_after.as_ref().map(Spanned::span)),
        ];
        match solid_only.into_iter().find_map(|(field, span)| span.map(|sp| (field, sp))) {
            Some((field, span)) => Err(self.error(
                span,
                &format!("{key}.{field}"),
                "goes with a solid motor (`motor`); a liquid stage separates at its burnout",
            )),
            None => Ok(()),
        }
    }

    /// A solid stage: its motor with the stage's usable propellant, the constant-thrust
    /// equivalent engine (for the stage's figures: T/W, the Δv budget's tables), the impulse check and the separation rule.
    pub(super) fn solid(
        &self,
        s: &StageEntry,
        key: &str,
        def: &MotorDef,
        propellant_mass_kg: f64,
        warnings: &mut Vec<Warning>,
    ) -> Result<(Engine, SolidMotor, Separation), FileError> {
        let k = |field: &str| format!("{key}.{field}");
        let motor_span = s.motor.as_ref().map_or_else(|| s.name.span(), Spanned::span);
        let motor = SolidMotor::new(def.id.clone(), def.propellant.clone(), def.curve_vac_n.clone(), propellant_mass_kg, def.exit_area_m2)
            .map_err(|err| self.error(def.curve_span.clone(), &def.curve_key, err.to_string()))?
            .with_rated_isp(def.isp_vac_s)
            .with_temperature_sensitivity(def.temperature_sensitivity_per_k);
        let expected_n_s = propellant_mass_kg * def.isp_vac_s * G0_M_S2;
        let impulse_n_s = motor.total_impulse_vac_n_s();
        let disagreement = (impulse_n_s - expected_n_s) / expected_n_s;
        let finding = format!(
            "the curve of motor `{}` ({}) gives a total vacuum impulse of {:.4e} N·s, {:+.1} % from propellant_mass_kg {} × isp_vac_s {} × g0 = {:.4e} N·s",
            def.id,
            def.curve_key,
            impulse_n_s,
            100.0 * disagreement,
            show((propellant_mass_kg * 10.0).round() / 10.0, "kg"),
            show(def.isp_vac_s, "s"),
            expected_n_s
        );
        if !(disagreement.abs() <= SOLID_IMPULSE_TOLERANCE) {
            return Err(self.error(
                motor_span,
                &k("motor"),
                format!("{finding}; beyond ±{} % the curve and the propellant describe different motors", SOLID_IMPULSE_TOLERANCE * 100.0),
            ));
        }
        if disagreement.abs() > SOLID_IMPULSE_WARNING {
            warnings.push(self.warning(
                motor_span.clone(),
                &k("motor"),
                format!(
                    "{finding}; the mass flow follows the curve, so the stage burns at {} delivered Isp",
                    show((motor.delivered_isp_vac_s() * 10.0).round() / 10.0, "s")
                ),
            ));
        }
        let delivered = motor.delivered_isp_vac_s();
        if !(ISP_S.min..=ISP_S.max).contains(&delivered) {
            return Err(self.error(
                motor_span,
                &k("motor"),
                format!("{finding}: a delivered Isp of {} is outside {}–{} s", show(delivered, "s"), ISP_S.min, ISP_S.max),
            ));
        }
        let separation = match (&s.separation_delay_s, &s.separation_thrust_kn) {
            (None, None) => Separation::AtBurnout,
            (Some(d), None) => Separation::AfterBurnout { delay_s: self.plausible(d, &k("separation_delay_s"), DELAY_S)? },
            (None, Some(level)) => {
                let thrust_vac_n = self.plausible(level, &k("separation_thrust_kn"), THRUST_KN)? * 1000.0;
                let Some(since_ignition_s) =
                    motor.time_thrust_falls_below_s(thrust_vac_n).filter(|_| thrust_vac_n < motor.max_thrust_vac_n())
                else {
                    return Err(self.error(
                        level.span(),
                        &k("separation_thrust_kn"),
                        format!(
                            "must be below the motor's maximum vacuum thrust {}",
                            show((motor.max_thrust_vac_n() / 100.0).round() / 10.0, "kN")
                        ),
                    ));
                };
                Separation::BelowThrust { thrust_vac_n, since_ignition_s }
            }
            (Some(_), Some(level)) => {
                return Err(self.error(
                    level.span(),
                    &k("separation_thrust_kn"),
                    "give either separation_delay_s or separation_thrust_kn, not both",
                ));
            }
        };
        let engine = Engine {
            id: def.id.clone(),
            propellant: def.propellant.clone(),
            thrust_vac_n: motor.average_thrust_vac_n(),
            isp_vac_s: delivered,
            exit_area_m2: def.exit_area_m2,
            throttle_min: 1.0,
            chemistry: None,
        };
        Ok((engine, motor, separation))
    }
}
