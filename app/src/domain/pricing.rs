//! The pricing pipeline: the one function every discounted price comes from (cart hints,
//! checkout preview, submit; H5 and mini-program). DESIGN.md "Promotions and pricing" fixes the
//! order; this module runs step 3 (shop full-reduction), step 4 (one shop coupon per shop order)
//! and step 5 (one platform coupon per trade), and says which shops step 7 ships for free.
//! Step 1 (an activity's unit price: a flash sale's) comes in with the line, which then skips
//! steps 3–4, and step 5 unless its activity allows the platform coupon ([`Line::activity`]).
//! Steps 2 and 6 (member prices, points) join here when they exist.
//!
//! Every discount becomes line discount rows: it is split over its eligible lines in proportion
//! to what each line has left after the earlier steps, by the largest-remainder method with ties
//! to the earlier line ([`apportion`]), so the rows sum exactly to the discount and no line goes
//! below zero. Thresholds are checked on what the eligible lines have left. The basket always
//! keeps at least one fen to pay: payment providers take no payment of ¥0, so a discount that
//! would take the last fen is cut short by it. All amounts are fen.

use serde::{Deserialize, Serialize};

use crate::domain::coupon::{CouponRule, CouponScope};
use crate::domain::full_reduction::FullReduction;
use crate::domain::money::price_text;
use crate::domain::order::apportion;

/// One line of a basket as the pipeline sees it (prices from the database).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub merchant_id: i64,
    pub product_id: i64,
    /// the product's category and its ancestors (0 where there is none)
    pub categories: [i64; 3],
    /// fen: the SKU's price, or the activity's (step 1)
    pub unit_price: i64,
    pub qty: i64,
    /// bought at an activity price: no full-reduction or shop coupon on it
    pub activity: Option<ActivityTerms>,
}

/// What an activity line still takes after step 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActivityTerms {
    /// the platform coupon (step 5) may take off it too (the flash-sale event allows it)
    pub platform_coupon: bool,
    /// 定金膨胀 of a deposit presale line: (presale id, fen off the line), shop-funded; step 1's
    /// own discount, taken before the later steps see what the line has left
    pub inflation: Option<(i64, i64)>,
}

impl Line {
    pub fn gross(&self) -> i64 {
        self.unit_price * self.qty
    }

    /// Whether steps 3–4 (the shop's full-reduction and coupon) apply to this line.
    fn takes_shop_discounts(&self) -> bool {
        self.activity.is_none()
    }

    /// Whether step 5 (the platform coupon) applies to this line.
    fn takes_platform_coupon(&self) -> bool {
        self.activity.is_none_or(|a| a.platform_coupon)
    }
}

crate::named_enum! {
    /// Where a line discount comes from.
    pub enum DiscountSource {
        FullReduction = "full_reduction" "满减活动",
        ShopCoupon = "shop_coupon" "店铺优惠券",
        PlatformCoupon = "platform_coupon" "平台优惠券",
        /// a 预售 deposit counting for more than was paid (`domain::presale_deposit`)
        DepositInflation = "deposit_inflation" "定金膨胀",
    }
}

crate::named_enum! {
    /// Who pays for a discount: the shop's revenue base, or the platform's subsidy.
    pub enum Funder {
        Shop = "shop" "商家承担",
        Platform = "platform" "平台承担",
    }
}

/// One line's part of one discount.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscountRow {
    /// index of the line in the basket
    pub line: usize,
    pub source: DiscountSource,
    /// the promotion's id, or the coupon copy's id
    pub source_id: i64,
    pub funder: Funder,
    /// fen, > 0
    pub amount: i64,
}

/// A coupon copy the shopper holds and may use now (status and dates checked by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponOffer {
    pub copy_id: i64,
    pub rule: CouponRule,
    pub scope: CouponScope,
    /// the shop-borne share of a platform coupon, basis points (0–10000)
    pub shop_share_bps: i64,
    /// epoch ms; among equal discounts the copy expiring first is preselected
    pub valid_until: i64,
}

impl CouponOffer {
    pub fn is_platform(&self) -> bool {
        self.scope.shop_id.is_none()
    }
}

/// The shopper's choice for one coupon slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pick {
    /// the copy that takes off most (the checkout page's preselection)
    #[default]
    Best,
    /// no coupon
    Nothing,
    /// this copy
    Copy(i64),
}

impl Pick {
    /// The wire form: absent → best, 0 → none, an id → that copy.
    pub fn from_wire(id: Option<i64>) -> Pick {
        match id {
            None => Pick::Best,
            Some(0) => Pick::Nothing,
            Some(id) => Pick::Copy(id),
        }
    }
}

/// Why a chosen coupon cannot be used on this basket (a 422 on the coupon field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// the slot: `None` the platform coupon, else the shop's merchant id
    pub shop: Option<i64>,
    pub reason: String,
}

/// How a coupon fares on the basket: what it would take off, or why it does not apply.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponFit {
    pub copy_id: i64,
    /// the shop it belongs to; `None` for a platform coupon
    pub merchant_id: Option<i64>,
    /// fen it takes off if chosen; 0 when it does not apply
    pub discount: i64,
    /// why it does not apply (「还差¥12.00可用」, 「不适用于所选商品」); `None` when it does
    pub reason: Option<String>,
    pub chosen: bool,
}

/// The pipeline's answer for a basket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Priced {
    pub rows: Vec<DiscountRow>,
    /// the full-reduction each shop got: (merchant, promotion id, fen off)
    pub promotions: Vec<(i64, i64, i64)>,
    /// shops whose reached tier waives shipping
    pub free_shipping: Vec<i64>,
    /// the chosen coupon copies: (merchant, copy id) for shops, and the platform one
    pub shop_coupons: Vec<(i64, i64)>,
    pub platform_coupon: Option<i64>,
    /// every offered coupon and how it fares (shop coupons at step 4, platform at step 5)
    pub fits: Vec<CouponFit>,
}

impl Priced {
    /// The fen `funder` pays of line `line`.
    pub fn line_discount(&self, line: usize, funder: Funder) -> i64 {
        self.rows
            .iter()
            .filter(|r| r.line == line && r.funder == funder)
            .map(|r| r.amount)
            .sum()
    }
}

/// Runs steps 3–5 over `lines`. `promotions` are the running full-reductions of the basket's
/// shops; `coupons` the shopper's usable copies (shop and platform); `shop_picks` the choice per
/// shop (a shop not named: [`Pick::Best`]); `platform_pick` the trade's. A chosen copy that is
/// not among `coupons`, belongs to another shop, or does not apply is refused with the reason.
pub fn price(
    lines: &[Line],
    promotions: &[FullReduction],
    coupons: &[CouponOffer],
    shop_picks: &[(i64, Pick)],
    platform_pick: Pick,
) -> Result<Priced, Refusal> {
    let mut out = Priced::default();
    let mut left: Vec<i64> = lines.iter().map(Line::gross).collect();

    // step 1's own discount: a deposit worth more than it cost, the shop's
    for (i, l) in lines.iter().enumerate() {
        if let Some((id, off)) = l.activity.and_then(|a| a.inflation) {
            let off = off.min(left[i]);
            if off > 0 {
                left[i] -= off;
                out.rows.push(DiscountRow {
                    line: i,
                    source: DiscountSource::DepositInflation,
                    source_id: id,
                    funder: Funder::Shop,
                    amount: off,
                });
            }
        }
    }

    // step 3: at most one full-reduction per line, the highest tier reached
    let mut promoted = vec![false; lines.len()];
    for p in promotions {
        let eligible: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                !promoted[i]
                    && lines[i].takes_shop_discounts()
                    && p.covers(lines[i].merchant_id, lines[i].product_id)
            })
            .collect();
        if eligible.is_empty() {
            continue;
        }
        let amount: i64 = eligible.iter().map(|&i| left[i]).sum();
        let units: i64 = eligible.iter().map(|&i| lines[i].qty).sum();
        let Some(reached) = p.reached(amount, units) else {
            continue;
        };
        let off = reached.off.min(payable_left(&left));
        for &i in &eligible {
            promoted[i] = true;
        }
        let off = spread(
            &mut out.rows,
            &mut left,
            &eligible,
            off,
            DiscountSource::FullReduction,
            p.id,
            0,
        );
        out.promotions.push((p.merchant_id, p.id, off));
        if reached.free_shipping && !out.free_shipping.contains(&p.merchant_id) {
            out.free_shipping.push(p.merchant_id);
        }
    }

    // step 4: one shop coupon per shop order
    let mut shops: Vec<i64> = Vec::new();
    for l in lines {
        if !shops.contains(&l.merchant_id) {
            shops.push(l.merchant_id);
        }
    }
    for &shop in &shops {
        let pick = shop_picks
            .iter()
            .find(|(m, _)| *m == shop)
            .map_or(Pick::Best, |(_, p)| *p);
        let offered: Vec<&CouponOffer> = coupons
            .iter()
            .filter(|c| c.scope.shop_id == Some(shop))
            .collect();
        if let Pick::Copy(id) = pick {
            if !offered.iter().any(|c| c.copy_id == id) {
                let reason = match coupons.iter().find(|c| c.copy_id == id) {
                    Some(c) if c.is_platform() => "平台优惠券不能作为店铺券使用",
                    Some(_) => "该店铺优惠券不能用于这家店铺的订单",
                    None => "优惠券不存在或不可用",
                };
                return Err(Refusal {
                    shop: Some(shop),
                    reason: reason.into(),
                });
            }
        }
        let chosen = choose(lines, &left, &offered, pick, Some(shop), &mut out.fits)?;
        if let Some((c, eligible, off)) = chosen {
            spread(
                &mut out.rows,
                &mut left,
                &eligible,
                off,
                DiscountSource::ShopCoupon,
                c.copy_id,
                0,
            );
            out.shop_coupons.push((shop, c.copy_id));
        }
    }

    // step 5: one platform coupon per trade, across shops
    let offered: Vec<&CouponOffer> = coupons.iter().filter(|c| c.is_platform()).collect();
    if let Pick::Copy(id) = platform_pick {
        if !offered.iter().any(|c| c.copy_id == id) {
            let reason = if coupons.iter().any(|c| c.copy_id == id) {
                "店铺优惠券不能作为平台券使用"
            } else {
                "优惠券不存在或不可用"
            };
            return Err(Refusal {
                shop: None,
                reason: reason.into(),
            });
        }
    }
    if let Some((c, eligible, off)) =
        choose(lines, &left, &offered, platform_pick, None, &mut out.fits)?
    {
        spread(
            &mut out.rows,
            &mut left,
            &eligible,
            off,
            DiscountSource::PlatformCoupon,
            c.copy_id,
            c.shop_share_bps,
        );
        out.platform_coupon = Some(c.copy_id);
    }
    Ok(out)
}

/// What discounts may still take: everything left but the one fen the basket must keep.
fn payable_left(left: &[i64]) -> i64 {
    (left.iter().sum::<i64>() - 1).max(0)
}

type Chosen<'a> = Option<(&'a CouponOffer, Vec<usize>, i64)>;

/// Rates every offered coupon for one slot on what the lines have left, records the fits, and
/// returns the chosen one with its eligible lines and discount.
fn choose<'a>(
    lines: &[Line],
    left: &[i64],
    offered: &[&'a CouponOffer],
    pick: Pick,
    shop: Option<i64>,
    fits: &mut Vec<CouponFit>,
) -> Result<Chosen<'a>, Refusal> {
    let mut rated: Vec<(&CouponOffer, Vec<usize>, Result<i64, String>)> = offered
        .iter()
        .map(|c| {
            let eligible: Vec<usize> = (0..lines.len())
                .filter(|&i| {
                    let step_applies = match shop {
                        Some(_) => lines[i].takes_shop_discounts(),
                        None => lines[i].takes_platform_coupon(),
                    };
                    step_applies
                        && shop.is_none_or(|s| lines[i].merchant_id == s)
                        && left[i] > 0
                        && c.scope.covers(
                            lines[i].merchant_id,
                            &lines[i].categories,
                            lines[i].product_id,
                        )
                })
                .collect();
            let amount: i64 = eligible.iter().map(|&i| left[i]).sum();
            let off = if eligible.is_empty() {
                Err("不适用于所选商品".to_string())
            } else {
                c.rule
                    .discount(amount)
                    .ok_or_else(|| format!("还差{}可用", price_text(c.rule.threshold - amount)))
                    .and_then(|off| match off.min(payable_left(left)) {
                        0 => Err("订单已无可优惠金额".to_string()),
                        off => Ok(off),
                    })
            };
            (*c, eligible, off)
        })
        .collect();
    let chosen_id = match pick {
        Pick::Nothing => None,
        Pick::Copy(id) => {
            let (_, _, off) = rated
                .iter()
                .find(|(c, _, _)| c.copy_id == id)
                .expect("the caller checked the copy is offered");
            if let Err(why) = off {
                return Err(Refusal {
                    shop,
                    reason: format!("所选优惠券不可用：{why}"),
                });
            }
            Some(id)
        }
        // most off; then the one expiring first; then the older copy
        Pick::Best => rated
            .iter()
            .filter_map(|(c, _, off)| off.as_ref().ok().map(|o| (c, *o)))
            .min_by_key(|(c, o)| (std::cmp::Reverse(*o), c.valid_until, c.copy_id))
            .map(|(c, _)| c.copy_id),
    };
    fits.extend(rated.iter().map(|(c, _, off)| CouponFit {
        copy_id: c.copy_id,
        merchant_id: shop,
        discount: *off.as_ref().unwrap_or(&0),
        reason: off.as_ref().err().cloned(),
        chosen: Some(c.copy_id) == chosen_id,
    }));
    Ok(chosen_id.and_then(|id| {
        let i = rated.iter().position(|(c, _, _)| c.copy_id == id)?;
        let (c, eligible, off) = rated.swap_remove(i);
        Some((c, eligible, off.ok()?))
    }))
}

/// Splits `off` over the `eligible` lines by what each has left, writes the rows (the shop's
/// share of each part first, `shop_share_bps` of it rounded down, then the platform's) and
/// lowers what the lines have left. Returns the fen actually spread (never more than is left).
fn spread(
    rows: &mut Vec<DiscountRow>,
    left: &mut [i64],
    eligible: &[usize],
    off: i64,
    source: DiscountSource,
    source_id: i64,
    shop_share_bps: i64,
) -> i64 {
    let weights: Vec<i64> = eligible.iter().map(|&i| left[i]).collect();
    let off = off.min(weights.iter().sum());
    if off <= 0 {
        return 0;
    }
    let parts = apportion(off, &weights);
    let platform_coupon = source == DiscountSource::PlatformCoupon;
    for (&i, part) in eligible.iter().zip(parts) {
        left[i] -= part;
        let shop_part = if platform_coupon {
            (part as i128 * shop_share_bps as i128 / 10_000) as i64
        } else {
            part
        };
        for (funder, amount) in [
            (Funder::Shop, shop_part),
            (Funder::Platform, part - shop_part),
        ] {
            if amount > 0 {
                rows.push(DiscountRow {
                    line: i,
                    source,
                    source_id,
                    funder,
                    amount,
                });
            }
        }
    }
    off
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::coupon::CouponKind;
    use crate::domain::full_reduction::{Basis, Benefit, Tier};
    use proptest::prelude::*;

    fn line(merchant_id: i64, product_id: i64, unit_price: i64, qty: i64) -> Line {
        Line {
            merchant_id,
            product_id,
            categories: [1, 0, 0],
            unit_price,
            qty,
            activity: None,
        }
    }

    fn coupon(copy_id: i64, shop: Option<i64>, kind: CouponKind, a: i64, b: i64) -> CouponOffer {
        let rule = match kind {
            CouponKind::AmountOff => CouponRule {
                kind,
                threshold: a,
                amount_off: b,
                off_bps: 0,
                cap: 0,
            },
            CouponKind::NoThreshold => CouponRule {
                kind,
                threshold: 0,
                amount_off: a,
                off_bps: 0,
                cap: 0,
            },
            CouponKind::Percent => CouponRule {
                kind,
                threshold: 0,
                amount_off: 0,
                off_bps: a,
                cap: b,
            },
        };
        CouponOffer {
            copy_id,
            rule,
            scope: CouponScope {
                shop_id: shop,
                ..Default::default()
            },
            shop_share_bps: 0,
            valid_until: i64::MAX,
        }
    }

    /// Shop 1: ¥60 × 1 and ¥30 × 1 with 满¥80减¥10 (free shipping); shop 2: ¥33.33 × 3. A
    /// shop-1 coupon 满¥50减¥5 and a platform 9折 capped at ¥20.
    #[test]
    fn a_hand_computed_basket() {
        let lines = [
            line(1, 11, 6000, 1),
            line(1, 12, 3000, 1),
            line(2, 21, 3333, 3),
        ];
        let promo = FullReduction {
            id: 5,
            merchant_id: 1,
            title: "满减".into(),
            basis: Basis::Amount,
            benefit: Benefit::AmountOff,
            tiers: vec![Tier {
                threshold: 8000,
                off: 1000,
                free_shipping: true,
            }],
            repeat: false,
            repeat_cap: 0,
            product_ids: vec![],
        };
        let coupons = [
            coupon(100, Some(1), CouponKind::AmountOff, 5000, 500),
            coupon(200, None, CouponKind::Percent, 1000, 2000),
        ];
        let p = price(&lines, &[promo], &coupons, &[], Pick::Best).unwrap();
        let rows = |source| -> Vec<i64> {
            p.rows
                .iter()
                .filter(|r| r.source == source)
                .map(|r| r.amount)
                .collect()
        };
        // 满减 ¥10 over 60 : 30 → 666.67 / 333.33: floors 666 / 333, the larger remainder
        // (.67) takes the last fen → 667 / 333; the lines have 53.33 / 26.67 left
        assert_eq!(rows(DiscountSource::FullReduction), vec![667, 333]);
        // shop coupon ¥5 over 53.33 : 26.67 → 333.31 / 166.69 → 333 / 167; left 50.00 / 25.00
        assert_eq!(rows(DiscountSource::ShopCoupon), vec![333, 167]);
        // platform 10% of 50.00 + 25.00 + 99.99 = 174.99 → ¥17.49 (rounded down, under the cap),
        // split 50.00 : 25.00 : 99.99 → 499.74 / 249.87 / 999.38 → 500 / 250 / 999
        assert_eq!(rows(DiscountSource::PlatformCoupon), vec![500, 250, 999]);
        assert_eq!(p.free_shipping, vec![1]);
        assert_eq!(p.shop_coupons, vec![(1, 100)]);
        assert_eq!(p.platform_coupon, Some(200));
        let paid: Vec<i64> = (0..3)
            .map(|i| {
                lines[i].gross()
                    - p.line_discount(i, Funder::Shop)
                    - p.line_discount(i, Funder::Platform)
            })
            .collect();
        assert_eq!(paid, vec![4500, 2250, 9000]);
    }

    /// Step 1: a flash-sale line (¥9.90) beside a normal one (¥50) of the same shop. The shop's
    /// 满¥10减¥5 and its ¥3 coupon only see the normal line; the platform's ¥2 coupon takes
    /// from the flash line only when the event allows it.
    #[test]
    fn activity_lines_skip_the_shops_discounts() {
        let mut flash = line(1, 11, 990, 1);
        flash.activity = Some(ActivityTerms::default());
        let lines = [flash, line(1, 12, 5000, 1)];
        let promo = FullReduction {
            id: 5,
            merchant_id: 1,
            title: "满减".into(),
            basis: Basis::Amount,
            benefit: Benefit::AmountOff,
            tiers: vec![Tier {
                threshold: 1000,
                off: 500,
                free_shipping: false,
            }],
            repeat: false,
            repeat_cap: 0,
            product_ids: vec![],
        };
        let coupons = [
            coupon(100, Some(1), CouponKind::NoThreshold, 300, 0),
            coupon(200, None, CouponKind::NoThreshold, 200, 0),
        ];
        let p = price(
            &lines,
            std::slice::from_ref(&promo),
            &coupons,
            &[],
            Pick::Best,
        )
        .unwrap();
        assert!(p.rows.iter().all(|r| r.line == 1), "{:?}", p.rows);
        assert_eq!(p.line_discount(1, Funder::Shop), 800);
        assert_eq!(p.line_discount(1, Funder::Platform), 200);
        // alone, the flash line reaches no threshold and no shop coupon applies
        let p = price(
            &lines[..1],
            std::slice::from_ref(&promo),
            &coupons,
            &[],
            Pick::Best,
        )
        .unwrap();
        assert!(p.rows.is_empty());
        assert!(p.fits.iter().all(|f| f.reason.is_some()));
        // the event allows the platform coupon: it spreads over both lines
        let mut lines = lines;
        lines[0].activity = Some(ActivityTerms {
            platform_coupon: true,
            inflation: None,
        });
        let p = price(&lines, &[promo], &coupons, &[], Pick::Best).unwrap();
        assert_eq!(p.line_discount(0, Funder::Shop), 0);
        assert!(p.line_discount(0, Funder::Platform) > 0);
        assert_eq!(
            p.line_discount(0, Funder::Platform) + p.line_discount(1, Funder::Platform),
            200
        );
    }

    #[test]
    fn wrong_slots_and_missed_thresholds_are_refused() {
        let lines = [line(1, 11, 1000, 1), line(2, 21, 1000, 1)];
        let coupons = [
            coupon(100, Some(1), CouponKind::AmountOff, 5000, 500),
            coupon(101, Some(1), CouponKind::NoThreshold, 300, 0),
            coupon(200, None, CouponKind::NoThreshold, 100, 0),
        ];
        // a shop-1 coupon on shop 2's order
        let e = price(
            &lines,
            &[],
            &coupons,
            &[(2, Pick::Copy(101))],
            Pick::Nothing,
        )
        .unwrap_err();
        assert_eq!(e.shop, Some(2));
        // below the threshold
        let e = price(
            &lines,
            &[],
            &coupons,
            &[(1, Pick::Copy(100))],
            Pick::Nothing,
        )
        .unwrap_err();
        assert!(e.reason.contains("还差¥40.00可用"), "{}", e.reason);
        // a shop coupon as the platform coupon, a forged id
        assert!(price(&lines, &[], &coupons, &[], Pick::Copy(101)).is_err());
        assert!(price(&lines, &[], &coupons, &[], Pick::Copy(999)).is_err());
        // best: the no-threshold coupon, and the missed one says why
        let p = price(&lines, &[], &coupons, &[], Pick::Best).unwrap();
        assert_eq!(p.shop_coupons, vec![(1, 101)]);
        let missed = p.fits.iter().find(|f| f.copy_id == 100).unwrap();
        assert_eq!(missed.reason.as_deref(), Some("还差¥40.00可用"));
    }

    #[test]
    fn the_basket_keeps_one_fen_to_pay() {
        let lines = [line(1, 11, 300, 1)];
        let coupons = [
            coupon(100, Some(1), CouponKind::NoThreshold, 500, 0),
            coupon(200, None, CouponKind::NoThreshold, 500, 0),
        ];
        let p = price(&lines, &[], &coupons, &[], Pick::Best).unwrap();
        assert_eq!(p.line_discount(0, Funder::Shop), 299);
        assert_eq!(
            p.platform_coupon, None,
            "nothing left for the platform coupon"
        );
        let fit = p.fits.iter().find(|f| f.copy_id == 200).unwrap();
        assert_eq!(fit.reason.as_deref(), Some("订单已无可优惠金额"));
    }

    #[test]
    fn a_platform_coupon_with_a_shop_share_splits_each_part() {
        let lines = [line(1, 11, 1000, 1), line(2, 21, 3000, 1)];
        let mut c = coupon(200, None, CouponKind::NoThreshold, 1001, 0);
        c.shop_share_bps = 5000;
        let p = price(&lines, &[], &[c], &[], Pick::Best).unwrap();
        // 1001 over 1000:3000 → 250(.25) / 750(.75) → 250 / 751; halves rounded down for shops
        assert_eq!(p.line_discount(0, Funder::Shop), 125);
        assert_eq!(p.line_discount(0, Funder::Platform), 125);
        assert_eq!(p.line_discount(1, Funder::Shop), 375);
        assert_eq!(p.line_discount(1, Funder::Platform), 376);
    }

    fn arb_coupon(copy_id: i64, shops: i64) -> impl Strategy<Value = CouponOffer> {
        (
            prop_oneof![Just(None), (1..=shops).prop_map(Some)],
            0..3usize,
            1i64..20_000,
            1i64..20_000,
            0i64..=10_000,
        )
            .prop_map(move |(shop, k, a, b, share)| {
                let mut c = match k {
                    0 => coupon(copy_id, shop, CouponKind::AmountOff, a + b, b),
                    1 => coupon(copy_id, shop, CouponKind::NoThreshold, a, 0),
                    _ => coupon(copy_id, shop, CouponKind::Percent, a % 9_999 + 1, b),
                };
                c.shop_share_bps = if shop.is_none() { share } else { 0 };
                c
            })
    }

    proptest! {
        /// Over random baskets down to ¥0.01, random promotions and coupons: rows sum exactly
        /// to each discount, no line goes below zero, chosen coupons are at most one per slot.
        #[test]
        fn rows_sum_exactly_and_no_line_goes_negative(
            lines in proptest::collection::vec(
                (1i64..=3, 1i64..=6, 1i64..50_000, 1i64..5),
                1..12,
            ),
            tiers in proptest::collection::vec((1i64..30_000, 1i64..5_000), 1..4),
            percent in any::<bool>(),
            coupons in proptest::collection::vec(arb_coupon(0, 3), 0..6),
        ) {
            let lines: Vec<Line> = lines
                .iter()
                .map(|&(m, p, price, qty)| line(m, m * 10 + p, price, qty))
                .collect();
            let mut threshold = 0;
            let tiers: Vec<Tier> = tiers
                .iter()
                .map(|&(step, off)| {
                    threshold += step;
                    Tier {
                        threshold,
                        off: if percent { off % 9_999 + 1 } else { off },
                        free_shipping: false,
                    }
                })
                .collect();
            let promo = FullReduction {
                id: 1,
                merchant_id: 1,
                title: "p".into(),
                basis: Basis::Amount,
                benefit: if percent { Benefit::Percent } else { Benefit::AmountOff },
                tiers,
                repeat: false,
                repeat_cap: 0,
                product_ids: vec![],
            };
            let coupons: Vec<CouponOffer> = coupons
                .into_iter()
                .enumerate()
                .map(|(i, mut c)| {
                    c.copy_id = i as i64 + 1;
                    c
                })
                .collect();
            let p = price(&lines, &[promo], &coupons, &[], Pick::Best).unwrap();
            for (i, l) in lines.iter().enumerate() {
                let d = p.line_discount(i, Funder::Shop) + p.line_discount(i, Funder::Platform);
                prop_assert!(d >= 0 && d <= l.gross(), "line {} discount {} of {}", i, d, l.gross());
            }
            for r in &p.rows {
                prop_assert!(r.amount > 0);
            }
            let paid: i64 = lines.iter().map(Line::gross).sum::<i64>()
                - p.rows.iter().map(|r| r.amount).sum::<i64>();
            prop_assert!(paid >= 1, "the basket keeps a fen to pay");
            for (_, id, off) in &p.promotions {
                let rows: i64 = p.rows.iter()
                    .filter(|r| r.source == DiscountSource::FullReduction && r.source_id == *id)
                    .map(|r| r.amount).sum();
                prop_assert_eq!(rows, *off);
            }
            for f in p.fits.iter().filter(|f| f.chosen) {
                let rows: i64 = p.rows.iter()
                    .filter(|r| r.source != DiscountSource::FullReduction && r.source_id == f.copy_id)
                    .map(|r| r.amount).sum();
                prop_assert_eq!(rows, f.discount);
            }
            let mut slots: Vec<i64> = p.shop_coupons.iter().map(|(m, _)| *m).collect();
            slots.dedup();
            prop_assert_eq!(slots.len(), p.shop_coupons.len());
        }
    }
}
