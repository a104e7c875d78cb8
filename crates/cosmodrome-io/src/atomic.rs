//! Atomic output. A run's files are one set: [`Staging`] writes them into a hidden directory
//! beside the target (same parent, name holding the PID) and swaps it in, so that a failure or a
//! kill at any moment leaves the old complete set or the new complete set, never a mix. On Linux
//! the swap is one `renameat2(RENAME_EXCHANGE)`; elsewhere (or on a file system without it) the
//! old set is renamed aside, the new one renamed in, and a run killed between the two renames is
//! repaired by the next one ([`clean_stale`]), which puts the old set back.
//!
//! [`check_out_dir`] refuses, before any computation, a target the swap cannot or must not touch.
//! [`write_atomic`] replaces one file on its own (the examples use it).

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::IoError;

/// Name of the file that lists a run's set (see [`crate::run_outputs`]).
pub const RUN_JSON: &str = "run.json";

const STAGING_TAG: &str = "cosmodrome-staging";
const OLD_TAG: &str = "cosmodrome-old";

fn path_error(path: &Path, message: impl Into<String>) -> IoError {
    IoError::Path { path: path.to_owned(), message: message.into() }
}

fn write_error(path: &Path, error: io::Error) -> IoError {
    IoError::Write { path: path.to_owned(), error }
}

/// Whether the process `pid` still runs. Where that cannot be asked, it is taken as running, so
/// that nothing of a live run is ever removed.
pub fn pid_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else { return false };
        // ESRCH: no such process; EPERM: it exists but belongs to someone else.
        !matches!(rustix::process::test_kill_process(pid), Err(e) if e == rustix::io::Errno::SRCH)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

/// The PID in a leftover name `.{name}.{tag}-{pid}`, or in the single-file temporary
/// `.{name}.{pid}.tmp` of [`write_atomic`] when `tag` is `None`.
fn leftover_pid(entry: &str, name: &str, tag: Option<&str>) -> Option<u32> {
    let rest = entry.strip_prefix('.')?.strip_prefix(name)?.strip_prefix('.')?;
    let digits = match tag {
        Some(tag) => rest.strip_prefix(tag)?.strip_prefix('-')?,
        None => rest.strip_suffix(".tmp")?,
    };
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
}

/// Write `bytes` to `path` atomically: a temporary `.NAME.PID.tmp` beside it, flushed to disk,
/// renamed over the target. Temporaries of the same name left by killed processes are removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| write_error(path, io::Error::new(io::ErrorKind::InvalidInput, "not a file path")))?
        .to_string_lossy()
        .into_owned();
    if let Ok(entries) = fs::read_dir(parent) {
        for entry in entries.flatten() {
            let entry_name = entry.file_name().to_string_lossy().into_owned();
            if leftover_pid(&entry_name, &name, None).is_some_and(|pid| !pid_alive(pid)) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    let tmp: PathBuf = parent.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(error) = result {
        let _ = fs::remove_file(&tmp);
        return Err(write_error(path, error));
    }
    Ok(())
}

/// Create an output directory (and its parents) if missing.
pub fn create_dir(dir: &Path) -> Result<(), IoError> {
    fs::create_dir_all(dir).map_err(|error| write_error(dir, error))
}

/// Trees no run may be written into (Unix): kernel interfaces, the system's programs and
/// configuration, boot files, the system's variable data.
#[cfg(unix)]
const SYSTEM_DIRS: &[&str] =
    &["/proc", "/sys", "/dev", "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/var", "/run", "/snap"];
#[cfg(not(unix))]
const SYSTEM_DIRS: &[&str] = &[];

/// Below a system tree but meant for anyone's files.
const WRITABLE_EXCEPTIONS: &[&str] = &["/var/tmp"];

/// A checked `--out` directory: absolute, symbolic links resolved as far as it exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutDir {
    /// The directory.
    pub path: PathBuf,
    /// Whether it exists already (an empty directory or a previous run).
    pub exists: bool,
}

impl OutDir {
    fn parent_and_name(&self) -> Result<(&Path, OsString), IoError> {
        match (self.path.parent(), self.path.file_name()) {
            (Some(parent), Some(name)) => Ok((parent, name.to_owned())),
            _ => Err(path_error(&self.path, "the root directory cannot hold a run")),
        }
    }
}

const HOW_TO_FIX: &str = "give --out a new or empty directory of your own, e.g. --out run/";

/// Check a run's target directory before any computation, and clean up what killed runs left
/// beside it ([`clean_stale`]). The target must be an existing directory that is empty or holds
/// a previous run (its `run.json` lists every file in it), or a new directory inside an existing
/// writable one (missing parents are created when the run is written). Refused: the root, a file,
/// a system directory (`/proc`, `/etc`, `/usr`, …) or a top-level directory, and a directory
/// whose parent is not writable (the new set is staged there).
pub fn check_out_dir(dir: &Path) -> Result<OutDir, IoError> {
    let absolute = if dir.is_absolute() {
        dir.to_owned()
    } else {
        std::env::current_dir().map_err(|e| path_error(dir, format!("the current directory is unreadable: {e}")))?.join(dir)
    };
    // The longest existing ancestor, with links resolved; the rest is created later.
    let mut existing = absolute.as_path();
    let mut missing: Vec<OsString> = Vec::new();
    while fs::symlink_metadata(existing).is_err() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let resolved = fs::canonicalize(existing).map_err(|e| path_error(dir, format!("cannot resolve {}: {e}", existing.display())))?;
    let path = missing.iter().rev().fold(resolved.clone(), |p, name| p.join(name));
    let exists = missing.is_empty();

    let Some(parent) = path.parent() else {
        return Err(path_error(dir, format!("this is the root directory; {HOW_TO_FIX}")));
    };
    if let Some(system) = SYSTEM_DIRS.iter().find(|s| path.starts_with(s)) {
        if !WRITABLE_EXCEPTIONS.iter().any(|w| path.starts_with(w) && path != Path::new(w)) {
            return Err(path_error(dir, format!("this is inside the system directory {system}; {HOW_TO_FIX}")));
        }
    }
    if cfg!(unix) && parent == Path::new("/") {
        return Err(path_error(dir, format!("this is a top-level directory of the system; {HOW_TO_FIX}")));
    }
    let out = OutDir { path: path.clone(), exists };
    if exists {
        let meta = fs::metadata(&path).map_err(|e| path_error(dir, e.to_string()))?;
        if !meta.is_dir() {
            return Err(path_error(dir, format!("this is an existing file, not a directory; {HOW_TO_FIX}")));
        }
    }
    // The nearest existing directory the new set is staged in must be writable.
    let stage_in = if exists { parent } else { resolved.as_path() };
    if !fs::metadata(stage_in).is_ok_and(|m| m.is_dir()) {
        return Err(path_error(dir, format!("{} is not a directory; {HOW_TO_FIX}", stage_in.display())));
    }
    if let Err(e) = writable(stage_in) {
        let role = if exists { "its parent directory" } else { "the directory it would be created in" };
        return Err(path_error(
            dir,
            format!("{role} {} is not writable ({e}): the run is staged beside it and swapped in; {HOW_TO_FIX}", stage_in.display()),
        ));
    }
    clean_stale(&out)?;
    let exists = fs::symlink_metadata(&path).is_ok();
    if exists {
        check_previous_run(dir, &path)?;
    }
    Ok(OutDir { path, exists })
}

fn writable(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use rustix::fs::Access;
        rustix::fs::access(dir, Access::WRITE_OK | Access::EXEC_OK).map_err(io::Error::from)
    }
    #[cfg(not(unix))]
    {
        if fs::metadata(dir)?.permissions().readonly() {
            Err(io::Error::new(io::ErrorKind::PermissionDenied, "read-only"))
        } else {
            Ok(())
        }
    }
}

/// An existing target must be empty or a previous run whose `run.json` lists every file in it:
/// swapping the new set in removes the old directory, so nothing else may be in there.
fn check_previous_run(dir: &Path, path: &Path) -> Result<(), IoError> {
    let names: Vec<String> = fs::read_dir(path)
        .map_err(|e| path_error(dir, format!("cannot list it: {e}")))?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| path_error(dir, format!("cannot list it: {e}")))?;
    if names.is_empty() {
        return Ok(());
    }
    let not_a_run = |why: String| {
        path_error(
            dir,
            format!(
                "{why}; a run replaces the whole directory, so cosmodrome writes only into a new or empty directory or over a \
                 previous run. Choose another --out, or empty it"
            ),
        )
    };
    if !names.iter().any(|n| n == RUN_JSON) {
        return Err(not_a_run(format!("this directory is not empty and holds no {RUN_JSON}: it is not a previous cosmodrome run")));
    }
    let text = fs::read(path.join(RUN_JSON)).map_err(|e| path_error(dir, format!("cannot read its {RUN_JSON}: {e}")))?;
    let listed: Vec<String> = serde_json::from_slice::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("files").and_then(|f| f.as_array()).cloned())
        .ok_or_else(|| not_a_run(format!("its {RUN_JSON} is not the list of a cosmodrome run")))?
        .iter()
        .filter_map(|f| f.get("name").and_then(|n| n.as_str()).map(str::to_owned))
        .collect();
    let mut extra: Vec<&String> = names.iter().filter(|n| *n != RUN_JSON && !listed.contains(n)).collect();
    extra.sort();
    if let Some(first) = extra.first() {
        let more = if extra.len() > 1 { format!(" and {} more", extra.len() - 1) } else { String::new() };
        return Err(not_a_run(format!("it holds {first}{more}, which its {RUN_JSON} does not list")));
    }
    Ok(())
}

/// Remove what killed runs left beside `out` (staging and set-aside directories of processes no
/// longer alive, temporaries of [`write_atomic`]). A run killed between the two renames of the
/// portable swap left no target but the old set aside: that set is put back.
pub fn clean_stale(out: &OutDir) -> Result<(), IoError> {
    let (parent, name) = out.parent_and_name()?;
    let name = name.to_string_lossy().into_owned();
    let Ok(entries) = fs::read_dir(parent) else { return Ok(()) };
    let mut staging = Vec::new();
    let mut old = Vec::new();
    for entry in entries.flatten() {
        let entry_name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = leftover_pid(&entry_name, &name, Some(STAGING_TAG)) {
            staging.push((pid, entry.path()));
        } else if let Some(pid) = leftover_pid(&entry_name, &name, Some(OLD_TAG)) {
            old.push((pid, entry.path()));
        } else if leftover_pid(&entry_name, &name, None).is_some_and(|pid| !pid_alive(pid)) {
            let _ = fs::remove_file(entry.path());
        }
    }
    for (pid, path) in old.into_iter().filter(|(pid, _)| !pid_alive(*pid)) {
        if fs::symlink_metadata(&out.path).is_err() {
            fs::rename(&path, &out.path).map_err(|e| write_error(&out.path, e))?;
        } else {
            fs::remove_dir_all(&path).map_err(|e| path_error(&path, format!("cannot remove the leftover of killed run {pid}: {e}")))?;
        }
    }
    for (pid, path) in staging.into_iter().filter(|(pid, _)| !pid_alive(*pid)) {
        fs::remove_dir_all(&path).map_err(|e| path_error(&path, format!("cannot remove the leftover of killed run {pid}: {e}")))?;
    }
    Ok(())
}

/// One file of a set: name, size and SHA-256 (lower-case hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetFile {
    /// File name inside the directory.
    pub name: String,
    /// Size, bytes.
    pub size_bytes: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A set of files being written into a hidden directory beside the target. Dropped without
/// [`Staging::commit`], it removes itself: the target keeps its old set.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
    files: Vec<SetFile>,
    committed: bool,
    exchange: bool,
}

impl Staging {
    /// Start a set for `out` (checked by [`check_out_dir`]; checked again here, since time has
    /// passed): missing parents are created, leftovers of killed runs cleaned up.
    pub fn begin(out: &Path) -> Result<Staging, IoError> {
        let checked = check_out_dir(out)?;
        let (parent, name) = checked.parent_and_name()?;
        create_dir(parent)?;
        let staging = parent.join(format!(".{}.{STAGING_TAG}-{}", name.to_string_lossy(), std::process::id()));
        if fs::symlink_metadata(&staging).is_ok() {
            fs::remove_dir_all(&staging).map_err(|e| write_error(&staging, e))?;
        }
        fs::create_dir(&staging).map_err(|e| write_error(&staging, e))?;
        Ok(Staging { target: checked.path, staging, files: Vec::new(), committed: false, exchange: true })
    }

    /// The directory the set goes to.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The files put so far, in order.
    pub fn files(&self) -> &[SetFile] {
        &self.files
    }

    /// Write one file of the set (flushed to disk) and record its size and hash.
    pub fn put(&mut self, name: &str, bytes: &[u8]) -> Result<(), IoError> {
        let path = self.staging.join(name);
        let shown = self.target.join(name);
        if name.contains(['/', '\\']) || name.starts_with('.') || self.files.iter().any(|f| f.name == name) {
            return Err(write_error(&shown, io::Error::new(io::ErrorKind::InvalidInput, "not a new plain file name of the set")));
        }
        (|| {
            let mut file = File::create(&path)?;
            file.write_all(bytes)?;
            file.sync_all()
        })()
        .map_err(|e| write_error(&shown, e))?;
        self.files.push(SetFile { name: name.to_owned(), size_bytes: bytes.len() as u64, sha256: sha256_hex(bytes) });
        Ok(())
    }

    /// Swap the set in: the target then holds exactly the files put, the old set is removed.
    pub fn commit(mut self) -> Result<PathBuf, IoError> {
        sync_dir(&self.staging);
        let (parent, name) = match (self.target.parent(), self.target.file_name()) {
            (Some(p), Some(n)) => (p.to_owned(), n.to_string_lossy().into_owned()),
            _ => return Err(path_error(&self.target, "the root directory cannot hold a run")),
        };
        let old = parent.join(format!(".{name}.{OLD_TAG}-{}", std::process::id()));
        swap_in(&self.staging, &self.target, &old, self.exchange).map_err(|e| write_error(&self.target, e))?;
        self.committed = true;
        sync_dir(&parent);
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Flush a directory's entries to disk (where directories can be opened; best effort).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Put the complete directory `staging` at `target`. A missing or empty target is replaced by one
/// rename. A full one is exchanged with the staging directory in one step where the system can
/// (`exchange`), then the old set (now under the staging name) is removed; otherwise the old set
/// is renamed to `old`, the new one renamed in, and `old` removed.
fn swap_in(staging: &Path, target: &Path, old: &Path, exchange: bool) -> io::Result<()> {
    if fs::rename(staging, target).is_ok() {
        return Ok(());
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if exchange {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => {
                let _ = fs::remove_dir_all(staging);
                return Ok(());
            }
            // Not supported here (file system, kernel): the portable way below.
            Err(e) if [rustix::io::Errno::INVAL, rustix::io::Errno::NOSYS, rustix::io::Errno::OPNOTSUPP].contains(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let _ = exchange;
    fs::rename(target, old)?;
    if let Err(e) = fs::rename(staging, target) {
        let _ = fs::rename(old, target);
        return Err(e);
    }
    let _ = fs::remove_dir_all(old);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        n.sort();
        n
    }

    /// The PID of a process that has ended.
    fn dead_pid() -> u32 {
        let mut c =
            std::process::Command::new(std::env::current_exe().unwrap()).arg("--list").stdout(std::process::Stdio::null()).spawn().unwrap();
        let pid = c.id();
        c.wait().unwrap();
        assert!(!pid_alive(pid));
        pid
    }

    fn run_json(files: &[&str]) -> Vec<u8> {
        let list: Vec<serde_json::Value> = files.iter().map(|f| serde_json::json!({ "name": f })).collect();
        serde_json::to_vec(&serde_json::json!({ "files": list })).unwrap()
    }

    fn write_set(out: &Path, files: &[(&str, &[u8])]) {
        let mut s = Staging::begin(out).unwrap();
        for (name, bytes) in files {
            s.put(name, bytes).unwrap();
        }
        let listed: Vec<&str> = files.iter().map(|f| f.0).collect();
        s.put(RUN_JSON, &run_json(&listed)).unwrap();
        s.commit().unwrap();
    }

    #[test]
    fn replaces_content_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        let stale = dir.path().join(format!(".a.csv.{}.tmp", dead_pid()));
        fs::write(&stale, b"half").unwrap();
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(names(dir.path()), ["a.csv"]);
    }

    #[test]
    fn missing_directory_is_an_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/dir/a.csv");
        let e = write_atomic(&path, b"x").unwrap_err();
        assert!(e.to_string().contains("a.csv"), "{e}");
    }

    #[test]
    fn a_set_replaces_the_previous_one_whole_by_either_swap() {
        for exchange in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("run");
            write_set(&out, &[("a.csv", b"old a"), ("b.png", b"old b")]);
            assert_eq!(names(&out), ["a.csv", "b.png", RUN_JSON]);
            let mut s = Staging::begin(&out).unwrap();
            s.exchange = exchange;
            s.put("a.csv", b"new a").unwrap();
            s.put("c.json", b"new c").unwrap();
            s.put(RUN_JSON, &run_json(&["a.csv", "c.json"])).unwrap();
            // Until the commit, the old set is untouched.
            assert_eq!(fs::read(out.join("a.csv")).unwrap(), b"old a");
            s.commit().unwrap();
            assert_eq!(names(&out), ["a.csv", "c.json", RUN_JSON]);
            assert_eq!(fs::read(out.join("a.csv")).unwrap(), b"new a");
            assert_eq!(names(dir.path()), ["run"], "no staging or old directory left");
        }
    }

    #[test]
    fn a_failed_set_leaves_the_old_one_and_nothing_beside() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        write_set(&out, &[("a.csv", b"old")]);
        {
            let mut s = Staging::begin(&out).unwrap();
            s.put("a.csv", b"new").unwrap();
            assert!(s.put("../x", b"no").is_err());
        }
        assert_eq!(fs::read(out.join("a.csv")).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["run"]);
    }

    #[test]
    fn leftovers_of_killed_runs_are_cleaned_and_an_interrupted_swap_repaired() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        let pid = dead_pid();
        // Killed between the two renames of the portable swap: the old set aside, no target.
        let old = dir.path().join(format!(".run.{OLD_TAG}-{pid}"));
        fs::create_dir(&old).unwrap();
        fs::write(old.join("a.csv"), b"old").unwrap();
        fs::write(old.join(RUN_JSON), run_json(&["a.csv"])).unwrap();
        let staging = dir.path().join(format!(".run.{STAGING_TAG}-{pid}"));
        fs::create_dir(&staging).unwrap();
        fs::write(staging.join("a.csv"), b"new, half").unwrap();
        // A live run's staging directory is left alone.
        let live = dir.path().join(format!(".run.{STAGING_TAG}-{}", std::process::id()));
        let checked = check_out_dir(&out).unwrap();
        assert!(checked.exists);
        assert_eq!(fs::read(out.join("a.csv")).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["run"]);
        fs::create_dir(&live).unwrap();
        clean_stale(&checked).unwrap();
        assert!(live.exists(), "the running process's own staging directory stays");
    }

    #[test]
    fn refusals_say_why_and_how_to_fix() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file.txt");
        fs::write(&file, b"x").unwrap();
        let notes = dir.path().join("notes");
        fs::create_dir(&notes).unwrap();
        fs::write(notes.join("mine.txt"), b"x").unwrap();
        let run = dir.path().join("run");
        write_set(&run, &[("a.csv", b"a")]);
        fs::write(run.join("added.txt"), b"x").unwrap();
        for (path, why) in [
            (PathBuf::from("/"), "root directory"),
            (PathBuf::from("/proc/x"), "system directory /proc"),
            (PathBuf::from("/etc"), "system directory /etc"),
            (PathBuf::from("/usr/local/run"), "system directory /usr"),
            (PathBuf::from("/home"), "top-level"),
            (file.clone(), "existing file"),
            (file.join("sub"), "not a directory"),
            (notes.clone(), "holds no run.json"),
            (run.clone(), "added.txt"),
        ] {
            let e = check_out_dir(&path).unwrap_err().to_string();
            assert!(e.contains(why) && e.contains("--out"), "{}: {e}", path.display());
        }
        // Accepted: a new directory (with new parents), an empty one, a previous run.
        let new = check_out_dir(&dir.path().join("a/b/new")).unwrap();
        assert!(!new.exists && !dir.path().join("a").exists(), "nothing is created by the check");
        let up = check_out_dir(&notes.join("../new")).unwrap();
        assert_eq!(up.path, fs::canonicalize(dir.path()).unwrap().join("new"));
        assert!(check_out_dir(&dir.path().join("missing/../new")).is_err(), "`..` of a directory that does not exist");
        fs::remove_file(run.join("added.txt")).unwrap();
        assert!(check_out_dir(&run).unwrap().exists);
        assert!(check_out_dir(dir.path()).is_err(), "a directory with other files");
    }

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
