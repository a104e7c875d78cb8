//! Propellant chemistry: equilibrium combustion and nozzle flow, the problem NASA's CEA
//! solves for rocket engines.
//!
//! - [`thermo`]: NASA Glenn 9-coefficient thermodynamic data, read from `thermo.inp`;
//! - [`propellant`]: propellant compositions and enthalpies at storage temperature;
//! - [`equilibrium`]: Gibbs energy minimization at fixed (T, p), (h, p) or (s, p);
//! - [`rocket`]: chamber, throat and exit of the ideal rocket, c*, C_F and Isp.
//!
//! Checked against CEA itself on a grid of propellant pairs, mixture ratios, chamber
//! pressures and area ratios (`tests/chemistry.rs`, `docs/propulsion.md`).

pub mod equilibrium;
pub mod propellant;
pub mod rocket;
pub mod thermo;

pub use propellant::{builtin_propellants, check_roles, find_propellant, parse_propellants, Propellant};
pub use rocket::{solve_rocket, Flow, NozzleExit, RocketPerformance, RocketProblem, RocketSolver, Station};
pub use thermo::{builtin_species, parse_thermo_inp, Species};
