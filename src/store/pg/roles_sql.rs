//! The SQL of `region init` (`roles.rs`): the group roles, `facility_leaders`, the
//! functions the policies and triggers ask, the grants, the policies, the guard triggers.

use super::audit::{CHAIN_LOCK, IN_REGION_GROUP};

/// The tables whose rows belong to one facility, with the SQL giving a row's facility.
/// `@` stands for the row (nothing in a policy, `NEW.` in a trigger).
const FACILITY_TABLES: &[(&str, &str)] = &[
    ("assessments", "@facility_id"),
    (
        "scores",
        "(SELECT a.facility_id FROM assessments a WHERE a.id = @assessment_id)",
    ),
    (
        "improvement_actions",
        "(SELECT a.facility_id FROM assessments a WHERE a.id = @assessment_id)",
    ),
    (
        "action_indicators",
        "(SELECT a.facility_id FROM improvement_actions i JOIN assessments a ON a.id = i.assessment_id WHERE i.id = @action_id)",
    ),
];

/// The tables the consultants write.
const CONSULTANT_TABLES: &str = "facilities, facility_tags, models, model_mappings, strategies, strategy_nodes, strategy_links, settings, facility_leaders";

/// The group roles, made where missing (roles belong to the whole cluster: another
/// database, or another `region init` at the same time, may have made them).
pub(super) const GROUPS: &str = r#"
DO $$
DECLARE g text;
BEGIN
    FOREACH g IN ARRAY ARRAY['tilsynsklar_leader', 'tilsynsklar_consultant', 'tilsynsklar_management'] LOOP
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
                EXECUTE format('CREATE ROLE %I NOLOGIN', g);
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END LOOP;
END $$;
"#;

/// The table of who leads what, and the functions the policies and triggers ask.
const FUNCTIONS: &str = r#"
CREATE TABLE IF NOT EXISTS facility_leaders (
    role_name   TEXT NOT NULL,
    facility_id BIGINT NOT NULL REFERENCES facilities (id) ON DELETE CASCADE,
    PRIMARY KEY (role_name, facility_id)
);
CREATE OR REPLACE FUNCTION tilsynsklar_leads(f bigint) RETURNS boolean
    LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM facility_leaders WHERE facility_id = f AND role_name = session_user) $$;
CREATE OR REPLACE FUNCTION tilsynsklar_member(g text) RETURNS boolean
    LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
                  JOIN pg_roles u ON u.oid = m.member
                  WHERE u.rolname = session_user AND r.rolname = g) $$;
CREATE OR REPLACE FUNCTION tilsynsklar_refuse_facility(f bigint, tab text) RETURNS void
    LANGUAGE plpgsql AS
$$ BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'insufficient_privilege',
        MESSAGE = format('%s is not registered as a leader of facility %s', session_user, f),
        DETAIL = coalesce((SELECT name FROM facilities WHERE id = f), f::text),
        CONSTRAINT = 'tilsynsklar_leader',
        TABLE = tab;
END $$;
"#;

/// The guard trigger's function for one table: a leader's new row must be of a facility
/// they lead (said before the policy's check, which would not name the facility).
fn guard(table: &str, facility: &str) -> String {
    let new_facility = facility.replace('@', "NEW.");
    format!(
        r#"
CREATE OR REPLACE FUNCTION tilsynsklar_guard_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE f bigint;
BEGIN
    IF tilsynsklar_member('tilsynsklar_leader') THEN
        f := {new_facility};
        IF f IS NULL OR NOT tilsynsklar_leads(f) THEN
            PERFORM tilsynsklar_refuse_facility(f, '{table}');
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER tilsynsklar_leader_guard BEFORE INSERT OR UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION tilsynsklar_guard_{table}();
"#
    )
}

/// The audit log's insert trigger: for a member of the region's groups, the lock the
/// program's append takes, the row's `by` the connected role, the row the chain's next,
/// and a leader's row of a facility they lead.
fn audit_guard() -> String {
    format!(
        r#"
CREATE OR REPLACE FUNCTION tilsynsklar_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE head_id bigint; head_hash text;
BEGIN
    IF NOT {IN_REGION_GROUP} THEN RETURN NEW; END IF;
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
    IF NEW."by" IS DISTINCT FROM session_user::text THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = format('an audit row written by %s must name %s', session_user, session_user),
            DETAIL = coalesce(NEW."by", ''), CONSTRAINT = 'tilsynsklar_audit_by', TABLE = 'audit_log';
    END IF;
    SELECT coalesce(max(id), 0) INTO head_id FROM audit_log;
    SELECT coalesce((SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1), '')
        INTO head_hash;
    IF NEW.id IS DISTINCT FROM head_id + 1 OR NEW.prev_hash IS DISTINCT FROM head_hash THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'an audit row must follow the last row of the chain',
            CONSTRAINT = 'tilsynsklar_audit_chain', TABLE = 'audit_log';
    END IF;
    IF NEW.facility_id IS NOT NULL AND tilsynsklar_member('tilsynsklar_leader')
       AND NOT tilsynsklar_member('tilsynsklar_consultant') AND NOT tilsynsklar_leads(NEW.facility_id) THEN
        PERFORM tilsynsklar_refuse_facility(NEW.facility_id, 'audit_log');
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER tilsynsklar_audit_guard BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION tilsynsklar_audit_guard();
"#
    )
}

/// Every statement of `region init` after the groups, for tables owned by `owner`.
pub(super) fn init_sql(owner: &str) -> String {
    let owner = ident(owner);
    let mut sql = String::from(FUNCTIONS);
    sql.push_str(&format!(
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO tilsynsklar_leader, tilsynsklar_consultant, tilsynsklar_management;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO tilsynsklar_leader, tilsynsklar_consultant, tilsynsklar_management;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO tilsynsklar_leader, tilsynsklar_consultant;
GRANT INSERT ON audit_log TO tilsynsklar_leader, tilsynsklar_consultant;
GRANT INSERT, UPDATE, DELETE ON {CONSULTANT_TABLES} TO tilsynsklar_consultant;
GRANT INSERT, UPDATE, DELETE ON assessments, scores, improvement_actions, action_indicators TO tilsynsklar_leader;
"
    ));
    for (table, row_facility) in FACILITY_TABLES {
        let facility = row_facility.replace('@', "");
        sql.push_str(&format!(
            "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tilsynsklar_read ON {table};
CREATE POLICY tilsynsklar_read ON {table} FOR SELECT USING (true);
DROP POLICY IF EXISTS tilsynsklar_owner ON {table};
CREATE POLICY tilsynsklar_owner ON {table} TO {owner} USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS tilsynsklar_leader_insert ON {table};
CREATE POLICY tilsynsklar_leader_insert ON {table} FOR INSERT TO tilsynsklar_leader
    WITH CHECK (tilsynsklar_leads({facility}));
DROP POLICY IF EXISTS tilsynsklar_leader_update ON {table};
CREATE POLICY tilsynsklar_leader_update ON {table} FOR UPDATE TO tilsynsklar_leader
    USING (tilsynsklar_leads({facility})) WITH CHECK (tilsynsklar_leads({facility}));
DROP POLICY IF EXISTS tilsynsklar_leader_delete ON {table};
CREATE POLICY tilsynsklar_leader_delete ON {table} FOR DELETE TO tilsynsklar_leader
    USING (tilsynsklar_leads({facility}));
"
        ));
        sql.push_str(&guard(table, row_facility));
    }
    sql.push_str(&audit_guard());
    sql
}

/// A role's name as an SQL identifier.
pub(super) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
