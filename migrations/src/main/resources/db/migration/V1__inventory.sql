-- Kubeyard inventory: teams, managed clusters, node pools, operations, audit events.
-- PostgreSQL 15 or newer (see migrations/README.md). Every mutable row carries a "version" column for
-- optimistic locking (JPA @Version); audit events are append-only and have none.

CREATE TABLE teams (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT        NOT NULL,
    display_name TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    version      BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT teams_name_key UNIQUE (name),
    CONSTRAINT teams_name_dns1123 CHECK (name ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$')
);

CREATE TABLE managed_clusters (
    id                      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                    TEXT        NOT NULL,
    team_id                 BIGINT      NOT NULL REFERENCES teams (id),
    -- Desired state: the full spec as the user last applied it.
    spec                    JSONB       NOT NULL DEFAULT '{}'::jsonb,
    generation              BIGINT      NOT NULL DEFAULT 1,
    kubernetes_version      TEXT        NOT NULL,
    labels                  JSONB       NOT NULL DEFAULT '{}'::jsonb,
    time_to_live_seconds    BIGINT      CHECK (time_to_live_seconds IS NULL OR time_to_live_seconds > 0),
    expires_at              TIMESTAMPTZ,
    -- Where the cluster lives in Rancher: provisioning object name and management cluster id (c-m-...).
    rancher_name            TEXT,
    rancher_management_id   TEXT,
    -- Observed state, written by the reconciler only.
    phase                   TEXT        NOT NULL DEFAULT 'Pending',
    conditions              JSONB       NOT NULL DEFAULT '[]'::jsonb,
    observed_generation     BIGINT      NOT NULL DEFAULT 0,
    observed_kubernetes_version TEXT,
    nodes_desired           INTEGER     NOT NULL DEFAULT 0 CHECK (nodes_desired >= 0),
    nodes_ready             INTEGER     NOT NULL DEFAULT 0 CHECK (nodes_ready >= 0),
    deletion_requested_at   TIMESTAMPTZ,
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    version                 BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT managed_clusters_name_key UNIQUE (name),
    CONSTRAINT managed_clusters_rancher_name_key UNIQUE (rancher_name),
    CONSTRAINT managed_clusters_name_dns1123 CHECK (name ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
    CONSTRAINT managed_clusters_phase CHECK (
        phase IN ('Pending', 'Provisioning', 'Ready', 'Updating', 'Degraded', 'Deleting', 'Failed'))
);
CREATE INDEX managed_clusters_team_idx ON managed_clusters (team_id);
CREATE INDEX managed_clusters_labels_idx ON managed_clusters USING GIN (labels jsonb_path_ops);
CREATE INDEX managed_clusters_expires_idx ON managed_clusters (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE node_pools (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cluster_id         BIGINT      NOT NULL REFERENCES managed_clusters (id) ON DELETE CASCADE,
    name               TEXT        NOT NULL,
    etcd_role          BOOLEAN     NOT NULL DEFAULT FALSE,
    control_plane_role BOOLEAN     NOT NULL DEFAULT FALSE,
    worker_role        BOOLEAN     NOT NULL DEFAULT FALSE,
    quantity           INTEGER     NOT NULL CHECK (quantity >= 0),
    -- Image, flavor, network and further machine settings.
    node_spec          JSONB       NOT NULL DEFAULT '{}'::jsonb,
    labels             JSONB       NOT NULL DEFAULT '{}'::jsonb,
    -- A list of {key, value, effect}.
    taints             JSONB       NOT NULL DEFAULT '[]'::jsonb,
    nodes_ready        INTEGER     NOT NULL DEFAULT 0 CHECK (nodes_ready >= 0),
    nodes_total        INTEGER     NOT NULL DEFAULT 0 CHECK (nodes_total >= 0),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    version            BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT node_pools_cluster_name_key UNIQUE (cluster_id, name),
    CONSTRAINT node_pools_name_dns1123 CHECK (name ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
    CONSTRAINT node_pools_some_role CHECK (etcd_role OR control_plane_role OR worker_role)
);

CREATE TABLE operations (
    id               UUID        PRIMARY KEY,
    -- History outlives the cluster row: the name is kept, the reference is cleared.
    cluster_id       BIGINT      REFERENCES managed_clusters (id) ON DELETE SET NULL,
    cluster_name     TEXT        NOT NULL,
    kind             TEXT        NOT NULL,
    state            TEXT        NOT NULL DEFAULT 'Pending',
    progress         INTEGER     NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    parameters       JSONB       NOT NULL DEFAULT '{}'::jsonb,
    result           JSONB,
    error            TEXT,
    requested_by     TEXT        NOT NULL,
    correlation_id   TEXT        NOT NULL,
    idempotency_key  TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    version          BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT operations_state CHECK (state IN ('Pending', 'Running', 'Succeeded', 'Failed', 'Cancelled')),
    CONSTRAINT operations_idempotency_key UNIQUE (requested_by, idempotency_key)
);
CREATE INDEX operations_cluster_idx ON operations (cluster_id, created_at DESC);
CREATE INDEX operations_open_idx ON operations (state) WHERE state IN ('Pending', 'Running');
CREATE INDEX operations_correlation_idx ON operations (correlation_id);

CREATE TABLE audit_events (
    id             UUID        PRIMARY KEY,
    occurred_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor          TEXT        NOT NULL,
    action         TEXT        NOT NULL,
    target_kind    TEXT        NOT NULL,
    target_name    TEXT        NOT NULL,
    reason         TEXT        NOT NULL,
    correlation_id TEXT        NOT NULL,
    details        JSONB       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_target_idx ON audit_events (target_kind, target_name, occurred_at DESC);
CREATE INDEX audit_events_correlation_idx ON audit_events (correlation_id);
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at DESC);
