//! `migrate`: everything one database holds moved into another, SQLite or PostgreSQL either
//! way. The data travels as the exchange bundle, written from the source's exchange reads
//! on one thread into a pipe that the destination's bundle import reads on this one (no
//! whole file in memory); what a bundle does not carry follows through the traits.

use super::{Clock, is_server};
use crate::assessment::GapRules;
use crate::error::{Error, Result};
use crate::exchange::{BundleWriter, ImportReport, OnConflict};
use crate::store::backend::Backend;
use crate::store::{Selection, Stamp};
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

/// What a migration moved.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Migrated {
    /// The bundle's import: facilities, assessments with scores and actions, audit rows,
    /// the model versions the assessments name.
    pub bundle: ImportReport,
    /// Model versions the bundle did not carry (a region's own copy no assessment uses
    /// yet), or whose active version differed.
    pub models: usize,
    /// Mappings between model versions the destination did not hold as the source did.
    pub mappings: usize,
    /// Strategies (with their links) the destination did not hold as the source did.
    pub strategies: usize,
    /// Settings changed to the source's: the gap rules, the personal-data policy.
    pub settings: usize,
}

/// Moves everything `from` holds into `to` (each a SQLite file or a `postgres://` URL).
/// A destination that already holds facilities or assessments is refused unless
/// `on_conflict` says how to merge (as `import` does); the source must exist.
pub fn migrate(
    from: &Path,
    to: &Path,
    on_conflict: Option<OnConflict>,
    user: &str,
    clock: Clock,
) -> Result<Migrated> {
    if same_place(from, to) {
        return Err(Error::MigrateSame(super::shown(to)));
    }
    if !is_server(from) && !from.exists() {
        return Err(Error::NoDatabase(from.to_path_buf()));
    }
    let stamp = Stamp {
        by: user.to_string(),
        at: clock.now(),
    };
    let source = super::open_backend(from, &stamp)?;
    let mut dest = super::open_backend(to, &stamp)?;
    if on_conflict.is_none() && holds_data(&*dest)? {
        return Err(Error::MigrateNotEmpty(super::shown(to)));
    }
    let bundle = stream_bundle(from, &mut *dest, on_conflict.unwrap_or_default(), &stamp)?;
    let mut moved = Migrated {
        bundle,
        ..Migrated::default()
    };
    definitions(&*source, &mut *dest, &stamp, &mut moved)?;
    Ok(moved)
}

/// Whether two places name the same database (the same file, or the same URL).
fn same_place(a: &Path, b: &Path) -> bool {
    if is_server(a) || is_server(b) {
        return a == b;
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Whether a store holds facilities or assessments (a new one holds only the bundled
/// definitions).
fn holds_data(store: &dyn Backend) -> Result<bool> {
    Ok(!store.facilities(true)?.is_empty() || !store.assessments_brief()?.is_empty())
}

/// The whole bundle of `from`, written on a thread of its own (the source opened there:
/// a store stays on the thread that opened it) into a pipe, imported into `dest` here.
fn stream_bundle(
    from: &Path,
    dest: &mut dyn Backend,
    on_conflict: OnConflict,
    stamp: &Stamp,
) -> Result<ImportReport> {
    let (reader, writer) = std::io::pipe().map_err(|source| Error::Io {
        path: from.to_path_buf(),
        source,
    })?;
    let name = super::shown(from);
    std::thread::scope(|scope| {
        let written = scope.spawn(move || write_bundle(from, stamp, writer));
        // the import may ask for the file again to locate a JSON error: a pipe is read once
        let once = Mutex::new(Some(reader));
        let open = || -> std::io::Result<Box<dyn std::io::Read + Send>> {
            match once.lock().ok().and_then(|mut r| r.take()) {
                Some(r) => Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, r))),
                None => Err(std::io::Error::other("the bundle was read once")),
            }
        };
        let imported = dest.import_bundle_from(&name, &open, on_conflict, stamp);
        // an unread pipe is closed here, so a writer still writing stops
        drop(once);
        let wrote = written.join().unwrap_or_else(|_| {
            Err(Error::Io {
                path: from.to_path_buf(),
                source: std::io::Error::other("the bundle's writer stopped"),
            })
        });
        // the writer's own error says more than the import's of a bundle cut short; a
        // broken pipe only echoes the import's refusal
        match (wrote, imported) {
            (Err(e), Err(_)) if !broken_pipe(&e) => Err(e),
            (_, imported) => imported,
        }
    })
}

fn broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Writes the bundle of everything the store at `from` holds into `w`.
fn write_bundle(from: &Path, stamp: &Stamp, w: std::io::PipeWriter) -> Result<()> {
    let s = super::open_backend(from, stamp)?;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
    let io = |source| Error::Io {
        path: from.to_path_buf(),
        source,
    };
    let (facilities, assessments) = s.select(&Selection::All)?;
    let models = s.bundle_models(&assessments)?;
    let bundle_facilities = s.bundle_facilities(&facilities);
    let at = stamp
        .at
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut bw =
        BundleWriter::start(&mut w, &at, &stamp.by, &models, &bundle_facilities).map_err(io)?;
    for a in &assessments {
        bw.assessment(&s.bundle_assessment(a)?).map_err(io)?;
    }
    s.for_each_audit_row(&facilities, &assessments, &mut |row| {
        bw.audit(&row).map_err(io)
    })?;
    bw.finish().map_err(io)?;
    w.flush().map_err(io)
}

/// What a bundle does not carry: model versions no assessment names, the mappings,
/// the strategies with their links, the gap rules and the personal-data policy.
fn definitions(
    source: &dyn Backend,
    dest: &mut dyn Backend,
    stamp: &Stamp,
    moved: &mut Migrated,
) -> Result<()> {
    let file = "migrate";
    // inactive versions first, so that the source's active one ends active
    let mut records = source.model_records()?;
    records.sort_by_key(|r| r.active);
    for r in &records {
        let held = dest.model_records()?.into_iter().find(|d| d.hash == r.hash);
        let wanted = match held {
            None => true,
            Some(d) => r.active && !d.active,
        };
        if wanted {
            let model = source.model_by_hash(&r.hash)?;
            dest.import_model(&model, file, stamp)?;
            moved.models += 1;
        }
    }
    let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
    for (i, a) in ids.iter().enumerate() {
        for b in ids.iter().skip(i + 1).filter(|b| *b != a) {
            let Some(m) = source.mapping_between(a, b)? else {
                continue;
            };
            if dest.mapping_between(a, b)?.as_ref() != Some(&m) {
                let json = serde_json::to_string(&m)
                    .map_err(|e| Error::definition(file, "$", e.to_string()))?;
                dest.import_mapping(file, &json, stamp)?;
                moved.mappings += 1;
            }
        }
    }
    for r in source.strategy_records()? {
        let s = source.strategy(&r.id)?;
        let same = dest
            .strategy(&r.id)
            .is_ok_and(|d| d.content_hash() == s.content_hash());
        if !same {
            dest.import_strategy(&s, file, stamp)?;
            moved.strategies += 1;
        }
    }
    moved.settings += gap_rules(&source.gap_rules()?, dest, stamp)?;
    let policy = source.personal_data_policy()?;
    if dest.personal_data_policy()? != policy {
        dest.set_personal_data_policy(policy, stamp)?;
        moved.settings += 1;
    }
    Ok(())
}

/// Sets the destination's gap rules to the source's where they differ; how many changed.
fn gap_rules(rules: &GapRules, dest: &mut dyn Backend, stamp: &Stamp) -> Result<usize> {
    let values = [
        rules.indicator_gap_max.to_string(),
        rules.indicator_watch_max.to_string(),
        rules.mean_gap_below.to_string(),
        rules.theme_bar.to_string(),
    ];
    let mut changed = 0;
    // twice, as `GapRules::for_model`: a limit refused only because the other has not
    // moved yet goes in on the second pass
    for pass in 0..2 {
        for (i, (name, value)) in GapRules::NAMES.iter().zip(&values).enumerate() {
            let now = dest.gap_rules()?;
            let held = [
                now.indicator_gap_max.to_string(),
                now.indicator_watch_max.to_string(),
                now.mean_gap_below.to_string(),
                now.theme_bar.to_string(),
            ];
            if held[i] == *value {
                continue;
            }
            match dest.set_gap_rule(name, value, stamp) {
                Ok(_) => changed += 1,
                Err(e) if pass == 1 => return Err(e),
                Err(_) => {}
            }
        }
    }
    Ok(changed)
}
