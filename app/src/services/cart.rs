//! The cart: lines of SKUs from any number of shops, shown grouped by shop with what can and
//! cannot be bought now. Prices shown are today's; checkout prices again from the database.

use crate::domain::cart::{CartLine, CartShop, CartView, LineRequest};
use crate::domain::order::{check_qty, MAX_LINES};
use crate::domain::product::spec_label;
use crate::error::{AppError, AppResult};
use crate::repo::cart::{self as repo, SkuOfferRow};
use crate::state::AppState;

/// Why a SKU cannot be bought now, in the shopper's words; `None` when it can.
pub fn unavailable(st: &AppState, offer: &SkuOfferRow) -> Option<&'static str> {
    if offer.shop_status != crate::domain::merchant::MerchantStatus::Active {
        Some("店铺休息中")
    } else if offer.product_status != crate::domain::product::ProductStatus::SELLABLE
        || offer.sku_active == 0
        || st.shop_front.product(offer.product_id).is_none()
    {
        Some("商品已下架")
    } else if offer.stock < 1 {
        Some("已售罄")
    } else {
        None
    }
}

pub fn offer_spec_label(offer: &SkuOfferRow) -> String {
    spec_label(&serde_json::from_str::<Vec<String>>(&offer.spec_values).unwrap_or_default())
}

pub async fn view(st: &AppState, shopper_id: i64) -> AppResult<CartView> {
    let items = repo::items(&st.db.pool, shopper_id).await?;
    let ids: Vec<i64> = items.iter().map(|i| i.sku_id).collect();
    let offers = repo::offers(&mut *st.db.pool.acquire().await?, &ids).await?;
    let mut cart = CartView::default();
    for item in items {
        let Some(offer) = offers.iter().find(|o| o.sku_id == item.sku_id) else {
            continue;
        };
        let invalid = unavailable(st, offer);
        let line = CartLine {
            id: item.id,
            sku_id: item.sku_id,
            product_id: offer.product_id,
            title: offer.title.clone(),
            spec_label: offer_spec_label(offer),
            image: offer.main_image.clone(),
            price: offer.price,
            // a line left in the cart may ask for more than is left now
            qty: item.qty.min(offer.stock.max(1)),
            stock: offer.stock,
            selected: item.selected != 0 && invalid.is_none(),
            invalid: invalid.map(str::to_string),
        };
        if line.invalid.is_some() {
            cart.invalid.push(line);
            continue;
        }
        if line.selected {
            cart.selected_qty += line.qty;
            cart.selected_goods += line.qty * line.price;
        }
        match cart
            .shops
            .iter_mut()
            .find(|s| s.merchant_id == offer.merchant_id)
        {
            Some(shop) => shop.lines.push(line),
            None => cart.shops.push(CartShop {
                merchant_id: offer.merchant_id,
                shop_name: offer.shop_name.clone(),
                lines: vec![line],
                promotion_hints: Vec::new(),
            }),
        }
    }
    let shops: Vec<i64> = cart.shops.iter().map(|s| s.merchant_id).collect();
    let now = st.clock.now_ms();
    let promotions = crate::services::full_reductions::running(
        st,
        &mut *st.db.pool.acquire().await?,
        &shops,
        now,
    )
    .await?;
    for shop in &mut cart.shops {
        shop.promotion_hints = promotion_hints(shop, &promotions);
    }
    Ok(cart)
}

/// What each running full-reduction of the shop says about its selected lines: the discount
/// reached and, below the next tier, how much more reaches it (the pricing itself is
/// `domain::pricing`, at checkout).
fn promotion_hints(
    shop: &CartShop,
    promotions: &[crate::domain::full_reduction::FullReduction],
) -> Vec<String> {
    promotions
        .iter()
        .filter(|p| {
            shop.lines
                .iter()
                .any(|l| p.covers(shop.merchant_id, l.product_id))
        })
        .map(|p| {
            let (amount, units) = shop
                .lines
                .iter()
                .filter(|l| l.selected && p.covers(shop.merchant_id, l.product_id))
                .fold((0, 0), |(a, u), l| (a + l.price * l.qty, u + l.qty));
            let reached = p.reached(amount, units).map(|r| r.off).unwrap_or(0);
            match (reached, p.hint(amount, units)) {
                (0, Some(next)) => format!("{}：{next}", p.title),
                (off, Some(next)) => {
                    format!(
                        "{}：已减{}，{next}",
                        p.title,
                        crate::domain::money::price_text(off)
                    )
                }
                (0, None) => format!("{}：已享包邮", p.title),
                (off, None) => {
                    format!("{}：已减{}", p.title, crate::domain::money::price_text(off))
                }
            }
        })
        .collect()
}

/// Adds `qty` units of a SKU (to a line already there, if any). Returns the line's quantity.
pub async fn add(st: &AppState, shopper_id: i64, sku_id: i64, qty: i64) -> AppResult<i64> {
    check_qty(qty)?;
    let offer = offer(st, sku_id).await?;
    if let Some(why) = unavailable(st, &offer) {
        return Err(AppError::Conflict(format!("{why}，不能加入购物车")));
    }
    let existing = repo::item_of_sku(&st.db.pool, shopper_id, sku_id).await?;
    if existing.is_none() && repo::count(&st.db.pool, shopper_id).await? >= MAX_LINES as i64 {
        return Err(AppError::bad_request(format!(
            "购物车最多放 {MAX_LINES} 种商品，请先结算或删除一些"
        )));
    }
    let total = existing.map_or(0, |e| e.qty) + qty;
    if total > offer.stock {
        return Err(AppError::Conflict(format!(
            "库存不足：只剩 {} 件，购物车里已有 {} 件",
            offer.stock,
            total - qty
        )));
    }
    check_qty(total)?;
    repo::upsert(&st.db.pool, shopper_id, sku_id, total).await?;
    Ok(total)
}

/// Changes a line's quantity, within the stock.
pub async fn set_qty(st: &AppState, shopper_id: i64, id: i64, qty: i64) -> AppResult<()> {
    check_qty(qty)?;
    let item = repo::items(&st.db.pool, shopper_id)
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or_else(|| AppError::not_found("购物车里没有这件商品"))?;
    let offer = offer(st, item.sku_id).await?;
    if qty > offer.stock {
        return Err(AppError::Conflict(format!("库存只剩 {} 件", offer.stock)));
    }
    repo::set_qty(&st.db.pool, shopper_id, id, qty).await?;
    Ok(())
}

/// Selects or unselects cart lines (at most [`MAX_LINES`] ids: a cart holds no more).
pub async fn select(st: &AppState, shopper_id: i64, ids: &[i64], selected: bool) -> AppResult<()> {
    check_line_ids(ids)?;
    repo::set_selected(&st.db.pool, shopper_id, ids, selected).await
}

/// Removes cart lines (at most [`MAX_LINES`] ids).
pub async fn remove(st: &AppState, shopper_id: i64, ids: &[i64]) -> AppResult<()> {
    check_line_ids(ids)?;
    repo::remove(&st.db.pool, shopper_id, ids).await
}

fn check_line_ids(ids: &[i64]) -> AppResult<()> {
    if ids.len() > MAX_LINES {
        return Err(AppError::bad_request(format!(
            "一次最多操作 {MAX_LINES} 件商品"
        )));
    }
    Ok(())
}

/// The selected, buyable lines: what 去结算 checks out.
pub async fn selected_lines(st: &AppState, shopper_id: i64) -> AppResult<Vec<LineRequest>> {
    let cart = view(st, shopper_id).await?;
    Ok(cart
        .shops
        .iter()
        .flat_map(|s| &s.lines)
        .filter(|l| l.selected)
        .map(|l| LineRequest {
            sku_id: l.sku_id,
            qty: l.qty,
        })
        .collect())
}

async fn offer(st: &AppState, sku_id: i64) -> AppResult<SkuOfferRow> {
    repo::offers(&mut *st.db.pool.acquire().await?, &[sku_id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::not_found("商品不存在"))
}
