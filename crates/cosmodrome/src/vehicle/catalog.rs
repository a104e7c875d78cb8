//! The built-in vehicle catalog: the vehicle files of `data/vehicles/`, compiled into the crate.
//!
//! Catalog vehicles carry their own stages only, except the upper-stage configurations of
//! `UPPER_STAGE_CATALOG` (Angara-A5 with Briz-M or DM-03, Soyuz-2 with Fregat). Six fly solid
//! motors on their thrust curves: Ariane 5 ECA, Ariane 62 and 64, Vega-C, H-IIA 202 and PSLV-XL.

use super::toml_text::nearest;
use super::{Vehicle, Warning};
use crate::error::Error;

/// Catalog ids and file texts, sorted by id.
const CATALOG: [(&str, &str); 16] = [
    ("angara-1.2", include_str!("../../../../data/vehicles/angara-1.2.toml")),
    ("angara-a5", include_str!("../../../../data/vehicles/angara-a5.toml")),
    ("ariane-5-eca", include_str!("../../../../data/vehicles/ariane-5-eca.toml")),
    ("ariane-62", include_str!("../../../../data/vehicles/ariane-62.toml")),
    ("ariane-64", include_str!("../../../../data/vehicles/ariane-64.toml")),
    ("electron", include_str!("../../../../data/vehicles/electron.toml")),
    ("falcon-9-block-5", include_str!("../../../../data/vehicles/falcon-9-block-5.toml")),
    ("h-iia-202", include_str!("../../../../data/vehicles/h-iia-202.toml")),
    ("long-march-3b-e", include_str!("../../../../data/vehicles/long-march-3b-e.toml")),
    ("pslv-xl", include_str!("../../../../data/vehicles/pslv-xl.toml")),
    ("saturn-v", include_str!("../../../../data/vehicles/saturn-v.toml")),
    ("soyuz-2.1a", include_str!("../../../../data/vehicles/soyuz-2.1a.toml")),
    ("soyuz-2.1b", include_str!("../../../../data/vehicles/soyuz-2.1b.toml")),
    ("soyuz-2.1v", include_str!("../../../../data/vehicles/soyuz-2.1v.toml")),
    ("vega-c", include_str!("../../../../data/vehicles/vega-c.toml")),
    ("zenit-2", include_str!("../../../../data/vehicles/zenit-2.toml")),
];

/// Catalog vehicles flying with a restartable upper stage: ids and file texts, sorted by id.
const UPPER_STAGE_CATALOG: [(&str, &str); 5] = [
    ("angara-a5-briz-m", include_str!("../../../../data/vehicles/angara-a5-briz-m.toml")),
    ("angara-a5-dm03", include_str!("../../../../data/vehicles/angara-a5-dm03.toml")),
    ("electron-curie", include_str!("../../../../data/vehicles/electron-curie.toml")),
    ("soyuz-2.1a-fregat", include_str!("../../../../data/vehicles/soyuz-2.1a-fregat.toml")),
    ("soyuz-2.1b-fregat", include_str!("../../../../data/vehicles/soyuz-2.1b-fregat.toml")),
];

/// Every catalog entry, in no particular order.
fn entries() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    CATALOG.iter().chain(UPPER_STAGE_CATALOG.iter())
}

/// Ids of the catalog vehicles, sorted.
pub fn catalog_ids() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = entries().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    ids
}

/// Text of a catalog vehicle file, by exact id.
pub fn catalog_vehicle(id: &str) -> Option<&'static str> {
    entries().find(|(k, _)| *k == id).map(|(_, text)| *text)
}

/// Parse and validate a catalog vehicle; the file is reported as `<id>.toml` in errors and
/// warnings. An unknown id gives [`Error::UnknownVehicle`] with the nearest catalog ids and the
/// list of them all.
///
/// ```
/// use cosmodrome::vehicle::resolve_vehicle;
///
/// let (angara, _warnings) = resolve_vehicle("angara-a5")?;
/// assert_eq!(angara.name, "Angara-A5");
/// // Four URM-1 boosters and the URM-1 core at liftoff, then the URM-2.
/// let names: Vec<&str> = angara.stages.iter().map(|s| s.name.as_str()).collect();
/// assert_eq!(names, ["URM-1 boosters", "URM-1 core", "URM-2"]);
/// assert_eq!(angara.stages[0].units, 4);
///
/// let unknown = resolve_vehicle("angara-a7").unwrap_err().to_string();
/// assert!(unknown.contains("angara-a5"), "suggests the nearest id: {unknown}");
/// # Ok::<(), cosmodrome::Error>(())
/// ```
pub fn resolve_vehicle(id: &str) -> Result<(Vehicle, Vec<Warning>), Error> {
    let text = catalog_vehicle(id).ok_or_else(|| unknown_vehicle(id))?;
    Ok(Vehicle::from_toml(text, &format!("{id}.toml"))?)
}

/// The error for an id that is not in the catalog: the ids nearest to it by edit distance, and
/// every catalog id.
pub fn unknown_vehicle(id: &str) -> Error {
    let suggestions = nearest(id, catalog_ids()).into_iter().map(str::to_owned).collect();
    Error::UnknownVehicle { id: id.to_owned(), suggestions, valid: catalog_ids().join(", ") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vehicle::{Ignition, StageKind};

    #[test]
    fn ids_are_sorted_and_resolve_to_texts() {
        let ids = catalog_ids();
        assert_eq!(
            ids,
            [
                "angara-1.2",
                "angara-a5",
                "angara-a5-briz-m",
                "angara-a5-dm03",
                "ariane-5-eca",
                "ariane-62",
                "ariane-64",
                "electron",
                "electron-curie",
                "falcon-9-block-5",
                "h-iia-202",
                "long-march-3b-e",
                "pslv-xl",
                "saturn-v",
                "soyuz-2.1a",
                "soyuz-2.1a-fregat",
                "soyuz-2.1b",
                "soyuz-2.1b-fregat",
                "soyuz-2.1v",
                "vega-c",
                "zenit-2"
            ]
        );
        assert!(ids.iter().all(|id| catalog_vehicle(id).is_some_and(|t| t.contains("format = 1"))));
        assert!(catalog_vehicle("proton-m-briz-m").is_none());
    }

    #[test]
    fn unknown_vehicle_lists_the_catalog() {
        let e = resolve_vehicle("proton-m").unwrap_err();
        let Error::UnknownVehicle { id, suggestions, valid } = &e else { panic!("{e:?}") };
        assert_eq!(id, "proton-m");
        assert!(suggestions.is_empty(), "{suggestions:?}");
        assert_eq!(
            valid,
            "angara-1.2, angara-a5, angara-a5-briz-m, angara-a5-dm03, ariane-5-eca, ariane-62, ariane-64, electron, electron-curie, falcon-9-block-5, h-iia-202, long-march-3b-e, pslv-xl, saturn-v, soyuz-2.1a, soyuz-2.1a-fregat, soyuz-2.1b, soyuz-2.1b-fregat, soyuz-2.1v, vega-c, zenit-2"
        );
        assert_eq!(
            e.to_string(),
            "unknown vehicle `proton-m`; catalog vehicles: angara-1.2, angara-a5, angara-a5-briz-m, angara-a5-dm03, ariane-5-eca, ariane-62, ariane-64, electron, electron-curie, falcon-9-block-5, h-iia-202, long-march-3b-e, pslv-xl, saturn-v, soyuz-2.1a, soyuz-2.1a-fregat, soyuz-2.1b, soyuz-2.1b-fregat, soyuz-2.1v, vega-c, zenit-2"
        );
    }

    #[test]
    fn a_misspelt_vehicle_gets_the_nearest_ids() {
        let e = resolve_vehicle("angara-a7").unwrap_err();
        assert!(e.to_string().starts_with("unknown vehicle `angara-a7`; did you mean `angara-a5`? catalog vehicles: angara-1.2,"), "{e}");
        let e = resolve_vehicle("soyuz-2-1b").unwrap_err();
        assert!(e.to_string().contains("did you mean `soyuz-2.1b`?"), "{e}");
        let e = resolve_vehicle("soyuz").unwrap_err();
        // The suggestions stop at four.
        assert!(e.to_string().contains("did you mean `soyuz-2.1a`, `soyuz-2.1a-fregat`, `soyuz-2.1b` or `soyuz-2.1b-fregat`?"), "{e}");
    }

    #[test]
    fn a_misspelt_key_names_file_line_key_and_the_key_meant() {
        let text = catalog_vehicle("soyuz-2.1b").unwrap();
        let (offset, _) = text.match_indices("residual_mass_kg").next().expect("a residual");
        let line = text[..offset].lines().count() + 1;
        let bad = text.replacen("residual_mass_kg", "residual_mas_kg", 1);
        let e = Vehicle::from_toml(&bad, "mine.toml").unwrap_err();
        assert_eq!((e.location.file.as_str(), e.location.line), ("mine.toml", Some(line)), "{e}");
        assert!(e.location.key.ends_with(".residual_mas_kg"), "{e}");
        assert!(e.message.ends_with("did you mean `residual_mass_kg`?"), "{e}");
        let e = Vehicle::from_toml(&text.replace("ignition = \"sequential\"", "ignition = \"sequental\""), "mine.toml").unwrap_err();
        assert!(e.message.contains("did you mean `sequential`?"), "{e}");
    }

    #[test]
    fn family_is_optional_and_not_empty() {
        let text = catalog_vehicle("angara-a5").unwrap();
        let without = text.replace("family = \"Angara\"\n", "");
        assert_ne!(without, text);
        assert_eq!(Vehicle::from_toml(&without, "a.toml").unwrap().0.family, None);
        let line = text.lines().position(|l| l.starts_with("family =")).expect("a family line") + 1;
        let e = Vehicle::from_toml(&text.replace("family = \"Angara\"", "family = \" \""), "a.toml").unwrap_err();
        assert_eq!((e.location.line, e.location.key.as_str()), (Some(line), "family"), "{e}");
    }

    #[test]
    fn catalog_vehicles_state_their_family() {
        for (id, family) in [
            ("angara-1.2", "Angara"),
            ("angara-a5", "Angara"),
            ("soyuz-2.1a", "Soyuz-2"),
            ("soyuz-2.1b", "Soyuz-2"),
            ("soyuz-2.1v", "Soyuz-2"),
            ("electron", "Electron"),
            ("electron-curie", "Electron"),
            ("falcon-9-block-5", "Falcon"),
            ("long-march-3b-e", "Long March"),
            ("saturn-v", "Saturn"),
            ("zenit-2", "Zenit"),
            ("angara-a5-briz-m", "Angara"),
            ("angara-a5-dm03", "Angara"),
            ("soyuz-2.1a-fregat", "Soyuz-2"),
            ("soyuz-2.1b-fregat", "Soyuz-2"),
            ("ariane-5-eca", "Ariane 5"),
            ("ariane-62", "Ariane 6"),
            ("ariane-64", "Ariane 6"),
            ("vega-c", "Vega"),
            ("h-iia-202", "H-II"),
            ("pslv-xl", "PSLV"),
        ] {
            assert_eq!(resolve_vehicle(id).unwrap().0.family.as_deref(), Some(family), "{id}");
        }
    }

    #[test]
    fn every_catalog_vehicle_parses_cleanly_and_lifts_off() {
        let expected_stages = [
            ("angara-1.2", 2),
            ("angara-a5", 3),
            ("electron", 2),
            ("falcon-9-block-5", 2),
            ("long-march-3b-e", 4),
            ("saturn-v", 3),
            ("soyuz-2.1a", 3),
            ("soyuz-2.1b", 3),
            ("soyuz-2.1v", 2),
            ("zenit-2", 2),
            ("angara-a5-briz-m", 4),
            ("angara-a5-dm03", 4),
            ("soyuz-2.1a-fregat", 4),
            ("soyuz-2.1b-fregat", 4),
            ("electron-curie", 3),
            ("ariane-5-eca", 3),
            ("ariane-62", 3),
            ("ariane-64", 3),
            ("vega-c", 4),
            ("h-iia-202", 3),
            ("pslv-xl", 6),
        ];
        for (id, stages) in expected_stages {
            let (v, warnings) = resolve_vehicle(id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert!(warnings.is_empty(), "{id}: {warnings:?}");
            assert_eq!(v.stages.len(), stages, "{id}");
            // The Saturn V has no fairing: its launch escape tower is a `[[jettison]]` item.
            assert!(v.fairing.is_some() || !v.jettison.is_empty(), "{id}");
            assert_eq!(v.stages[0].ignition, Ignition::Liftoff, "{id}");
            assert_eq!(v.stages.last().map(|s| s.kind), Some(StageKind::Upper), "{id}");
            let tw = v.liftoff_thrust_to_weight(0.0);
            assert!(tw > 1.0, "{id}: liftoff thrust-to-weight {tw}");
        }
    }

    #[test]
    fn angara_a5_core_throttles_until_booster_separation() {
        let (v, _) = resolve_vehicle("angara-a5").unwrap();
        let boosters = v.stage_index("URM-1 boosters").expect("boosters");
        let core = &v.stages[v.stage_index("URM-1 core").expect("core")];
        // Full thrust off the pad, then 30 % until the boosters go.
        assert_eq!(core.throttle.len(), 2);
        assert_eq!(core.throttle[0].level, 1.0);
        assert!(matches!(core.throttle[0].until, crate::vehicle::ThrottleUntil::Time(t) if t > 0.0));
        assert_eq!(core.throttle[1].level, 0.30);
        assert_eq!(core.throttle[1].until, crate::vehicle::ThrottleUntil::Separation(boosters));
        assert_eq!(v.stages[boosters].units, 4);
    }

    /// The upper-stage configurations fly their base vehicle's stages, fairing and jettisoned
    /// items unchanged, with one restartable upper stage on top.
    #[test]
    fn upper_stage_vehicles_are_their_base_plus_a_restartable_stage() {
        for (id, base, upper, burns) in [
            ("angara-a5-briz-m", "angara-a5", "Briz-M", 8),
            ("angara-a5-dm03", "angara-a5", "DM-03", 7),
            ("soyuz-2.1a-fregat", "soyuz-2.1a", "Fregat-M", 20),
            ("soyuz-2.1b-fregat", "soyuz-2.1b", "Fregat-MT", 20),
        ] {
            let (v, _) = resolve_vehicle(id).unwrap();
            let (b, _) = resolve_vehicle(base).unwrap();
            assert_eq!(v.family, b.family, "{id}");
            assert_eq!(&v.stages[..b.stages.len()], &b.stages[..], "{id}: the base stages");
            assert_eq!(v.jettison, b.jettison, "{id}");
            assert_eq!(v.stages.len(), b.stages.len() + 1, "{id}");
            let top = v.stages.last().unwrap();
            assert_eq!((top.name.as_str(), top.ignition, top.max_burns()), (upper, Ignition::Sequential, burns), "{id}");
            // No restart figure was found for any of them: the format's defaults.
            let r = top.restart.expect("restartable");
            assert_eq!((r.min_coast_s, r.restart_propellant_kg, r.coast_propellant_kg_per_h), (0.0, 0.0, 0.0), "{id}");
        }
        // Briz-M's additional propellant tank sits inside the stage's masses.
        let (briz, _) = resolve_vehicle("angara-a5-briz-m").unwrap();
        let s = briz.stages.last().unwrap();
        let t = s.drop_tank.as_ref().expect("the APT");
        assert_eq!((t.dry_mass_kg, t.propellant_mass_kg), (770.0, 14650.0));
        assert!(t.dry_mass_kg < s.dry_mass_kg && t.propellant_mass_kg < s.propellant_mass_kg);
        assert!(resolve_vehicle("angara-a5-dm03").unwrap().0.stages[3].drop_tank.is_none());
    }
}
