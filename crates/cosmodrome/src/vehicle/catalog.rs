//! The built-in vehicle catalog: the vehicle files of `data/vehicles/`, compiled into the crate.
//!
//! Catalog vehicles carry their own stages only (no Briz-M, Fregat or other upper stage).

use super::{Vehicle, Warning};
use crate::error::Error;

/// Catalog ids and file texts, sorted by id.
const CATALOG: [(&str, &str); 10] = [
    ("angara-1.2", include_str!("../../../../data/vehicles/angara-1.2.toml")),
    ("angara-a5", include_str!("../../../../data/vehicles/angara-a5.toml")),
    ("electron", include_str!("../../../../data/vehicles/electron.toml")),
    ("falcon-9-block-5", include_str!("../../../../data/vehicles/falcon-9-block-5.toml")),
    ("long-march-3b-e", include_str!("../../../../data/vehicles/long-march-3b-e.toml")),
    ("saturn-v", include_str!("../../../../data/vehicles/saturn-v.toml")),
    ("soyuz-2.1a", include_str!("../../../../data/vehicles/soyuz-2.1a.toml")),
    ("soyuz-2.1b", include_str!("../../../../data/vehicles/soyuz-2.1b.toml")),
    ("soyuz-2.1v", include_str!("../../../../data/vehicles/soyuz-2.1v.toml")),
    ("zenit-2", include_str!("../../../../data/vehicles/zenit-2.toml")),
];

/// Ids of the catalog vehicles, sorted.
pub fn catalog_ids() -> Vec<&'static str> {
    CATALOG.iter().map(|(id, _)| *id).collect()
}

/// Text of a catalog vehicle file, by exact id.
pub fn catalog_vehicle(id: &str) -> Option<&'static str> {
    CATALOG.iter().find(|(k, _)| *k == id).map(|(_, text)| *text)
}

/// Parse and validate a catalog vehicle; the file is reported as `<id>.toml` in errors and
/// warnings. An unknown id gives [`Error::UnknownVehicle`] listing the catalog ids.
pub fn resolve_vehicle(id: &str) -> Result<(Vehicle, Vec<Warning>), Error> {
    let text = catalog_vehicle(id).ok_or_else(|| Error::UnknownVehicle { id: id.to_owned(), valid: catalog_ids().join(", ") })?;
    Ok(Vehicle::from_toml(text, &format!("{id}.toml"))?)
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
                "electron",
                "falcon-9-block-5",
                "long-march-3b-e",
                "saturn-v",
                "soyuz-2.1a",
                "soyuz-2.1b",
                "soyuz-2.1v",
                "zenit-2"
            ]
        );
        assert!(ids.iter().all(|id| catalog_vehicle(id).is_some_and(|t| t.contains("format = 1"))));
        assert!(catalog_vehicle("angara-a5-briz-m").is_none());
    }

    #[test]
    fn unknown_vehicle_lists_the_catalog() {
        let e = resolve_vehicle("proton-m").unwrap_err();
        let Error::UnknownVehicle { id, valid } = &e else { panic!("{e:?}") };
        assert_eq!(id, "proton-m");
        assert_eq!(
            valid,
            "angara-1.2, angara-a5, electron, falcon-9-block-5, long-march-3b-e, saturn-v, soyuz-2.1a, soyuz-2.1b, soyuz-2.1v, zenit-2"
        );
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
        ];
        for (id, stages) in expected_stages {
            let (v, warnings) = resolve_vehicle(id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert!(warnings.is_empty(), "{id}: {warnings:?}");
            assert_eq!(v.stages.len(), stages, "{id}");
            assert!(v.fairing.is_some(), "{id}");
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
}
