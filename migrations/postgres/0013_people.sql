-- People management in the platform console: why an account was disabled, shown beside its
-- status (who disabled it and when stays in audit_log). Disabling ends the account's live
-- cookie sessions and mini-program tokens at once (services::people).
ALTER TABLE shoppers ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE merchant_staff ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE admins ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
