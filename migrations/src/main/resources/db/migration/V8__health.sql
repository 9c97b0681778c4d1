-- Cluster health checks and alerts (module cluster-health).

-- The latest health of each cluster: one row written per sweep (the checks as one document, each with the time its
-- status last changed), so that the fleet view is one query and a sweep over 1,000 clusters is 1,000 updates.
CREATE TABLE health_cluster_state (
    cluster_name  TEXT        PRIMARY KEY,
    status        TEXT        NOT NULL,
    checks        JSONB       NOT NULL,
    checked_at    TIMESTAMPTZ NOT NULL,
    advanced_at   TIMESTAMPTZ,
    probe_millis  INTEGER     NOT NULL DEFAULT 0
);

-- A check's history: one row each time a check (or one of its findings, subject non-empty) changes status.
CREATE TABLE health_check_transitions (
    id           BIGSERIAL   PRIMARY KEY,
    cluster_name TEXT        NOT NULL,
    check_name   TEXT        NOT NULL,
    subject      TEXT        NOT NULL DEFAULT '',
    from_status  TEXT,
    to_status    TEXT        NOT NULL,
    reason       TEXT        NOT NULL,
    message      TEXT        NOT NULL,
    at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX health_check_transitions_cluster_idx ON health_check_transitions (cluster_name, at DESC);
CREATE INDEX health_check_transitions_time_idx ON health_check_transitions (at);

-- Alerts: opened when a rule's condition held for its duration, resolved when it stopped holding for the rule's
-- keep-firing time. At most one firing alert per fingerprint (rule, cluster, subject): deduplication across replicas.
CREATE TABLE health_alerts (
    id                BIGSERIAL   PRIMARY KEY,
    fingerprint       TEXT        NOT NULL,
    rule              TEXT        NOT NULL,
    severity          TEXT        NOT NULL,
    cluster_name      TEXT        NOT NULL,
    team              TEXT,
    check_name        TEXT        NOT NULL,
    subject           TEXT        NOT NULL DEFAULT '',
    state             TEXT        NOT NULL,
    summary           TEXT        NOT NULL,
    description       TEXT        NOT NULL,
    labels            JSONB       NOT NULL,
    active_since      TIMESTAMPTZ NOT NULL,
    started_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    resolved_at       TIMESTAMPTZ,
    refreshed_at      TIMESTAMPTZ
);
CREATE UNIQUE INDEX health_alerts_firing_once ON health_alerts (fingerprint) WHERE state = 'Firing';
CREATE INDEX health_alerts_cluster_idx ON health_alerts (cluster_name, started_at DESC);
CREATE INDEX health_alerts_state_idx ON health_alerts (state, started_at DESC);

-- The delivery outbox: written in the transaction that opens or resolves an alert, so that no notification is lost
-- while a receiver is down or the application restarts. Worked off with retries and back-off.
CREATE TABLE health_alert_deliveries (
    id              BIGSERIAL   PRIMARY KEY,
    alert_id        BIGINT      NOT NULL REFERENCES health_alerts (id) ON DELETE CASCADE,
    receiver        TEXT        NOT NULL,
    kind            TEXT        NOT NULL,
    state           TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ,
    last_error      TEXT
);
CREATE INDEX health_alert_deliveries_due_idx ON health_alert_deliveries (next_attempt_at) WHERE state = 'Pending';
CREATE INDEX health_alert_deliveries_alert_idx ON health_alert_deliveries (alert_id);
