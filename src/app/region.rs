//! The region's roles on its PostgreSQL server (`tilsynsklar region …`): set them up,
//! give a login role its place (a facility's leader, a quality consultant, management),
//! take it away, and show who may do what. The server enforces them (`store::pg::roles`);
//! these use cases only ask it. A database that is not a server's is refused: a SQLite
//! file has no roles to enforce.

use crate::error::{Error, Result};
use crate::store::Stamp;
use crate::store::pg::PgStore;
pub use crate::store::pg::{RegionGroup, RegionMember};
use std::path::Path;

/// A connection to the region's server for the role commands.
pub struct Region {
    store: PgStore,
}

/// Whether `db` is a PostgreSQL server's address rather than a file.
pub fn is_server_address(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// Connects to the server `db` names (`--db`/`TILSYNSKLAR_DB`), refusing anything else
/// (a SQLite file, no database given) with one line.
pub fn open(db: Option<&Path>, user: &str) -> Result<Region> {
    let shown = db
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "tilsynsklar.db".to_string());
    let url = db
        .and_then(Path::to_str)
        .filter(|d| is_server_address(d))
        .ok_or(Error::RegionNeedsServer(shown))?;
    let store = PgStore::connect(
        url,
        &Stamp {
            by: user.to_string(),
            at: chrono::Utc::now(),
        },
    )?;
    Ok(Region { store })
}

impl Region {
    /// The server's address as messages show it (without a password).
    pub fn server(&self) -> &str {
        self.store.server_address()
    }

    /// `region init` (as the schema's owner or a superuser); idempotent.
    pub fn init(&self) -> Result<()> {
        self.store.region_init()
    }

    /// `region grant`; true where the login role was created (without a password).
    pub fn grant(&self, group: RegionGroup, name: &str, facility: Option<&str>) -> Result<bool> {
        self.store.region_grant(group, name, facility)
    }

    /// `region revoke`.
    pub fn revoke(&self, group: RegionGroup, name: &str, facility: Option<&str>) -> Result<()> {
        self.store.region_revoke(group, name, facility)
    }

    /// `region show`.
    pub fn members(&self) -> Result<Vec<RegionMember>> {
        self.store.region_members()
    }
}
