//! The one place that writes output files: to a temporary name in the same folder, flushed to
//! disk, then renamed, so a crash never leaves a half-written file that looks whole.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write `{}`: {error}", path.display())]
pub struct OutputError {
    /// The file or folder.
    pub path: PathBuf,
    /// What the OS said (a full disk shows up here). Part of the message, not a `source()`,
    /// so that printing the error chain does not say it twice.
    pub error: std::io::Error,
}

/// Write `bytes` to `path` atomically (temporary file + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let err = |error| OutputError {
        path: path.to_path_buf(),
        error,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(err)?;
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// A file written as a stream and published atomically: bytes go to a temporary name in the
/// same folder; [`AtomicFile::commit`] flushes and renames it; dropping it uncommitted removes
/// the temporary file. For outputs too large to build in memory (an imported trace).
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<std::io::BufWriter<fs::File>>,
}

impl AtomicFile {
    /// Start writing `path` (its folder is created).
    pub fn create(path: &Path) -> Result<AtomicFile, OutputError> {
        let err = |error| OutputError {
            path: path.to_path_buf(),
            error,
        };
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(err)?;
        let name = path
            .file_name()
            .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
        let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let file = fs::File::create(&tmp).map_err(err)?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            file: Some(std::io::BufWriter::with_capacity(1 << 16, file)),
        })
    }

    /// Flush, sync and rename the file to its final name.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let result = (|| {
            let f = self
                .file
                .take()
                .ok_or_else(|| std::io::Error::other("the file is already committed"))?;
            let f = f
                .into_inner()
                .map_err(std::io::IntoInnerError::into_error)?;
            f.sync_all()?;
            fs::rename(&self.tmp, &self.path)
        })();
        result.map_err(|error| OutputError {
            path: self.path.clone(),
            error,
        })
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(std::io::Error::other("the file is already committed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Not committed (an error on the way): leave nothing behind. After a commit the
        // temporary name no longer exists and this does nothing.
        self.file.take();
        let _ = fs::remove_file(&self.tmp);
    }
}

/// A file that grows by whole records: each [`AppendFile::append`] writes its bytes and hands
/// them to the OS at once, so a process killed between two appends leaves every earlier one in
/// the file (a sweep's runs.csv while it runs).
#[derive(Debug)]
pub struct AppendFile {
    path: PathBuf,
    file: fs::File,
}

impl AppendFile {
    /// Open `path` (which must exist) for appending.
    pub fn open(path: &Path) -> Result<AppendFile, OutputError> {
        let file = fs::OpenOptions::new()
            .append(true)
            .open(path)
            .map_err(|error| OutputError {
                path: path.to_path_buf(),
                error,
            })?;
        Ok(AppendFile {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Append `bytes` (unbuffered: one write, then a flush).
    pub fn append(&mut self, bytes: &[u8]) -> Result<(), OutputError> {
        self.file
            .write_all(bytes)
            .and_then(|()| self.file.flush())
            .map_err(|error| OutputError {
                path: self.path.clone(),
                error,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/out.csv");
        write_atomic(&p, b"a,b\n").unwrap();
        write_atomic(&p, b"c,d\n").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"c,d\n");
        let names: Vec<_> = fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn reports_unwritable_paths() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        fs::write(&blocker, b"x").unwrap();
        let e = write_atomic(&blocker.join("out.csv"), b"x").unwrap_err();
        assert!(e.to_string().contains("cannot write"), "{e}");
    }

    #[test]
    fn streamed_files_appear_whole_on_commit_and_not_at_all_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        let mut f = AtomicFile::create(&p).unwrap();
        f.write_all(b"a,b\n").unwrap();
        assert!(!p.exists());
        f.commit().unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"a,b\n");
        let mut g = AtomicFile::create(&dir.path().join("u.csv")).unwrap();
        g.write_all(b"x").unwrap();
        drop(g);
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["t.csv"]);
    }
}
