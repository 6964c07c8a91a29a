//! The demo marketplace's promotions, so a new user sees them at once: platform coupons (a
//! claimable 满减, a 折扣 for fresh fruit, a 新人券 every new shopper gets, one waiting to be
//! pushed to chosen shoppers), two shops' coupons
//! and two shops' full-reductions. Made through the services, as an operator and the shops'
//! owners would.

use crate::domain::account::{AdminRole, StaffRole};
use crate::domain::coupon::{
    CouponKind, CouponRule, CouponScope, Distribution, TemplateInput, Validity,
};
use crate::domain::full_reduction::{Basis, Benefit, FullReductionInput, Tier};
use crate::error::AppResult;
use crate::repo::accounts as account_repo;
use crate::services::admins::AdminScope;
use crate::services::coupons::{self, Issuer};
use crate::services::full_reductions;
use crate::services::merchants::MerchantScope;
use crate::state::AppState;

const YEAR_MS: i64 = 365 * 86_400_000;

fn template(
    name: &str,
    rule: CouponRule,
    total: i64,
    distribution: Distribution,
    now: i64,
) -> TemplateInput {
    TemplateInput {
        name: name.into(),
        rule,
        scope: CouponScope::default(),
        validity: Validity::Days {
            days: 30,
            next_day: false,
        },
        claim_from: now,
        claim_until: now + YEAR_MS,
        total_qty: total,
        per_user_limit: 1,
        per_user_daily_limit: 0,
        distribution,
        shop_share_bps: 0,
    }
}

fn amount_off(threshold: i64, off: i64) -> CouponRule {
    CouponRule {
        kind: if threshold > 0 {
            CouponKind::AmountOff
        } else {
            CouponKind::NoThreshold
        },
        threshold,
        amount_off: off,
        off_bps: 0,
        cap: 0,
    }
}

/// Seeds the promotions; `shops` are (merchant, owner staff) in the demo's order, `fruit` the
/// fresh-fruit category. Runs before the demo shoppers sign up, so they hold the 新人券.
pub async fn seed(st: &AppState, shops: &[(i64, i64)], fruit: i64) -> AppResult<()> {
    let now = st.clock.now_ms();
    let operator = account_repo::admin_by_username(&st.db.pool, "operator")
        .await?
        .ok_or_else(|| crate::error::AppError::internal("demo operator missing"))?;
    let operator = AdminScope {
        admin_id: operator.id,
        role: AdminRole::Operator,
        display_name: operator.display_name,
    };
    let platform = Issuer::Platform(&operator);
    let ip = "127.0.0.1";
    coupons::create(
        st,
        platform,
        &template(
            "集市通用券",
            amount_off(9900, 1000),
            1000,
            Distribution::Claim,
            now,
        ),
        ip,
    )
    .await?;
    let mut fresh = template(
        "生鲜水果9折券",
        CouponRule {
            kind: CouponKind::Percent,
            threshold: 0,
            amount_off: 0,
            off_bps: 1000,
            cap: 2000,
        },
        500,
        Distribution::Claim,
        now,
    );
    fresh.scope.category_ids = vec![fruit];
    coupons::create(st, platform, &fresh, ip).await?;
    coupons::create(
        st,
        platform,
        &template(
            "新人专享券",
            amount_off(0, 500),
            10_000,
            Distribution::SignUp,
            now,
        ),
        ip,
    )
    .await?;

    // waits in 平台优惠券 for an operator to push it to chosen shoppers (定向发放)
    coupons::create(
        st,
        platform,
        &template(
            "老客回馈券",
            amount_off(5900, 800),
            500,
            Distribution::Push,
            now,
        ),
        ip,
    )
    .await?;

    let owner = |(merchant_id, staff_id): (i64, i64)| MerchantScope {
        merchant_id,
        staff_id,
        role: StaffRole::Owner,
        shop_active: true,
    };
    let (tea, chili) = (owner(shops[0]), owner(shops[1]));
    coupons::create(
        st,
        Issuer::Shop(&tea),
        &template(
            "茶庄满200减20",
            amount_off(20_000, 2000),
            200,
            Distribution::Claim,
            now,
        ),
        ip,
    )
    .await?;
    coupons::create(
        st,
        Issuer::Shop(&chili),
        &template(
            "酱坊无门槛3元",
            amount_off(0, 300),
            300,
            Distribution::Claim,
            now,
        ),
        ip,
    )
    .await?;
    let promotion = |title: &str, tiers: Vec<Tier>| FullReductionInput {
        title: title.into(),
        basis: Basis::Amount,
        benefit: Benefit::AmountOff,
        tiers,
        repeat: false,
        repeat_cap: 0,
        product_ids: vec![],
        starts_at: now,
        ends_at: now + YEAR_MS,
    };
    let tier = |threshold, off, free_shipping| Tier {
        threshold,
        off,
        free_shipping,
    };
    full_reductions::create(
        st,
        &tea,
        &promotion(
            "茶季满减",
            vec![tier(30_000, 3000, false), tier(50_000, 6000, true)],
        ),
        ip,
    )
    .await?;
    full_reductions::create(
        st,
        &chili,
        &promotion("辣酱满150减15", vec![tier(15_000, 1500, false)]),
        ip,
    )
    .await?;
    Ok(())
}
