//! An output folder as a plan: the files a command rendered (names and bytes), the outputs an
//! earlier run may have left there that this one does not have, and the manifest written last.
//! [`OutputPlan::commit`] is the one loop that writes a folder: every file atomically
//! ([`write_atomic`]), stale ones removed, the manifest after everything else.

use std::path::Path;

use super::writer::{OutputError, write_atomic};

/// What to write into one output folder, and what to take away.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutputPlan {
    /// Files to write, in order: (file name, bytes).
    files: Vec<(String, Vec<u8>)>,
    /// Outputs of this kind of folder that this plan does not have: removed if there.
    absent: Vec<String>,
    /// The folder's manifest (run.json, sweep.json), written last: an earlier one is removed
    /// first, so a folder whose writing was cut short has none, and never pairs these files
    /// with another run's manifest.
    manifest: Option<(String, Vec<u8>)>,
}

impl OutputPlan {
    /// An empty plan.
    pub fn new() -> OutputPlan {
        OutputPlan::default()
    }

    /// Write `name` with `bytes`.
    pub fn file(&mut self, name: impl Into<String>, bytes: Vec<u8>) {
        self.files.push((name.into(), bytes));
    }

    /// An output this folder does not have this time: removed if an earlier run left it.
    pub fn absent(&mut self, name: impl Into<String>) {
        self.absent.push(name.into());
    }

    /// Write `name` when there are bytes, else remove an earlier run's.
    pub fn file_or_absent(&mut self, name: impl Into<String>, bytes: Option<Vec<u8>>) {
        match bytes {
            Some(b) => self.file(name, b),
            None => self.absent(name),
        }
    }

    /// The folder's manifest, written after every other file.
    pub fn manifest(&mut self, name: impl Into<String>, bytes: Vec<u8>) {
        self.manifest = Some((name.into(), bytes));
    }

    /// The bytes the plan writes to `name`, if it writes it.
    pub fn bytes(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .chain(&self.manifest)
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }

    /// Commit the plan into `dir` (created if need be): take an earlier manifest and the
    /// absent outputs away, write every file in order (temporary name, then rename), then the
    /// manifest. Returns the names written, in order, the manifest last.
    pub fn commit(self, dir: &Path) -> Result<Vec<String>, OutputError> {
        if let Some((name, _)) = &self.manifest {
            remove_if_there(&dir.join(name))?;
        }
        for name in &self.absent {
            remove_if_there(&dir.join(name))?;
        }
        let mut written = Vec::with_capacity(self.files.len() + 1);
        for (name, bytes) in self.files {
            write_atomic(&dir.join(&name), &bytes)?;
            written.push(name);
        }
        if let Some((name, bytes)) = self.manifest {
            write_atomic(&dir.join(&name), &bytes)?;
            written.push(name);
        }
        Ok(written)
    }
}

/// Remove `path` if it exists: a file from an earlier run would not match this run's others.
fn remove_if_there(path: &Path) -> Result<(), OutputError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(OutputError {
            path: path.to_path_buf(),
            error: e,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_files_removes_the_absent_and_the_manifest_comes_last() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for stale in ["old.csv", "run.json"] {
            std::fs::write(d.join(stale), b"earlier").unwrap();
        }
        let mut plan = OutputPlan::new();
        plan.manifest("run.json", b"{}".to_vec());
        plan.file("a.csv", b"a\n".to_vec());
        plan.file_or_absent("old.csv", None);
        plan.file_or_absent("b.csv", Some(b"b\n".to_vec()));
        plan.absent("never.csv");
        assert_eq!(plan.bytes("b.csv"), Some(&b"b\n"[..]));
        assert_eq!(plan.bytes("old.csv"), None);
        let written = plan.commit(d).unwrap();
        assert_eq!(written, ["a.csv", "b.csv", "run.json"]);
        let mut names: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["a.csv", "b.csv", "run.json"]);
        assert_eq!(std::fs::read(d.join("run.json")).unwrap(), b"{}");
    }

    #[test]
    fn a_commit_cut_short_leaves_no_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("run.json"), b"earlier").unwrap();
        // A folder where a file is expected: its write fails after the manifest is gone.
        std::fs::create_dir(d.join("a.csv")).unwrap();
        let mut plan = OutputPlan::new();
        plan.manifest("run.json", b"{}".to_vec());
        plan.file("a.csv", b"a\n".to_vec());
        let e = plan.commit(d).unwrap_err();
        assert!(e.to_string().contains("a.csv"), "{e}");
        assert!(!d.join("run.json").exists());
    }
}
