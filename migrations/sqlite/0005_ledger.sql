-- Money after payment: an append-only double-entry ledger, settlement bills per merchant and
-- cycle, and withdrawals. Amounts in fen; a line's amount is a debit when positive and a
-- credit when negative, and the lines of one posting sum to zero.

-- One account per kind and owner (merchant_id 0 = the platform). `balance` is kept on the
-- account's normal side (debit for clearing and subsidy expense, credit for the rest), so a
-- merchant's available balance reads as a positive number; it always equals its lines' sum.
CREATE TABLE ledger_accounts (
    id           INTEGER PRIMARY KEY,
    kind         TEXT   NOT NULL,
    merchant_id  BIGINT NOT NULL DEFAULT 0,
    balance      BIGINT NOT NULL DEFAULT 0,
    UNIQUE (kind, merchant_id)
);

-- One posting per event and source (the payment of an order, a refund, a completion, a bill's
-- confirmation, a withdrawal step): posting it again finds the row and posts nothing.
CREATE TABLE ledger_postings (
    id           INTEGER PRIMARY KEY,
    event        TEXT   NOT NULL,
    source_id    BIGINT NOT NULL,
    merchant_id  BIGINT NOT NULL DEFAULT 0,
    memo         TEXT   NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    UNIQUE (event, source_id)
);

CREATE TABLE ledger_lines (
    id           INTEGER PRIMARY KEY,
    posting_id   BIGINT NOT NULL REFERENCES ledger_postings (id),
    account_id   BIGINT NOT NULL REFERENCES ledger_accounts (id),
    merchant_id  BIGINT NOT NULL DEFAULT 0,   -- the account's owner, for the merchant's reads
    order_id     BIGINT,                      -- the order this money belongs to, if any
    amount       BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX ledger_lines_posting ON ledger_lines (posting_id);
CREATE INDEX ledger_lines_account ON ledger_lines (account_id, id);
CREATE INDEX ledger_lines_merchant ON ledger_lines (merchant_id, id);
CREATE INDEX ledger_lines_order ON ledger_lines (order_id);

CREATE TRIGGER ledger_lines_no_update BEFORE UPDATE ON ledger_lines
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_lines_no_delete BEFORE DELETE ON ledger_lines
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_postings_no_delete BEFORE DELETE ON ledger_postings
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- One bill per merchant and settlement run, listing each order it settles.
CREATE TABLE settlement_bills (
    id             INTEGER PRIMARY KEY,
    bill_no        TEXT   NOT NULL UNIQUE,
    merchant_id    BIGINT NOT NULL REFERENCES merchants (id),
    period_start   BIGINT NOT NULL,
    period_end     BIGINT NOT NULL,            -- orders settleable before this moment
    status         TEXT   NOT NULL,            -- pending | confirmed | disputed
    order_count    BIGINT NOT NULL,
    gross          BIGINT NOT NULL,
    merchant_discount BIGINT NOT NULL,
    platform_subsidy  BIGINT NOT NULL,
    shipping       BIGINT NOT NULL,
    commission     BIGINT NOT NULL,
    refunds        BIGINT NOT NULL,
    net            BIGINT NOT NULL,
    objection      TEXT   NOT NULL DEFAULT '',
    confirmed_by   TEXT   NOT NULL DEFAULT '',
    confirmed_at   BIGINT,
    created_at     BIGINT NOT NULL,
    UNIQUE (merchant_id, period_end)
);
CREATE INDEX settlement_bills_status ON settlement_bills (status, id);

CREATE TABLE settlement_bill_orders (
    bill_id        BIGINT NOT NULL REFERENCES settlement_bills (id),
    order_id       BIGINT NOT NULL REFERENCES orders (id) UNIQUE,   -- an order is settled once
    order_no       TEXT   NOT NULL,
    completed_at   BIGINT NOT NULL,
    gross          BIGINT NOT NULL,
    merchant_discount BIGINT NOT NULL,
    platform_subsidy  BIGINT NOT NULL,
    shipping       BIGINT NOT NULL,
    commission     BIGINT NOT NULL,
    refunds        BIGINT NOT NULL,
    net            BIGINT NOT NULL,
    PRIMARY KEY (bill_id, order_id)
);

CREATE TABLE withdrawals (
    id             INTEGER PRIMARY KEY,
    withdrawal_no  TEXT   NOT NULL UNIQUE,
    merchant_id    BIGINT NOT NULL REFERENCES merchants (id),
    amount         BIGINT NOT NULL,
    status         TEXT   NOT NULL,            -- pending | paid | rejected
    account_name   TEXT   NOT NULL,            -- 开户名
    bank_name      TEXT   NOT NULL,
    account_no     TEXT   NOT NULL,            -- masked: only the last four digits are kept
    requested_by   TEXT   NOT NULL,
    reviewed_by    TEXT   NOT NULL DEFAULT '',
    transfer_ref   TEXT   NOT NULL DEFAULT '',
    reject_reason  TEXT   NOT NULL DEFAULT '',
    reviewed_at    BIGINT,
    created_at     BIGINT NOT NULL,
    CHECK (amount > 0)
);
CREATE INDEX withdrawals_merchant ON withdrawals (merchant_id, id);
CREATE INDEX withdrawals_status ON withdrawals (status, id);
