//! Texts typed but not saved (a refused save, an editor open at Ctrl-C or a signal): kept in
//! memory while the program runs and in a file beside the database (0600) between runs.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Which text of a score a draft is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Reasoning,
    Sources,
}

/// Where a draft belongs: an assessment's indicator and the field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DraftKey {
    pub assessment: i64,
    pub indicator: String,
    pub field: Field,
}

/// One kept text, as written to the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    #[serde(flatten)]
    key: DraftKey,
    text: String,
}

/// The drafts of this session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drafts(pub BTreeMap<DraftKey, String>);

impl Drafts {
    /// Keeps `text` for `key` (an empty text keeps nothing).
    pub fn keep(&mut self, key: DraftKey, text: &str) {
        if text.trim().is_empty() {
            self.0.remove(&key);
        } else {
            self.0.insert(key, text.to_string());
        }
    }

    /// The draft for `key`, if any.
    pub fn get(&self, key: &DraftKey) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// Forgets the draft for `key` (it was saved).
    pub fn forget(&mut self, key: &DraftKey) {
        self.0.remove(key);
    }

    /// Whether there is no draft.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Parses the drafts file's text.
    pub fn parse(text: &str) -> Result<Drafts, serde_json::Error> {
        let entries: Vec<Entry> = serde_json::from_str(text)?;
        Ok(Drafts(
            entries.into_iter().map(|e| (e.key, e.text)).collect(),
        ))
    }

    /// The drafts file's text.
    pub fn to_json(&self) -> String {
        let entries: Vec<Entry> = self
            .0
            .iter()
            .map(|(key, text)| Entry {
                key: key.clone(),
                text: text.clone(),
            })
            .collect();
        serde_json::to_string_pretty(&entries).unwrap_or_else(|_| "[]".into())
    }
}

/// The drafts file of a database: `tilsynsklar.db` → `tilsynsklar.db.drafts.json`.
pub fn path_for(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".drafts.json");
    db.with_file_name(name)
}

/// Reads the drafts kept by an earlier run; none where there is no file. A file that
/// cannot be read is left in place (and named in the error) so nothing is lost.
pub fn load(file: &Path) -> std::io::Result<Drafts> {
    match std::fs::read_to_string(file) {
        Ok(text) => Drafts::parse(&text).map_err(std::io::Error::other),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Drafts::default()),
        Err(e) => Err(e),
    }
}

/// Writes the drafts (only the owner may read them: they may hold personal data), or
/// removes the file when there are none.
pub fn store(file: &Path, drafts: &Drafts) -> std::io::Result<()> {
    if drafts.is_empty() {
        return match std::fs::remove_file(file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
    }
    let tmp = file.with_extension("json.tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    {
        use std::io::Write;
        let mut f = options.open(&tmp)?;
        f.write_all(drafts.to_json().as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str, field: Field) -> DraftKey {
        DraftKey {
            assessment: 3,
            indicator: id.into(),
            field,
        }
    }

    #[test]
    fn drafts_round_trip_through_a_private_file_and_vanish_when_empty() {
        let dir = tempfile::tempdir().unwrap();
        let file = path_for(&dir.path().join("t.db"));
        assert_eq!(file, dir.path().join("t.db.drafts.json"));
        let mut d = Drafts::default();
        d.keep(key("1c", Field::Reasoning), "Fremmødet er stabilt\nÆØÅ");
        d.keep(key("1c", Field::Sources), "   ");
        d.keep(key("2a", Field::Sources), "Referater");
        assert_eq!(d.0.len(), 2, "a blank text is no draft");
        store(&file, &d).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let back = load(&file).unwrap();
        assert_eq!(back, d);
        assert_eq!(
            back.get(&key("1c", Field::Reasoning)),
            Some("Fremmødet er stabilt\nÆØÅ")
        );
        d.forget(&key("1c", Field::Reasoning));
        d.forget(&key("2a", Field::Sources));
        store(&file, &d).unwrap();
        assert!(!file.exists());
        assert!(load(&file).unwrap().is_empty());
        std::fs::write(&file, "not json").unwrap();
        assert!(
            load(&file).is_err(),
            "a damaged file is reported, not dropped"
        );
    }
}
