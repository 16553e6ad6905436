//! Facilities on the server: `store::backend::Facilities` for `PgStore`, with the same
//! checks, errors and audit rows as SQLite's `store/facilities.rs`.

use super::PgStore;
use super::audit::audit;
use crate::assessment::{FreeField, check_free_texts};
use crate::error::{Error, Result};
use crate::store::backend::{Facilities, ModelVersions, Settings};
use crate::store::{Facility, FacilityChanges, FacilityId, FacilityKey, NewFacility, Stamp};
use postgres::Row;
use postgres::types::ToSql;

const COLUMNS: &str = "id, name, organisation, location, facility_type, target_group, created_at, archived_at,
    (SELECT string_agg(tag, ' ' ORDER BY tag COLLATE \"C\") FROM facility_tags t WHERE t.facility_id = facilities.id)";

fn from_row(r: &Row) -> Facility {
    Facility {
        id: r.get(0),
        name: r.get(1),
        organisation: r.get(2),
        location: r.get(3),
        facility_type: r.get(4),
        target_group: r.get(5),
        created_at: r.get(6),
        archived_at: r.get(7),
        tags: r
            .get::<_, Option<String>>(8)
            .map(|t| t.split(' ').map(String::from).collect())
            .unwrap_or_default(),
    }
}

fn snapshot(f: &Facility) -> String {
    serde_json::to_string(f).expect("serializes")
}

impl PgStore {
    fn check_texts<'a>(&self, texts: impl IntoIterator<Item = (FreeField, &'a str)>) -> Result<()> {
        let policy = self.write_policy()?;
        Ok(check_free_texts(texts, policy)?)
    }

    fn check_tags(&self, tags: &[String]) -> Result<()> {
        let mut known: Vec<String> = self
            .active_models()?
            .iter()
            .flat_map(|m| m.tags.iter().map(|t| t.id.clone()))
            .collect();
        known.sort();
        known.dedup();
        match tags.iter().find(|t| !known.contains(t)) {
            Some(tag) => Err(Error::UnknownTag {
                tag: tag.clone(),
                known: known.join(", "),
            }),
            None => Ok(()),
        }
    }

    fn facility_where(&self, cond: &str, value: &(dyn ToSql + Sync)) -> Result<Option<Facility>> {
        let row = self
            .client
            .borrow_mut()
            .query_opt(
                &format!("SELECT {COLUMNS} FROM facilities WHERE {cond}"),
                &[value],
            )
            .map_err(|e| self.err(e))?;
        Ok(row.as_ref().map(from_row))
    }

    fn facility_by_name(&self, name: &str) -> Result<Facility> {
        let name = name.trim();
        self.facility_where("name_key = $1", &name.to_lowercase())?
            .ok_or_else(|| Error::UnknownFacility(name.to_string()))
    }
}

fn id_by_name(
    tx: &mut postgres::Transaction<'_>,
    name: &str,
) -> Result<Option<i64>, postgres::Error> {
    Ok(tx
        .query_opt(
            "SELECT id FROM facilities WHERE name_key = $1",
            &[&name.trim().to_lowercase()],
        )?
        .map(|r| r.get(0)))
}

fn set_tags(
    tx: &mut postgres::Transaction<'_>,
    id: i64,
    tags: &[String],
) -> Result<(), postgres::Error> {
    for t in tags {
        tx.execute(
            "INSERT INTO facility_tags (facility_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&id, t],
        )?;
    }
    Ok(())
}

fn read(tx: &mut postgres::Transaction<'_>, id: i64) -> Result<Facility, postgres::Error> {
    let row = tx.query_one(
        &format!("SELECT {COLUMNS} FROM facilities WHERE id = $1"),
        &[&id],
    )?;
    Ok(from_row(&row))
}

impl Facilities for PgStore {
    fn add_facility(&mut self, new: &NewFacility, stamp: &Stamp) -> Result<Facility> {
        self.check_texts([
            (FreeField::FacilityName, new.name.as_str()),
            (FreeField::Organisation, &new.organisation),
            (FreeField::Location, &new.location),
            (FreeField::FacilityType, &new.facility_type),
            (FreeField::TargetGroup, &new.target_group),
        ])?;
        let name = new.name.trim();
        if name.is_empty() {
            return Err(Error::Empty("name"));
        }
        self.check_tags(&new.tags)?;
        let server = self.server.clone();
        let mut client = self.client.borrow_mut();
        let err = |e: postgres::Error| super::server_error(&server, &e);
        let mut tx = client.transaction().map_err(err)?;
        if id_by_name(&mut tx, name).map_err(err)?.is_some() {
            return Err(Error::DuplicateFacility(name.to_string()));
        }
        let id: i64 = tx
            .query_one(
                "INSERT INTO facilities (name, name_key, organisation, location, facility_type, target_group, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                &[
                    &name,
                    &name.to_lowercase(),
                    &new.organisation.trim(),
                    &new.location.trim(),
                    &new.facility_type.trim(),
                    &new.target_group.trim(),
                    &stamp.at(),
                ],
            )
            .map_err(err)?
            .get(0);
        set_tags(&mut tx, id, &new.tags).map_err(err)?;
        let row = read(&mut tx, id).map_err(err)?;
        audit(
            &mut tx,
            stamp,
            "facility.add",
            Some(id),
            None,
            Some(name),
            None,
            Some(&snapshot(&row)),
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        drop(client);
        self.facility_by_id(FacilityId(id))
    }

    fn facilities(&self, include_archived: bool) -> Result<Vec<Facility>> {
        let rows = self
            .client
            .borrow_mut()
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM facilities WHERE $1 OR archived_at IS NULL ORDER BY name COLLATE \"C\""
                ),
                &[&include_archived],
            )
            .map_err(|e| self.err(e))?;
        Ok(rows.iter().map(from_row).collect())
    }

    fn facility_by_id(&self, id: FacilityId) -> Result<Facility> {
        match self.facility_where("id = $1", &id.0)? {
            Some(f) => Ok(f),
            None => Err(Error::UnknownFacilityNumber {
                id: id.0,
                named: self
                    .facility_where("name_key = $1", &id.0.to_string())?
                    .is_some(),
            }),
        }
    }

    fn find_facility(&self, text: &str) -> Result<Facility> {
        match FacilityKey::parse(text) {
            FacilityKey::Id(id) => self.facility_by_id(id),
            FacilityKey::Name(name) => self.facility_by_name(&name),
        }
    }

    fn edit_facility(
        &mut self,
        key: &str,
        changes: &FacilityChanges,
        stamp: &Stamp,
    ) -> Result<Facility> {
        let texts = [
            (FreeField::FacilityName, &changes.name),
            (FreeField::Organisation, &changes.organisation),
            (FreeField::Location, &changes.location),
            (FreeField::FacilityType, &changes.facility_type),
            (FreeField::TargetGroup, &changes.target_group),
        ];
        self.check_texts(
            texts
                .into_iter()
                .filter_map(|(f, t)| t.as_deref().map(|t| (f, t))),
        )?;
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
        let server = self.server.clone();
        let mut client = self.client.borrow_mut();
        let err = |e: postgres::Error| super::server_error(&server, &e);
        let mut tx = client.transaction().map_err(err)?;
        if name.to_lowercase() != old.name.to_lowercase()
            && id_by_name(&mut tx, &name)
                .map_err(err)?
                .is_some_and(|id| id != old.id)
        {
            return Err(Error::DuplicateFacility(name.clone()));
        }
        tx.execute(
            "UPDATE facilities SET name = $2, name_key = $7, organisation = $3, location = $4, facility_type = $5, target_group = $6 WHERE id = $1",
            &[
                &old.id,
                &name,
                &pick(&changes.organisation, &old.organisation),
                &pick(&changes.location, &old.location),
                &pick(&changes.facility_type, &old.facility_type),
                &pick(&changes.target_group, &old.target_group),
                &name.to_lowercase(),
            ],
        )
        .map_err(err)?;
        if let Some(tags) = &changes.tags {
            tx.execute(
                "DELETE FROM facility_tags WHERE facility_id = $1",
                &[&old.id],
            )
            .map_err(err)?;
            set_tags(&mut tx, old.id, tags).map_err(err)?;
        }
        let new = read(&mut tx, old.id).map_err(err)?;
        audit(
            &mut tx,
            stamp,
            "facility.edit",
            Some(old.id),
            None,
            Some(&new.name),
            Some(&snapshot(&old)),
            Some(&snapshot(&new)),
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        drop(client);
        self.facility_by_id(FacilityId(old.id))
    }

    fn archive_facility(&mut self, key: &str, stamp: &Stamp) -> Result<Facility> {
        let f = self.find_facility(key)?;
        if f.archived_at.is_some() {
            return Err(Error::FacilityArchived(f.name));
        }
        let server = self.server.clone();
        let mut client = self.client.borrow_mut();
        let err = |e: postgres::Error| super::server_error(&server, &e);
        let mut tx = client.transaction().map_err(err)?;
        tx.execute(
            "UPDATE facilities SET archived_at = $2 WHERE id = $1",
            &[&f.id, &stamp.at()],
        )
        .map_err(err)?;
        audit(
            &mut tx,
            stamp,
            "facility.archive",
            Some(f.id),
            None,
            Some(&f.name),
            None,
            None,
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        drop(client);
        self.facility_by_id(FacilityId(f.id))
    }
}
