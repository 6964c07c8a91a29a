-- Buying: address book, cart, shipping templates, trades (one payment) split into one order per
-- merchant, order items with their money parts fixed at checkout, the order timeline, payment
-- notifications (idempotency) and after-sales with their refunds.
-- Money in fen; rates in basis points; times in epoch milliseconds.

-- A shop may let buyers collect at its store instead of shipping.
ALTER TABLE merchants ADD COLUMN pickup_address TEXT NOT NULL DEFAULT '';   -- '' = no self-pickup
-- The platform may give one merchant its own commission rate instead of the categories' rates.
ALTER TABLE merchants ADD COLUMN commission_override_bps BIGINT;
ALTER TABLE products ADD COLUMN shipping_template_id BIGINT;               -- NULL = the shop's default

CREATE TABLE addresses (
    id            INTEGER PRIMARY KEY,
    shopper_id    BIGINT NOT NULL REFERENCES shoppers (id),
    receiver      TEXT   NOT NULL,
    phone_enc     TEXT   NOT NULL,             -- AES-256-GCM, key from config
    phone_masked  TEXT   NOT NULL,
    province      TEXT   NOT NULL,
    city          TEXT   NOT NULL,
    district      TEXT   NOT NULL,
    detail_enc    TEXT   NOT NULL,             -- street and house number, encrypted
    is_default    BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX addresses_shopper ON addresses (shopper_id, is_default);

CREATE TABLE cart_items (
    id            INTEGER PRIMARY KEY,
    shopper_id    BIGINT NOT NULL REFERENCES shoppers (id),
    sku_id        BIGINT NOT NULL REFERENCES skus (id),
    qty           BIGINT NOT NULL,
    selected      BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (shopper_id, sku_id),
    CHECK (qty > 0)
);

CREATE TABLE shipping_templates (
    id            INTEGER PRIMARY KEY,
    merchant_id   BIGINT NOT NULL REFERENCES merchants (id),
    name          TEXT   NOT NULL,
    charge_by     TEXT   NOT NULL,             -- piece | weight (grams)
    -- JSON: [{"regions":["贵州省"],"first":1,"first_fee":800,"extra":1,"extra_fee":200}, ...];
    -- the rule with no regions applies everywhere else; none such = other regions not served
    rules         TEXT   NOT NULL,
    free_over     BIGINT NOT NULL DEFAULT 0,   -- goods amount (fen) from which shipping is free; 0 = never
    is_default    BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX shipping_templates_merchant ON shipping_templates (merchant_id, is_default);

-- One checkout: one payment over the orders of several merchants.
CREATE TABLE trades (
    id               INTEGER PRIMARY KEY,
    trade_no         TEXT   NOT NULL UNIQUE,    -- sent to the payment provider (out_trade_no)
    shopper_id       BIGINT NOT NULL REFERENCES shoppers (id),
    idempotency_key  TEXT   NOT NULL,
    status           TEXT   NOT NULL,           -- unpaid | paid | closed
    amount           BIGINT NOT NULL,           -- what the shopper pays, Σ orders' pay_amount
    pay_deadline     BIGINT NOT NULL,
    provider         TEXT   NOT NULL DEFAULT '',
    provider_txn_id  TEXT   NOT NULL DEFAULT '',
    paid_at          BIGINT,
    closed_at        BIGINT,
    created_at       BIGINT NOT NULL,
    UNIQUE (shopper_id, idempotency_key)
);
CREATE INDEX trades_due ON trades (status, pay_deadline);

CREATE TABLE orders (
    id                 INTEGER PRIMARY KEY,
    order_no           TEXT   NOT NULL UNIQUE,
    trade_id           BIGINT NOT NULL REFERENCES trades (id),
    merchant_id        BIGINT NOT NULL REFERENCES merchants (id),
    shopper_id         BIGINT NOT NULL REFERENCES shoppers (id),
    -- unpaid | to_ship | shipped | completed | cancelled
    status             TEXT   NOT NULL,
    goods_amount       BIGINT NOT NULL,         -- Σ items' gross
    merchant_discount  BIGINT NOT NULL DEFAULT 0,
    platform_discount  BIGINT NOT NULL DEFAULT 0,
    shipping_fee       BIGINT NOT NULL,
    pay_amount         BIGINT NOT NULL,         -- goods − discounts + shipping
    refunded_amount    BIGINT NOT NULL DEFAULT 0,   -- paid back so far, shipping included
    delivery           TEXT   NOT NULL,         -- express | pickup
    receiver           TEXT   NOT NULL DEFAULT '',
    phone_enc          TEXT   NOT NULL DEFAULT '',
    phone_masked       TEXT   NOT NULL DEFAULT '',
    region             TEXT   NOT NULL DEFAULT '',   -- province city district
    detail_enc         TEXT   NOT NULL DEFAULT '',
    remark             TEXT   NOT NULL DEFAULT '',
    carrier            TEXT   NOT NULL DEFAULT '',
    tracking_no        TEXT   NOT NULL DEFAULT '',
    paid_at            BIGINT,
    shipped_at         BIGINT,
    auto_confirm_at    BIGINT,
    completed_at       BIGINT,
    cancelled_at       BIGINT,
    cancel_reason      TEXT   NOT NULL DEFAULT '',
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    CHECK (refunded_amount <= pay_amount)
);
CREATE INDEX orders_trade ON orders (trade_id);
CREATE INDEX orders_shopper ON orders (shopper_id, status, id);
CREATE INDEX orders_merchant ON orders (merchant_id, status, id);
CREATE INDEX orders_auto_confirm ON orders (status, auto_confirm_at);

CREATE TABLE order_items (
    id                 INTEGER PRIMARY KEY,
    order_id           BIGINT NOT NULL REFERENCES orders (id),
    merchant_id        BIGINT NOT NULL REFERENCES merchants (id),
    product_id         BIGINT NOT NULL REFERENCES products (id),
    sku_id             BIGINT NOT NULL REFERENCES skus (id),
    title              TEXT   NOT NULL,
    spec_label         TEXT   NOT NULL,
    image              TEXT   NOT NULL,
    unit_price         BIGINT NOT NULL,
    qty                BIGINT NOT NULL,
    gross              BIGINT NOT NULL,         -- unit_price × qty
    merchant_discount  BIGINT NOT NULL DEFAULT 0,
    platform_discount  BIGINT NOT NULL DEFAULT 0,
    pay_amount         BIGINT NOT NULL,         -- gross − both discounts
    commission_bps     BIGINT NOT NULL,         -- fixed when the order is placed
    -- claimed by after-sales that are open or refunded (released when one is rejected or
    -- closed): the conditional update on these is what stops two requests over-refunding
    refund_qty         BIGINT NOT NULL DEFAULT 0,
    refund_amount      BIGINT NOT NULL DEFAULT 0,
    CHECK (refund_qty <= qty),
    CHECK (refund_amount <= pay_amount)
);
CREATE INDEX order_items_order ON order_items (order_id);

-- The timeline shown on an order (placed, paid, shipped, ...).
CREATE TABLE order_events (
    id          INTEGER PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES orders (id),
    kind        TEXT   NOT NULL,
    note        TEXT   NOT NULL DEFAULT '',
    actor       TEXT   NOT NULL,               -- shopper | merchant | admin | system
    created_at  BIGINT NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- Every payment or refund notification accepted, once: a replay finds its row and changes nothing.
CREATE TABLE payment_notifications (
    id           INTEGER PRIMARY KEY,
    provider     TEXT   NOT NULL,
    notify_id    TEXT   NOT NULL,
    kind         TEXT   NOT NULL,              -- payment | refund
    reference    TEXT   NOT NULL,              -- trade_no or refund_no
    amount       BIGINT NOT NULL,
    received_at  BIGINT NOT NULL,
    UNIQUE (provider, notify_id)
);

CREATE TABLE after_sales (
    id               INTEGER PRIMARY KEY,
    after_sale_no    TEXT   NOT NULL UNIQUE,
    order_id         BIGINT NOT NULL REFERENCES orders (id),
    merchant_id      BIGINT NOT NULL REFERENCES merchants (id),
    shopper_id       BIGINT NOT NULL REFERENCES shoppers (id),
    kind             TEXT   NOT NULL,           -- refund_only | return_refund
    -- pending | rejected | arbitrating | awaiting_return | returned | refunding | refunded | closed
    status           TEXT   NOT NULL,
    reason           TEXT   NOT NULL,
    photos           TEXT   NOT NULL DEFAULT '',   -- image keys separated by spaces
    amount           BIGINT NOT NULL,           -- goods part + shipping part
    shipping_amount  BIGINT NOT NULL DEFAULT 0,
    reject_reason    TEXT   NOT NULL DEFAULT '',
    return_carrier   TEXT   NOT NULL DEFAULT '',
    return_tracking  TEXT   NOT NULL DEFAULT '',
    refund_no        TEXT   NOT NULL UNIQUE,    -- sent to the payment provider (out_refund_no)
    refunded_at      BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX after_sales_order ON after_sales (order_id);
CREATE INDEX after_sales_merchant ON after_sales (merchant_id, status, id);
CREATE INDEX after_sales_shopper ON after_sales (shopper_id, id);

CREATE TABLE after_sale_items (
    after_sale_id  BIGINT NOT NULL REFERENCES after_sales (id),
    order_item_id  BIGINT NOT NULL REFERENCES order_items (id),
    qty            BIGINT NOT NULL,
    amount         BIGINT NOT NULL,
    PRIMARY KEY (after_sale_id, order_item_id),
    CHECK (qty > 0)
);
