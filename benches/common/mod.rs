//! What the table-printing benches share.

/// CPU time of the whole process (all threads), s, on Linux; `None` elsewhere. With other work on
/// the machine the wall clock alone says little: per CPU-second is the per-core figure whatever
/// the wall clock says.
#[cfg(target_os = "linux")]
pub fn process_cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split(' ').collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// CPU time of the whole process: not read off Linux.
#[cfg(not(target_os = "linux"))]
pub fn process_cpu_s() -> Option<f64> {
    None
}
