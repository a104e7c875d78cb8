//! Speed goals for orbit transfers, one core: the GTO and GSO payload optimizations of an
//! catalog Angara-A5/Briz-M from Vostochny (goal ≤ 300 ms each): the targeted ascent to the
//! parking orbit, the transfer burns targeted by Newton and the propellant held back iterated,
//! every evaluation a whole mission through the one flight loop.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::hint::black_box;

use cosmodrome::flight::FlightOptions;
use cosmodrome::guidance::Branch;
use cosmodrome::optimize::targeting::TargetOrbit;
use cosmodrome::optimize::transfer::{maximize_transfer_payload, Transfer, TransferTarget};
use cosmodrome::vehicle::{resolve_vehicle, SiteCatalog};
use criterion::{criterion_group, criterion_main, Criterion};

fn transfer(c: &mut Criterion) {
    let vehicle = resolve_vehicle("angara-a5-briz-m").expect("catalog").0;
    let sites = SiteCatalog::builtin().expect("sites");
    let site = sites.get("vostochny").expect("site");
    let parking = TargetOrbit { perigee_m: 200e3, apogee_m: 200e3, inclination_deg: 51.9, argument_of_perigee_deg: None };
    let gto = TransferTarget::GtoShortOfGso { delta_v_m_s: 1800.0, raise_perigee: true };
    let mut group = c.benchmark_group("transfer");
    group.sample_size(10);
    for (name, target) in [("GTO-1800", gto), ("GSO", TransferTarget::Gso)] {
        let transfer = Transfer { vehicle: &vehicle, site, parking, target, branch: Branch::Northbound, options: FlightOptions::default() };
        let probe = maximize_transfer_payload(&transfer, &mut |_| {}).expect("transfer");
        eprintln!(
            "angara-a5/briz-m {name} from vostochny: {:.0} kg, {} burns, {} flights, {} iterations",
            probe.payload_kg,
            probe.burn_reports.len(),
            probe.flights,
            probe.iterations
        );
        group.bench_function(format!("payload angara-a5/briz-m vostochny {name}"), |b| {
            b.iter(|| black_box(maximize_transfer_payload(black_box(&transfer), &mut |_| {})))
        });
    }
    group.finish();
}

criterion_group!(benches, transfer);
criterion_main!(benches);
