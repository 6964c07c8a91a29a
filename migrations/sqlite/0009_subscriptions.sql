-- Subscription messages (订阅消息) of the mini-program. Times are epoch ms.

-- One-time subscriptions a shopper accepted in the mini-program: WeChat lets us send one message
-- of a template per acceptance, so each acceptance is one credit, spent by one send.
CREATE TABLE subscription_credits (
    shopper_id  BIGINT NOT NULL REFERENCES shoppers (id),
    template_id TEXT   NOT NULL,
    credits     BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (shopper_id, template_id)
);

-- Messages owed to shoppers: written in the transaction of what they tell (a shipment, a refund,
-- an after-sale decision), sent by the notice job, each claimed by one sender.
CREATE TABLE subscription_notices (
    id          INTEGER PRIMARY KEY,
    shopper_id  BIGINT NOT NULL REFERENCES shoppers (id),
    event       TEXT   NOT NULL,              -- shipped | refunded | after_sale_decided
    order_id    BIGINT NOT NULL,
    -- domain::subscribe_message::NoticeValues as JSON
    notice      TEXT   NOT NULL,
    status      TEXT   NOT NULL,              -- pending | sending | sent | skipped | failed
    attempts    BIGINT NOT NULL DEFAULT 0,
    next_at     BIGINT NOT NULL,
    -- why it was skipped or failed (no credit, WeChat's errcode and message)
    outcome     TEXT   NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX subscription_notices_due ON subscription_notices (status, next_at);
