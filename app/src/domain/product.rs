//! Products, spec dimensions and SKUs: the rules every editor and every reader share.

use serde::{Deserialize, Serialize};

use crate::domain::merchant::MerchantStatus;
use crate::domain::money::MAX_PRICE_FEN;
use crate::domain::state_machine::{mv, Actor, Move, StateMachine};
use crate::error::AppError;

/// A product has at most this many spec dimensions (e.g. 规格 × 包装 × 口味).
pub const MAX_SPEC_DIMS: usize = 3;
/// Values per dimension, and SKUs per product, are capped so editors and pickers stay usable.
pub const MAX_SPEC_VALUES: usize = 20;
pub const MAX_SKUS: usize = 200;
pub const MAX_GALLERY: usize = 9;

crate::named_enum! {
    /// Where a product stands. Only `OnSale` products of active shops reach shoppers.
    pub enum ProductStatus {
        Draft = "draft" "草稿",
        /// Put up for sale for the first time while the platform reviews products
        /// (`catalog.review_products`): waits for 商品审核.
        PendingReview = "pending_review" "待审核",
        /// Refused by 商品审核, with a reason; the merchant edits it and submits it again.
        Rejected = "rejected" "审核驳回",
        OnSale = "on_sale" "在售",
        OffShelf = "off_shelf" "已下架",
        /// Removed by the platform, with a reason; the merchant cannot put it back on sale.
        TakenDown = "taken_down" "平台下架",
    }
}

crate::named_enum! {
    pub enum ProductAction {
        Publish = "publish" "上架",
        /// 上架 of a product the platform has not approved yet: to 商品审核
        Submit = "submit" "提交审核",
        /// 审核通过: on sale
        Approve = "approve" "审核通过",
        /// 审核驳回, with a reason
        Reject = "reject" "审核驳回",
        /// 下架 (by the merchant)
        Unlist = "unlist" "下架",
        /// 平台下架, with a reason
        TakeDown = "take_down" "平台下架",
        /// 平台恢复: back off shelf, for the merchant to put on sale again
        Restore = "restore" "恢复",
    }
}

/// draft / off_shelf ─ merchant publishes ─▶ on_sale ─ merchant unlists ─▶ off_shelf
/// draft ─ merchant unlists ─▶ off_shelf
/// draft / off_shelf / rejected ─ merchant submits ─▶ pending_review ─ platform approves ─▶ on_sale
/// pending_review ─ platform rejects ─▶ rejected;  pending_review ─ merchant withdraws ─▶ off_shelf
/// any but taken_down ─ platform takes down ─▶ taken_down ─ platform restores ─▶ off_shelf
///
/// Which of publish and submit a merchant's 上架 is: [`listing_step`].
impl StateMachine for ProductStatus {
    type Action = ProductAction;
    const MOVES: &'static [Move<Self, ProductAction>] = {
        use Actor::*;
        use ProductAction::*;
        use ProductStatus::*;
        &[
            mv(Draft, Publish, Merchant, OnSale),
            mv(OffShelf, Publish, Merchant, OnSale),
            mv(OnSale, Unlist, Merchant, OffShelf),
            mv(Draft, Unlist, Merchant, OffShelf),
            mv(Draft, Submit, Merchant, PendingReview),
            mv(OffShelf, Submit, Merchant, PendingReview),
            mv(Rejected, Submit, Merchant, PendingReview),
            mv(PendingReview, Unlist, Merchant, OffShelf),
            mv(PendingReview, Approve, Platform, OnSale),
            mv(PendingReview, Reject, Platform, Rejected),
            mv(Draft, TakeDown, Platform, TakenDown),
            mv(OnSale, TakeDown, Platform, TakenDown),
            mv(OffShelf, TakeDown, Platform, TakenDown),
            mv(PendingReview, TakeDown, Platform, TakenDown),
            mv(Rejected, TakeDown, Platform, TakenDown),
            mv(TakenDown, Restore, Platform, OffShelf),
        ]
    };
    const NOUN: &'static str = "商品";
}

/// What a merchant's 上架 does to a product: while the platform reviews products
/// (`catalog.review_products`), one it has never approved goes to 商品审核; an approved one (or
/// any, without review) goes on sale. Approval is once per product: taking it off shelf and
/// back needs none, and the platform can take any product down at any time.
pub fn listing_step(review_products: bool, approved: bool) -> (ProductAction, ProductStatus) {
    if review_products && !approved {
        (ProductAction::Submit, ProductStatus::PendingReview)
    } else {
        (ProductAction::Publish, ProductStatus::OnSale)
    }
}

impl ProductStatus {
    /// The one state whose products shoppers may see and buy (their shop must be active and
    /// their category live too: [`sellable`]).
    pub const SELLABLE: ProductStatus = ProductStatus::OnSale;
}

/// Whether shoppers may see and buy a product: it is on sale, its shop is active and its
/// category is live (`domain::category::live_ids`). The shop front holds exactly the sellable
/// products that have an active SKU; checkout re-checks under lock what this decided.
pub fn sellable(product: ProductStatus, shop: MerchantStatus, category_live: bool) -> bool {
    product == ProductStatus::SELLABLE && shop == MerchantStatus::Active && category_live
}

/// One spec dimension: a name and its values, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecDim {
    pub name: String,
    pub values: Vec<String>,
}

/// Trims and checks spec dimensions: ≤ 3 dimensions, names and values 1–20 characters, no
/// duplicates, ≤ 20 values each and ≤ 200 combinations.
pub fn check_spec_dims(dims: Vec<SpecDim>) -> Result<Vec<SpecDim>, AppError> {
    let bad = |msg: &str| AppError::invalid("specs", msg);
    if dims.len() > MAX_SPEC_DIMS {
        return Err(bad("规格最多三种（如 规格、包装、口味）"));
    }
    let mut out: Vec<SpecDim> = Vec::with_capacity(dims.len());
    for d in dims {
        let name = d.name.trim().to_string();
        if !short_text(&name) {
            return Err(bad("规格名需为1到20个字符"));
        }
        if out.iter().any(|o| o.name == name) {
            return Err(bad("规格名不能重复"));
        }
        let mut values: Vec<String> = Vec::new();
        for v in d.values {
            let v = v.trim().to_string();
            if v.is_empty() {
                continue;
            }
            if !short_text(&v) {
                return Err(bad("规格值需为1到20个字符"));
            }
            if values.contains(&v) {
                return Err(bad(&format!("规格“{name}”的值“{v}”重复了")));
            }
            values.push(v);
        }
        if values.is_empty() {
            return Err(bad(&format!("规格“{name}”至少需要一个值")));
        }
        if values.len() > MAX_SPEC_VALUES {
            return Err(bad("每种规格最多20个值"));
        }
        out.push(SpecDim { name, values });
    }
    if combination_count(&out) > MAX_SKUS {
        return Err(bad("规格组合最多200个"));
    }
    Ok(out)
}

fn short_text(s: &str) -> bool {
    let n = s.chars().count();
    (1..=20).contains(&n) && !s.chars().any(char::is_control)
}

pub fn combination_count(dims: &[SpecDim]) -> usize {
    dims.iter().map(|d| d.values.len()).product()
}

/// Every combination of values, first dimension slowest: [[500g,礼盒],[500g,简装],[1kg,礼盒],…].
/// No dimensions means one combination with no values (the product's single SKU).
pub fn combinations(dims: &[SpecDim]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = vec![Vec::new()];
    for d in dims {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                d.values.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push(v.clone());
                    next
                })
            })
            .collect();
    }
    out
}

/// How a SKU's combination reads: `500g / 礼盒`, or `默认` without specs.
pub fn spec_label(values: &[String]) -> String {
    if values.is_empty() {
        "默认".to_string()
    } else {
        values.join(" / ")
    }
}

/// What a merchant enters for one SKU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuInput {
    pub spec_values: Vec<String>,
    pub price: i64,
    pub original_price: i64,
    pub stock: i64,
    pub weight_g: i64,
    pub code: String,
}

/// Checks that `skus` are exactly one per combination of `dims`, with sane numbers. Returns them
/// in combination order.
pub fn check_skus(dims: &[SpecDim], skus: Vec<SkuInput>) -> Result<Vec<SkuInput>, AppError> {
    let bad = |msg: String| AppError::invalid("skus", msg);
    let combos = combinations(dims);
    let mut ordered = Vec::with_capacity(combos.len());
    for combo in &combos {
        let mut matching = skus.iter().filter(|s| &s.spec_values == combo);
        let sku = matching
            .next()
            .ok_or_else(|| bad(format!("请填写“{}”的价格和库存", spec_label(combo))))?;
        if matching.next().is_some() {
            return Err(bad(format!("规格“{}”重复了", spec_label(combo))));
        }
        let label = spec_label(combo);
        if sku.price <= 0 || sku.price > MAX_PRICE_FEN {
            return Err(bad(format!("“{label}”的售价需大于0且不超过100万元")));
        }
        if sku.original_price != 0 && sku.original_price < sku.price {
            return Err(bad(format!("“{label}”的划线价不能低于售价")));
        }
        if !(0..=10_000_000).contains(&sku.stock) {
            return Err(bad(format!("“{label}”的库存需为0到1000万之间的整数")));
        }
        if !(0..=1_000_000).contains(&sku.weight_g) {
            return Err(bad(format!("“{label}”的重量需为0到1000千克")));
        }
        let code = sku.code.trim().to_string();
        if code.chars().count() > 40 || code.chars().any(char::is_control) {
            return Err(bad(format!("“{label}”的编码最多40个字符")));
        }
        ordered.push(SkuInput {
            code,
            ..sku.clone()
        });
    }
    if skus.len() != combos.len() {
        return Err(bad("有SKU不属于任何规格组合".to_string()));
    }
    Ok(ordered)
}

/// A shopper's spec picker: for each dimension, which values can still be chosen given the
/// values already chosen in the *other* dimensions (a value is selectable when some in-stock SKU
/// has it together with those choices).
pub fn selectable_values(
    dims: &[SpecDim],
    in_stock: &[&[String]],
    chosen: &[Option<String>],
) -> Vec<Vec<bool>> {
    dims.iter()
        .enumerate()
        .map(|(d, dim)| {
            dim.values
                .iter()
                .map(|v| {
                    in_stock.iter().any(|sku| {
                        sku.get(d) == Some(v)
                            && chosen.iter().enumerate().all(|(o, c)| {
                                o == d || c.as_ref().is_none_or(|c| sku.get(o) == Some(c))
                            })
                    })
                })
                .collect()
        })
        .collect()
}

/// A product in the admin's table of every shop's products.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminProductRow {
    pub id: i64,
    pub title: String,
    pub image: String,
    pub shop_name: String,
    pub status: ProductStatus,
    pub status_reason: String,
    pub min_price: i64,
    pub max_price: i64,
    pub total_stock: i64,
}

/// One page of the admin's product table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminProductList {
    pub items: Vec<AdminProductRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dim(name: &str, values: &[&str]) -> SpecDim {
        SpecDim {
            name: name.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn sku(values: &[&str], price: i64) -> SkuInput {
        SkuInput {
            spec_values: values.iter().map(|v| v.to_string()).collect(),
            price,
            original_price: 0,
            stock: 5,
            weight_g: 500,
            code: String::new(),
        }
    }

    #[test]
    fn first_listing_goes_through_review_and_later_ones_do_not() {
        use ProductStatus::*;
        assert_eq!(
            listing_step(true, false),
            (ProductAction::Submit, PendingReview)
        );
        assert_eq!(listing_step(true, true), (ProductAction::Publish, OnSale));
        assert_eq!(listing_step(false, false), (ProductAction::Publish, OnSale));
        // only the platform decides a review; a merchant cannot approve its own
        assert!(PendingReview.allows(ProductAction::Approve, Actor::Platform, OnSale));
        assert!(!PendingReview.allows(ProductAction::Approve, Actor::Merchant, OnSale));
        assert!(!PendingReview.allows(ProductAction::Publish, Actor::Merchant, OnSale));
        // a refused product goes back to review, never straight on sale
        assert!(Rejected.allows(ProductAction::Submit, Actor::Merchant, PendingReview));
        assert!(!Rejected.allows(ProductAction::Publish, Actor::Merchant, OnSale));
    }

    #[test]
    fn combinations_cover_the_cartesian_product_in_order() {
        let dims = vec![
            dim("规格", &["500g", "1kg"]),
            dim("包装", &["礼盒", "简装"]),
        ];
        let c = combinations(&dims);
        assert_eq!(c.len(), 4);
        assert_eq!(c[0], vec!["500g", "礼盒"]);
        assert_eq!(c[1], vec!["500g", "简装"]);
        assert_eq!(c[3], vec!["1kg", "简装"]);
        assert_eq!(combinations(&[]), vec![Vec::<String>::new()]);
    }

    #[test]
    fn spec_dims_are_bounded_and_unique() {
        assert!(check_spec_dims(vec![dim("a", &["1"]); 4]).is_err());
        assert!(check_spec_dims(vec![dim("a", &["1"]), dim("a", &["2"])]).is_err());
        assert!(check_spec_dims(vec![dim("a", &["1", "1"])]).is_err());
        assert!(check_spec_dims(vec![dim("a", &["", " "])]).is_err());
        let ok = check_spec_dims(vec![dim(" 规格 ", &[" 500g", "", "1kg"])]).unwrap();
        assert_eq!(ok, vec![dim("规格", &["500g", "1kg"])]);
        let many: Vec<String> = (0..15).map(|i| i.to_string()).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(check_spec_dims(vec![dim("a", &refs), dim("b", &refs)]).is_err());
    }

    #[test]
    fn skus_must_match_the_combinations_exactly() {
        let dims = vec![dim("规格", &["500g", "1kg"])];
        let ok = check_skus(&dims, vec![sku(&["1kg"], 200), sku(&["500g"], 100)]).unwrap();
        assert_eq!(ok[0].spec_values, vec!["500g"]);
        assert!(check_skus(&dims, vec![sku(&["500g"], 100)]).is_err());
        assert!(check_skus(
            &dims,
            vec![sku(&["500g"], 100), sku(&["1kg"], 1), sku(&["2kg"], 1)]
        )
        .is_err());
        assert!(check_skus(&dims, vec![sku(&["500g"], 0), sku(&["1kg"], 1)]).is_err());
        let mut cheap_original = sku(&["500g"], 100);
        cheap_original.original_price = 99;
        assert!(check_skus(&dims, vec![cheap_original, sku(&["1kg"], 1)]).is_err());
    }

    #[test]
    fn sold_out_combinations_are_not_selectable() {
        let dims = vec![
            dim("规格", &["500g", "1kg"]),
            dim("包装", &["礼盒", "简装"]),
        ];
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // 1kg/礼盒 sold out
        let stocked = [
            v(&["500g", "礼盒"]),
            v(&["500g", "简装"]),
            v(&["1kg", "简装"]),
        ];
        let refs: Vec<&[String]> = stocked.iter().map(Vec::as_slice).collect();
        let none = selectable_values(&dims, &refs, &[None, None]);
        assert_eq!(none, vec![vec![true, true], vec![true, true]]);
        let chose_1kg = selectable_values(&dims, &refs, &[Some("1kg".into()), None]);
        assert_eq!(chose_1kg[1], vec![false, true]);
        assert_eq!(chose_1kg[0], vec![true, true]);
        let chose_box = selectable_values(&dims, &refs, &[None, Some("礼盒".into())]);
        assert_eq!(chose_box[0], vec![true, false]);
    }

    #[test]
    fn merchants_cannot_undo_a_takedown() {
        use crate::domain::state_machine::{Actor::*, StateMachine};
        use ProductAction::*;
        use ProductStatus::*;
        assert!(Draft.allows(Publish, Merchant, OnSale));
        assert!(OnSale.allows(Unlist, Merchant, OffShelf));
        assert!(TakenDown.actions_for(Merchant).is_empty());
        assert!(!OnSale.allows(TakeDown, Merchant, TakenDown));
        assert!(TakenDown.allows(Restore, Platform, OffShelf));
    }
}
