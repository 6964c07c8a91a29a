//! Checkout: price a basket on the server (preview), then turn it into one trade (one payment)
//! and one order per merchant (submit), taking stock with a conditional update in the same
//! transaction. Client prices are never read: the request carries SKUs and quantities only.

use std::collections::HashMap;
use std::time::Instant;

use sqlx::AnyConnection;

use crate::domain::address::AddressView;
use crate::domain::cart::{
    CheckoutPreview, CheckoutRequest, CouponChoice, DepositPreview, DiscountLine, LineRequest,
    PreviewLine, ShopPreview, TradeCreated,
};
use crate::domain::coupon::MyCoupon;
use crate::domain::flash_sale::ActivityPrice;
use crate::domain::full_reduction::FullReduction;
use crate::domain::group_buy::GroupPrice;
use crate::domain::order::{
    check_qty, price_order, Delivery, LineDiscount, OrderAmounts, PricedLine, MAX_LINES,
};
use crate::domain::presale::PresalePrice;
use crate::domain::presale_deposit::DepositTerms;
use crate::domain::pricing::{self, CouponFit, DiscountSource, Funder, Pick};
use crate::domain::shipping::ShippingTemplate;
use crate::error::{AppError, AppResult};
use crate::infra::numbers::new_number;
use crate::repo::cart::{self as cart_repo, SkuOfferRow};
use crate::repo::coupons as coupon_repo;
use crate::repo::flash_sales as flash_repo;
use crate::repo::group_buys as group_repo;
use crate::repo::orders::{self as repo, NewDiscount, NewItem, NewOrder};
use crate::repo::presale_balances::{self as balance_repo, NewBalance};
use crate::repo::shipping as shipping_repo;
use crate::repo::stock::{self as stock_repo, StockLine, StockTaken};
use crate::repo::trades::{self as trade_repo, NewTrade, TradeRow};
use crate::services::addresses;
use crate::services::cart::{offer_spec_label, unavailable};
use crate::services::shipping::{free_template, from_row, template_for};
use crate::services::{coupons, flash_sales, full_reductions, group_seats, presales};
use crate::state::AppState;

/// One shop's part of a priced checkout.
struct PricedShop {
    merchant_id: i64,
    shop_name: String,
    pickup_address: String,
    delivery: Delivery,
    /// false when express delivery does not reach the address (then `amounts` has no shipping)
    delivers: bool,
    remark: String,
    /// each line with its commission rate (bps) and its discounts
    lines: Vec<(PricedLine, i64)>,
    discounts: Vec<LineDiscount>,
    /// the basket index (in `Priced::pricing`) of the shop's first line
    first: usize,
    free_shipping: bool,
    amounts: OrderAmounts,
}

struct Priced {
    address: Option<AddressView>,
    shops: Vec<PricedShop>,
    /// the pricing pipeline's answer: line discount rows, chosen coupons, every coupon's fit
    pricing: pricing::Priced,
    /// the shopper's usable coupons, as the checkout page shows them
    coupons: Vec<MyCoupon>,
    promotions: Vec<FullReduction>,
    /// 立即抢购, 拼团 or 预售: the one line's activity
    activity: ActivityLine,
}

/// The line of a 秒杀 checkout: bought at the item's price, its SKU's stock still taken at the
/// SKU's own price (the guard against a price changed since the page was shown).
#[derive(Debug, Clone, Copy)]
struct FlashSaleLine {
    sku_id: i64,
    qty: i64,
    sku_price: i64,
    activity: ActivityPrice,
}

/// The line of a 拼团 checkout: bought at the group price, opening or joining a group.
#[derive(Debug, Clone, Copy)]
struct GroupLine {
    sku_id: i64,
    qty: i64,
    merchant_id: i64,
    sku_price: i64,
    group: GroupPrice,
}

/// The line of a 预售 checkout: bought at the presale price, carrying its ship promise.
#[derive(Debug, Clone, Copy)]
struct PresaleLine {
    sku_id: i64,
    qty: i64,
    sku_price: i64,
    presale: PresalePrice,
}

/// The activity a checkout's one line is bought in, if any (pricing step 1).
#[derive(Debug, Clone, Copy, Default)]
struct ActivityLine {
    flash_sale: Option<FlashSaleLine>,
    group_buy: Option<GroupLine>,
    presale: Option<PresaleLine>,
}

impl ActivityLine {
    /// Step 1: the SKU's price, or the activity's for its line.
    fn unit_price(&self, o: &SkuOfferRow) -> i64 {
        match (self.flash_sale, self.group_buy, self.presale) {
            (Some(f), _, _) if f.sku_id == o.sku_id => f.activity.price,
            (_, Some(g), _) if g.sku_id == o.sku_id => g.group.price,
            (_, _, Some(p)) if p.sku_id == o.sku_id => p.presale.price,
            _ => o.price,
        }
    }

    /// What the later steps may do to the line: an activity line skips the shop's discounts,
    /// and takes the platform coupon only when its flash-sale event allows it.
    fn terms(&self, sku_id: i64) -> Option<pricing::ActivityTerms> {
        match (self.flash_sale, self.group_buy, self.presale) {
            (Some(f), _, _) if f.sku_id == sku_id => Some(pricing::ActivityTerms {
                platform_coupon: f.activity.allow_platform_coupon,
                inflation: None,
            }),
            (_, Some(g), _) if g.sku_id == sku_id => Some(pricing::ActivityTerms::default()),
            (_, _, Some(p)) if p.sku_id == sku_id => Some(pricing::ActivityTerms {
                platform_coupon: false,
                inflation: p
                    .presale
                    .deposit
                    .map(|d| (p.presale.activity_id, d.inflation_of(p.qty))),
            }),
            _ => None,
        }
    }

    /// The SKU's own price of an activity line (its stock is taken at that price: the guard
    /// against a price changed since the page was shown), or `unit_price` for a normal line.
    fn stock_price(&self, sku_id: i64, unit_price: i64) -> i64 {
        match (self.flash_sale, self.group_buy, self.presale) {
            (Some(f), _, _) if f.sku_id == sku_id => f.sku_price,
            (_, Some(g), _) if g.sku_id == sku_id => g.sku_price,
            (_, _, Some(p)) if p.sku_id == sku_id => p.sku_price,
            _ => unit_price,
        }
    }
}

impl Priced {
    fn total(&self) -> i64 {
        self.shops.iter().map(|s| s.amounts.payable).sum()
    }

    /// A deposit presale's terms and units, when the checkout is one.
    fn deposit(&self) -> Option<(DepositTerms, i64)> {
        let p = self.activity.presale?;
        Some((p.presale.deposit?, p.qty))
    }

    /// What the trade takes now, fen: everything, or a deposit presale's deposit (the rest is
    /// its balance, paid later with a trade of its own).
    fn first_payment(&self) -> i64 {
        match self.deposit() {
            Some((terms, qty)) => terms.deposit_of(qty),
            None => self.total(),
        }
    }

    /// The coupons of one slot (a shop's, or the platform's with `None`) as the page shows them.
    fn choices(&self, shop: Option<i64>) -> Vec<CouponChoice> {
        self.pricing
            .fits
            .iter()
            .filter(|f| f.merchant_id == shop)
            .filter_map(|f: &CouponFit| {
                let coupon = self.coupons.iter().find(|c| c.id == f.copy_id)?.clone();
                Some(CouponChoice {
                    coupon,
                    discount: f.discount,
                    reason: f.reason.clone(),
                    chosen: f.chosen,
                })
            })
            .collect()
    }

    /// A shop's discounts by source, for the page and the order.
    fn discount_lines(&self, shop: &PricedShop) -> Vec<DiscountLine> {
        let range = shop.first..shop.first + shop.lines.len();
        let mut out: Vec<(DiscountSource, i64, i64)> = Vec::new();
        for r in self.pricing.rows.iter().filter(|r| range.contains(&r.line)) {
            match out
                .iter_mut()
                .find(|(s, id, _)| *s == r.source && *id == r.source_id)
            {
                Some(d) => d.2 += r.amount,
                None => out.push((r.source, r.source_id, r.amount)),
            }
        }
        out.into_iter()
            .map(|(source, id, amount)| DiscountLine {
                source,
                name: self.source_name(source, id),
                amount,
            })
            .collect()
    }

    fn source_name(&self, source: DiscountSource, id: i64) -> String {
        match source {
            DiscountSource::FullReduction => self
                .promotions
                .iter()
                .find(|p| p.id == id)
                .map_or(String::new(), |p| p.title.clone()),
            DiscountSource::ShopCoupon | DiscountSource::PlatformCoupon => self
                .coupons
                .iter()
                .find(|c| c.id == id)
                .map_or(String::new(), |c| c.name.clone()),
            DiscountSource::DepositInflation => "定金抵扣".into(),
        }
    }

    /// Refuses a checkout with a shop whose templates do not deliver to the address, naming
    /// the shops and what the shopper can do (another address; pickup where all of them offer it).
    fn check_delivery(&self) -> AppResult<()> {
        let out: Vec<&PricedShop> = self.shops.iter().filter(|s| !s.delivers).collect();
        if out.is_empty() {
            return Ok(());
        }
        let names: String = out.iter().map(|s| format!("「{}」", s.shop_name)).collect();
        let province = self.address.as_ref().map_or("", |a| a.province.as_str());
        let pickup = if out.iter().all(|s| !s.pickup_address.is_empty()) {
            "，或改为到店自提"
        } else {
            ""
        };
        Err(AppError::invalid(
            "address_id",
            format!("{names}不配送到{province}，请更换收货地址{pickup}"),
        ))
    }
}

/// What the checkout page shows: per shop goods, shipping and total, and the grand total.
pub async fn preview(
    st: &AppState,
    shopper_id: i64,
    req: &CheckoutRequest,
) -> AppResult<CheckoutPreview> {
    let mut conn = st.db.pool.acquire().await?;
    let address = addresses::for_checkout(st, &mut conn, shopper_id, req.address_id).await?;
    let priced = price(st, &mut conn, shopper_id, address, req).await?;
    let shops: Vec<ShopPreview> = priced
        .shops
        .iter()
        .map(|s| ShopPreview {
            merchant_id: s.merchant_id,
            shop_name: s.shop_name.clone(),
            delivery: s.delivery,
            delivers: s.delivers,
            pickup_address: s.pickup_address.clone(),
            remark: s.remark.clone(),
            lines: s
                .lines
                .iter()
                .zip(&s.discounts)
                .map(|((l, _), d)| PreviewLine {
                    sku_id: l.sku_id,
                    product_id: l.product_id,
                    title: l.title.clone(),
                    spec_label: l.spec_label.clone(),
                    image: l.image.clone(),
                    unit_price: l.unit_price,
                    qty: l.qty,
                    discount: d.merchant + d.platform,
                    pay_amount: l.gross() - d.merchant - d.platform,
                })
                .collect(),
            amounts: s.amounts,
            coupons: priced.choices(Some(s.merchant_id)),
            coupon_id: priced
                .pricing
                .shop_coupons
                .iter()
                .find(|(m, _)| *m == s.merchant_id)
                .map(|(_, id)| *id),
            discounts: priced.discount_lines(s),
            free_shipping: s.free_shipping,
        })
        .collect();
    let sum = |f: fn(&OrderAmounts) -> i64| shops.iter().map(|s| f(&s.amounts)).sum::<i64>();
    let deposit = priced.deposit().map(|(terms, qty)| {
        let short = |ms: i64| {
            crate::domain::time::datetime_text(ms)
                .get(5..)
                .unwrap_or_default()
                .to_string()
        };
        DepositPreview {
            deposit: terms.deposit_of(qty),
            inflation: terms.inflation_of(qty),
            balance: terms.balance_of(priced.total(), qty),
            balance_starts_at: terms.balance_starts_at,
            balance_ends_at: terms.balance_ends_at,
            balance_window: format!(
                "{} ~ {}",
                short(terms.balance_starts_at),
                short(terms.balance_ends_at)
            ),
            missed_label: terms.missed.label().into(),
        }
    });
    Ok(CheckoutPreview {
        goods: sum(|a| a.goods),
        shipping: sum(|a| a.shipping),
        discount: sum(|a| a.merchant_discount + a.platform_discount),
        total: priced.total(),
        platform_coupons: priced.choices(None),
        platform_coupon_id: priced.pricing.platform_coupon,
        address: priced.address,
        shops,
        submit_key: crate::infra::crypto::new_token().0,
        deposit,
    })
}

/// Answers a 秒杀 rush's losers 已抢光 before any read, even of who is asking (the
/// mini-program API asks before reading the bearer token): every unit of the item is sold or
/// reserved, and no trade holding units was made with this key (`infra::flash_gate`).
/// Errors: 422 on a malformed key, 409 sold out.
pub fn gone_before_reads(
    st: &AppState,
    req: &CheckoutRequest,
    idempotency_key: &str,
) -> AppResult<()> {
    check_key(idempotency_key)?;
    match req.flash_sale_item_id {
        Some(item) if st.flash_gate.gone_for(item, idempotency_key) => Err(flash_sales::sold_out()),
        _ => Ok(()),
    }
}

/// Creates the trade and its orders. The same `idempotency_key` (one per checkout page) always
/// answers with the same trade, however often and however concurrently it is sent.
///
/// The basket is priced before the write transaction, so the transaction (on SQLite the one
/// writer) holds only the inserts and the stock updates. That is safe because taking stock
/// re-checks, row by row under lock, what money depends on: the SKU is active, has the quantity
/// and still sells at the priced price. A product or shop closed in between is ordered as if
/// the checkout came first: those changes do not read what a checkout writes.
pub async fn submit(
    st: &AppState,
    shopper_id: i64,
    req: &CheckoutRequest,
    idempotency_key: &str,
) -> AppResult<TradeCreated> {
    let mut clock = PhaseClock::start();
    gone_before_reads(st, req, idempotency_key)?;
    // the reads before the write share one connection: on PostgreSQL each acquire is checked
    // with a round trip
    let mut conn = st.db.pool.acquire().await?;
    if let Some(trade) = trade_repo::trade_by_key(&mut conn, shopper_id, idempotency_key).await? {
        drop(conn);
        return created(st, trade).await;
    }
    // a 秒杀 rush is admitted in memory before any pricing read or the writer's turn (after the
    // key: a buyer who won and asks again still gets the trade): the ticket reserves the units
    // until the trade commits, and buyers beyond the units left hear 已抢光 at once
    let flash_ticket = match (req.flash_sale_item_id, req.lines.as_slice()) {
        (Some(item), [line]) if !req.from_cart => {
            flash_sales::admit(st, &mut conn, (item, idempotency_key), line.qty).await?
        }
        _ => None,
    };
    let address = addresses::for_checkout(st, &mut conn, shopper_id, req.address_id).await?;
    let priced = price(st, &mut conn, shopper_id, address, req).await?;
    drop(conn);
    clock.lap("price");
    priced.check_delivery()?;
    let (phone_enc, detail_enc) = match &priced.address {
        Some(a) => (st.cipher.encrypt(&a.phone)?, st.cipher.encrypt(&a.detail)?),
        None => (String::new(), String::new()),
    };
    let now = st.clock.now_ms();
    let timeout = match priced.activity {
        ActivityLine {
            flash_sale: Some(_),
            ..
        } => st.config.orders.flash_sale_pay_timeout_minutes,
        ActivityLine {
            group_buy: Some(_), ..
        } => st.config.orders.group_buy_pay_timeout_minutes,
        _ => st.config.orders.pay_timeout_minutes,
    };
    let trade = NewTrade {
        trade_no: &new_number(),
        shopper_id,
        idempotency_key,
        amount: priced.first_payment(),
        pay_deadline: now + timeout * 60_000,
        now,
    };
    // the item can sell out while this checkout priced or waited for the writer (the ones
    // ahead took the last units): answer from memory again rather than spend a write on a
    // take that must fail, so the sold-out answers of a rush never queue behind the writer
    let sold_out_now = || {
        priced
            .activity
            .flash_sale
            .is_some_and(|f| st.flash_gate.sold_out(f.activity.item_id))
    };
    if sold_out_now() {
        return Err(flash_sales::sold_out());
    }
    let mut tx = st.db.begin_write().await?;
    clock.lap("writer_wait");
    if sold_out_now() {
        tx.rollback().await?;
        return Err(flash_sales::sold_out());
    }
    let Some(trade_id) = trade_repo::insert_trade(&mut tx, &trade).await? else {
        // the same key won a race a moment ago: answer with that trade
        tx.rollback().await?;
        let trade = trade_repo::trade_by_key(
            &mut *st.db.pool.acquire().await?,
            shopper_id,
            idempotency_key,
        )
        .await?
        .ok_or_else(|| AppError::internal("idempotent trade vanished"))?;
        return created(st, trade).await;
    };
    let region = priced.address.as_ref().map_or(String::new(), |a| {
        format!("{} {} {}", a.province, a.city, a.district)
    });
    let order_nos: Vec<String> = priced.shops.iter().map(|_| new_number()).collect();
    let new_orders: Vec<NewOrder> = priced
        .shops
        .iter()
        .zip(&order_nos)
        .map(|(shop, order_no)| {
            // pickup orders keep no address
            let address = priced
                .address
                .as_ref()
                .filter(|_| shop.delivery == Delivery::Express);
            let to_door = address.is_some();
            NewOrder {
                order_no,
                trade_id,
                merchant_id: shop.merchant_id,
                shopper_id,
                goods_amount: shop.amounts.goods,
                merchant_discount: shop.amounts.merchant_discount,
                platform_discount: shop.amounts.platform_discount,
                shipping_fee: shop.amounts.shipping,
                pay_amount: shop.amounts.payable,
                delivery: shop.delivery,
                receiver: address.map_or("", |a| a.receiver.as_str()),
                phone_enc: if to_door { &phone_enc } else { "" },
                phone_masked: address.map_or("", |a| a.phone_masked.as_str()),
                region: if to_door { &region } else { "" },
                detail_enc: if to_door { &detail_enc } else { "" },
                remark: &shop.remark,
                now,
            }
        })
        .collect();
    let order_of_shop = repo::insert_orders(&mut tx, &new_orders).await?;
    let mut order_ids: Vec<i64> = order_of_shop.iter().map(|&(id, _)| id).collect();
    let mut items = Vec::new();
    for shop in &priced.shops {
        let order_id = order_of_merchant(&order_of_shop, shop.merchant_id)
            .ok_or_else(|| AppError::internal("order of a shop not returned"))?;
        items.extend(
            shop.lines
                .iter()
                .zip(&shop.discounts)
                .map(|((line, commission_bps), d)| NewItem {
                    order_id,
                    merchant_id: shop.merchant_id,
                    product_id: line.product_id,
                    sku_id: line.sku_id,
                    title: &line.title,
                    spec_label: &line.spec_label,
                    image: &line.image,
                    unit_price: line.unit_price,
                    qty: line.qty,
                    merchant_discount: d.merchant,
                    platform_discount: d.platform,
                    commission_bps: *commission_bps,
                    flash_sale_item_id: priced
                        .activity
                        .flash_sale
                        .filter(|f| f.sku_id == line.sku_id)
                        .map(|f| f.activity.item_id),
                    group_buy_sku_id: priced
                        .activity
                        .group_buy
                        .filter(|g| g.sku_id == line.sku_id)
                        .map(|g| g.group.activity_sku_id),
                    presale_sku_id: priced
                        .activity
                        .presale
                        .filter(|p| p.sku_id == line.sku_id)
                        .map(|p| p.presale.activity_sku_id),
                }),
        );
    }
    let item_ids = repo::insert_items(&mut tx, &items).await?;
    let mut rows: Vec<NewDiscount> = Vec::new();
    for shop in &priced.shops {
        let order_id = order_of_merchant(&order_of_shop, shop.merchant_id)
            .ok_or_else(|| AppError::internal("order of a shop not returned"))?;
        for (j, (line, _)) in shop.lines.iter().enumerate() {
            let order_item_id = item_ids
                .iter()
                .find(|&&(_, o, sku)| o == order_id && sku == line.sku_id)
                .map(|&(id, _, _)| id)
                .ok_or_else(|| AppError::internal("order item not returned"))?;
            rows.extend(
                priced
                    .pricing
                    .rows
                    .iter()
                    .filter(|r| r.line == shop.first + j)
                    .map(|r| NewDiscount {
                        order_item_id,
                        order_id,
                        source: r.source,
                        source_id: r.source_id,
                        funder: r.funder,
                        amount: r.amount,
                    }),
            );
        }
    }
    repo::insert_discounts(&mut tx, &rows).await?;
    if let (Some((terms, qty)), Some(p)) = (priced.deposit(), priced.activity.presale) {
        // a deposit presale is bought alone: one shop, one order
        let payable = priced.total();
        let balance = NewBalance {
            order_id: order_ids[0],
            activity_id: p.presale.activity_id,
            shopper_id,
            deposit: terms.deposit_of(qty),
            inflation: terms.inflation_of(qty),
            balance: terms.balance_of(payable, qty),
            terms,
        };
        balance_repo::insert(&mut tx, &balance).await?;
    }
    repo::add_events(&mut tx, &order_ids, "placed", "", "shopper", now).await?;
    clock.lap("record");
    // the takes come last, just before the commit: each locks a row every buyer of a rush
    // wants (the 秒杀 item, its SKU), and a row lock is held until the commit, so what runs
    // between the take and the commit is what serializes a rush (rows inserted above only
    // key-share the rows they refer to, which a stock update does not wait for)
    // the activity stock before the SKU's, as closing a trade gives them back (one lock order)
    let mut flash_left = None;
    if let Some(f) = priced.activity.flash_sale {
        let item = f.activity.item_id;
        let Some(left) = flash_repo::take(&mut tx, item, f.qty).await? else {
            tx.rollback().await?;
            st.flash_gate.mark_sold_out(item);
            return Err(flash_sales::sold_out());
        };
        let limit = f.activity.per_user_limit;
        if !flash_repo::hold_for_shopper(&mut tx, item, shopper_id, f.qty, limit).await? {
            tx.rollback().await?;
            let had = flash_repo::held(&mut *st.db.pool.acquire().await?, shopper_id, &[item])
                .await?
                .first()
                .map_or(0, |(_, q)| *q);
            return Err(flash_sales::over_limit(limit, had));
        }
        flash_left = Some((item, left));
    }
    if let Some(p) = priced.activity.presale {
        if let Err(e) = presales::take_for_checkout(&mut tx, shopper_id, &p.presale, p.qty).await {
            tx.rollback().await?;
            return Err(e);
        }
    }
    let mut group_seat = None;
    if let Some(g) = priced.activity.group_buy {
        let held = (g.merchant_id, g.qty);
        match group_seats::take_for_checkout(&mut tx, shopper_id, &g.group, held, now).await {
            Ok(group_id) => group_seat = Some(group_id),
            Err(e) => {
                tx.rollback().await?;
                return Err(e);
            }
        }
    }
    match stock_repo::take_stock(&mut tx, &stock_lines(&priced)).await? {
        StockTaken::Done(_) => {}
        StockTaken::Refused { sku_id } => {
            tx.rollback().await?;
            return Err(refused(st, &priced, sku_id).await?);
        }
    };
    // each chosen coupon is locked by a guarded update: of two checkouts using one copy, the
    // second finds it locked and is refused, never discounted twice
    let chosen = chosen_coupons(&priced.pricing);
    let locked = coupon_repo::lock(&mut tx, &chosen, shopper_id, trade_id, now).await?;
    if let Some(&(copy_id, _)) = chosen.iter().find(|(id, _)| !locked.contains(id)) {
        tx.rollback().await?;
        let name = priced.source_name(DiscountSource::ShopCoupon, copy_id);
        return Err(AppError::Conflict(format!(
            "优惠券「{name}」刚刚已被使用或已失效，请返回刷新后重新提交"
        )));
    }
    clock.lap("take");
    if let Some(group_id) = group_seat {
        // the group line's one order holds the seat; the unique seat index refuses a second
        // seat of one shopper in one group, however the checkouts raced
        let leader = priced
            .activity
            .group_buy
            .is_some_and(|g| g.group.group_id.is_none());
        let order_id = order_ids[0];
        if !group_repo::insert_member(&mut tx, group_id, shopper_id, order_id, leader, now).await? {
            tx.rollback().await?;
            return Err(group_seats::own_group());
        }
    }
    if req.from_cart {
        let skus: Vec<i64> = req.lines.iter().map(|l| l.sku_id).collect();
        cart_repo::remove_skus(&mut tx, shopper_id, &skus).await?;
    }
    tx.commit().await?;
    clock.lap("commit");
    if let Some((item, 0)) = flash_left {
        st.flash_gate.mark_sold_out(item);
    }
    if let Some(ticket) = flash_ticket {
        ticket.sold();
    }
    order_ids.sort_unstable();
    Ok(TradeCreated {
        trade_no: trade.trade_no.to_string(),
        amount: trade.amount,
        pay_deadline: trade.pay_deadline,
        order_ids,
    })
}

/// Times the phases of a checkout into the histogram `checkout_phase_seconds{phase}` (seconds;
/// `/metrics`): `price` (the reads and the pricing before the write transaction; `promotions`
/// is the pipeline's part of it), `writer_wait` (on SQLite, the turn of the process's one
/// writer), `record` (the trade, its orders, items, discount rows, events), `take` (activity
/// stock, SKU stock, seats and coupon locks: last, so the rows every buyer of a rush wants
/// stay locked only until the commit), `commit`. On SQLite every writer waits for `record` +
/// `take` + `commit` of those ahead of it, so their sum bounds checkouts per second;
/// `_sum / _count` over a load run shows where that time goes without a profiler.
struct PhaseClock(Instant);

impl PhaseClock {
    fn start() -> Self {
        Self(Instant::now())
    }

    /// Records the time since the last lap as `phase`.
    fn lap(&mut self, phase: &'static str) {
        let now = Instant::now();
        metrics::histogram!("checkout_phase_seconds", "phase" => phase)
            .record((now - self.0).as_secs_f64());
        self.0 = now;
    }
}

/// The copies the pricing chose, each with what it takes off the whole trade.
fn chosen_coupons(p: &pricing::Priced) -> Vec<(i64, i64)> {
    p.shop_coupons
        .iter()
        .map(|(_, id)| *id)
        .chain(p.platform_coupon)
        .map(|id| {
            let off = p
                .rows
                .iter()
                .filter(|r| {
                    matches!(
                        r.source,
                        DiscountSource::ShopCoupon | DiscountSource::PlatformCoupon
                    ) && r.source_id == id
                })
                .map(|r| r.amount)
                .sum();
            (id, off)
        })
        .collect()
}

fn order_of_merchant(order_of_shop: &[(i64, i64)], merchant_id: i64) -> Option<i64> {
    order_of_shop
        .iter()
        .find(|&&(_, m)| m == merchant_id)
        .map(|&(id, _)| id)
}

/// Every priced line with the price the buyer was shown, for taking stock.
fn stock_lines(priced: &Priced) -> Vec<(StockLine, i64)> {
    priced
        .shops
        .iter()
        .flat_map(|s| &s.lines)
        .map(|(l, _)| {
            let line = StockLine {
                product_id: l.product_id,
                sku_id: l.sku_id,
                qty: l.qty,
            };
            let price = priced.activity.stock_price(l.sku_id, l.unit_price);
            (line, price)
        })
        .collect()
}

/// Why taking a SKU's stock was refused: sold out meanwhile, or changed since it was priced.
async fn refused(st: &AppState, priced: &Priced, sku_id: i64) -> AppResult<AppError> {
    let line = priced
        .shops
        .iter()
        .flat_map(|s| &s.lines)
        .map(|(l, _)| l)
        .find(|l| l.sku_id == sku_id)
        .ok_or_else(|| AppError::internal("refused SKU not in the basket"))?;
    let now = cart_repo::offers(&mut *st.db.pool.acquire().await?, &[sku_id]).await?;
    let sold_out = now
        .first()
        .is_some_and(|o| o.sku_active == 1 && o.price == line.unit_price && o.stock < line.qty);
    Ok(if sold_out {
        AppError::Conflict(format!(
            "「{}」库存不足，请减少数量或选择其他规格",
            line.title
        ))
    } else {
        AppError::Conflict(format!(
            "「{}」的价格或规格刚刚有变化，请返回刷新后重新提交",
            line.title
        ))
    })
}

async fn created(st: &AppState, trade: TradeRow) -> AppResult<TradeCreated> {
    let orders = repo::orders_of_trade(&mut *st.db.pool.acquire().await?, trade.id).await?;
    Ok(TradeCreated {
        trade_no: trade.trade_no,
        amount: trade.amount,
        pay_deadline: trade.pay_deadline,
        order_ids: orders.iter().map(|o| o.id).collect(),
    })
}

/// Prices the request from the database: every line must be buyable in the asked quantity.
async fn price(
    st: &AppState,
    conn: &mut AnyConnection,
    shopper_id: i64,
    address: Option<AddressView>,
    req: &CheckoutRequest,
) -> AppResult<Priced> {
    let lines = merge_lines(&req.lines)?;
    let now = st.clock.now_ms();
    let ids: Vec<i64> = lines.iter().map(|l| l.sku_id).collect();
    if req.group_buy_id.is_some() && (req.flash_sale_item_id.is_some() || lines.len() != 1) {
        return Err(AppError::bad_request("拼团商品请单独下单"));
    }
    if req.group_id.is_some() && req.group_buy_id.is_none() {
        return Err(AppError::bad_request("请从拼团活动参团"));
    }
    let group_buy = match req.group_buy_id {
        Some(_) if req.from_cart => return Err(AppError::bad_request("拼团商品请单独下单")),
        None => None,
        Some(activity) => {
            let (sku_id, qty) = (lines[0].sku_id, lines[0].qty);
            let g = group_seats::price_for(
                conn,
                shopper_id,
                (activity, req.group_id),
                (sku_id, qty),
                now,
            )
            .await?;
            Some((sku_id, qty, g))
        }
    };
    let presale = match req.presale_id {
        None => None,
        Some(activity) => {
            if lines.len() != 1
                || req.from_cart
                || req.flash_sale_item_id.is_some()
                || req.group_buy_id.is_some()
            {
                return Err(AppError::bad_request("预售商品请单独下单"));
            }
            let (sku_id, qty) = (lines[0].sku_id, lines[0].qty);
            let p = presales::price_for(conn, shopper_id, activity, (sku_id, qty), now).await?;
            Some((sku_id, qty, p))
        }
    };
    let flash_sale = match req.flash_sale_item_id {
        None => None,
        Some(item) => {
            if lines.len() != 1 || req.from_cart {
                return Err(AppError::bad_request("秒杀商品请单独下单"));
            }
            let (sku_id, qty) = (lines[0].sku_id, lines[0].qty);
            let activity =
                flash_sales::price_for(st, conn, shopper_id, (sku_id, item, qty), now).await?;
            Some((sku_id, qty, activity))
        }
    };
    let offers = cart_repo::offers(conn, &ids).await?;
    let mut by_shop: Vec<(i64, Vec<(&SkuOfferRow, i64)>)> = Vec::new();
    for line in &lines {
        let offer = offers
            .iter()
            .find(|o| o.sku_id == line.sku_id)
            .ok_or_else(|| AppError::not_found("商品不存在"))?;
        if let Some(why) = unavailable(st, offer) {
            return Err(AppError::Conflict(format!("「{}」{why}", offer.title)));
        }
        if line.qty > offer.stock {
            return Err(AppError::Conflict(format!(
                "「{}」库存不足：只剩 {} 件",
                offer.title, offer.stock
            )));
        }
        match by_shop.iter_mut().find(|(m, _)| *m == offer.merchant_id) {
            Some((_, v)) => v.push((offer, line.qty)),
            None => by_shop.push((offer.merchant_id, vec![(offer, line.qty)])),
        }
    }
    let merchant_ids: Vec<i64> = by_shop.iter().map(|(m, _)| *m).collect();
    let template_rows = shipping_repo::of_merchants(conn, &merchant_ids).await?;
    let mut templates: Vec<ShippingTemplate> = template_rows
        .iter()
        .map(from_row)
        .collect::<AppResult<_>>()?;
    templates.push(free_template());
    let choices: HashMap<i64, _> = req.shops.iter().map(|c| (c.merchant_id, c)).collect();
    let activity = ActivityLine {
        flash_sale: flash_sale.and_then(|(sku_id, qty, activity)| {
            let o = offers.iter().find(|o| o.sku_id == sku_id)?;
            Some(FlashSaleLine {
                sku_id,
                qty,
                sku_price: o.price,
                activity,
            })
        }),
        group_buy: group_buy.and_then(|(sku_id, qty, group)| {
            let o = offers.iter().find(|o| o.sku_id == sku_id)?;
            Some(GroupLine {
                sku_id,
                qty,
                merchant_id: o.merchant_id,
                sku_price: o.price,
                group,
            })
        }),
        presale: presale.and_then(|(sku_id, qty, presale)| {
            let o = offers.iter().find(|o| o.sku_id == sku_id)?;
            Some(PresaleLine {
                sku_id,
                qty,
                sku_price: o.price,
                presale,
            })
        }),
    };
    let pipeline_started = Instant::now();
    let (pricing, coupons, promotions) =
        run_pipeline(st, conn, shopper_id, &by_shop, activity, req, now).await?;
    metrics::histogram!("checkout_phase_seconds", "phase" => "promotions")
        .record(pipeline_started.elapsed().as_secs_f64());
    let mut shops = Vec::new();
    let mut line_at = 0;
    for (merchant_id, offers) in by_shop {
        let first = offers[0].0;
        let choice = choices.get(&merchant_id);
        let delivery = choice.map_or(Delivery::Express, |c| c.delivery);
        if delivery == Delivery::Pickup && first.pickup_address.is_empty() {
            return Err(AppError::bad_request(format!(
                "「{}」不支持到店自提",
                first.shop_name
            )));
        }
        let remark = check_remark(choice.map_or("", |c| c.remark.as_str()))?;
        let province = match (delivery, &address) {
            (Delivery::Pickup, _) => "",
            (Delivery::Express, Some(a)) => a.province.as_str(),
            (Delivery::Express, None) => {
                return Err(AppError::invalid("address_id", "请先添加收货地址"))
            }
        };
        let lines: Vec<(PricedLine, i64)> = offers
            .iter()
            .map(|(o, qty)| {
                (
                    PricedLine {
                        sku_id: o.sku_id,
                        product_id: o.product_id,
                        title: o.title.clone(),
                        spec_label: offer_spec_label(o),
                        image: o.main_image.clone(),
                        unit_price: activity.unit_price(o),
                        qty: *qty,
                        weight_g: o.weight_g,
                        shipping_template_id: template_for(
                            &template_rows,
                            merchant_id,
                            o.shipping_template_id,
                        ),
                    },
                    o.commission_bps,
                )
            })
            .collect();
        let priced_lines: Vec<PricedLine> = lines.iter().map(|(l, _)| l.clone()).collect();
        let discounts: Vec<LineDiscount> = (line_at..line_at + lines.len())
            .map(|i| LineDiscount {
                merchant: pricing.line_discount(i, Funder::Shop),
                platform: pricing.line_discount(i, Funder::Platform),
            })
            .collect();
        let free_shipping = pricing.free_shipping.contains(&merchant_id);
        // a shop that does not deliver there is priced without shipping, shown on the checkout
        // page with what the shopper can do, and refused by submit
        let priced_at = |delivery, province| {
            price_order(
                &priced_lines,
                &discounts,
                free_shipping,
                &templates,
                delivery,
                province,
            )
        };
        let (amounts, delivers) = match priced_at(delivery, province) {
            Some(a) => (a, true),
            None => (priced_at(Delivery::Pickup, "").unwrap_or_default(), false),
        };
        shops.push(PricedShop {
            merchant_id,
            shop_name: first.shop_name.clone(),
            pickup_address: first.pickup_address.clone(),
            delivery,
            delivers,
            remark,
            lines,
            discounts,
            first: line_at,
            free_shipping,
            amounts,
        });
        line_at += offers.len();
    }
    Ok(Priced {
        address,
        shops,
        pricing,
        coupons,
        promotions,
        activity,
    })
}

/// Steps 3–5 of the pricing pipeline over the basket (lines in shop order): the shops' running
/// full-reductions and the shopper's usable coupons, as the request picks them. A named coupon
/// that is not usable is refused with why (another shopper's: 404; used, expired: 409; another
/// shop's, below its threshold: 422).
async fn run_pipeline(
    st: &AppState,
    conn: &mut AnyConnection,
    shopper_id: i64,
    by_shop: &[(i64, Vec<(&SkuOfferRow, i64)>)],
    activity: ActivityLine,
    req: &CheckoutRequest,
    now: i64,
) -> AppResult<(pricing::Priced, Vec<MyCoupon>, Vec<FullReduction>)> {
    let merchant_ids: Vec<i64> = by_shop.iter().map(|(m, _)| *m).collect();
    let promotions = full_reductions::running(st, conn, &merchant_ids, now).await?;
    let shop_picks: Vec<(i64, Pick)> = req
        .shops
        .iter()
        .map(|c| (c.merchant_id, Pick::from_wire(c.coupon_id)))
        .collect();
    let platform_pick = Pick::from_wire(req.platform_coupon_id);
    let named: Vec<i64> = shop_picks
        .iter()
        .map(|(_, p)| *p)
        .chain([platform_pick])
        .filter_map(|p| match p {
            Pick::Copy(id) => Some(id),
            _ => None,
        })
        .collect();
    let (offers, coupons): (Vec<_>, Vec<_>) = coupons::offers(conn, shopper_id, &named, now)
        .await?
        .into_iter()
        .unzip();
    let basket: Vec<pricing::Line> = by_shop
        .iter()
        .flat_map(|(_, lines)| lines.iter())
        .map(|(o, qty)| pricing::Line {
            merchant_id: o.merchant_id,
            product_id: o.product_id,
            categories: [o.category_id, o.category_parent, o.category_grandparent],
            unit_price: activity.unit_price(o),
            qty: *qty,
            activity: activity.terms(o.sku_id),
        })
        .collect();
    for id in named {
        if !offers
            .iter()
            .any(|o: &pricing::CouponOffer| o.copy_id == id)
        {
            if let Some(e) = coupons::why_unusable(conn, shopper_id, id, now).await? {
                return Err(e);
            }
        }
    }
    let priced = pricing::price(&basket, &promotions, &offers, &shop_picks, platform_pick)
        .map_err(|r| {
            let field = if r.shop.is_some() {
                "coupon_id"
            } else {
                "platform_coupon_id"
            };
            AppError::invalid(field, r.reason)
        })?;
    Ok((priced, coupons, promotions))
}

/// Checks the lines and adds up repeated SKUs.
fn merge_lines(lines: &[LineRequest]) -> AppResult<Vec<LineRequest>> {
    if lines.is_empty() {
        return Err(AppError::bad_request("请选择要购买的商品"));
    }
    // refused before merging, which is quadratic in the lines sent
    if lines.len() > MAX_LINES {
        return Err(AppError::bad_request(format!(
            "一次最多结算 {MAX_LINES} 种商品"
        )));
    }
    let mut merged: Vec<LineRequest> = Vec::new();
    for l in lines {
        check_qty(l.qty)?;
        match merged.iter_mut().find(|m| m.sku_id == l.sku_id) {
            Some(m) => {
                m.qty += l.qty;
                check_qty(m.qty)?;
            }
            None => merged.push(*l),
        }
    }
    if merged.len() > MAX_LINES {
        return Err(AppError::bad_request(format!(
            "一次最多结算 {MAX_LINES} 种商品"
        )));
    }
    Ok(merged)
}

fn check_remark(input: &str) -> AppResult<String> {
    let t = input.trim();
    if t.chars().count() > 100 {
        return Err(AppError::invalid("remark", "备注最多 100 个字"));
    }
    if t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(AppError::invalid("remark", "备注含有不支持的字符"));
    }
    Ok(t.to_string())
}

/// The key a checkout page sends with its submit: 8–64 letters, digits, `-` or `_`.
fn check_key(key: &str) -> AppResult<()> {
    let ok = (8..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(AppError::bad_request("提交标识无效，请刷新页面后重试"))
    }
}
