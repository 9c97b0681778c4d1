-- The multi-cluster service board (module serviceboard).

-- Substring search (name, images, hosts) through trigram indexes. pg_trgm ships with PostgreSQL's contrib and is a
-- trusted extension (PostgreSQL 13+): the database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One row per Service of a managed cluster, as the board shows it; written only by the replica that holds the
-- cluster's collector lease (board_clusters), and only when something the board shows changed.
CREATE TABLE board_services (
    cluster_name            TEXT        NOT NULL,
    namespace               TEXT        NOT NULL,
    name                    TEXT        NOT NULL,
    type                    TEXT        NOT NULL,
    cluster_ip              TEXT,
    ports                   JSONB       NOT NULL DEFAULT '[]'::jsonb,
    ingress_hosts           TEXT[]      NOT NULL DEFAULT '{}',
    ingress_addresses       TEXT[]      NOT NULL DEFAULT '{}',
    load_balancer_addresses TEXT[]      NOT NULL DEFAULT '{}',
    images                  TEXT[]      NOT NULL DEFAULT '{}',
    -- The pods behind the service: total, running, pending, succeeded, failed, unknown, ready.
    pods                    JSONB       NOT NULL,
    ready_endpoints         INTEGER     NOT NULL DEFAULT 0,
    not_ready_endpoints     INTEGER     NOT NULL DEFAULT 0,
    status                  TEXT        NOT NULL,
    -- Worst first: Down 0, Degraded 1, Unknown 2, Healthy 3 (the board's default order).
    status_rank             SMALLINT    NOT NULL,
    status_reason           TEXT        NOT NULL,
    labels                  JSONB       NOT NULL DEFAULT '{}'::jsonb,
    -- Lower-case text the free search looks in: namespace/name, images, ingress hosts.
    search_text             TEXT        NOT NULL,
    -- Lower-case images, one per line, for the image search.
    images_text             TEXT        NOT NULL DEFAULT '',
    updated_at              TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cluster_name, namespace, name),
    CONSTRAINT board_services_status CHECK (status IN ('Healthy', 'Degraded', 'Down', 'Unknown'))
);
CREATE INDEX board_services_search_idx ON board_services USING GIN (search_text gin_trgm_ops);
CREATE INDEX board_services_images_idx ON board_services USING GIN (images_text gin_trgm_ops);
CREATE INDEX board_services_name_trgm_idx ON board_services USING GIN (name gin_trgm_ops);
CREATE INDEX board_services_labels_idx ON board_services USING GIN (labels jsonb_path_ops);
CREATE INDEX board_services_status_idx ON board_services (status_rank, name, cluster_name, namespace);
CREATE INDEX board_services_name_idx ON board_services (name, cluster_name, namespace);
CREATE INDEX board_services_updated_idx ON board_services (updated_at, cluster_name, namespace, name);

-- The collector of each cluster: who holds it (one replica at a time), whether its objects are current.
CREATE TABLE board_clusters (
    cluster_name TEXT        PRIMARY KEY,
    lease_holder TEXT,
    lease_until  TIMESTAMPTZ,
    -- When the collector's last full synchronisation finished (null: never).
    synced_at    TIMESTAMPTZ,
    -- Why the cluster's rows are Unknown now (unreachable, not synchronised); null while they are current.
    stale_reason TEXT,
    stale_since  TIMESTAMPTZ,
    services     INTEGER     NOT NULL DEFAULT 0,
    changed_at   TIMESTAMPTZ
);
