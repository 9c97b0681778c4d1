-- Cross-cluster service discovery (service-mirror, docs/decisions/0012): a team's sets of clusters that import each
-- other's exported services, their members, and each export's state.

-- A set: desired state (name, team, whether followers' namespaces may be created) written by the API; the lease
-- and pass bookkeeping written by the mirror. The name is a label value in the clusters (mirror.kubeyard.dev/set),
-- hence unique across teams and a DNS label.
CREATE TABLE mirror_sets (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                TEXT        NOT NULL,
    team_id             BIGINT      NOT NULL REFERENCES teams (id),
    description         TEXT,
    create_namespaces   BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    version             BIGINT      NOT NULL DEFAULT 0,
    -- Set when the set is deleted through the API: every member has left; the mirror removes the set's followers
    -- and then the row.
    deleting_since      TIMESTAMPTZ,
    -- Which replica runs the set's collectors and passes, until when.
    lease_holder        TEXT,
    lease_until         TIMESTAMPTZ,
    -- The orphan sweep (clustered Quartz) asks; the lease holder relists the members and answers.
    sweep_requested_at  TIMESTAMPTZ,
    swept_at            TIMESTAMPTZ,
    planned_at          TIMESTAMPTZ,
    CONSTRAINT mirror_sets_name_key UNIQUE (name),
    CONSTRAINT mirror_sets_name_dns1123 CHECK (name ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$')
);
CREATE INDEX mirror_sets_team_idx ON mirror_sets (team_id);

-- A member cluster. A cluster that leaves keeps its row (left_at) until the mirror has removed the set's followers
-- from it; a cluster is an active member of at most one set. last_seen: when its collector last had every watch up
-- (the exporter's lease: its endpoints are withdrawn withdraw-after later).
CREATE TABLE mirror_set_members (
    set_id      BIGINT      NOT NULL REFERENCES mirror_sets (id) ON DELETE CASCADE,
    cluster_id  BIGINT      NOT NULL REFERENCES managed_clusters (id) ON DELETE CASCADE,
    joined_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    left_at     TIMESTAMPTZ,
    last_seen   TIMESTAMPTZ,
    PRIMARY KEY (set_id, cluster_id)
);
CREATE UNIQUE INDEX mirror_set_members_one_set_idx ON mirror_set_members (cluster_id) WHERE left_at IS NULL;

-- Each export of a member cluster as the mirror last planned it: its definition (kept so that the exports of a
-- cluster that does not answer after a restart are still known until its lease ends), who imported it, refusals
-- and conditions (Valid, Conflict, EndpointsWithdrawn). The API and the service board read it.
CREATE TABLE mirror_exports (
    set_id       BIGINT      NOT NULL REFERENCES mirror_sets (id) ON DELETE CASCADE,
    cluster      TEXT        NOT NULL,
    namespace    TEXT        NOT NULL,
    name         TEXT        NOT NULL,
    -- 'ServiceExport' (KEP-1645) or 'Label' (mirror.kubeyard.dev/export=true).
    via          TEXT        NOT NULL,
    exported_at  TIMESTAMPTZ NOT NULL,
    -- {"type": "ClusterIP"|"Headless", "ports": [{name, protocol, port}], "endpoints": [{ports, addresses}]}
    definition   JSONB       NOT NULL,
    imported_by  JSONB       NOT NULL DEFAULT '[]'::jsonb,
    -- [{cluster, reason, message}]
    refusals     JSONB       NOT NULL DEFAULT '[]'::jsonb,
    -- [{type, status, reason, message, lastTransitionTime}]
    conditions   JSONB       NOT NULL DEFAULT '[]'::jsonb,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (set_id, cluster, namespace, name),
    CONSTRAINT mirror_exports_via CHECK (via IN ('ServiceExport', 'Label'))
);
CREATE INDEX mirror_exports_service_idx ON mirror_exports (cluster, namespace, name);
