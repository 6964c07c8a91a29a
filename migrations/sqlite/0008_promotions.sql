-- Coupons and full-reduction promotions: steps 3–5 of the pricing pipeline (DESIGN.md
-- "Promotions and pricing"). Amounts are fen, rates basis points, times epoch ms.

-- A coupon template (批次): the platform's (merchant_id NULL) or a shop's.
CREATE TABLE coupon_templates (
    id                    INTEGER PRIMARY KEY,
    merchant_id           BIGINT REFERENCES merchants (id),
    name                  TEXT   NOT NULL,
    kind                  TEXT   NOT NULL,        -- amount_off | percent | no_threshold
    threshold             BIGINT NOT NULL,
    amount_off            BIGINT NOT NULL,
    off_bps               BIGINT NOT NULL,
    cap                   BIGINT NOT NULL,
    -- scope: ids separated by spaces, empty for any
    category_ids          TEXT   NOT NULL DEFAULT '',
    shop_ids              TEXT   NOT NULL DEFAULT '',
    product_ids           TEXT   NOT NULL DEFAULT '',
    excluded_product_ids  TEXT   NOT NULL DEFAULT '',
    -- validity: fixed dates (valid_days 0), or valid_days from the claim
    valid_from            BIGINT NOT NULL DEFAULT 0,
    valid_until           BIGINT NOT NULL DEFAULT 0,
    valid_days            BIGINT NOT NULL DEFAULT 0,
    from_next_day         BIGINT NOT NULL DEFAULT 0,
    claim_from            BIGINT NOT NULL,
    claim_until           BIGINT NOT NULL,
    total_qty             BIGINT NOT NULL,
    -- copies handed out: the conditional update on this is what stops over-issuing
    issued_qty            BIGINT NOT NULL DEFAULT 0,
    per_user_limit        BIGINT NOT NULL,
    per_user_daily_limit  BIGINT NOT NULL DEFAULT 0,   -- 0: no daily limit
    distribution          TEXT   NOT NULL,        -- claim | push | sign_up
    shop_share_bps        BIGINT NOT NULL DEFAULT 0,   -- shop-borne share of a platform coupon
    status                TEXT   NOT NULL,        -- active | paused | ended | voided
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    CHECK (issued_qty <= total_qty)
);
CREATE INDEX coupon_templates_merchant ON coupon_templates (merchant_id, status);

-- How many copies of a template each shopper holds, in all and on their last claim's day
-- (China time): one upsert guarded by the limits claims or refuses.
CREATE TABLE coupon_claims (
    template_id    BIGINT NOT NULL REFERENCES coupon_templates (id),
    shopper_id     BIGINT NOT NULL REFERENCES shoppers (id),
    claimed        BIGINT NOT NULL,
    day            BIGINT NOT NULL,               -- days since 1970-01-01 China time
    claimed_on_day BIGINT NOT NULL,
    PRIMARY KEY (template_id, shopper_id)
);

-- One shopper's copy of a coupon.
CREATE TABLE coupons (
    id             INTEGER PRIMARY KEY,
    template_id    BIGINT NOT NULL REFERENCES coupon_templates (id),
    merchant_id    BIGINT REFERENCES merchants (id),
    shopper_id     BIGINT NOT NULL REFERENCES shoppers (id),
    status         TEXT   NOT NULL,               -- available | locked | used | expired | voided
    valid_from     BIGINT NOT NULL,
    valid_until    BIGINT NOT NULL,
    trade_id       BIGINT REFERENCES trades (id), -- the trade that locked or used it
    discount       BIGINT NOT NULL DEFAULT 0,     -- what it took off that trade
    used_at        BIGINT,
    claimed_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX coupons_shopper ON coupons (shopper_id, status, valid_until);
CREATE INDEX coupons_template ON coupons (template_id, status);
CREATE INDEX coupons_trade ON coupons (trade_id);

-- A shop's full-reduction (满减 / 满折).
CREATE TABLE full_reductions (
    id           INTEGER PRIMARY KEY,
    merchant_id  BIGINT NOT NULL REFERENCES merchants (id),
    title        TEXT   NOT NULL,
    basis        TEXT   NOT NULL,                 -- amount | quantity
    benefit      TEXT   NOT NULL,                 -- amount_off | percent
    -- tiers as threshold:off:free_shipping(0/1), separated by spaces, ascending
    tiers        TEXT   NOT NULL,
    repeat_each  BIGINT NOT NULL DEFAULT 0,       -- 每满
    repeat_cap   BIGINT NOT NULL DEFAULT 0,
    product_ids  TEXT   NOT NULL DEFAULT '',      -- empty: the whole shop
    starts_at    BIGINT NOT NULL,
    ends_at      BIGINT NOT NULL,
    status       TEXT   NOT NULL,                 -- active | paused | ended
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX full_reductions_merchant ON full_reductions (merchant_id, status, ends_at);

-- Line discount rows: every discount of an order item, by source and funder; they sum to the
-- item's merchant_discount (funder shop) and platform_discount (funder platform).
CREATE TABLE order_item_discounts (
    id             INTEGER PRIMARY KEY,
    order_item_id  BIGINT NOT NULL REFERENCES order_items (id),
    order_id       BIGINT NOT NULL REFERENCES orders (id),
    source         TEXT   NOT NULL,               -- full_reduction | shop_coupon | platform_coupon
    source_id      BIGINT NOT NULL,               -- promotion id, or coupon copy id
    funder         TEXT   NOT NULL,               -- shop | platform
    amount         BIGINT NOT NULL,
    CHECK (amount > 0)
);
CREATE INDEX order_item_discounts_order ON order_item_discounts (order_id);
CREATE INDEX order_item_discounts_source ON order_item_discounts (source, source_id);

-- What became of the coupons when an after-sale refunded: given back or kept, and why.
ALTER TABLE after_sales ADD COLUMN coupon_note TEXT NOT NULL DEFAULT '';
