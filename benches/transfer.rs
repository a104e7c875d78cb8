//! Speed goals for orbit transfers, one core: the GTO and GSO payload optimizations of an
//! Angara-A5/Briz-M-like vehicle from Vostochny (goal ≤ 300 ms each): the targeted ascent to the
//! parking orbit, the transfer burns targeted by Newton and the propellant held back iterated,
//! every evaluation a whole mission through the one flight loop.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::hint::black_box;

use cosmodrome::flight::FlightOptions;
use cosmodrome::guidance::Branch;
use cosmodrome::optimize::targeting::TargetOrbit;
use cosmodrome::optimize::transfer::{maximize_transfer_payload, TransferTarget};
use cosmodrome::vehicle::{catalog_vehicle, SiteCatalog, Vehicle};
use criterion::{criterion_group, criterion_main, Criterion};

/// Briz-M from the project's reference data (`data/reference/upper-stages.toml`); restart and
/// coast consumables are test values (the sources give none).
const BRIZ_M: &str = r#"
[[engine]]
id = "S5.98M"
propellant = "N2O4/UDMH"
thrust_vac_kn = 19.61
isp_vac_s = 328.0

[[stage]]
name = "Briz-M"
kind = "upper"
engine = "S5.98M"
dry_mass_kg = 2370.0
propellant_mass_kg = 19800.0
diameter_m = 4.1
ignition = "sequential"
max_burns = 8
min_coast_s = 60.0
restart_propellant_kg = 10.0
coast_propellant_kg_per_h = 5.0

[stage.drop_tank]
name = "Briz-M APT"
dry_mass_kg = 770.0
propellant_mass_kg = 14650.0
"#;

fn transfer(c: &mut Criterion) {
    let text = format!("{}\n{BRIZ_M}", catalog_vehicle("angara-a5").expect("catalog"));
    let vehicle = Vehicle::from_toml(&text, "angara-a5-briz-m.toml").expect("valid").0;
    let sites = SiteCatalog::builtin().expect("sites");
    let site = sites.get("vostochny").expect("site");
    let parking = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9 };
    let gto = TransferTarget::GtoShortOfGso { delta_v_m_s: 1800.0 };
    let mut group = c.benchmark_group("transfer");
    group.sample_size(10);
    for (name, target) in [("GTO-1800", gto), ("GSO", TransferTarget::Gso)] {
        let probe = maximize_transfer_payload(&vehicle, site, &parking, &target, Branch::Northbound, FlightOptions::default(), |_| {})
            .expect("transfer");
        eprintln!(
            "angara-a5/briz-m {name} from vostochny: {:.0} kg, {} burns, {} flights, {} iterations",
            probe.payload_kg,
            probe.burn_reports.len(),
            probe.flights,
            probe.iterations
        );
        group.bench_function(format!("payload angara-a5/briz-m vostochny {name}"), |b| {
            b.iter(|| {
                black_box(maximize_transfer_payload(
                    &vehicle,
                    site,
                    black_box(&parking),
                    &target,
                    Branch::Northbound,
                    FlightOptions::default(),
                    |_| {},
                ))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, transfer);
criterion_main!(benches);
