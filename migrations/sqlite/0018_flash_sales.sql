-- 秒杀 (domain::flash_sale). The platform runs an event over a few days with slots starting at
-- fixed hours (China time); shops apply one SKU per row for one slot; the platform approves or
-- rejects. An approved row's activity stock is taken by a conditional update together with the
-- SKU's stock when an order is placed, and given back exactly once when the trade closes unpaid.
CREATE TABLE flash_sale_events (
    id                     INTEGER PRIMARY KEY,
    title                  TEXT   NOT NULL,
    first_day              BIGINT NOT NULL,          -- China-time day numbers (days since 1970)
    last_day               BIGINT NOT NULL,
    slot_hours             TEXT   NOT NULL,          -- start hours, ascending, e.g. '10 14 20'
    slot_minutes           BIGINT NOT NULL,          -- how long each slot sells
    apply_until            BIGINT NOT NULL,          -- epoch ms: shops apply before this
    allow_platform_coupon  BIGINT NOT NULL DEFAULT 0,
    status                 TEXT   NOT NULL,          -- active | ended
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL
);

CREATE TABLE flash_sale_items (
    id              INTEGER PRIMARY KEY,
    event_id        BIGINT NOT NULL REFERENCES flash_sale_events (id),
    merchant_id     BIGINT NOT NULL REFERENCES merchants (id),
    product_id      BIGINT NOT NULL REFERENCES products (id),
    sku_id          BIGINT NOT NULL REFERENCES skus (id),
    starts_at       BIGINT NOT NULL,                 -- the slot, epoch ms
    ends_at         BIGINT NOT NULL,
    price           BIGINT NOT NULL,                 -- the activity price, fen
    quantity        BIGINT NOT NULL,                 -- activity stock offered
    sold            BIGINT NOT NULL DEFAULT 0,       -- held by placed orders (unpaid or paid)
    per_user_limit  BIGINT NOT NULL,
    per_order_limit BIGINT NOT NULL,
    status          TEXT   NOT NULL,                 -- pending | approved | rejected | withdrawn
    reason          TEXT   NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    CHECK (sold >= 0 AND sold <= quantity)
);
CREATE INDEX flash_sale_items_event ON flash_sale_items (event_id, status);
CREATE INDEX flash_sale_items_sku ON flash_sale_items (sku_id, ends_at);
CREATE INDEX flash_sale_items_merchant ON flash_sale_items (merchant_id, id);

-- What each shopper holds of each item (placed orders not closed): the per-user limit is one
-- conditional upsert on this row, so two checkouts of one shopper cannot both pass it.
CREATE TABLE flash_sale_buyers (
    item_id     BIGINT NOT NULL REFERENCES flash_sale_items (id),
    shopper_id  BIGINT NOT NULL REFERENCES shoppers (id),
    qty         BIGINT NOT NULL,
    PRIMARY KEY (item_id, shopper_id),
    CHECK (qty >= 0)
);

-- The flash-sale item an order line was bought under (NULL: the normal price).
ALTER TABLE order_items ADD COLUMN flash_sale_item_id BIGINT REFERENCES flash_sale_items (id);
