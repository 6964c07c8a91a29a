//! What the consoles' marketing pages load: 营销 → 平台优惠券 (the platform's templates and the
//! categories and shops its form offers) and 营销中心 (a shop's coupons, full-reductions and
//! products on sale).

use crate::domain::coupon_form::{Choice, PlatformCouponsPage, ShopMarketingPage};
use crate::domain::merchant::MerchantStatus;
use crate::domain::product::ProductStatus;
use crate::error::AppResult;
use crate::services::admins::AdminScope;
use crate::services::coupons::{self, Issuer};
use crate::services::merchants::MerchantScope;
use crate::state::AppState;

/// Most products 营销中心 offers as checkboxes: a local shop's range, newest first.
const MAX_PRODUCT_CHOICES: i64 = 500;

/// Needs 管理营销 (403 otherwise).
pub async fn platform_coupons(st: &AppState, admin: &AdminScope) -> AppResult<PlatformCouponsPage> {
    let templates = coupons::list(st, Issuer::Platform(admin)).await?;
    let categories = crate::services::categories::admin_rows(st)
        .await?
        .into_iter()
        .filter(|c| c.enabled)
        .map(|c| Choice {
            id: c.id,
            name: c.name,
            level: c.level,
        })
        .collect();
    let shops = crate::repo::merchants::list(&st.db.pool)
        .await?
        .into_iter()
        .filter(|m| m.status == MerchantStatus::Active)
        .map(|m| Choice {
            id: m.id,
            name: m.name,
            level: 0,
        })
        .collect();
    Ok(PlatformCouponsPage {
        templates,
        categories,
        shops,
        now: st.clock.now_ms(),
    })
}

/// Any staff of the shop; 403 for a suspended shop.
pub async fn shop_marketing(st: &AppState, scope: &MerchantScope) -> AppResult<ShopMarketingPage> {
    let coupons = coupons::list(st, Issuer::Shop(scope)).await?;
    let full_reductions = crate::services::full_reductions::list(st, scope).await?;
    let (rows, _) = crate::repo::products::list_of_merchant(
        &st.db.pool,
        scope.merchant_id,
        Some(ProductStatus::OnSale),
        MAX_PRODUCT_CHOICES,
        0,
    )
    .await?;
    let products = rows
        .into_iter()
        .map(|p| Choice {
            id: p.id,
            name: p.title,
            level: 0,
        })
        .collect();
    Ok(ShopMarketingPage {
        coupons,
        full_reductions,
        products,
        now: st.clock.now_ms(),
    })
}
