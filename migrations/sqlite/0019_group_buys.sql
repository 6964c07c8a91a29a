-- 拼团 (domain::group_buy). A shop's activity on one product: a group price and activity stock
-- per SKU. A group's seats are held by its members' orders: `held` counts unpaid and paid
-- members (taken by a conditional update when an order is placed, so the last seat goes to one
-- checkout only), `paid` the members who paid; the group succeeds when `paid` reaches `size`.
CREATE TABLE group_buy_activities (
    id               INTEGER PRIMARY KEY,
    merchant_id      BIGINT NOT NULL REFERENCES merchants (id),
    product_id       BIGINT NOT NULL REFERENCES products (id),
    title            TEXT   NOT NULL,
    starts_at        BIGINT NOT NULL,                -- epoch ms
    ends_at          BIGINT NOT NULL,
    group_size       BIGINT NOT NULL,
    lifetime_hours   BIGINT NOT NULL,
    per_order_limit  BIGINT NOT NULL,
    per_user_limit   BIGINT NOT NULL,
    virtual_fill     BIGINT NOT NULL DEFAULT 0,
    virtual_max      BIGINT NOT NULL DEFAULT 0,
    status           TEXT   NOT NULL,                -- active | ended
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    CHECK (group_size BETWEEN 2 AND 10)
);
CREATE INDEX group_buy_activities_merchant ON group_buy_activities (merchant_id, id);
CREATE INDEX group_buy_activities_product ON group_buy_activities (product_id, ends_at);

CREATE TABLE group_buy_skus (
    id           INTEGER PRIMARY KEY,
    activity_id  BIGINT NOT NULL REFERENCES group_buy_activities (id),
    sku_id       BIGINT NOT NULL REFERENCES skus (id),
    price        BIGINT NOT NULL,                    -- the group price, fen
    quantity     BIGINT NOT NULL,                    -- activity stock offered
    sold         BIGINT NOT NULL DEFAULT 0,          -- held by placed orders (unpaid or paid)
    UNIQUE (activity_id, sku_id),
    CHECK (sold >= 0 AND sold <= quantity)
);
CREATE INDEX group_buy_skus_sku ON group_buy_skus (sku_id);

CREATE TABLE group_buy_groups (
    id              INTEGER PRIMARY KEY,
    activity_id     BIGINT NOT NULL REFERENCES group_buy_activities (id),
    merchant_id     BIGINT NOT NULL REFERENCES merchants (id),
    size            BIGINT NOT NULL,
    held            BIGINT NOT NULL DEFAULT 0,
    paid            BIGINT NOT NULL DEFAULT 0,
    virtual_count   BIGINT NOT NULL DEFAULT 0,
    status          TEXT   NOT NULL,                 -- pending | open | succeeded | failed | cancelled
    expires_at      BIGINT NOT NULL DEFAULT 0,       -- epoch ms, set when the leader pays
    created_at      BIGINT NOT NULL,
    closed_at       BIGINT,
    CHECK (held >= 0 AND held <= size AND paid >= 0 AND paid <= held)
);
CREATE INDEX group_buy_groups_activity ON group_buy_groups (activity_id, status, expires_at);
CREATE INDEX group_buy_groups_due ON group_buy_groups (status, expires_at);

CREATE TABLE group_buy_members (
    id           INTEGER PRIMARY KEY,
    group_id     BIGINT NOT NULL REFERENCES group_buy_groups (id),
    shopper_id   BIGINT NOT NULL REFERENCES shoppers (id),
    order_id     BIGINT NOT NULL REFERENCES orders (id),
    leader       BIGINT NOT NULL DEFAULT 0,
    status       TEXT   NOT NULL,                    -- unpaid | joined | closed | left | refunded
    joined_at    BIGINT NOT NULL,                    -- the order placed; paid_at when paid
    paid_at      BIGINT,
    updated_at   BIGINT NOT NULL
);
-- one seat per shopper per group: nobody joins a group twice (their own included)
CREATE UNIQUE INDEX group_buy_members_seat ON group_buy_members (group_id, shopper_id)
    WHERE status IN ('unpaid', 'joined');
CREATE INDEX group_buy_members_group ON group_buy_members (group_id, status);
CREATE UNIQUE INDEX group_buy_members_order ON group_buy_members (order_id);

-- What each shopper holds of each activity (placed orders not closed or refunded): the
-- per-user limit is one conditional upsert on this row.
CREATE TABLE group_buy_buyers (
    activity_id  BIGINT NOT NULL REFERENCES group_buy_activities (id),
    shopper_id   BIGINT NOT NULL REFERENCES shoppers (id),
    qty          BIGINT NOT NULL,
    PRIMARY KEY (activity_id, shopper_id),
    CHECK (qty >= 0)
);

-- The group-buy SKU an order line was bought under (NULL: not a group line).
ALTER TABLE order_items ADD COLUMN group_buy_sku_id BIGINT REFERENCES group_buy_skus (id);
