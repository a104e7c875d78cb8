//! Atomic file output: write to a temporary file beside the target, flush it to disk, then
//! rename it over the target. A reader (or a crash, or Ctrl-C) sees the old file or the new
//! one, never half of one.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::IoError;

/// Write `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| IoError::Path { path: path.to_owned(), message: "not a file path".to_owned() })?;
    let tmp: PathBuf = parent.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(source) = result {
        let _ = fs::remove_file(&tmp);
        return Err(IoError::Write { path: path.to_owned(), source });
    }
    Ok(())
}

/// Create an output directory (and its parents) if missing.
pub fn create_dir(dir: &Path) -> Result<(), IoError> {
    fs::create_dir_all(dir).map_err(|source| IoError::Write { path: dir.to_owned(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn missing_directory_is_an_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no/such/dir/a.csv");
        let e = write_atomic(&path, b"x").unwrap_err();
        assert!(e.to_string().contains("a.csv"), "{e}");
    }
}
