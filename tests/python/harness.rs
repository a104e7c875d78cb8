//! Running the independent readers of `tests/python/` from Rust tests: shared by the integration
//! tests (`tests/interop.rs`) and the command-line tests (`crates/cosmodrome-cli/tests/cli/interop.rs`),
//! which include this file, so both skip and require alike.
//!
//! `COSMODROME_PYTHON` names the interpreter (default `python3`). Without the module a test needs,
//! it passes after writing why it skipped straight to the terminal (stderr, not libtest's captured
//! output, so `cargo test` shows it), unless `COSMODROME_REQUIRE_PYTHON=1` (as in CI): then it fails.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

/// The interpreter, if it can import `module` (installed by `pip install {package}`); panics when
/// it is required and missing. `test` names the skipped test in the line written to the terminal.
pub fn python_with(module: &str, package: &str, test: &str) -> Option<String> {
    let python = std::env::var("COSMODROME_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let ok = Command::new(&python).args(["-c", &format!("import {module}")]).output().is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    let why = format!(
        "{python} cannot import the Python module `{module}`: pip install {package} (or set COSMODROME_PYTHON to an interpreter that has it)"
    );
    if std::env::var("COSMODROME_REQUIRE_PYTHON").is_ok_and(|v| v == "1") {
        panic!("{why}; COSMODROME_REQUIRE_PYTHON=1 forbids skipping");
    }
    // Straight to stderr: libtest captures `eprintln!` of a passing test and would hide the skip.
    let _ = writeln!(std::io::stderr(), "skipped {test}: {why}");
    None
}

/// Path of a script of `tests/python/`, found above the package that runs the test.
pub fn script(name: &str) -> PathBuf {
    let package = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    package
        .ancestors()
        .map(|dir| dir.join("tests/python").join(name))
        .find(|path| path.is_file())
        .unwrap_or_else(|| panic!("tests/python/{name} not found above {}", package.display()))
}

/// Run a reader's check; its report goes to the test's output, its failure fails the test.
pub fn run_check(python: &str, args: &[&str]) {
    let o = Command::new(python).args(args).output().expect("run python");
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{args:?} failed:\n{stdout}\n{stderr}");
    println!("{stdout}");
}
