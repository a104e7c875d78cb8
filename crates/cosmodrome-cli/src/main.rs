//! The `cosmodrome` command-line tool.
fn main() {}
