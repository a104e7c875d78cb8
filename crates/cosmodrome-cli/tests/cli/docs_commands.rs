//! Every `cosmodrome …` command of the `sh` blocks of README.md and docs/*.md runs with the binary
//! and reaches what its comment or paragraph says: exit 0, no `inf`/`NaN` in its output, `fly`
//! and `payload` end in the orbit asked for, `dropzones` and `--out` write their files, `vehicles`
//! lists the catalog the comment names. `cargo run -p cosmodrome-cli -- …` lines are run as the
//! binary command they stand for; `cargo run --example` is built and run by CI on its own; a
//! synopsis with placeholders (`VEHICLE`, `ID|FILE`, `[--site …]`) is not a command to run.
//! Each command runs in a scratch directory of its own, so `--out run/` lands there, with
//! `my-rocket.toml` the example vehicle of docs/vehicle-file.md and `my-pad.toml` README's
//! example site file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// One command of the docs: where it is, its arguments after `cosmodrome`, and the comment that
/// says what it does (the comment lines just above it, its trailing comment and their
/// continuation lines).
#[derive(Debug)]
struct DocCommand {
    source: String,
    args: Vec<String>,
    comment: String,
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// README.md and every docs/*.md, by name.
fn doc_files() -> Vec<PathBuf> {
    let root = repository();
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|e| e.expect("docs entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    std::iter::once(root.join("README.md")).chain(docs).collect()
}

/// A placeholder of a synopsis rather than a value: an upper-case word (`VEHICLE`, `ID|FILE`,
/// `DIR`) or an optional/choice part (`[--site vostochny]`, `<file>`).
fn is_placeholder(word: &str) -> bool {
    word.contains(['[', ']', '<', '>'])
        || (word.len() >= 2
            && word.chars().all(|c| c.is_ascii_uppercase() || c == '|' || c == '_')
            && word.chars().any(|c| c.is_ascii_uppercase()))
}

/// The arguments after `cosmodrome` of one shell command, or None when the line is not a
/// cosmodrome invocation to run here (another tool, `cargo run --example`, a synopsis).
fn cosmodrome_args(words: &[&str]) -> Option<Vec<String>> {
    let args: &[&str] = match words {
        ["cosmodrome", rest @ ..] => rest,
        ["cargo", "run", rest @ ..] => {
            if rest.contains(&"--example") {
                return None; // CI builds and runs the examples on their own
            }
            let split = rest.iter().position(|w| *w == "--")?;
            let package = rest.iter().position(|w| *w == "-p" || *w == "--package").map(|k| rest[k + 1]);
            assert_eq!(package, Some("cosmodrome-cli"), "`cargo run` of another package: {words:?}");
            &rest[split + 1..]
        }
        _ => return None,
    };
    if args.iter().any(|w| is_placeholder(w)) {
        return None;
    }
    Some(args.iter().map(|w| (*w).to_owned()).collect())
}

/// The commands of the ```sh blocks of one Markdown text: `\` continuations joined, comments kept
/// apart.
fn commands_of(name: &str, text: &str) -> Vec<DocCommand> {
    let mut commands = Vec::new();
    let (mut in_sh, mut pending, mut comment_above) = (false, String::new(), String::new());
    let (mut last_was_command, mut first_line) = (false, 0);
    for (k, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_sh = !in_sh && line.trim() == "```sh";
            comment_above.clear();
            last_was_command = false;
            continue;
        }
        if !in_sh {
            continue;
        }
        let (code, comment) = match line.find('#') {
            Some(i) if i == 0 || line[..i].ends_with(' ') => (&line[..i], line[i + 1..].trim()),
            _ => (line, ""),
        };
        let code = code.trim_end();
        if code.trim().is_empty() && pending.is_empty() {
            if comment.is_empty() {
                comment_above.clear();
                last_was_command = false;
            } else if last_was_command && line.starts_with(char::is_whitespace) {
                // An indented comment line goes on with the comment of the command above.
                let last: &mut DocCommand = commands.last_mut().expect("a command above");
                last.comment = format!("{} {comment}", last.comment);
            } else {
                comment_above = format!("{comment_above} {comment}");
                last_was_command = false;
            }
            continue;
        }
        if pending.is_empty() {
            first_line = k + 1;
        }
        if let Some(head) = code.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        let full = std::mem::take(&mut pending) + code;
        let words: Vec<&str> = full.split_whitespace().collect();
        last_was_command = false;
        if let Some(args) = cosmodrome_args(&words) {
            let comment = format!("{} {comment}", std::mem::take(&mut comment_above)).trim().to_owned();
            commands.push(DocCommand { source: format!("{name}:{first_line}"), args, comment });
            last_was_command = true;
        }
        comment_above.clear();
    }
    commands
}

/// The example vehicle of docs/vehicle-file.md: the page's one whole file, the TOML block that
/// opens with `format`.
fn example_vehicle() -> String {
    let docs = std::fs::read_to_string(repository().join("docs/vehicle-file.md")).expect("docs/vehicle-file.md");
    docs.split("```toml")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .find(|b| b.trim_start().starts_with("format = 1"))
        .expect("the example vehicle")
        .to_owned()
}

/// The example site file of README.md: its TOML block that opens with `format` and holds a
/// `[[site]]`.
fn example_site() -> String {
    let readme = std::fs::read_to_string(repository().join("README.md")).expect("README.md");
    readme
        .split("```toml")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .find(|b| b.trim_start().starts_with("format = 1") && b.contains("[[site]]"))
        .expect("the example site file")
        .to_owned()
}

/// No `inf` or `NaN` as a number: a word boundary on both sides (`information` is fine).
fn non_finite_word(text: &str) -> Option<&str> {
    text.split(|c: char| !c.is_alphanumeric()).find(|w| matches!(*w, "inf" | "Infinity" | "NaN" | "nan"))
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|w| w == name).map(|k| args[k + 1].as_str())
}

fn flag_f64(args: &[String], name: &str) -> Option<f64> {
    flag(args, name).map(|v| v.parse().unwrap_or_else(|_| panic!("{name} {v}: not a number")))
}

fn numbers(text: &str) -> Vec<f64> {
    text.split([' ', ',', '°', '(', ')']).filter_map(|w| w.parse::<f64>().ok()).collect()
}

/// The orbit asked for: perigee 200 km unless given, apogee the perigee unless given, the
/// inclination of `--inclination-deg` or of the comment (`Vostochny, 200 km, 51.9°`).
fn check_orbit(cmd: &DocCommand, perigee_km: f64, apogee_km: f64, inclination_deg: f64) -> Result<(), String> {
    let want_perigee = flag_f64(&cmd.args, "--perigee-km").unwrap_or(200.0);
    let want_apogee = flag_f64(&cmd.args, "--apogee-km").unwrap_or(want_perigee);
    let want_inclination = flag_f64(&cmd.args, "--inclination-deg")
        .or_else(|| cmd.comment.split_whitespace().find_map(|w| w.trim_end_matches([',', ')']).strip_suffix('°')?.parse().ok()));
    let ok = (perigee_km - want_perigee).abs() <= 1.0
        && (apogee_km - want_apogee).abs() <= 1.0
        && want_inclination.is_none_or(|i| (inclination_deg - i).abs() <= 0.05);
    ok.then_some(()).ok_or(format!(
        "orbit {perigee_km:.2} × {apogee_km:.2} km at {inclination_deg:.3}°, asked {want_perigee} × {want_apogee} km at {want_inclination:?}°"
    ))
}

/// The files `--out` promises: run.json lists a set whose every file is there, with what the
/// command adds (payload.json, the drop-zone files, parquet).
fn check_out(cmd: &DocCommand, dir: &Path) -> Result<(), String> {
    let Some(out) = flag(&cmd.args, "--out") else { return Ok(()) };
    let out = dir.join(out.trim_start_matches('/'));
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).map_err(|e| format!("run.json: {e}"))?)
            .map_err(|e| format!("run.json: {e}"))?;
    let listed: Vec<&str> = run["files"].as_array().ok_or("run.json lists no files")?.iter().filter_map(|f| f["name"].as_str()).collect();
    let mut wanted = vec!["trajectory.csv", "events.json", "trajectory.oem", "iip.geojson", "iip.kml", "report.html"];
    if !cmd.args.iter().any(|w| w == "--no-plots") {
        wanted.extend(["profile.png", "profile.svg", "ground_track.png", "ground_track.svg"]);
    }
    match cmd.args[0].as_str() {
        "payload" => wanted.push("payload.json"),
        "fly" if flag(&cmd.args, "--orbit").is_some() && !cmd.args.iter().any(|w| w == "--no-plots") => {
            wanted.extend(["timeline.png", "timeline.svg"])
        }
        "dropzones" => wanted.extend(["impacts.csv", "dropzones.geojson", "dropzones.kml"]),
        _ => {}
    }
    if flag(&cmd.args, "--format") == Some("parquet") {
        wanted.push("trajectory.parquet");
    }
    for name in wanted.iter().chain(&listed) {
        if !out.join(name).is_file() || !listed.contains(name) {
            return Err(format!("{name} not written and listed in run.json ({listed:?})"));
        }
    }
    Ok(())
}

/// What the command's comment or paragraph says it reaches, per subcommand.
fn check_reaches(cmd: &DocCommand, text: &str, dir: &Path, readme: &str) -> Result<(), String> {
    let args = &cmd.args;
    match args[0].as_str() {
        "vehicles" => {
            // The comment names the whole catalog; the listing has exactly those ids.
            let named: Vec<&str> = cmd
                .comment
                .split("catalog:")
                .nth(1)
                .ok_or("the comment names no catalog")?
                .split([',', ' '])
                .filter(|w| !w.is_empty())
                .collect();
            let listed: Vec<&str> = text
                .lines()
                .skip(2)
                .filter_map(|l| l.split_whitespace().next())
                .filter(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
                .collect(); // the rows, not the footnotes
            (named == listed).then_some(()).ok_or(format!("the comment names {named:?}, the catalog is {listed:?}"))
        }
        "sites" => ["families", "lat °N", "lon °E", "corridors"]
            .iter()
            .all(|h| text.lines().next().unwrap_or("").contains(h))
            .then_some(())
            .ok_or("no families, coordinates or corridors".into()),
        "info" => ["ideal Δv", "T/W at ign", "total ideal Δv"].iter().all(|h| text.contains(h)).then_some(()).ok_or("no T/W or Δv".into()),
        "fly" => {
            let ending = text.lines().find_map(|l| l.strip_prefix("outcome: ")).ok_or("no outcome")?;
            if args.iter().any(|w| w == "--open-loop") {
                // The README says where its open-loop example ends: "reaches one of some P × A km".
                let said =
                    readme.split("reaches one of some ").nth(1).map(|s| numbers(&s.split("km").next().unwrap_or("").replace(',', "")));
                let n = numbers(ending);
                return match said {
                    Some(said) if said.len() >= 2 && ending.starts_with("orbit:") && n.len() >= 2 => {
                        let close = |a: f64, b: f64| (a - b).abs() <= 0.1 * b;
                        (close(n[0], said[0]) && close(n[1], said[1]))
                            .then_some(())
                            .ok_or(format!("the README says some {} × {} km, flown {ending}", said[0], said[1]))
                    }
                    _ => Err(format!("the README says the open-loop example reaches an orbit, flown {ending}")),
                };
            }
            let n = numbers(ending);
            if let Some(name) = flag(args, "--orbit") {
                // A named orbit: the whole mission ends in it (GSO: 35,786 km circular within
                // 50 km, equatorial within 0.1°), with its timeline in events.json.
                let reached = match name {
                    "gso" => {
                        ending.starts_with("orbit:") && n.len() >= 3 && n[..2].iter().all(|km| (km - 35_786.0).abs() < 50.0) && n[2] < 0.1
                    }
                    "escape" => ending.starts_with("escape"),
                    _ => ending.starts_with("orbit:"),
                };
                reached.then_some(()).ok_or(format!("not in the {name} orbit: {ending}"))?;
                if let Some(out) = flag(args, "--out") {
                    let events = std::fs::read_to_string(dir.join(out).join("events.json")).map_err(|e| e.to_string())?;
                    let events: serde_json::Value = serde_json::from_str(&events).map_err(|e| e.to_string())?;
                    events["timeline"]["burns"].as_array().filter(|b| !b.is_empty()).ok_or("events.json: no timeline")?;
                }
                return Ok(());
            }
            if !ending.starts_with("orbit:") || n.len() < 3 {
                return Err(format!("no orbit: {ending}"));
            }
            check_orbit(cmd, n[0], n[1], n[2])?;
            if flag(args, "--out").is_some() {
                let events =
                    std::fs::read_to_string(dir.join(flag(args, "--out").unwrap()).join("events.json")).map_err(|e| e.to_string())?;
                let events: serde_json::Value = serde_json::from_str(&events).map_err(|e| e.to_string())?;
                (events["outcome"] == "orbit").then_some(()).ok_or("events.json: no orbit")?;
            }
            Ok(())
        }
        "payload" if flag(args, "--orbit").is_some() => {
            // A named orbit: a direct ascent's payload report, or the transfer report with its
            // burns (the orbit reached is checked by the transfer's own tests).
            let payload_kg = if args.iter().any(|w| w == "--json") {
                let answer: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("--json: {e}"))?;
                if answer["format"] == "cosmodrome-transfer/1" {
                    answer["burns"].as_array().filter(|b| !b.is_empty()).ok_or(format!("no burns: {answer}"))?;
                }
                answer["payload_kg"].as_f64().ok_or(format!("--json lacks the payload: {answer}"))?
            } else {
                text.lines().find_map(|l| l.strip_prefix("maximum payload: ")).map(numbers).ok_or("no `maximum payload: `")?[0]
            };
            (payload_kg > 0.0).then_some(()).ok_or(format!("payload {payload_kg} kg"))
        }
        "payload" => {
            let (payload_kg, perigee, apogee, inclination) = if args.iter().any(|w| w == "--json") {
                let answer: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("--json: {e}"))?;
                let o = &answer["orbit"];
                let get = |v: &serde_json::Value| v.as_f64().ok_or(format!("--json lacks a figure: {answer}"));
                (get(&answer["payload_kg"])?, get(&o["perigee_km"])?, get(&o["apogee_km"])?, get(&o["inclination_deg"])?)
            } else {
                let line = |p: &str| text.lines().find_map(|l| l.strip_prefix(p)).map(numbers).ok_or(format!("no `{p}`"));
                let (payload, orbit) = (line("maximum payload: ")?, line("achieved orbit: perigee ")?);
                (payload[0], orbit[0], orbit[1], orbit[2])
            };
            (payload_kg > 0.0).then_some(()).ok_or(format!("payload {payload_kg} kg"))?;
            check_orbit(cmd, perigee, apogee, inclination)?;
            if args.iter().any(|w| w == "--trade-factors") && !args.iter().any(|w| w == "--json") {
                // "the report, then the table": the trade-factor table follows it.
                text.contains("payload trade factors").then_some(()).ok_or("no trade-factor table")?;
            }
            if flag(args, "--drop-zones").is_some() {
                // "the ascent shaped to the designated zones": every stage falls inside its zone.
                let table: Vec<&str> =
                    text.lines().skip_while(|l| !l.starts_with("designated zone ")).skip(2).take_while(|l| !l.is_empty()).collect();
                (!table.is_empty() && table.iter().all(|l| l.trim_end().ends_with("yes")))
                    .then_some(())
                    .ok_or(format!("not every nominal impact inside its zone: {table:?}"))?;
            }
            Ok(())
        }
        "dropzones" => {
            let samples = flag(args, "--samples").unwrap_or("1000");
            text.contains(&format!("{samples} samples each")).then_some(()).ok_or(format!("not {samples} samples each"))?;
            if let Some(out) = flag(args, "--out") {
                let csv = std::fs::read_to_string(dir.join(out).join("impacts.csv")).map_err(|e| e.to_string())?;
                let per_body: usize = samples.parse().map_err(|_| "--samples")?;
                let rows = csv.lines().count() - 1;
                (rows > 0 && rows % per_body == 0).then_some(()).ok_or(format!("{rows} impacts for {per_body} samples per body"))?;
            }
            Ok(())
        }
        "validate" if args.iter().any(|w| w == "--json") => {
            let v: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("--json: {e}"))?;
            let cases = v["cases"].as_array().ok_or("no cases")?;
            (!cases.is_empty() && cases.iter().all(|c| c["predicted_kg"].is_number() || !c["failure"].is_null()))
                .then_some(())
                .ok_or("a case with neither a prediction nor a failure".into())
        }
        "validate" => ["published kg", "predicted kg", "error %"]
            .iter()
            .all(|h| text.contains(h))
            .then_some(())
            .ok_or("no predicted vs published table".into()),
        other => Err(format!("no check for `{other}`: say here what its documented command reaches")),
    }
}

/// Runs one command in its scratch directory and says what falls short.
fn run_and_check(i: usize, cmd: &DocCommand, vehicle: &str, readme: &str) -> Result<(), String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("docs-commands/{i:02}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("my-rocket.toml"), vehicle).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("my-pad.toml"), example_site()).map_err(|e| e.to_string())?;
    let o: Output = Command::new(crate::BINARY).args(&cmd.args).current_dir(&dir).output().map_err(|e| e.to_string())?;
    let text = crate::stdout(&o);
    if !o.status.success() {
        return Err(format!("exit {:?}: {}", o.status.code(), crate::stderr(&o)));
    }
    if let Some(word) = non_finite_word(&text) {
        return Err(format!("`{word}` in the output:\n{text}"));
    }
    check_reaches(cmd, &text, &dir, readme)?;
    check_out(cmd, &dir)
}

#[test]
fn synopses_and_other_tools_are_not_run() {
    let text = "```sh\ncosmodrome dropzones VEHICLE [--site vostochny]\ncosmodrome fly ID|FILE\ncargo run --release --example delta3\ncargo test --workspace\n\
                # what it does\ncargo run --release -p cosmodrome-cli -- payload angara-a5 --out run/ # more\ncosmodrome fly x \\\n    --open-loop\n```\n";
    let commands = commands_of("t.md", text);
    let args: Vec<&Vec<String>> = commands.iter().map(|c| &c.args).collect();
    assert_eq!(args, [&vec!["payload", "angara-a5", "--out", "run/"], &vec!["fly", "x", "--open-loop"]]);
    assert_eq!(commands[0].comment, "what it does more");
    assert_eq!(commands[1].source, "t.md:8");
}

/// Every documented command runs and reaches what it says; the commands run in parallel (a
/// debug build, the core optimized).
#[test]
fn every_command_of_readme_and_docs_runs_and_reaches_what_it_says() {
    let readme = std::fs::read_to_string(repository().join("README.md")).expect("README.md");
    let commands: Vec<DocCommand> = doc_files()
        .iter()
        .flat_map(|p| commands_of(&p.file_name().unwrap().to_string_lossy(), &std::fs::read_to_string(p).expect("doc")))
        .collect();
    for sub in ["vehicles", "sites", "info", "fly", "payload", "dropzones", "validate"] {
        assert!(commands.iter().any(|c| c.args[0] == sub), "no documented `{sub}` found: {commands:?}");
    }
    let vehicle = example_vehicle();
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(commands.len());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                while let Some(cmd) = commands.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let i = commands.iter().position(|c| std::ptr::eq(c, cmd)).unwrap();
                    if let Err(why) = run_and_check(i, cmd, &vehicle, &readme) {
                        failures.lock().unwrap().push(format!("{}: cosmodrome {}: {why}", cmd.source, cmd.args.join(" ")));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{} of {} documented commands fall short:\n{}", failures.len(), commands.len(), failures.join("\n"));
}
