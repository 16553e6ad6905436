//! Facilities (tilbud): who is assessed, and which applicability tags hold for them.

use super::audit::audit;
use super::{Stamp, Store};
use crate::error::{Error, Result};
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

/// A facility as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facility {
    pub id: i64,
    pub name: String,
    pub organisation: String,
    pub location: String,
    pub facility_type: String,
    pub target_group: String,
    pub tags: Vec<String>,
    pub created_at: String,
    pub archived_at: Option<String>,
}

/// A facility's number in this database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FacilityId(pub i64);

/// How a user names a facility: by its number or by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FacilityKey {
    Id(FacilityId),
    Name(String),
}

impl FacilityKey {
    /// The command line's rule: digits only are a number (`12`); `name:` asks by name
    /// whatever follows (`name:12` is the facility named "12"); anything else is a name.
    pub fn parse(text: &str) -> FacilityKey {
        let text = text.trim();
        if let Some(name) = text.strip_prefix("name:") {
            return FacilityKey::Name(name.trim().to_string());
        }
        match text.parse::<i64>() {
            Ok(id) if text.bytes().all(|b| b.is_ascii_digit()) => FacilityKey::Id(FacilityId(id)),
            _ => FacilityKey::Name(text.to_string()),
        }
    }
}

/// A facility to register.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewFacility {
    pub name: String,
    pub organisation: String,
    pub location: String,
    pub facility_type: String,
    pub target_group: String,
    pub tags: Vec<String>,
}

/// Changes to a facility; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct FacilityChanges {
    pub name: Option<String>,
    pub organisation: Option<String>,
    pub location: Option<String>,
    pub facility_type: Option<String>,
    pub target_group: Option<String>,
    pub tags: Option<Vec<String>>,
}

const COLUMNS: &str = "id, name, organisation, location, facility_type, target_group, created_at, archived_at,
    (SELECT group_concat(tag, ' ') FROM (SELECT tag FROM facility_tags t WHERE t.facility_id = facilities.id ORDER BY tag))";

impl Facility {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Facility> {
        Ok(Facility {
            id: r.get(0)?,
            name: r.get(1)?,
            organisation: r.get(2)?,
            location: r.get(3)?,
            facility_type: r.get(4)?,
            target_group: r.get(5)?,
            created_at: r.get(6)?,
            archived_at: r.get(7)?,
            tags: r
                .get::<_, Option<String>>(8)?
                .map(|t| t.split(' ').map(String::from).collect())
                .unwrap_or_default(),
        })
    }

    fn snapshot(&self) -> String {
        serde_json::to_string(self).expect("serializes")
    }
}

impl Store {
    /// The applicability tags the database's active models define.
    pub fn known_tags(&self) -> Result<Vec<String>> {
        let mut tags: Vec<String> = self
            .active_models()?
            .iter()
            .flat_map(|m| m.tags.iter().map(|t| t.id.clone()))
            .collect();
        tags.sort();
        tags.dedup();
        Ok(tags)
    }

    fn check_tags(&self, tags: &[String]) -> Result<()> {
        let known = self.known_tags()?;
        match tags.iter().find(|t| !known.contains(t)) {
            Some(tag) => Err(Error::UnknownTag {
                tag: tag.clone(),
                known: known.join(", "),
            }),
            None => Ok(()),
        }
    }

    /// Registers a facility.
    pub fn add_facility(&mut self, new: &NewFacility, stamp: &Stamp) -> Result<Facility> {
        self.check_new_facility(new)?;
        let name = new.name.trim();
        if name.is_empty() {
            return Err(Error::Empty("name"));
        }
        self.check_tags(&new.tags)?;
        let id = self.write(|tx| {
            if facility_id_by_name(tx, name)?.is_some() {
                return Err(Error::DuplicateFacility(name.to_string()));
            }
            let id = insert_facility(
                tx,
                &FacilityRow {
                    name,
                    organisation: new.organisation.trim(),
                    location: new.location.trim(),
                    facility_type: new.facility_type.trim(),
                    target_group: new.target_group.trim(),
                    tags: &new.tags,
                    created_at: &stamp.at(),
                    archived_at: None,
                },
            )?;
            let row = tx.query_row(
                &format!("SELECT {COLUMNS} FROM facilities WHERE id = ?1"),
                [id],
                Facility::from_row,
            )?;
            audit(
                tx,
                stamp,
                "facility.add",
                Some(id),
                None,
                Some(name),
                None,
                Some(&row.snapshot()),
                None,
            )?;
            Ok(id)
        })?;
        self.facility_by_id(FacilityId(id))
    }

    /// The facility with this number.
    pub fn facility_by_id(&self, id: FacilityId) -> Result<Facility> {
        let found = self.facility_where("id = ?1", id.0)?;
        match found {
            Some(f) => Ok(f),
            None => Err(Error::UnknownFacilityNumber {
                id: id.0,
                named: self
                    .facility_where("name_key = ?1", id.0.to_string())?
                    .is_some(),
            }),
        }
    }

    /// The facility with this name (any case, surrounding spaces aside), whatever it looks like.
    pub fn facility_by_name(&self, name: &str) -> Result<Facility> {
        let name = name.trim();
        self.facility_where("name_key = ?1", name.to_lowercase())?
            .ok_or_else(|| Error::UnknownFacility(name.to_string()))
    }

    /// The facility a key names: by number or by name, never one for the other.
    pub fn facility_by_key(&self, key: &FacilityKey) -> Result<Facility> {
        match key {
            FacilityKey::Id(id) => self.facility_by_id(*id),
            FacilityKey::Name(name) => self.facility_by_name(name),
        }
    }

    /// The facility a user's text names, read by `FacilityKey::parse`.
    pub fn find_facility(&self, text: &str) -> Result<Facility> {
        self.facility_by_key(&FacilityKey::parse(text))
    }

    fn facility_where(&self, cond: &str, value: impl rusqlite::ToSql) -> Result<Option<Facility>> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM facilities WHERE {cond}"),
                [value],
                Facility::from_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The facilities, by name; archived ones only when asked for.
    pub fn facilities(&self, include_archived: bool) -> Result<Vec<Facility>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM facilities WHERE ?1 OR archived_at IS NULL ORDER BY name"
            ))
            .map_err(|e| self.err(e))?;
        stmt.query_map([include_archived], Facility::from_row)
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Changes a facility's details.
    pub fn edit_facility(
        &mut self,
        key: &str,
        changes: &FacilityChanges,
        stamp: &Stamp,
    ) -> Result<Facility> {
        self.check_facility_changes(changes)?;
        let old = self.find_facility(key)?;
        if let Some(tags) = &changes.tags {
            self.check_tags(tags)?;
        }
        if changes.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(Error::Empty("name"));
        }
        let pick = |new: &Option<String>, old: &str| {
            new.as_deref()
                .map_or(old.to_string(), |s| s.trim().to_string())
        };
        let name = pick(&changes.name, &old.name);
        self.write(|tx| {
            if name.to_lowercase() != old.name.to_lowercase()
                && facility_id_by_name(tx, &name)?.is_some_and(|id| id != old.id)
            {
                return Err(Error::DuplicateFacility(name.clone()));
            }
            tx.execute(
                "UPDATE facilities SET name = ?2, name_key = ?7, organisation = ?3, location = ?4, facility_type = ?5, target_group = ?6 WHERE id = ?1",
                params![
                    old.id,
                    name,
                    pick(&changes.organisation, &old.organisation),
                    pick(&changes.location, &old.location),
                    pick(&changes.facility_type, &old.facility_type),
                    pick(&changes.target_group, &old.target_group),
                    name.to_lowercase()
                ],
            )?;
            if let Some(tags) = &changes.tags {
                tx.execute("DELETE FROM facility_tags WHERE facility_id = ?1", [old.id])?;
                set_tags(tx, old.id, tags)?;
            }
            let new = tx.query_row(&format!("SELECT {COLUMNS} FROM facilities WHERE id = ?1"), [old.id], Facility::from_row)?;
            audit(tx, stamp, "facility.edit", Some(old.id), None, Some(&new.name), Some(&old.snapshot()), Some(&new.snapshot()), None)?;
            Ok(())
        })?;
        self.facility_by_id(FacilityId(old.id))
    }

    /// Archives a facility: it leaves the lists, its assessments stay.
    pub fn archive_facility(&mut self, key: &str, stamp: &Stamp) -> Result<Facility> {
        let f = self.find_facility(key)?;
        if f.archived_at.is_some() {
            return Err(Error::FacilityArchived(f.name));
        }
        self.write(|tx| {
            tx.execute(
                "UPDATE facilities SET archived_at = ?2 WHERE id = ?1",
                params![f.id, stamp.at()],
            )?;
            audit(
                tx,
                stamp,
                "facility.archive",
                Some(f.id),
                None,
                Some(&f.name),
                None,
                None,
                None,
            )?;
            Ok(())
        })?;
        self.facility_by_id(FacilityId(f.id))
    }
}

fn set_tags(tx: &rusqlite::Connection, id: i64, tags: &[String]) -> rusqlite::Result<()> {
    let mut stmt = tx
        .prepare_cached("INSERT OR IGNORE INTO facility_tags (facility_id, tag) VALUES (?1, ?2)")?;
    for t in tags {
        stmt.execute(params![id, t])?;
    }
    Ok(())
}

/// A facility row as a writer gives it: the registration, an import, a bulk load.
pub(super) struct FacilityRow<'a> {
    pub name: &'a str,
    pub organisation: &'a str,
    pub location: &'a str,
    pub facility_type: &'a str,
    pub target_group: &'a str,
    pub tags: &'a [String],
    pub created_at: &'a str,
    pub archived_at: Option<&'a str>,
}

/// Adds a facility with its tags (the name trimmed, its lookup key the name in lower
/// case); returns its number. Checks nothing: the callers do.
pub(super) fn insert_facility(
    tx: &rusqlite::Connection,
    f: &FacilityRow<'_>,
) -> rusqlite::Result<i64> {
    let name = f.name.trim();
    tx.prepare_cached(
        "INSERT INTO facilities (name, name_key, organisation, location, facility_type, target_group, created_at, archived_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        name,
        name.to_lowercase(),
        f.organisation,
        f.location,
        f.facility_type,
        f.target_group,
        f.created_at,
        f.archived_at
    ])?;
    let id = tx.last_insert_rowid();
    set_tags(tx, id, f.tags)?;
    Ok(id)
}

/// The number of the facility of this name (any case), if there is one.
pub(super) fn facility_id_by_name(
    conn: &rusqlite::Connection,
    name: &str,
) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM facilities WHERE name_key = ?1")?
        .query_row([name.trim().to_lowercase()], |r| r.get(0))
        .optional()
}
