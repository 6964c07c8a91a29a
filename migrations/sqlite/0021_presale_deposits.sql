-- 预售 定金+尾款 (domain::presale_deposit): a presale may take a deposit per unit when the order
-- is placed and the balance in a later window; a deposit may count for more at balance time
-- (定金膨胀, a shop-funded line discount). Money in fen, times in epoch ms.
ALTER TABLE presale_activities ADD COLUMN pay_mode TEXT NOT NULL DEFAULT 'full';          -- full | deposit
ALTER TABLE presale_activities ADD COLUMN balance_starts_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE presale_activities ADD COLUMN balance_ends_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE presale_activities ADD COLUMN missed_balance TEXT NOT NULL DEFAULT 'refund';  -- refund | keep
ALTER TABLE presale_skus ADD COLUMN deposit BIGINT NOT NULL DEFAULT 0;        -- per unit
ALTER TABLE presale_skus ADD COLUMN deposit_value BIGINT NOT NULL DEFAULT 0;  -- per unit, at balance time

-- The balance of one deposit order: the order's own trade took the deposit; `trade_id` is the
-- balance's trade, made when the shopper starts paying it.
CREATE TABLE presale_balances (
    order_id     BIGINT NOT NULL PRIMARY KEY REFERENCES orders (id),
    activity_id  BIGINT NOT NULL REFERENCES presale_activities (id),
    shopper_id   BIGINT NOT NULL REFERENCES shoppers (id),
    deposit      BIGINT NOT NULL,
    inflation    BIGINT NOT NULL,
    balance      BIGINT NOT NULL,
    starts_at    BIGINT NOT NULL,                 -- the balance window
    ends_at      BIGINT NOT NULL,
    missed       TEXT   NOT NULL,                 -- refund | keep: the policy the shopper was shown
    status       TEXT   NOT NULL,                 -- due | paid | refunded | kept
    trade_id     BIGINT REFERENCES trades (id),
    paid_at      BIGINT,
    missed_at    BIGINT,
    CHECK (deposit > 0 AND balance > 0)
);
CREATE UNIQUE INDEX presale_balances_trade ON presale_balances (trade_id);
CREATE INDEX presale_balances_due ON presale_balances (status, ends_at);

-- An after-sale of a deposit order whose balance was paid goes back through both payments,
-- the balance's first: `balance_amount` of `amount` through the balance's trade under
-- `balance_refund_no`, the rest through the order's own trade under `refund_no`. It is refunded
-- when both parts are confirmed.
ALTER TABLE after_sales ADD COLUMN balance_refund_no TEXT;
ALTER TABLE after_sales ADD COLUMN balance_amount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE after_sales ADD COLUMN balance_refunded_at BIGINT;
ALTER TABLE after_sales ADD COLUMN trade_refunded_at BIGINT;
CREATE UNIQUE INDEX after_sales_balance_refund_no ON after_sales (balance_refund_no);
