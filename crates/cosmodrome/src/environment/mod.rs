//! The Earth and its air: WGS-84 ellipsoid and geodetic coordinates, zonal gravity, frames,
//! US Standard Atmosphere 1976, orbital elements.

pub mod atmosphere;
pub mod earth;
pub mod elements;
pub mod frames;
pub mod gravity;
