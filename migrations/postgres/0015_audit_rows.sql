-- Which row an audit entry concerns and what changed (DESIGN.md: who, what, which row, before →
-- after). target_kind is domain::audit::AuditTarget's stored name ('' for sign-ins); before and
-- after hold the state or value the action changed ('' when it changes none). The index serves
-- one row's history (the log filtered to 订单 #12).
ALTER TABLE audit_log ADD COLUMN target_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN target_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_log ADD COLUMN before_value TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN after_value TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_target ON audit_log (target_kind, target_id, id);
