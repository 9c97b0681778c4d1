-- Teams and access: platform users, their roles (granted by hand or from directory groups), personal API tokens,
-- team quotas, and an audit trail that records outcomes and sources and cannot be rewritten.

-- Quotas per team; NULL means the configured default (kubeyard.platform.access.default-max-*), which may be unlimited.
ALTER TABLE teams ADD COLUMN max_clusters INTEGER CHECK (max_clusters IS NULL OR max_clusters >= 0);
ALTER TABLE teams ADD COLUMN max_nodes INTEGER CHECK (max_nodes IS NULL OR max_nodes >= 0);

-- A person or robot that calls the platform. "local" users exist only here (the bootstrap admin, robots); "directory"
-- users come from LDAP and their rights follow their groups; "oidc" users are known from an OIDC issuer's tokens.
CREATE TABLE users (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT        NOT NULL,
    display_name TEXT,
    email        TEXT,
    source       TEXT        NOT NULL,
    directory_dn TEXT,
    -- When the directory (or the OIDC token) last told us this user's groups.
    synced_at    TIMESTAMPTZ,
    disabled_at  TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    version      BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT users_name_key UNIQUE (name),
    CONSTRAINT users_name_syntax CHECK (name ~ '^[a-z0-9]([-a-z0-9._@]{0,126}[a-z0-9])?$'),
    CONSTRAINT users_source CHECK (source IN ('local', 'directory', 'oidc'))
);

-- A role a user holds: platform-wide (team_id NULL: platform-admin, auditor) or in one team (team-admin, team-member).
-- "manual" grants are given through the API; "directory" grants are recomputed from group bindings at each sync.
CREATE TABLE role_grants (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    team_id    BIGINT      REFERENCES teams (id) ON DELETE CASCADE,
    role       TEXT        NOT NULL,
    source     TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    version    BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT role_grants_source CHECK (source IN ('manual', 'directory')),
    CONSTRAINT role_grants_scope CHECK (
        (team_id IS NULL AND role IN ('platform-admin', 'auditor'))
        OR (team_id IS NOT NULL AND role IN ('team-admin', 'team-member')))
);
-- One role per user, scope and source (a manual and a directory grant of the same team may both exist).
CREATE UNIQUE INDEX role_grants_unique_idx ON role_grants (user_id, COALESCE(team_id, 0), source);
CREATE INDEX role_grants_team_idx ON role_grants (team_id);

-- Which directory group gives which role: the group's name as the directory has it (its cn, or its DN).
CREATE TABLE group_bindings (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_name TEXT        NOT NULL,
    team_id    BIGINT      REFERENCES teams (id) ON DELETE CASCADE,
    role       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    version    BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT group_bindings_scope CHECK (
        (team_id IS NULL AND role IN ('platform-admin', 'auditor'))
        OR (team_id IS NOT NULL AND role IN ('team-admin', 'team-member')))
);
CREATE UNIQUE INDEX group_bindings_unique_idx ON group_bindings (group_name, COALESCE(team_id, 0));

-- Personal API tokens. Only a SHA-256 hash of the secret is kept (the secret is 190 random bits: a slow hash adds
-- nothing); the hint is the token's first characters, enough to tell tokens apart in a list.
CREATE TABLE api_tokens (
    id             UUID        PRIMARY KEY,
    user_id        BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name           TEXT        NOT NULL,
    secret_hash    TEXT        NOT NULL,
    hint           TEXT        NOT NULL,
    created_by     TEXT        NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    revoked_at     TIMESTAMPTZ,
    last_used_at   TIMESTAMPTZ,
    last_used_from TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    version        BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT api_tokens_secret_hash_key UNIQUE (secret_hash)
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Operations keep their team, so that the team can still read them once the cluster row is gone.
ALTER TABLE operations ADD COLUMN team_name TEXT;
UPDATE operations o SET team_name = t.name FROM managed_clusters c JOIN teams t ON t.id = c.team_id
    WHERE o.cluster_id = c.id;

-- The audit trail says how a request ended and where it came from.
ALTER TABLE audit_events ADD COLUMN outcome TEXT NOT NULL DEFAULT 'success';
ALTER TABLE audit_events ADD CONSTRAINT audit_events_outcome CHECK (outcome IN ('success', 'denied', 'failed'));
ALTER TABLE audit_events ADD COLUMN source_address TEXT;
CREATE INDEX audit_events_actor_idx ON audit_events (actor, occurred_at DESC);

-- Append-only: no row of the audit trail is ever changed or removed, whoever asks.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER audit_events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
