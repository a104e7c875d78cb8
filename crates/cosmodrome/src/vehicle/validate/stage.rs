//! The `[[stage]]` tables of a vehicle file: each stage's engines or motor, masses, ignition,
//! restarts and drop tank, and the order of the stages, checked with the file, line and key of
//! any fault.

use super::*;

impl Ctx<'_> {
    /// All `[[stage]]` entries, with the ordering rules.
    pub(super) fn stages(
        &self,
        entries: &[Spanned<StageEntry>],
        engines: &[(Engine, Range<usize>)],
        motors: &[MotorDef],
        warnings: &mut Vec<Warning>,
    ) -> Result<Vec<Stage>, FileError> {
        if entries.is_empty() {
            return Err(FileError::new(self.file, None, "stage", "a vehicle needs at least one [[stage]]"));
        }
        if let Some(extra) = entries.get(MAX_STAGES) {
            return Err(self.error(
                extra.get_ref().name.span(),
                &format!("stage[{}]", MAX_STAGES + 1),
                format!("a vehicle has at most {MAX_STAGES} stages, this file has {}", entries.len()),
            ));
        }
        // Names first: a throttle segment may refer to a stage further down.
        let mut names: Vec<String> = Vec::with_capacity(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            let s = entry.get_ref();
            let key = format!("stage[{}].name", i + 1);
            let name = self.name(&s.name, &key)?;
            if let Some(j) = names.iter().position(|n| *n == name) {
                return Err(self.error(
                    s.name.span(),
                    &key,
                    format!(
                        "duplicate stage name `{name}` (first used by stage[{}] on line {})",
                        j + 1,
                        line_of(self.text, entries[j].get_ref().name.span().start)
                    ),
                ));
            }
            names.push(name);
        }

        let mut stages: Vec<Stage> = Vec::with_capacity(entries.len());
        let mut liftoff_count = 0;
        for (i, entry) in entries.iter().enumerate() {
            let s = entry.get_ref();
            let key = format!("stage[{}]", i + 1);
            let ignition = match s.ignition.as_ref().map(|v| *v.get_ref()) {
                Some(IgnitionEntry::Liftoff) => Ignition::Liftoff,
                Some(IgnitionEntry::Sequential) => Ignition::Sequential,
                None if i == 0 => Ignition::Liftoff,
                None => Ignition::Sequential,
            };
            let ignition_span = s.ignition.as_ref().map_or_else(|| s.name.span(), Spanned::span);
            let ignition_key = format!("{key}.ignition");
            if ignition == Ignition::Liftoff {
                if let Some(previous) = stages.iter().position(|st| st.ignition == Ignition::Sequential) {
                    return Err(self.error(
                        ignition_span,
                        &ignition_key,
                        format!(
                            "stage `{}` ignites at liftoff but follows sequential stage `{}` (stage[{}]); liftoff stages must come first",
                            names[i],
                            names[previous],
                            previous + 1
                        ),
                    ));
                }
                liftoff_count += 1;
                if liftoff_count > MAX_LIFTOFF_STAGES {
                    return Err(self.error(
                        ignition_span,
                        &ignition_key,
                        format!(
                            "at most {MAX_LIFTOFF_STAGES} stages can burn from liftoff (the integrator has {MAX_LIFTOFF_STAGES} parallel burn slots); `{}` would be the {liftoff_count}th",
                            names[i]
                        ),
                    ));
                }
            } else if i == 0 {
                return Err(self.error(ignition_span, &ignition_key, "the first stage must ignite at liftoff"));
            } else {
                self.sequential_strap_ons(s, i, &names, &stages, warnings)?;
            }
            let mut stage = self.stage(s, &key, names[i].clone(), ignition, &names, engines, motors, warnings)?;
            if let Some(after) = &s.ignition_after {
                stage.ignition_after = Some(self.ignition_after(after, &key, &stage, &stages)?);
            }
            stages.push(stage);
        }
        // One coast is chosen by the ascent (a search over one more variable), and only on an
        // ascent that burns every stage once: a restartable stage's coasts are the transfer
        // planner's, whose flights do not carry a chosen coast.
        let ranged: Vec<usize> = (0..stages.len()).filter(|&i| stages[i].ignition_delay_max_s.is_some()).collect();
        if let Some(&second) = ranged.get(1) {
            let span = entries[second]
                .get_ref()
                .ignition_delay_max_s
                .as_ref()
                .map_or_else(|| entries[second].get_ref().name.span(), Spanned::span);
            return Err(self.error(
                span,
                &format!("stage[{}].ignition_delay_max_s", second + 1),
                format!(
                    "the ascent chooses one coast: stage `{}` (stage[{}]) has ignition_delay_max_s already; give this stage a fixed ignition_delay_s",
                    stages[ranged[0]].name,
                    ranged[0] + 1
                ),
            ));
        }
        if let (Some(&i), Some(restartable)) = (ranged.first(), stages.iter().find(|s| s.restart.is_some())) {
            let span = entries[i].get_ref().ignition_delay_max_s.as_ref().map_or_else(|| entries[i].get_ref().name.span(), Spanned::span);
            return Err(self.error(
                span,
                &format!("stage[{}].ignition_delay_max_s", i + 1),
                format!(
                    "the coast is chosen on an ascent that burns every stage once; `{}` is restartable (max_burns), so give this stage a fixed ignition_delay_s",
                    restartable.name
                ),
            ));
        }
        // Delays and ignition events are for air-lit stages; something must burn from 0 s, or
        // the vehicle sits on the pad with nothing lit (its liftoff thrust would be zero).
        if !stages.iter().any(Stage::burns_at_liftoff) {
            // The first liftoff stage with a delay (the first stage, which no event can light).
            let i = stages.iter().position(|s| s.ignition == Ignition::Liftoff && s.ignition_delay_s > 0.0).unwrap_or(0);
            let entry = entries[i].get_ref();
            let span = entry.ignition_delay_s.as_ref().map_or_else(|| entry.name.span(), Spanned::span);
            let liftoff: Vec<String> = stages.iter().filter(|s| s.ignition == Ignition::Liftoff).map(|s| format!("`{}`", s.name)).collect();
            return Err(self.error(
                span,
                &format!("stage[{}].ignition_delay_s", i + 1),
                format!(
                    "nothing burns at liftoff: every liftoff stage ({}) ignites after a delay or an event; at least one must be lit at 0 s (ignition_delay_s = 0, the default)",
                    liftoff.join(", ")
                ),
            ));
        }
        Ok(stages)
    }

    /// A sequential stage (the `i`-th, 0-based) written like strap-on boosters: a stage after the
    /// first without `ignition` is sequential, so boosters written without `ignition = "liftoff"`
    /// would silently fly as an upper stage lit at the separation above them.
    /// A booster burns from liftoff (air-lit ones are liftoff stages with a delay or an ignition
    /// event), so `kind = "booster"` on a sequential stage is refused; several units lit in
    /// flight, with neither `kind` nor `ignition` stated, are a warning, since a cluster of upper
    /// stage motors is possible (Jupiter-C's upper stages were clusters of Sergeants).
    fn sequential_strap_ons(
        &self,
        s: &StageEntry,
        i: usize,
        names: &[String],
        earlier: &[Stage],
        warnings: &mut Vec<Warning>,
    ) -> Result<(), FileError> {
        let key = format!("stage[{}]", i + 1);
        let lit_when = format!("ignites in flight when `{}` (stage[{i}]) separates", names[i - 1]);
        let implicit = if s.ignition.is_none() { " (without an `ignition` key every stage after the first is sequential)" } else { "" };
        // Liftoff stages come first: where to move the stage to, when a sequential stage is above.
        let place = earlier
            .iter()
            .position(|st| st.ignition == Ignition::Sequential)
            .map_or_else(String::new, |j| format!(" and list it above `{}` (stage[{}]), as liftoff stages come first", names[j], j + 1));
        if let Some(kind) = s.kind.as_ref().filter(|k| matches!(k.get_ref(), KindEntry::Booster)) {
            let (span, field) = s.ignition.as_ref().map_or_else(|| (kind.span(), "kind"), |ig| (ig.span(), "ignition"));
            return Err(self.error(
                span,
                &format!("{key}.{field}"),
                format!(
                    "stage `{}` is a booster (kind = \"booster\") but {lit_when}{implicit}; a booster burns from liftoff: give it ignition = \"liftoff\" (with ignition_delay_s or ignition_after if air-lit){place}, or drop kind if it is an upper stage",
                    names[i]
                ),
            ));
        }
        let units = s.units.as_ref().filter(|u| *u.get_ref() > 1);
        if let (Some(units), None, None) = (units, &s.ignition, &s.kind) {
            warnings.push(self.warning(
                units.span(),
                &format!("{key}.units"),
                format!(
                    "stage `{}` has {} units but {lit_when}{implicit}; strap-on boosters burn from liftoff: if these are boosters, give the stage ignition = \"liftoff\"{place}; a cluster lit in flight states kind = \"upper\"",
                    names[i],
                    units.get_ref()
                ),
            ));
        }
        Ok(())
    }

    /// One `[[stage]]`, once its ignition is known.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn stage(
        &self,
        s: &StageEntry,
        key: &str,
        name: String,
        ignition: Ignition,
        names: &[String],
        engines: &[(Engine, Range<usize>)],
        motors: &[MotorDef],
        warnings: &mut Vec<Warning>,
    ) -> Result<Stage, FileError> {
        let k = |field: &str| format!("{key}.{field}");
        let units = self.count(s.units.as_ref(), &k("units"), MAX_UNITS)?;
        let engines_per_unit = self.count(s.engines_per_unit.as_ref(), &k("engines_per_unit"), MAX_ENGINES_PER_UNIT)?;
        let motor_def = self.stage_propulsion(s, key, engines_per_unit, motors)?;
        let (engine, engines_per_unit, listed) = match (&s.engine, &s.engines, motor_def) {
            (Some(id), _, _) => {
                let e = self.engine_by_id(id, &k("engine"), engines, motors)?;
                (e.clone(), engines_per_unit, vec![StageEngine { engine: e.clone(), count_per_unit: engines_per_unit, burns_on: false }])
            }
            (None, Some(list), _) => match self.stage_engines(list, key, engines, motors)? {
                // One type listed is the `engine` form, exactly.
                one if one.len() == 1 => (one[0].engine.clone(), one[0].count_per_unit, one),
                several => (Engine::combined(&several), 1, several),
            },
            // A placeholder until the propellant is known; replaced by the motor's equivalent below.
            (None, None, Some(def)) => (
                Engine {
                    id: def.id.clone(),
                    propellant: def.propellant.clone(),
                    thrust_vac_n: 1.0,
                    isp_vac_s: def.isp_vac_s,
                    exit_area_m2: def.exit_area_m2,
                    throttle_min: 1.0,
                    chemistry: None,
                },
                engines_per_unit,
                Vec::new(),
            ),
            (None, None, None) => return Err(self.error(s.name.span(), key, NEEDS_PROPULSION)),
        };
        if motor_def.is_none() {
            self.liquid_stage_keys(s, key)?;
        }
        let dry_mass_kg = self.plausible(&s.dry_mass_kg, &k("dry_mass_kg"), DRY_MASS_KG)?;
        let loaded_propellant_kg = self.plausible(&s.propellant_mass_kg, &k("propellant_mass_kg"), PROPELLANT_MASS_KG)?;
        // Without a residual figure the propellant figure is the load, of which the default share
        // stays aboard unusable; a stated residual (even 0) keeps the propellant figure usable.
        let (propellant_mass_kg, residual_mass_kg) = match s.residual_mass_kg.as_ref() {
            Some(_) => (loaded_propellant_kg, self.plausible_or(s.residual_mass_kg.as_ref(), &k("residual_mass_kg"), MINOR_MASS_KG, 0.0)?),
            None => (loaded_propellant_kg * (1.0 - DEFAULT_RESIDUAL_FRACTION), loaded_propellant_kg * DEFAULT_RESIDUAL_FRACTION),
        };
        let startup_propellant_kg = self.startup_propellant(s, key, propellant_mass_kg)?;
        let auxiliary_mass_kg = self.plausible_or(s.auxiliary_mass_kg.as_ref(), &k("auxiliary_mass_kg"), MINOR_MASS_KG, 0.0)?;
        let diameter_m = self.plausible(&s.diameter_m, &k("diameter_m"), DIAMETER_M)?;
        let ignition_delay_s = self.plausible_or(s.ignition_delay_s.as_ref(), &k("ignition_delay_s"), DELAY_S, 0.0)?;
        let ignition_delay_max_s = self.ignition_delay_max(s, &k, ignition, ignition_delay_s)?;
        let (engine, motor, separation) = match motor_def {
            Some(def) => {
                let (engine, motor, separation) = self.solid(s, key, def, propellant_mass_kg, warnings)?;
                (engine, Some(motor), separation)
            }
            None => (engine, None, Separation::AtBurnout),
        };
        let stated_residual_kg = if s.residual_mass_kg.is_some() { residual_mass_kg } else { 0.0 };
        self.unit_is_buildable(s, &k, &engine, engines_per_unit, dry_mass_kg, loaded_propellant_kg, stated_residual_kg, auxiliary_mass_kg)?;
        self.stated_residual(s, &k, propellant_mass_kg, residual_mass_kg, warnings);
        let kind = match s.kind.as_ref().map(|v| *v.get_ref()) {
            Some(KindEntry::Booster) => StageKind::Booster,
            Some(KindEntry::Core) => StageKind::Core,
            Some(KindEntry::Upper) => StageKind::Upper,
            None => match ignition {
                Ignition::Liftoff if units > 1 => StageKind::Booster,
                Ignition::Liftoff => StageKind::Core,
                Ignition::Sequential => StageKind::Upper,
            },
        };

        self.at_most(&s.throttle, MAX_THROTTLE_SEGMENTS, &k("throttle"), "throttle segments", Spanned::span)?;
        let mut throttle = Vec::with_capacity(s.throttle.len());
        let mut last_time: Option<f64> = None;
        for (j, segment) in s.throttle.iter().enumerate() {
            let seg = segment.get_ref();
            let tk = |field: &str| format!("{key}.throttle[{}].{field}", j + 1);
            let level = self.finite(&seg.level, &tk("level"), "")?;
            if !(level >= engine.throttle_min && level <= 1.0) {
                // The engine whose minimum bounds the stage's (the highest, when it has several).
                let limiting = listed.iter().find(|l| l.engine.throttle_min == engine.throttle_min).map_or(&engine.id, |l| &l.engine.id);
                return Err(self.error(
                    seg.level.span(),
                    &tk("level"),
                    format!(
                        "must be in [{}, 1] (throttle_min of engine `{limiting}` to full), got {}",
                        show(engine.throttle_min, ""),
                        show(level, "")
                    ),
                ));
            }
            let until = match (&seg.until, &seg.until_s) {
                (Some(u), None) => {
                    let Some(target) = u.get_ref().strip_prefix(SEPARATION_PREFIX).map(str::trim) else {
                        return Err(self.error(
                            u.span(),
                            &tk("until"),
                            format!("must be \"{SEPARATION_PREFIX}STAGE NAME\", got \"{}\"; use until_s for a time", u.get_ref()),
                        ));
                    };
                    match names.iter().position(|n| n == target) {
                        Some(index) => ThrottleUntil::Separation(index),
                        None => {
                            let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                            return Err(self.error(
                                u.span(),
                                &tk("until"),
                                format!("no stage is named `{target}`; stages: {}", listed.join(", ")),
                            ));
                        }
                    }
                }
                (None, Some(t)) => {
                    let time_s = self.plausible(t, &tk("until_s"), TIME_S)?;
                    if let Some(previous) = last_time.filter(|&p| time_s <= p) {
                        return Err(self.error(
                            t.span(),
                            &tk("until_s"),
                            format!("must be later than the previous segment's {}, got {}", show(previous, "s"), show(time_s, "s")),
                        ));
                    }
                    last_time = Some(time_s);
                    ThrottleUntil::Time(time_s)
                }
                (Some(_), Some(t)) => return Err(self.error(t.span(), &tk("until_s"), "give either until or until_s, not both")),
                (None, None) => {
                    return Err(self.error(
                        segment.span(),
                        &format!("{key}.throttle[{}]", j + 1),
                        "needs until = \"separation:STAGE NAME\" or until_s",
                    ));
                }
            };
            throttle.push(ThrottleSegment { level, until });
        }

        let tumbling = match &s.tumbling {
            Some(t) => {
                let t = t.get_ref();
                Some(Tumbling {
                    cd: self.plausible(&t.cd, &k("tumbling.cd"), TUMBLING_CD)?,
                    area_m2: self.plausible(&t.area_m2, &k("tumbling.area_m2"), AREA_M2)?,
                })
            }
            None => None,
        };

        let restart = self.restart(s, &k, &name, ignition, startup_propellant_kg, propellant_mass_kg)?;
        let drop_tank = self.drop_tank(s, &k, &name, dry_mass_kg, propellant_mass_kg)?;
        let is_last = names.last() == Some(&name);
        let burn_on_engine = self.burn_on_engine(s, key, &listed, is_last, restart.is_some(), drop_tank.is_some())?;

        let stage = Stage {
            name,
            kind,
            units,
            engine,
            engines_per_unit,
            zero_thrust_pressure_pa: listed.iter().map(|l| l.engine.zero_thrust_pressure_pa()).fold(f64::INFINITY, f64::min),
            engines: listed,
            dry_mass_kg,
            propellant_mass_kg,
            residual_mass_kg,
            reserve_mass_kg: 0.0,
            startup_propellant_kg,
            auxiliary_mass_kg,
            diameter_m,
            ignition,
            ignition_delay_s,
            ignition_delay_max_s,
            throttle,
            tumbling,
            motor,
            separation,
            ignition_after: None,
            restart,
            drop_tank,
            burn_on_engine,
        };
        // Each figure may be finite while a product of them is not (1e300 kg times 4 units).
        let derived = [stage.gross_mass_kg(), stage.thrust_vac_n(), stage.mass_flow_kg_s(), stage.cross_section_m2()];
        if !derived.iter().all(|x| x.is_finite()) {
            return Err(self.error(
                s.name.span(),
                key,
                format!("stage `{}`: masses, thrust or diameter are too large to compute with", stage.name),
            ));
        }
        Ok(stage)
    }

    /// The `[[engine]]` a stage names, or an error listing the defined ids.
    pub(super) fn engine_by_id<'e>(
        &self,
        id: &Spanned<String>,
        key: &str,
        engines: &'e [(Engine, Range<usize>)],
        motors: &[MotorDef],
    ) -> Result<&'e Engine, FileError> {
        match engines.iter().find(|(e, _)| e.id == id.get_ref().trim()) {
            Some((e, _)) => Ok(e),
            None => {
                let ids: Vec<String> = engines.iter().map(|(e, _)| format!("`{}`", e.id)).collect();
                let defined = if ids.is_empty() { "none".to_owned() } else { ids.join(", ") };
                let wanted = id.get_ref().trim();
                let Some(j) = motors.iter().position(|m| m.id == wanted) else {
                    return Err(self.error(
                        id.span(),
                        key,
                        format!("no [[engine]] has id `{}`; defined engine ids: {defined}", id.get_ref()),
                    ));
                };
                // A solid motor named where a liquid engine goes: say which key takes it.
                let fix = if key.contains(".engines[") {
                    format!("a solid motor burns in a stage of its own, named by motor = \"{wanted}\"; engines lists liquid engines only")
                } else {
                    format!("write motor = \"{wanted}\" in place of engine (one motor per unit)")
                };
                Err(self.error(
                    id.span(),
                    key,
                    format!("`{wanted}` is the id of a [[motor]] (motor[{}], a solid motor), not of an [[engine]]: {fix}", j + 1),
                ))
            }
        }
    }

    /// `engines = [{ engine = "ID", count = N }, ...]` of a stage: at least one and at most
    /// [`MAX_ENGINE_TYPES_PER_STAGE`] entries, each a defined engine named once, with a count from 1
    /// and at most [`MAX_ENGINES_PER_UNIT`] engines per unit in all.
    pub(super) fn stage_engines(
        &self,
        list: &Spanned<Vec<Spanned<StageEngineEntry>>>,
        key: &str,
        engines: &[(Engine, Range<usize>)],
        motors: &[MotorDef],
    ) -> Result<Vec<StageEngine>, FileError> {
        let list_key = format!("{key}.engines");
        let entries = list.get_ref();
        if entries.is_empty() {
            return Err(self.error(list.span(), &list_key, "needs at least one { engine = \"ID\", count = N }"));
        }
        self.at_most(entries, MAX_ENGINE_TYPES_PER_STAGE, &list_key, "engine types per stage", Spanned::span)?;
        let mut listed: Vec<StageEngine> = Vec::with_capacity(entries.len());
        for (j, entry) in entries.iter().enumerate() {
            let e = entry.get_ref();
            let ek = |field: &str| format!("{list_key}[{}].{field}", j + 1);
            let engine = self.engine_by_id(&e.engine, &ek("engine"), engines, motors)?;
            if let Some(first) = listed.iter().position(|l| l.engine.id == engine.id) {
                return Err(self.error(
                    e.engine.span(),
                    &ek("engine"),
                    format!(
                        "engine `{}` is listed twice (first as {list_key}[{}] on line {}); give one entry with its count",
                        engine.id,
                        first + 1,
                        line_of(self.text, entries[first].span().start)
                    ),
                ));
            }
            let count_per_unit = self.count(e.count.as_ref(), &ek("count"), MAX_ENGINES_PER_UNIT)?;
            let burns_on = e.burns_on.as_ref().is_some_and(|b| *b.get_ref());
            listed.push(StageEngine { engine: engine.clone(), count_per_unit, burns_on });
        }
        let total: u32 = listed.iter().map(|l| l.count_per_unit).sum();
        if i64::from(total) > MAX_ENGINES_PER_UNIT {
            return Err(self.error(
                list.span(),
                &list_key,
                format!("{total} engines per unit in all; a unit carries at most {MAX_ENGINES_PER_UNIT}"),
            ));
        }
        Ok(listed)
    }

    /// The engines of a stage's `engines` list flagged `burns_on = true`, as one equivalent
    /// engine: the tail of a one-burn last stage's burn, whose start the ascent's guidance
    /// chooses. Refused on any other stage (there is no guidance choice to make there), on a
    /// restartable stage (which cuts its engines off and restarts instead), on a stage with a drop
    /// tank, and when every listed engine burns on (no main engine would be cut off).
    pub(super) fn burn_on_engine(
        &self,
        s: &StageEntry,
        key: &str,
        listed: &[StageEngine],
        is_last: bool,
        restartable: bool,
        drop_tank: bool,
    ) -> Result<Option<Engine>, FileError> {
        let Some(list) = s.engines.as_ref() else { return Ok(None) };
        let Some((j, flag)) =
            list.get_ref().iter().enumerate().find_map(|(j, e)| e.get_ref().burns_on.as_ref().filter(|b| *b.get_ref()).map(|b| (j, b)))
        else {
            return Ok(None);
        };
        let flag_key = format!("{key}.engines[{}].burns_on", j + 1);
        let refuse = |why: &str| Err(self.error(flag.span(), &flag_key, why));
        if !is_last {
            return refuse("only the last stage's engines may burn on after its main engines are cut off (the ascent's guidance chooses when); this stage is followed by others");
        }
        if restartable {
            return refuse("a restartable stage (max_burns above 1) cuts its engines off and restarts them instead; burns_on is for a stage that burns once");
        }
        if drop_tank {
            return refuse("a stage with a drop tank cannot have engines that burn on alone");
        }
        let tail: Vec<StageEngine> = listed.iter().filter(|l| l.burns_on).cloned().collect();
        if tail.len() == listed.len() {
            return refuse(
                "every engine of the stage would burn on; at least one listed engine must be a main engine (burns_on absent or false)",
            );
        }
        Ok(Some(Engine::combined(&tail)))
    }

    /// What no unit can be even with every figure in its range: auxiliary consumables outweighing
    /// the propellant they serve, engines out-thrusting the dry mass that carries them by more
    /// than [`MAX_THRUST_TO_DRY_WEIGHT`], or tanks lighter than [`MAX_PROPELLANT_FRACTION`]
    /// allows for the whole load: `propellant_mass_kg` and a stated residual beside it
    /// (`stated_residual_kg`, 0 when the file states none), which stays in the same tanks.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn unit_is_buildable(
        &self,
        s: &StageEntry,
        k: &dyn Fn(&str) -> String,
        engine: &Engine,
        engines_per_unit: u32,
        dry_mass_kg: f64,
        propellant_mass_kg: f64,
        stated_residual_kg: f64,
        auxiliary_mass_kg: f64,
    ) -> Result<(), FileError> {
        if auxiliary_mass_kg > propellant_mass_kg {
            let v = s.auxiliary_mass_kg.as_ref().map_or_else(|| s.propellant_mass_kg.span(), Spanned::span);
            return Err(self.error(
                v,
                &k("auxiliary_mass_kg"),
                format!(
                    "auxiliary consumables {} outweigh the propellant {} they serve",
                    show(auxiliary_mass_kg, "kg"),
                    show(propellant_mass_kg, "kg")
                ),
            ));
        }
        let thrust_to_dry_weight = f64::from(engines_per_unit) * engine.thrust_vac_n / (dry_mass_kg * G0_M_S2);
        if thrust_to_dry_weight > MAX_THRUST_TO_DRY_WEIGHT {
            return Err(self.error(
                s.dry_mass_kg.span(),
                &k("dry_mass_kg"),
                format!(
                    "{} is too light to carry {engines_per_unit} × `{}`: vacuum thrust over dry weight would be {}, no structure exceeds {}",
                    show(dry_mass_kg, "kg"),
                    engine.id,
                    show(thrust_to_dry_weight.round(), ""),
                    show(MAX_THRUST_TO_DRY_WEIGHT, "")
                ),
            ));
        }
        let fraction = propellant_mass_kg / (propellant_mass_kg + dry_mass_kg);
        let load_kg = propellant_mass_kg + stated_residual_kg;
        let load_fraction = load_kg / (load_kg + dry_mass_kg);
        if load_fraction > MAX_PROPELLANT_FRACTION {
            // The propellant fits the tanks alone: the stated residual is what overfills them.
            if let Some(v) = s.residual_mass_kg.as_ref().filter(|_| fraction <= MAX_PROPELLANT_FRACTION) {
                return Err(self.error(
                    v.span(),
                    &k("residual_mass_kg"),
                    format!(
                        "{} of residual with {} of usable propellant is a load of {}, {:.4} of the unit's mass with its dry mass {}; the residual stays in the tanks the dry mass carries, and no stage's load exceeds {} of its mass: check the residual's unit (kg per unit)",
                        show(stated_residual_kg, "kg"),
                        show(propellant_mass_kg, "kg"),
                        show(load_kg, "kg"),
                        load_fraction,
                        show(dry_mass_kg, "kg"),
                        MAX_PROPELLANT_FRACTION
                    ),
                ));
            }
            return Err(self.error(
                s.dry_mass_kg.span(),
                &k("dry_mass_kg"),
                format!(
                    "{} is too light for {} of propellant: the propellant would be {:.4} of the unit's mass, no stage exceeds {}",
                    show(dry_mass_kg, "kg"),
                    show(propellant_mass_kg, "kg"),
                    fraction,
                    MAX_PROPELLANT_FRACTION
                ),
            ));
        }
        Ok(())
    }

    /// A stated `residual_mass_kg`: propellant that stays aboard unburned, beside the usable
    /// `propellant_mass_kg` (the tanks hold both: [`Self::unit_is_buildable`]). A residual above
    /// the usable propellant is possible (propellant kept for a burn the ascent does not fly:
    /// AS-506's S-IVB carries its translunar-injection load so) but far from the 0.5–2 % of a
    /// load that is trapped, so it is a warning.
    pub(super) fn stated_residual(
        &self,
        s: &StageEntry,
        k: &dyn Fn(&str) -> String,
        usable_kg: f64,
        residual_kg: f64,
        warnings: &mut Vec<Warning>,
    ) {
        let Some(v) = s.residual_mass_kg.as_ref() else { return };
        if residual_kg > usable_kg {
            warnings.push(self.warning(
                v.span(),
                &k("residual_mass_kg"),
                format!(
                    "residual {} is more than the usable propellant {} (propellant_mass_kg is the usable propellant when residual_mass_kg is given), but trapped propellant is 0.5–2 % of a load: check the figure and its unit, or leave residual_mass_kg out to read propellant_mass_kg as the load with the default 1.25 % residual; propellant kept aboard for a burn the ascent does not fly is rightly carried this way",
                    show(residual_kg, "kg"),
                    show(usable_kg, "kg")
                ),
            ));
        }
    }

    /// `max_burns`, `min_coast_s`, `restart_propellant_kg` and `coast_propellant_kg_per_h` of
    /// a stage: restarts are for liquid stages that ignite in flight, and the restart figures
    /// mean nothing without them. A liftoff stage is one whether it says so or is the first of
    /// the file: a liftoff stage flown with a second burn would change the results silently.
    #[allow(clippy::too_many_arguments)]
    /// `ignition_delay_max_s`: the longest coast before a solid stage lit in flight, when the
    /// ascent chooses its coast from `ignition_delay_s` up to it. A liquid stage controls its
    /// energy by its cutoff and a liftoff stage (an air-lit booster) lights on its own schedule,
    /// so the key belongs to a solid stage that ignites when the stage below separates.
    fn ignition_delay_max(
        &self,
        s: &StageEntry,
        k: &dyn Fn(&str) -> String,
        ignition: Ignition,
        ignition_delay_s: f64,
    ) -> Result<Option<f64>, FileError> {
        let Some(v) = s.ignition_delay_max_s.as_ref() else { return Ok(None) };
        let key = k("ignition_delay_max_s");
        let max_s = self.plausible(v, &key, DELAY_S)?;
        if s.motor.is_none() {
            return Err(self.error(
                v.span(),
                &key,
                "applies to a solid stage (motor = \"ID\") only: a liquid stage sets its energy by its cutoff, and its coast is `ignition_delay_s`",
            ));
        }
        if ignition == Ignition::Liftoff {
            return Err(self.error(
                v.span(),
                &key,
                "applies to a stage lit in flight when the stage below separates (ignition = \"sequential\"); a liftoff stage lights at its `ignition_delay_s` or `ignition_after`",
            ));
        }
        if max_s < ignition_delay_s {
            return Err(self.error(
                v.span(),
                &key,
                format!(
                    "the longest coast must be at least ignition_delay_s ({}), the shortest; got {}",
                    show(ignition_delay_s, "s"),
                    show(max_s, "s")
                ),
            ));
        }
        Ok(Some(max_s))
    }

    pub(super) fn restart(
        &self,
        s: &StageEntry,
        k: &dyn Fn(&str) -> String,
        name: &str,
        ignition: Ignition,
        startup_propellant_kg: f64,
        usable_kg: f64,
    ) -> Result<Option<Restart>, FileError> {
        let max_burns = self.count(s.max_burns.as_ref(), &k("max_burns"), crate::vehicle::MAX_BURNS_PER_STAGE)?;
        if max_burns <= 1 {
            let given = [
                ("min_coast_s", s.min_coast_s.as_ref()),
                ("restart_propellant_kg", s.restart_propellant_kg.as_ref()),
                ("coast_propellant_kg_per_h", s.coast_propellant_kg_per_h.as_ref()),
            ];
            if let Some((field, v)) = given.iter().find_map(|(f, v)| v.map(|v| (*f, v))) {
                return Err(self.error(v.span(), &k(field), "applies to a restartable stage only: give max_burns ≥ 2 too"));
            }
            return Ok(None);
        }
        let span = s.max_burns.as_ref().map_or_else(|| s.name.span(), Spanned::span);
        if s.motor.is_some() {
            return Err(self.error(span, &k("max_burns"), "a solid motor burns once: only a liquid stage restarts"));
        }
        if ignition == Ignition::Liftoff {
            let why = match &s.ignition {
                Some(i) => format!(
                    "stage `{name}` ignites at liftoff (ignition = \"liftoff\" on line {}); remove max_burns: a stage lit at liftoff burns once",
                    line_of(self.text, i.span().start)
                ),
                None => format!(
                    "stage `{name}` is the first stage of the file, which ignites at liftoff; remove max_burns, or check the stage order (stages are listed in firing order, the stage lit at liftoff first)"
                ),
            };
            return Err(self.error(
                span,
                &k("max_burns"),
                format!("only a stage that ignites in flight (sequential) may restart, and {why}"),
            ));
        }
        let min_coast_s = self.plausible_or(s.min_coast_s.as_ref(), &k("min_coast_s"), DELAY_S, 0.0)?;
        let restart_propellant_kg =
            self.plausible_or(s.restart_propellant_kg.as_ref(), &k("restart_propellant_kg"), MINOR_MASS_KG, startup_propellant_kg)?;
        let coast_propellant_kg_per_h =
            self.plausible_or(s.coast_propellant_kg_per_h.as_ref(), &k("coast_propellant_kg_per_h"), MINOR_MASS_KG, 0.0)?;
        // Every restart the stage may make must leave propellant to burn.
        let restarts_kg = f64::from(max_burns - 1) * restart_propellant_kg + startup_propellant_kg;
        if restarts_kg >= usable_kg {
            let v = s.restart_propellant_kg.as_ref().map_or(span, Spanned::span);
            return Err(self.error(
                v,
                &k("restart_propellant_kg"),
                format!(
                    "{} restarts of {} each use up the usable propellant {}",
                    max_burns - 1,
                    show(restart_propellant_kg, "kg"),
                    show(usable_kg, "kg")
                ),
            ));
        }
        Ok(Some(Restart { max_burns, min_coast_s, restart_propellant_kg, coast_propellant_kg_per_h }))
    }

    /// `[stage.drop_tank]`: a liquid stage's tank with masses inside the stage's own.
    pub(super) fn drop_tank(
        &self,
        s: &StageEntry,
        k: &dyn Fn(&str) -> String,
        stage_name: &str,
        dry_mass_kg: f64,
        usable_kg: f64,
    ) -> Result<Option<DropTank>, FileError> {
        let Some(entry) = s.drop_tank.as_ref() else { return Ok(None) };
        if s.motor.is_some() {
            return Err(self.error(entry.span(), &k("drop_tank"), "a solid motor has no tank to drop: only a liquid stage may"));
        }
        let t = entry.get_ref();
        let name = match &t.name {
            Some(n) => self.name(n, &k("drop_tank.name"))?,
            None => format!("{stage_name} tank"),
        };
        let tank_dry_kg = self.plausible(&t.dry_mass_kg, &k("drop_tank.dry_mass_kg"), DRY_MASS_KG)?;
        if tank_dry_kg >= dry_mass_kg {
            return Err(self.error(
                t.dry_mass_kg.span(),
                &k("drop_tank.dry_mass_kg"),
                format!(
                    "is part of the stage's dry mass {} and must be less than it, got {}",
                    show(dry_mass_kg, "kg"),
                    show(tank_dry_kg, "kg")
                ),
            ));
        }
        let tank_propellant_kg = self.plausible(&t.propellant_mass_kg, &k("drop_tank.propellant_mass_kg"), PROPELLANT_MASS_KG)?;
        if tank_propellant_kg >= usable_kg {
            return Err(self.error(
                t.propellant_mass_kg.span(),
                &k("drop_tank.propellant_mass_kg"),
                format!(
                    "is part of the stage's usable propellant {} and must be less than it, got {}",
                    show(usable_kg, "kg"),
                    show(tank_propellant_kg, "kg")
                ),
            ));
        }
        let tumbling = match &t.tumbling {
            Some(tb) => {
                let tb = tb.get_ref();
                Some(Tumbling {
                    cd: self.plausible(&tb.cd, &k("drop_tank.tumbling.cd"), TUMBLING_CD)?,
                    area_m2: self.plausible(&tb.area_m2, &k("drop_tank.tumbling.area_m2"), AREA_M2)?,
                })
            }
            None => None,
        };
        Ok(Some(DropTank { name, dry_mass_kg: tank_dry_kg, propellant_mass_kg: tank_propellant_kg, tumbling }))
    }

    /// `startup_propellant_kg` of a stage: ≥ 0 and less than its usable propellant.
    pub(super) fn startup_propellant(&self, s: &StageEntry, key: &str, usable_kg: f64) -> Result<f64, FileError> {
        let Some(v) = s.startup_propellant_kg.as_ref() else { return Ok(0.0) };
        let k = format!("{key}.startup_propellant_kg");
        let x = self.plausible(v, &k, MINOR_MASS_KG)?;
        if x >= usable_kg {
            return Err(self.error(
                v.span(),
                &k,
                format!("must be less than the usable propellant {}, got {}", show(usable_kg, "kg"), show(x, "kg")),
            ));
        }
        Ok(x)
    }

    /// `ignition_after` of a stage: the burnout or separation of an earlier liftoff stage.
    pub(super) fn ignition_after(
        &self,
        after: &Spanned<String>,
        key: &str,
        stage: &Stage,
        earlier: &[Stage],
    ) -> Result<StageEvent, FileError> {
        let k = format!("{key}.ignition_after");
        if stage.ignition != Ignition::Liftoff {
            return Err(self.error(
                after.span(),
                &k,
                "a stage igniting after another's event belongs to the liftoff group: state ignition = \"liftoff\" (a sequential stage ignites at the previous separation)",
            ));
        }
        let text = after.get_ref().trim();
        let (target, burnout) = if let Some(t) = text.strip_prefix(BURNOUT_PREFIX) {
            (t.trim(), true)
        } else if let Some(t) = text.strip_prefix(SEPARATION_PREFIX) {
            (t.trim(), false)
        } else {
            return Err(self.error(
                after.span(),
                &k,
                format!("must be \"{BURNOUT_PREFIX}STAGE NAME\" or \"{SEPARATION_PREFIX}STAGE NAME\", got \"{text}\""),
            ));
        };
        let Some(index) = earlier.iter().position(|s| s.name == target && s.ignition == Ignition::Liftoff) else {
            let listed: Vec<String> = earlier.iter().filter(|s| s.ignition == Ignition::Liftoff).map(|s| format!("`{}`", s.name)).collect();
            let listed = if listed.is_empty() { "none".to_owned() } else { listed.join(", ") };
            return Err(self.error(
                after.span(),
                &k,
                format!("`{target}` is not a liftoff stage above this one in the file; those are: {listed}"),
            ));
        };
        Ok(if burnout { StageEvent::Burnout(index) } else { StageEvent::Separation(index) })
    }
}
