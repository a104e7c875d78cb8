//! The vehicles a validation table's cases name, for `cosmodrome validate --table` and Python's
//! `validate(table=...)`: catalog ids, or vehicle files with paths relative to the table's
//! directory, so that a table and its files can be moved together.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use cosmodrome::vehicle::{catalog_ids, resolve_vehicle, unknown_vehicle, Vehicle};

/// Resolves a table's vehicle names (the core's `VehicleResolver`). Each file's warnings go to
/// `warn` once, however many cases fly it.
pub struct TableVehicles<W: Fn(String) + Sync> {
    /// The table's directory; `None` for the built-in tables, which name catalog ids only.
    directory: Option<PathBuf>,
    warned: Mutex<HashSet<PathBuf>>,
    warn: W,
}

impl<W: Fn(String) + Sync> TableVehicles<W> {
    /// The vehicles of the table at `table` (`None`: the built-in tables).
    pub fn new(table: Option<&Path>, warn: W) -> Self {
        let directory = table.map(|t| t.parent().map(Path::to_path_buf).unwrap_or_default());
        TableVehicles { directory, warned: Mutex::new(HashSet::new()), warn }
    }

    /// The vehicle a case names: a catalog id, else a file under the table's directory.
    pub fn vehicle(&self, id: &str) -> Result<Vehicle, cosmodrome::Error> {
        if catalog_ids().contains(&id) {
            return resolve_vehicle(id).map(|(vehicle, _)| vehicle);
        }
        let Some(directory) = &self.directory else { return Err(unknown_vehicle(id)) };
        let path = directory.join(id);
        if !path.is_file() {
            let looks_like_path = id.contains(['/', std::path::MAIN_SEPARATOR]) || id.to_ascii_lowercase().ends_with(".toml");
            return Err(if looks_like_path {
                cosmodrome::Error::invalid(
                    "vehicle",
                    format!("no vehicle file {} (a case's path is relative to the table's directory)", path.display()),
                )
            } else {
                unknown_vehicle(id)
            });
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| cosmodrome::Error::invalid("vehicle", format!("cannot read vehicle file {}: {e}", path.display())))?;
        let (vehicle, warnings) = Vehicle::from_toml(&text, &path.display().to_string())?;
        if self.warned.lock().is_ok_and(|mut w| w.insert(path.clone())) {
            for w in warnings {
                (self.warn)(w.to_string());
            }
        }
        Ok(vehicle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A catalog id resolves anywhere; a file resolves under the table's directory, its
    /// warnings told once; a missing file is named with its path, an unknown id as one.
    #[test]
    fn cases_name_catalog_ids_or_files_beside_the_table() {
        let dir = tempfile::tempdir().unwrap();
        let text = cosmodrome::vehicle::catalog_vehicle("soyuz-2.1b").unwrap();
        std::fs::write(dir.path().join("mine.toml"), text).unwrap();
        let told = Mutex::new(Vec::new());
        let vehicles = TableVehicles::new(Some(&dir.path().join("table.toml")), |w| told.lock().unwrap().push(w));
        assert_eq!(vehicles.vehicle("soyuz-2.1b").unwrap().name, "Soyuz-2.1b");
        assert_eq!(vehicles.vehicle("mine.toml").unwrap().name, "Soyuz-2.1b");
        let told_once = told.lock().unwrap().len();
        vehicles.vehicle("mine.toml").unwrap();
        assert_eq!(told.lock().unwrap().len(), told_once, "a file's warnings are told once");
        assert!(vehicles.vehicle("missing.toml").unwrap_err().to_string().contains("relative to the table's directory"));
        assert!(matches!(vehicles.vehicle("soyuz-9"), Err(cosmodrome::Error::UnknownVehicle { .. })));
        let builtin = TableVehicles::new(None, |_| {});
        assert!(matches!(builtin.vehicle("mine.toml"), Err(cosmodrome::Error::UnknownVehicle { .. })));
    }
}
