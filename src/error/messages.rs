//! The one line each error shows the user, written once per language.

use super::Error;
use crate::i18n::Lang;
use crate::tr;

impl Error {
    /// The one line shown to the user, in the user's language.
    pub fn localized(&self, lang: Lang) -> String {
        use Error::*;
        match self {
            Definition {
                file,
                path,
                message,
            } => format!("{file}: {path}: {message}"),
            Io { path, source } => format!("{}: {source}", path.display()),
            Database { path, source } => tr!(
                lang,
                "{}: databasefejl: {source}",
                "{}: database error: {source}",
                path.display()
            ),
            Sqlite(e) => tr!(lang, "databasefejl: {e}", "database error: {e}"),
            Terminal(t) => tr!(lang, "terminal: {t}", "terminal: {t}"),
            InLine { file, line, source } => {
                format!("{file}:{line}: {}", source.localized(lang))
            }
            NotADatabase { path } => tr!(
                lang,
                "{}: ikke en tilsynsklar-database (ikke en SQLite-fil, eller beskadiget)",
                "{}: not a tilsynsklar database (not an SQLite file, or damaged)",
                path.display()
            ),
            DatabaseTooNew {
                path,
                found,
                supported,
            } => tr!(
                lang,
                "{}: databasen har skemaversion {found}, dette program kender op til {supported}; opdatér programmet",
                "{}: the database has schema version {found}; this program knows up to {supported}; update the program",
                path.display()
            ),
            // a name that reads as a number was asked for by name: say so
            UnknownFacility(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => tr!(
                lang,
                "ukendt tilbud: intet tilbud hedder \"{f}\"",
                "unknown facility: no facility is named \"{f}\""
            ),
            UnknownFacility(f) => tr!(lang, "ukendt tilbud: {f}", "unknown facility: {f}"),
            UnknownFacilityNumber { id, named: false } => tr!(
                lang,
                "ukendt tilbud: intet tilbud har nummer {id}",
                "unknown facility: no facility has number {id}"
            ),
            UnknownFacilityNumber { id, named: true } => tr!(
                lang,
                "ukendt tilbud: intet tilbud har nummer {id} (et tilbud hedder \"{id}\": skriv name:{id})",
                "unknown facility: no facility has number {id} (one is named \"{id}\": write name:{id})"
            ),
            DuplicateFacility(f) => tr!(
                lang,
                "der findes allerede et tilbud med navnet {f:?}",
                "a facility named {f:?} exists already"
            ),
            FacilityArchived(f) => tr!(
                lang,
                "tilbuddet {f:?} er arkiveret",
                "facility {f:?} is archived"
            ),
            UnknownAssessment(a) => tr!(lang, "ukendt vurdering: {a}", "unknown assessment: {a}"),
            AssessmentExists { facility, year, id } => tr!(
                lang,
                "{facility} har allerede en vurdering for {year} (vurdering {id})",
                "{facility} already has an assessment for {year} (assessment {id})"
            ),
            UnknownModel(m) => tr!(
                lang,
                "ukendt kvalitetsmodel: {m}",
                "unknown quality model: {m}"
            ),
            NoModelForYear(y) => tr!(
                lang,
                "ingen kvalitetsmodel var i kraft i {y}",
                "no quality model was in force in {y}"
            ),
            UnknownIndicator { indicator, model } => tr!(
                lang,
                "indikator {indicator:?} findes ikke i model {model}",
                "indicator {indicator:?} is not in model {model}"
            ),
            Finalised(id) => tr!(
                lang,
                "vurdering {id} er afsluttet og kan ikke ændres; genåbn den først",
                "assessment {id} is finalised and cannot be changed; reopen it first"
            ),
            NotFinalised(id) => tr!(
                lang,
                "vurdering {id} er ikke afsluttet",
                "assessment {id} is not finalised"
            ),
            Unscored { id, indicators } => tr!(
                lang,
                "vurdering {id} kan ikke afsluttes: {} indikator(er) mangler score: {}",
                "assessment {id} cannot be finalised: {} indicator(s) unscored: {}",
                indicators.len(),
                indicators.join(", ")
            ),
            NotReassessed { id, indicators } => tr!(
                lang,
                "vurdering {id} kan ikke afsluttes: {} indikator(er) overført fra sidste år er ikke genvurderet: {}",
                "assessment {id} cannot be finalised: {} indicator(s) carried over from last year are not re-assessed: {}",
                indicators.len(),
                indicators.join(", ")
            ),
            NothingToRollForward(f) => tr!(
                lang,
                "{f} har ingen tidligere vurdering at starte fra",
                "{f} has no earlier assessment to start from"
            ),
            ActionClosed { id, status } => tr!(
                lang,
                "udviklingspunkt {id} er {} og kan ikke ændres mere",
                "improvement action {id} is {} and cannot change any more",
                status.pick(lang)
            ),
            UnknownAction(id) => tr!(
                lang,
                "ukendt udviklingspunkt: {id}",
                "unknown improvement action: {id}"
            ),
            UnknownActionPlan(p) => tr!(lang, "ukendt handleplan: {p}", "unknown action plan: {p}"),
            BadDate(d) => tr!(
                lang,
                "{d:?} er ikke en dato (skriv 31-03-2026 eller 2026-03-31)",
                "{d:?} is not a date (write 2026-03-31 or 31-03-2026)"
            ),
            BadRule(r) => tr!(lang, "regel for huller: {r}", "gap rule: {r}"),
            BadLink { strategy, detail } => tr!(
                lang,
                "strategi {strategy}: {detail}",
                "strategy {strategy}: {detail}"
            ),
            ImportConflict {
                file,
                facility,
                year,
            } => tr!(
                lang,
                "{file}: {facility} {year} findes i databasen med andet indhold",
                "{file}: {facility} {year} is in the database with other content"
            ),
            ImportFinalised {
                file,
                facility,
                year,
                finalised_by,
            } => tr!(
                lang,
                "{file}: {facility} {year} findes i databasen med andet indhold og er afsluttet (underskrevet af {finalised_by:?}); en afsluttet vurdering erstattes kun, når det udtrykkeligt ønskes",
                "{file}: {facility} {year} is in the database with other content and is finalised (signed by {finalised_by:?}); a finalised assessment is replaced only when asked for explicitly"
            ),
            NoMapping { from, to } => tr!(
                lang,
                "ingen mapping mellem {from} og {to}: deres vurderinger kan ikke sammenlignes",
                "no mapping between {from} and {to}: their assessments cannot be compared"
            ),
            NothingToCompare(what) => tr!(
                lang,
                "intet at sammenligne: {what}",
                "nothing to compare: {what}"
            ),
            Tampered(n) => tr!(
                lang,
                "verify fandt {n} ændring(er) foretaget uden om programmet",
                "verify found {n} change(s) made behind the program's back"
            ),
            Unhealthy(names) => tr!(
                lang,
                "databasen fejlede disse tjek: {names}",
                "the database failed these checks: {names}"
            ),
            UnknownTag { tag, known } => tr!(
                lang,
                "ukendt tilbudsmærke {tag:?} (kendte: {known})",
                "unknown applicability tag {tag:?} (known: {known})"
            ),
            UnknownStrategy(s) => tr!(lang, "ukendt strategi: {s}", "unknown strategy: {s}"),
            ModelStructureChanged { file, id, detail } => tr!(
                lang,
                "{file}: model {id} findes med andre id'er ({detail}); giv den ændrede model et nyt id",
                "{file}: model {id} exists with other ids ({detail}); give the changed model a new id"
            ),
            ScoreRefused { indicator, problem } => tr!(
                lang,
                "indikator {indicator}: {}",
                "indicator {indicator}: {}",
                problem.message(lang)
            ),
            Empty(what) if what.starts_with("--") => {
                tr!(lang, "{what} må ikke være tom", "{what} must not be empty")
            }
            Empty(what) => empty_field(what, lang),
            DemoNotEmpty(path) => tr!(
                lang,
                "{} har allerede tilbud; demodata skal i en tom database",
                "{} holds facilities already; demo data goes into an empty database",
                path.display()
            ),
            NoHomeDirectory => tr!(
                lang,
                "ingen hjemmemappe til standarddatabasen; angiv databasefilen",
                "no home directory for the default database; name the database file"
            ),
            Hint { source, hint } => format!("{}{}", source.localized(lang), hint.pick(lang)),
            StatusNotInChain(id) => tr!(
                lang,
                "vurdering {id}: revisionssporet viser den som afsluttet; den er genåbnet uden om programmet (kør verify)",
                "assessment {id}: the audit log holds it as finalised; it was un-finalised behind the program's back (run verify)"
            ),
            BadSchemaVersion { path, found } => tr!(
                lang,
                "{}: skemaversion {found} er ikke skrevet af dette program; filen er ændret uden om programmet",
                "{}: schema version {found} was not written by this program; the file was changed behind its back",
                path.display()
            ),
            MemoryDatabase => tr!(
                lang,
                ":memory: er ikke en databasefil (intet ville blive gemt); angiv en sti til en fil",
                ":memory: is not a database file (nothing would be kept); name a file path"
            ),
            NoDatabase(path) => tr!(
                lang,
                "{}: her er ingen database (intet er oprettet); kontrollér stien",
                "{}: there is no database here (nothing was created); check the path",
                path.display()
            ),
            OutputExists(path) => tr!(
                lang,
                "{}: filen findes allerede; vælg et andet navn, eller overskriv med --force",
                "{}: the file exists already; choose another name, or overwrite it with --force",
                path.display()
            ),
            NotARegularFile(path) => tr!(
                lang,
                "{}: ikke en almindelig fil (et link, en mappe eller en enhed); vælg et andet navn",
                "{}: not a regular file (a link, a folder or a device); choose another name",
                path.display()
            ),
            OutputIsDatabase(path) => tr!(
                lang,
                "{}: det er databasen i brug; vælg et andet navn",
                "{}: that is the database in use; choose another name",
                path.display()
            ),
            DanglingLink(path) => tr!(
                lang,
                "{}: et symbolsk link, der peger på intet; fjern linket eller vælg en anden sti",
                "{}: a symbolic link that points at nothing; remove the link or choose another path",
                path.display()
            ),
            ReadOnly(path) => tr!(
                lang,
                "{}: skrivebeskyttet; giv ejeren skriveadgang til filen og dens mappe (chmod u+w), eller brug en kopi",
                "{}: read-only; give the owner write access to the file and its folder (chmod u+w), or work on a copy",
                path.display()
            ),
            TextRefused(problem) => problem.message(lang),
            AuditRowUnfit(id) => tr!(
                lang,
                "revisionsspor-række {id} passer ikke til sin hash (ændret uden om programmet); en pakke kan ikke stå inde for den (kør verify)",
                "audit row {id} does not fit its hash (changed behind the program's back); a bundle cannot vouch for it (run verify)"
            ),
            TextNotUtf8 {
                path,
                table,
                row,
                column,
                more,
            } => tr!(
                lang,
                "{}: en gemt tekst er ikke UTF-8 (ændret uden om programmet): tabel {table}, række {row}, kolonne {column}{}; intet er læst videre (kør verify)",
                "{}: a stored text is not UTF-8 (changed behind the program's back): table {table}, row {row}, column {column}{}; nothing more was read (run verify)",
                path.display(),
                if *more > 0 {
                    format!(" (+{more})")
                } else {
                    String::new()
                }
            ),
            UnknownThemeScore(name) => tr!(
                lang,
                "ukendt regel for temaernes score {name:?} (kendte: indicator_mean, criterion_mean)",
                "unknown theme score rule {name:?} (known: indicator_mean, criterion_mean)"
            ),
            NoFrameworkModelForYear { framework, year } => tr!(
                lang,
                "ingen model for rammen {framework} var i kraft i {year} (se model list)",
                "no model of the framework {framework} was in force in {year} (see model list)"
            ),
            WrongFramework {
                model,
                framework,
                asked,
            } => tr!(
                lang,
                "model {model} hører til rammen {framework}, ikke {asked}",
                "model {model} belongs to the framework {framework}, not {asked}"
            ),
            Server { server, message } => tr!(
                lang,
                "{server}: databaseserveren: {message}",
                "{server}: database server: {message}"
            ),
            MigrateSame(db) => tr!(
                lang,
                "{db}: --from og --to er den samme database",
                "{db}: --from and --to are the same database"
            ),
            MigrateNotEmpty(db) => tr!(
                lang,
                "{db} har allerede tilbud eller vurderinger; vælg --on-conflict (som ved import) for at flette, eller en tom database",
                "{db} holds facilities or assessments already; choose --on-conflict (as for import) to merge, or an empty database"
            ),
            BackupOnServer { server } => tr!(
                lang,
                "{server}: en database på en server kopieres med serverens eget værktøj, pg_dump (fx pg_dump --format=custom --file=tilsyn.dump, tilbage med pg_restore); backup kopierer kun en SQLite-fil",
                "{server}: a database on a server is copied with the server's own tool, pg_dump (e.g. pg_dump --format=custom --file=tilsyn.dump, back with pg_restore); backup copies only an SQLite file"
            ),
            ServerRefused { server, refusal } => format!("{server}: {}", refused(refusal, lang)),
            RegionNeedsServer(db) => tr!(
                lang,
                "region kræver en PostgreSQL-server (--db postgres://…); {db} er ikke en serveradresse",
                "region needs a PostgreSQL server (--db postgres://…); {db} is not a server's address"
            ),
            RegionNotInitialised(server) => tr!(
                lang,
                "{server}: regionens roller er ikke sat op på serveren endnu (kør tilsynsklar region init som databasens ejer)",
                "{server}: the region's roles are not set up on the server yet (run tilsynsklar region init as the database's owner)"
            ),
            ServerTls { server, problem } => tr!(
                lang,
                "{server}: forbindelsen kan ikke sikres: {}",
                "{server}: the connection cannot be secured: {}",
                problem.pick(lang)
            ),
            BadRoleName(name) => tr!(
                lang,
                "{name:?} kan ikke bruges som rollenavn (højst 63 byte, ikke pg_… eller en af regionens grupper)",
                "{name:?} cannot be a role name (at most 63 bytes, not pg_… or one of the region's groups)"
            ),
        }
    }
}

/// What the server refused and why, in the user's words.
fn refused(refusal: &crate::error::Refusal, lang: Lang) -> String {
    use crate::error::Refusal::*;
    match refusal {
        NotLeader { facility } => tr!(
            lang,
            "serveren tillader ikke at ændre tilbuddet {facility}: du er ikke registreret som leder af det",
            "the server does not allow changing the facility {facility}: you are not registered as its leader"
        ),
        AuditBy { named } => tr!(
            lang,
            "serveren tillader ikke en række i loggen i navnet {named:?}: loggen skal nævne den rolle, du er logget ind som",
            "the server does not allow an audit row in the name {named:?}: the log must name the role you logged in as"
        ),
        AuditChain => lang
            .pick(
                "serveren tillader ikke rækken i loggen: den følger ikke efter kædens seneste række",
                "the server does not allow the audit row: it does not follow the chain's last row",
            )
            .to_string(),
        Table { table } => {
            let (what_da, what_en, who_da, who_en) = match table.as_deref() {
                Some("assessments") => ("vurderinger", "assessments", LEADERS.0, LEADERS.1),
                Some("scores") => ("scorer", "scores", LEADERS.0, LEADERS.1),
                Some("improvement_actions" | "action_indicators") => {
                    ("udviklingspunkter", "improvement actions", LEADERS.0, LEADERS.1)
                }
                Some("audit_log") => {
                    return lang
                        .pick(
                            "serveren tillader ikke at ændre eller slette rækker i loggen: den kan kun udvides, af tilbuddenes ledere og regionens kvalitetskonsulenter",
                            "the server does not allow changing or deleting audit rows: the log only grows, by the facilities' leaders and the region's quality consultants",
                        )
                        .to_string();
                }
                Some("facilities" | "facility_tags") => ("tilbud", "facilities", CONSULTANTS.0, CONSULTANTS.1),
                Some("models" | "model_mappings") => ("modeller", "models", CONSULTANTS.0, CONSULTANTS.1),
                Some("strategies" | "strategy_nodes" | "strategy_links") => {
                    ("strategier", "strategies", CONSULTANTS.0, CONSULTANTS.1)
                }
                Some("settings") => ("indstillinger", "settings", CONSULTANTS.0, CONSULTANTS.1),
                Some("facility_leaders") => (
                    "hvem der leder hvilke tilbud",
                    "who leads which facility",
                    CONSULTANTS.0,
                    CONSULTANTS.1,
                ),
                _ => ("databasen", "the database", "ejeren", "its owner"),
            };
            tr!(
                lang,
                "serveren tillader ikke din rolle at ændre {what_da}: det må kun {who_da} (se tilsynsklar region show)",
                "the server does not allow your role to change {what_en}: only {who_en} may (see tilsynsklar region show)"
            )
        }
    }
}

const LEADERS: (&str, &str) = ("tilbuddets leder", "the facility's leader");
const CONSULTANTS: (&str, &str) = (
    "regionens kvalitetskonsulenter",
    "the region's quality consultants",
);

/// What an empty required field is called, by the word the store and the core use.
fn empty_field(word: &str, lang: Lang) -> String {
    match word {
        "text" => lang.pick("teksten må ikke være tom", "the text must not be empty"),
        "reason" => lang.pick(
            "begrundelsen må ikke være tom",
            "the reason must not be empty",
        ),
        "name" => lang.pick("navnet må ikke være tomt", "the name must not be empty"),
        "indicator" => lang.pick(
            "der skal angives mindst én indikator",
            "name at least one indicator",
        ),
        other => {
            return tr!(
                lang,
                "{other} må ikke være tom",
                "{other} must not be empty"
            );
        }
    }
    .to_string()
}
