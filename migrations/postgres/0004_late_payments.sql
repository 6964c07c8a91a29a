-- A payment that arrives after its trade closed (its stock already back on the shelf) is sent
-- back in full, the way it came (原路退回). One such refund per trade.
ALTER TABLE trades ADD COLUMN late_refund_no TEXT;
ALTER TABLE trades ADD COLUMN late_refund_status TEXT;     -- refunding | refunded
ALTER TABLE trades ADD COLUMN late_refund_at BIGINT;       -- last asked, or done
CREATE UNIQUE INDEX trades_late_refund_no ON trades (late_refund_no);
CREATE INDEX trades_late_refunding ON trades (late_refund_status, late_refund_at);
