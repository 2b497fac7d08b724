-- Where each batched data migration stands. A batch's change and this row's update commit together, so a crash
-- between batches loses nothing and repeats nothing. The row stays after the backfill finishes (finished_at set), as
-- its record; a rollback that undoes the version removes it.

CREATE TABLE backfill_progress (
    managed_schema text        NOT NULL,
    version        text        NOT NULL,
    script         text        NOT NULL,
    checksum       integer     NOT NULL,
    deployment_id  text        NOT NULL,
    table_name     text        NOT NULL,
    key_column     text        NOT NULL,
    first_key      bigint,
    upper_key      bigint,
    last_key       bigint,
    rows_done      bigint      NOT NULL DEFAULT 0,
    batches        integer     NOT NULL DEFAULT 0,
    batch_size     integer     NOT NULL,
    busy_ms        bigint      NOT NULL DEFAULT 0,
    invocations    integer     NOT NULL DEFAULT 1,
    started_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    PRIMARY KEY (managed_schema, version)
);
