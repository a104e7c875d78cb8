//! DTO → validated vehicle. PLACEHOLDER.
use super::{Vehicle, Warning};
use crate::error::FileError;

pub(crate) fn vehicle_from_toml(_text: &str, file: &str) -> Result<(Vehicle, Vec<Warning>), FileError> {
    Err(FileError::new(file, None, "", "not implemented"))
}
