-- Cluster lifecycle: tie reconciler calls to the request that caused them, and let a long operation resume after a
-- crash instead of repeating a step.

-- The correlation id of the request that last changed a cluster's desired state: the reconciler's Rancher calls carry
-- it into the audit trail.
ALTER TABLE managed_clusters ADD COLUMN correlation_id TEXT;

-- What the reconciler has committed to for a running operation (for example the Rancher generation it asks for, or the
-- machine it replaces), written before the Rancher call so that a later pass resumes rather than repeats it.
ALTER TABLE operations ADD COLUMN checkpoint JSONB NOT NULL DEFAULT '{}'::jsonb;

-- Label filters on the cluster list use jsonb containment (labels @> '{"env":"prod"}'), served by the GIN index of V1.
