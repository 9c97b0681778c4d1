-- NodePool auto-healing: every evaluation's decision, carried out or held back, and the replacements requested.

-- One row per decision of a healing pass: the cluster's, and one per node that was not healthy. Append-only history
-- ("why was this node replaced, why not that one"); details hold the inputs, the budget state and the evidence.
CREATE TABLE healing_decisions (
    id           UUID        PRIMARY KEY,
    cluster_name TEXT        NOT NULL,
    pool         TEXT,
    machine      TEXT,
    decided_at   TIMESTAMPTZ NOT NULL,
    verdict      TEXT        NOT NULL,
    rule         TEXT        NOT NULL,
    reason       TEXT        NOT NULL,
    message      TEXT        NOT NULL,
    details      JSONB       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX healing_decisions_cluster_idx ON healing_decisions (cluster_name, decided_at DESC);
CREATE INDEX healing_decisions_machine_idx ON healing_decisions (cluster_name, machine, decided_at DESC);

-- A replacement Kubeyard asked for. The unique (cluster, machine) is the claim: whichever replica inserts it first
-- deletes the machine; another replica planning the same replacement at the same moment finds it taken.
CREATE TABLE healing_replacements (
    id           UUID        PRIMARY KEY,
    cluster_name TEXT        NOT NULL,
    pool         TEXT        NOT NULL,
    machine      TEXT        NOT NULL,
    fleet_key    TEXT        NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    outcome      TEXT        NOT NULL DEFAULT 'InProgress',
    finished_at  TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    version      BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT healing_replacements_once UNIQUE (cluster_name, machine),
    CONSTRAINT healing_replacements_outcome CHECK (outcome IN ('InProgress', 'Succeeded', 'Failed'))
);
CREATE INDEX healing_replacements_fleet_idx ON healing_replacements (fleet_key, requested_at DESC);
CREATE INDEX healing_replacements_cluster_idx ON healing_replacements (cluster_name, requested_at DESC);
