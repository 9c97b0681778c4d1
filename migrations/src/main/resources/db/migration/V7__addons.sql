-- Addon management: installations (desired: which addon at which version with which values, per cluster; reported:
-- the controller's status), the controllers' per-cluster lease, default addon sets, and rollouts with their progress
-- per cluster.

CREATE TABLE addon_installations (
    id                  UUID        PRIMARY KEY,
    cluster_name        TEXT        NOT NULL,
    addon               TEXT        NOT NULL,
    -- Desired: written by requests, default sets and rollouts; generation advances on every change.
    version             TEXT        NOT NULL,
    namespace           TEXT        NOT NULL,
    values              JSONB       NOT NULL DEFAULT '{}'::jsonb,
    generation          BIGINT      NOT NULL DEFAULT 1,
    source              TEXT        NOT NULL,
    -- Named in the cluster's spec: removed when a later spec no longer names it.
    declared_in_spec    BOOLEAN     NOT NULL DEFAULT false,
    requested_by        TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    removal_requested_at TIMESTAMPTZ,
    -- Reported: written by the cluster's controller only (InstallationStatus as JSON).
    status              JSONB       NOT NULL DEFAULT '{}'::jsonb,
    status_updated_at   TIMESTAMPTZ,
    CONSTRAINT addon_installations_once UNIQUE (cluster_name, addon)
);
CREATE INDEX addon_installations_addon_idx ON addon_installations (addon);

-- One row per cluster with installations: which replica's controller works on it, until when.
CREATE TABLE addon_cluster_state (
    cluster_name   TEXT        PRIMARY KEY,
    lease_holder   TEXT,
    lease_until    TIMESTAMPTZ,
    reconciled_at  TIMESTAMPTZ,
    reachable      BOOLEAN,
    message        TEXT
);

-- Default sets: every new cluster of the team (or of any team when team is null) whose labels match the selector
-- gets these addons.
CREATE TABLE addon_default_sets (
    name        TEXT        PRIMARY KEY,
    team        TEXT,
    selector    JSONB       NOT NULL DEFAULT '{}'::jsonb,
    addons      JSONB       NOT NULL,
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE addon_rollouts (
    id                  UUID        PRIMARY KEY,
    addon               TEXT        NOT NULL,
    target_version      TEXT        NOT NULL,
    phase               TEXT        NOT NULL,
    settings            JSONB       NOT NULL,
    message             TEXT        NOT NULL DEFAULT '',
    created_by          TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    finished_at         TIMESTAMPTZ,
    lock_version        BIGINT      NOT NULL DEFAULT 0
);
-- One rollout of an addon at a time.
CREATE UNIQUE INDEX addon_rollouts_one_active ON addon_rollouts (addon)
    WHERE phase IN ('Running', 'Paused', 'RollingBack');

CREATE TABLE addon_rollout_targets (
    rollout_id       UUID        NOT NULL REFERENCES addon_rollouts (id) ON DELETE CASCADE,
    cluster_name     TEXT        NOT NULL,
    position         INTEGER     NOT NULL,
    wave             INTEGER     NOT NULL,
    phase            TEXT        NOT NULL,
    previous_version TEXT,
    started_at       TIMESTAMPTZ,
    healthy_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    message          TEXT        NOT NULL DEFAULT '',
    PRIMARY KEY (rollout_id, cluster_name)
);
