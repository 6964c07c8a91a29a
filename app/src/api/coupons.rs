//! The shopper's coupons: 领券中心 (open to visitors; claiming needs sign-in), claiming, and
//! 我的优惠券. Choosing coupons at checkout is part of `api::orders`.

use leptos::prelude::*;

use crate::domain::coupon::{ClaimableCoupon, MyCoupon};
use crate::error::AppError;

/// The signed-in shopper, if any: pages open to visitors show more to a shopper.
#[cfg(feature = "ssr")]
async fn signed_in_shopper() -> Result<Option<i64>, AppError> {
    Ok(crate::api::live_identity()
        .await?
        .filter(|i| i.realm == crate::domain::account::Realm::Shopper)
        .map(|i| i.account_id))
}

/// Coupons open for claiming: every one (`shop_id` absent) or one shop's. A signed-in shopper
/// sees how many of each they hold.
#[server(prefix = "/api", endpoint = "coupons/claimable")]
pub async fn claimable_coupons(shop_id: Option<i64>) -> Result<Vec<ClaimableCoupon>, AppError> {
    session_respond!({
        let st = crate::state::AppState::from_context()?;
        let me = signed_in_shopper().await?;
        crate::services::coupons::claimable(&st, me, shop_id).await
    })
}

/// 领取: one copy of a template; back to `back` (the page the button was on).
#[server(prefix = "/api", endpoint = "coupons/claim")]
pub async fn claim_coupon(template_id: i64, back: Option<String>) -> Result<MyCoupon, AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let copy = crate::services::coupons::claim(&c.st, c.me.account_id, template_id).await?;
        leptos_axum::redirect(&crate::api::local_path(back.as_deref(), "/me/coupons"));
        Ok(copy)
    })
}

/// 我的优惠券 under a tab: `available` (default), `used` or `expired`.
#[server(prefix = "/api", endpoint = "coupons/mine")]
pub async fn my_coupons(tab: Option<String>) -> Result<Vec<MyCoupon>, AppError> {
    session_respond!({
        use crate::services::coupons::MyTab;
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let tab = match tab.as_deref() {
            None | Some("") => MyTab::Available,
            Some(t) => MyTab::parse(t).ok_or_else(|| AppError::bad_request("未知的优惠券分类"))?,
        };
        crate::services::coupons::mine(&c.st, c.me.account_id, tab).await
    })
}

/// What a shop offers on its page and its products' pages: its running full-reductions and
/// the coupons open for claiming.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OffersOfShop {
    pub promotions: Vec<crate::domain::full_reduction::PromotionLabel>,
    pub coupons: Vec<ClaimableCoupon>,
}

#[server(prefix = "/api", endpoint = "coupons/shop")]
pub async fn shop_offers(shop_id: i64) -> Result<OffersOfShop, AppError> {
    session_respond!({
        let st = crate::state::AppState::from_context()?;
        let me = signed_in_shopper().await?;
        Ok(OffersOfShop {
            promotions: crate::services::full_reductions::labels(&st, shop_id).await?,
            coupons: crate::services::coupons::claimable(&st, me, Some(shop_id)).await?,
        })
    })
}
