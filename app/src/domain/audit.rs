//! The audit trail as people read it: what each recorded action is called, who can be filtered
//! for, and one page of entries. Rows are written by `repo::audit::record` in the transaction of
//! the action they record.

use serde::{Deserialize, Serialize};

/// Every action the services record, with what the audit pages call it. The one list: the
/// action filter offers these, and an action missing here shows as its code.
pub const ACTIONS: &[(&str, &str)] = &[
    ("sign_in", "登录"),
    ("sign_in_failed", "登录失败"),
    // platform
    ("application_approve", "通过入驻申请"),
    ("application_reject", "驳回入驻申请"),
    ("merchant_suspend", "暂停店铺"),
    ("merchant_reopen", "恢复店铺"),
    ("merchant_commission", "设置店铺佣金"),
    ("category_create", "新建分类"),
    ("category_update", "修改分类"),
    ("product_takedown", "平台下架商品"),
    ("product_restore", "平台恢复商品"),
    ("product_approve", "商品审核通过"),
    ("product_reject", "驳回商品"),
    ("after_sale_arbitrate", "售后仲裁"),
    ("settle_now", "立即结算"),
    ("bill_confirm_disputed", "确认有异议的账单"),
    ("withdrawal_paid", "提现已打款"),
    ("withdrawal_rejected", "驳回提现"),
    ("coupon_push", "发放优惠券"),
    ("flash_sale_create", "创建秒杀活动"),
    ("flash_sale_end", "结束秒杀活动"),
    ("flash_sale_review", "审核秒杀报名"),
    ("review_hide", "隐藏评价"),
    ("review_show", "恢复评价"),
    ("shopper_disable", "停用会员"),
    ("shopper_enable", "恢复会员"),
    ("shopper_phone_reveal", "查看会员手机号"),
    ("staff_disable", "停用商家员工"),
    ("staff_enable", "恢复商家员工"),
    ("admin_create", "新建管理员"),
    ("admin_role", "修改管理员角色"),
    ("admin_disable", "停用管理员"),
    ("admin_enable", "恢复管理员"),
    // both
    ("coupon_create", "创建优惠券"),
    ("coupon_status", "优惠券状态"),
    ("group_buy_end", "结束拼团活动"),
    ("presale_end", "结束预售活动"),
    // shops
    ("product_create", "发布商品"),
    ("product_update", "编辑商品"),
    ("product_on_sale", "商品上架"),
    ("product_submit", "提交商品审核"),
    ("product_off_shelf", "商品下架"),
    ("stock_adjust", "调整库存"),
    ("order_ship", "发货"),
    ("after_sale_approve", "同意售后"),
    ("after_sale_reject", "拒绝售后"),
    ("after_sale_received", "确认收到退货"),
    ("full_reduction_create", "创建满减"),
    ("full_reduction_status", "满减状态"),
    ("flash_sale_apply", "报名秒杀"),
    ("flash_sale_withdraw", "撤回秒杀报名"),
    ("group_buy_create", "创建拼团活动"),
    ("presale_create", "创建预售活动"),
    ("shop_decorate", "店铺装修"),
    ("shipping_template_save", "保存运费模板"),
    ("shipping_template_delete", "删除运费模板"),
    ("pickup_address", "自提地址"),
    ("staff_add", "添加员工"),
    ("staff_remove", "移除员工"),
    ("bill_confirm", "确认账单"),
    ("bill_object", "对账单提出异议"),
    ("withdrawal_request", "申请提现"),
    ("review_reply", "回复评价"),
];

crate::named_enum! {
    /// The kind of row an audit entry concerns (`audit_log.target_kind`); with the row's id it
    /// names "which row", so the log can show one row's whole history.
    pub enum AuditTarget {
        Order = "order" "订单",
        AfterSale = "after_sale" "售后单",
        Product = "product" "商品",
        Merchant = "merchant" "店铺",
        Application = "application" "入驻申请",
        Category = "category" "分类",
        Bill = "bill" "账单",
        Withdrawal = "withdrawal" "提现",
        Coupon = "coupon" "优惠券",
        FullReduction = "full_reduction" "满减活动",
        Review = "review" "评价",
        Shopper = "shopper" "会员",
        Staff = "staff" "商家员工",
        Admin = "admin" "管理员",
        ShippingTemplate = "shipping_template" "运费模板",
        FlashSaleEvent = "flash_sale_event" "秒杀活动",
        FlashSaleItem = "flash_sale_item" "秒杀报名",
        GroupBuy = "group_buy" "拼团活动",
        Presale = "presale" "预售活动",
    }
}

/// What the audit pages call `action`; the code itself for an action not in [`ACTIONS`].
pub fn action_label(action: &str) -> String {
    ACTIONS
        .iter()
        .find(|(code, _)| *code == action)
        .map_or_else(|| action.to_string(), |(_, label)| label.to_string())
}

/// Who acted, as the audit log stores it (`audit_log.realm`), with its label.
pub const REALMS: &[(&str, &str)] = &[
    ("admin", "平台"),
    ("merchant", "商家"),
    ("shopper", "买家"),
    ("system", "系统"),
];

pub fn realm_label(realm: &str) -> &str {
    REALMS
        .iter()
        .find(|(code, _)| *code == realm)
        .map_or(realm, |(_, label)| label)
}

/// Rows per page of the audit pages; a CSV export takes at most [`EXPORT_ROWS`].
pub const PAGE_SIZE: u32 = 50;
pub const EXPORT_ROWS: u32 = 50_000;

/// The filters of an audit page: all optional, combined with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    /// one of [`REALMS`]' codes; empty for all
    #[serde(default)]
    pub realm: String,
    /// one of [`ACTIONS`]' codes; empty for all
    #[serde(default)]
    pub action: String,
    /// words in the detail (an order number, a login), at most 50 characters
    #[serde(default)]
    pub q: String,
    /// one of [`AuditTarget`]'s stored names: entries about rows of that kind; empty for all
    #[serde(default)]
    pub kind: String,
    /// with `kind`, the id of one row: that row's history; empty for all rows of the kind
    #[serde(default)]
    pub row: String,
    /// first day, `2026-12-01` (China time); empty: from the start
    #[serde(default)]
    pub from: String,
    /// last day, included; empty: until now
    #[serde(default)]
    pub to: String,
}

/// One entry as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// epoch ms
    pub at: i64,
    pub realm: String,
    /// the account's display name and login, empty when unknown (a failed sign-in)
    pub actor: String,
    /// the shop the action concerns, empty for platform-wide actions
    pub shop: String,
    pub action: String,
    /// what was done, in words (a reason, a title, an amount)
    pub detail: String,
    /// the row the action concerns; `None` for sign-ins
    pub target: Option<AuditTarget>,
    /// its id (0 without a target)
    pub target_id: i64,
    /// the state or value before and after, for actions that change one; empty otherwise
    pub before: String,
    pub after: String,
    pub ip: String,
}

impl AuditRow {
    /// The row as people read it: `订单 #12`; empty without a target.
    pub fn target_text(&self) -> String {
        self.target.map_or_else(String::new, |t| {
            format!("{} #{}", t.label(), self.target_id)
        })
    }

    /// `待发货 → 已发货`; empty for an action that changes no state.
    pub fn change_text(&self) -> String {
        match (self.before.as_str(), self.after.as_str()) {
            ("", "") => String::new(),
            ("", after) => format!("→ {after}"),
            (before, after) => format!("{before} → {after}"),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub total: i64,
    pub page: u32,
}

impl AuditPage {
    pub fn pages(&self) -> u32 {
        ((self.total.max(0) as u32).div_ceil(PAGE_SIZE)).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_label_and_unknown_ones_show_their_code() {
        assert_eq!(action_label("order_ship"), "发货");
        assert_eq!(action_label("something_new"), "something_new");
        let mut codes: Vec<_> = ACTIONS.iter().map(|a| a.0).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ACTIONS.len(), "each action listed once");
        assert_eq!(realm_label("merchant"), "商家");
        let page = AuditPage {
            total: 101,
            ..Default::default()
        };
        assert_eq!(page.pages(), 3);
        assert_eq!(AuditPage::default().pages(), 1);
    }

    #[test]
    fn a_row_reads_as_its_kind_and_id_with_before_and_after() {
        let row = AuditRow {
            id: 1,
            at: 0,
            realm: "admin".into(),
            actor: String::new(),
            shop: String::new(),
            action: "shopper_disable".into(),
            detail: "恶意刷单".into(),
            target: Some(AuditTarget::Shopper),
            target_id: 3,
            before: "正常".into(),
            after: "已停用".into(),
            ip: String::new(),
        };
        assert_eq!(row.target_text(), "会员 #3");
        assert_eq!(row.change_text(), "正常 → 已停用");
        let created = AuditRow {
            target: None,
            before: String::new(),
            after: String::new(),
            ..row.clone()
        };
        assert_eq!(created.target_text(), "");
        assert_eq!(created.change_text(), "");
        let set = AuditRow {
            before: String::new(),
            ..row
        };
        assert_eq!(set.change_text(), "→ 已停用");
    }
}
