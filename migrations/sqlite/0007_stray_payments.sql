-- Money a trade cannot keep: a payment that arrives after its trade closed (its stock already
-- back on the shelf), or a second payment of a trade already paid. Each is sent back in full,
-- the way it came (原路退回), under its own refund number; a trade may have several.
CREATE TABLE stray_payments (
    id               INTEGER PRIMARY KEY,
    trade_id         BIGINT NOT NULL REFERENCES trades (id),
    kind             TEXT   NOT NULL,             -- late | duplicate
    provider         TEXT   NOT NULL,
    provider_txn_id  TEXT   NOT NULL,             -- the provider's transaction id of this payment
    amount           BIGINT NOT NULL,             -- fen
    refund_no        TEXT   NOT NULL UNIQUE,
    status           TEXT   NOT NULL,             -- refunding | refunded
    asked_at         BIGINT NOT NULL,             -- refund last asked of the provider
    refunded_at      BIGINT,
    created_at       BIGINT NOT NULL,
    UNIQUE (provider, provider_txn_id)
);
CREATE INDEX stray_payments_trade ON stray_payments (trade_id);
CREATE INDEX stray_payments_refunding ON stray_payments (status, asked_at);

-- Late payments recorded on their trades move here under the trade's id, so their ledger
-- postings (keyed by that id, under the events' former names late_payment and late_refund,
-- which the ledger being append-only keeps) stay theirs.
INSERT INTO stray_payments (id, trade_id, kind, provider, provider_txn_id, amount, refund_no,
                            status, asked_at, refunded_at, created_at)
SELECT id, id, 'late', provider, provider_txn_id, amount, late_refund_no, late_refund_status,
       late_refund_at, CASE WHEN late_refund_status = 'refunded' THEN late_refund_at END,
       COALESCE(paid_at, late_refund_at)
FROM trades WHERE late_refund_no IS NOT NULL;
UPDATE trades SET provider = '', provider_txn_id = '', paid_at = NULL
WHERE late_refund_no IS NOT NULL;
DROP INDEX trades_late_refund_no;
DROP INDEX trades_late_refunding;
ALTER TABLE trades DROP COLUMN late_refund_no;
ALTER TABLE trades DROP COLUMN late_refund_status;
ALTER TABLE trades DROP COLUMN late_refund_at;

-- The provider asked to prepare a payment of the trade (its order there must be closed when
-- the trade closes), and when that close is owed (NULL: nothing to close, or closed).
ALTER TABLE trades ADD COLUMN prepaid_with TEXT NOT NULL DEFAULT '';
ALTER TABLE trades ADD COLUMN provider_close_due BIGINT;
CREATE INDEX trades_provider_close_due ON trades (provider_close_due);
