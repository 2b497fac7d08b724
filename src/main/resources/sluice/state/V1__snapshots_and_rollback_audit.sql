-- Sluice's own tables, in its state schema (sluice.state-schema, "sluice" by default), versioned under the history
-- table sluice_state_history. A state schema that already holds these tables from before they were versioned is
-- baselined at this version instead of running it.

CREATE TABLE schema_snapshot (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    managed_schema text NOT NULL,
    version       text NOT NULL,
    deployment_id text NOT NULL,
    taken_at      timestamptz NOT NULL DEFAULT now(),
    sha256        text NOT NULL,
    snapshot      text NOT NULL
);

CREATE INDEX schema_snapshot_lookup ON schema_snapshot (managed_schema, version, id DESC);

CREATE TABLE rollback_audit (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deployment_id  text NOT NULL,
    managed_schema text NOT NULL,
    requested_by   text NOT NULL,
    reason         text NOT NULL,
    strategy       text NOT NULL,
    from_version   text,
    to_version     text NOT NULL,
    result         text NOT NULL,
    detail         text,
    undone_history text,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz NOT NULL DEFAULT now()
);
