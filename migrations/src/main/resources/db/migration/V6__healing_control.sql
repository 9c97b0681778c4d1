-- NodePool auto-healing, the controller's side: a replacement may be asked for again once an earlier request for the
-- same machine failed; pause switches; what the last evaluation of each cluster saw; and a lease so that one replica
-- evaluates a cluster at a time, sweep and on-demand heal alike.

-- The claim: at most one replacement of a machine in progress, across every replica. A failed one (Rancher refused
-- the deletion, the machine did not go) no longer blocks a later attempt, which the back-off spaces out.
ALTER TABLE healing_replacements DROP CONSTRAINT healing_replacements_once;
CREATE UNIQUE INDEX healing_replacements_once ON healing_replacements (cluster_name, machine)
    WHERE outcome = 'InProgress';
CREATE INDEX healing_replacements_open_idx ON healing_replacements (cluster_name) WHERE outcome = 'InProgress';
ALTER TABLE healing_replacements ADD COLUMN failure TEXT;

-- Pause switches: pool '' pauses the whole cluster. Who paused, when and why are shown with the status.
CREATE TABLE healing_pauses (
    cluster_name TEXT        NOT NULL,
    pool         TEXT        NOT NULL DEFAULT '',
    reason       TEXT        NOT NULL,
    paused_by    TEXT        NOT NULL,
    paused_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cluster_name, pool)
);

-- One row per cluster healing has looked at: the last evaluation (for the jump and reachability rules and the status
-- page) and the evaluation lease.
CREATE TABLE healing_cluster_state (
    cluster_name       TEXT        PRIMARY KEY,
    evaluated_at       TIMESTAMPTZ,
    observed           BOOLEAN     NOT NULL DEFAULT false,
    unhealthy          INTEGER     NOT NULL DEFAULT 0,
    desired            INTEGER     NOT NULL DEFAULT 0,
    jumped             BOOLEAN     NOT NULL DEFAULT false,
    last_jump_at       TIMESTAMPTZ,
    last_blind_at      TIMESTAMPTZ,
    verdict            TEXT,
    reason             TEXT,
    message            TEXT,
    next_evaluation_at TIMESTAMPTZ,
    lease_holder       TEXT,
    lease_until        TIMESTAMPTZ
);
CREATE INDEX healing_decisions_time_idx ON healing_decisions (decided_at);
