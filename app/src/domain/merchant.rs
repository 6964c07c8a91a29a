//! Merchants and their applications: kinds, the application state machine and the input rules
//! of the application form.

use crate::domain::state_machine::{mv, Actor, Move, StateMachine};
use crate::error::AppError;

crate::named_enum! {
    pub enum MerchantKind {
        Individual = "individual" "个体工商户",
        Enterprise = "enterprise" "企业",
    }
}

crate::named_enum! {
    pub enum ApplicationStatus {
        Pending = "pending" "审核中",
        Approved = "approved" "已通过",
        Rejected = "rejected" "未通过",
    }
}

crate::named_enum! {
    pub enum ApplicationAction {
        /// the shop, its owner and its category grants are created with the approval
        Approve = "approve" "通过",
        Reject = "reject" "驳回",
    }
}

/// pending ─ reviewer approves ─▶ approved;  pending ─ reviewer rejects ─▶ rejected (the
/// shopper may apply again)
impl StateMachine for ApplicationStatus {
    type Action = ApplicationAction;
    const MOVES: &'static [Move<Self, ApplicationAction>] = {
        use Actor::*;
        use ApplicationAction::*;
        use ApplicationStatus::*;
        &[
            mv(Pending, Approve, Platform, Approved),
            mv(Pending, Reject, Platform, Rejected),
        ]
    };
    const NOUN: &'static str = "入驻申请";
}

crate::named_enum! {
    /// A shop's standing on the platform.
    pub enum MerchantStatus {
        /// 营业中: its products are on the shop front
        Active = "active" "营业中",
        /// 已暂停营业: its products leave the shop front, nothing is deleted
        Suspended = "suspended" "已暂停营业",
    }
}

crate::named_enum! {
    pub enum MerchantAction {
        Suspend = "suspend" "暂停营业",
        Reopen = "reopen" "恢复营业",
    }
}

/// active ─ platform suspends ─▶ suspended ─ platform reopens ─▶ active
impl StateMachine for MerchantStatus {
    type Action = MerchantAction;
    const MOVES: &'static [Move<Self, MerchantAction>] = {
        use Actor::*;
        use MerchantAction::*;
        use MerchantStatus::*;
        &[
            mv(Active, Suspend, Platform, Suspended),
            mv(Suspended, Reopen, Platform, Active),
        ]
    };
    const NOUN: &'static str = "店铺";
}

/// A shop name: 2–30 characters.
pub fn check_shop_name(input: &str) -> Result<String, AppError> {
    let name = input.trim();
    let n = name.chars().count();
    if !(2..=30).contains(&n) || name.chars().any(char::is_control) {
        return Err(AppError::invalid("shop_name", "店铺名称需为2到30个字符"));
    }
    Ok(name.to_string())
}

/// A business licence number: the 18-character unified social credit code, or the older
/// 15-digit registration number of an individual business. Letters are upper-cased.
pub fn check_licence_no(input: &str) -> Result<String, AppError> {
    let no: String = input.trim().to_ascii_uppercase();
    let valid = (no.len() == 18 || no.len() == 15) && no.chars().all(|c| c.is_ascii_alphanumeric());
    if !valid {
        return Err(AppError::invalid(
            "licence_no",
            "请填写18位统一社会信用代码或15位注册号",
        ));
    }
    Ok(no)
}

/// A free text of at most `max` characters (trimmed), e.g. a contact name or a reason.
pub fn check_text(
    field: &str,
    label: &str,
    input: &str,
    min: usize,
    max: usize,
) -> Result<String, AppError> {
    let text = input.trim();
    let n = text.chars().count();
    if n < min || n > max {
        let msg = if min > 0 {
            format!("{label}需为{min}到{max}个字符")
        } else {
            format!("{label}最多{max}个字符")
        };
        return Err(AppError::invalid(field, msg));
    }
    Ok(text.to_string())
}

/// A shop in the admin's table of shops.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AdminMerchantRow {
    pub id: i64,
    pub name: String,
    pub kind_label: String,
    pub region: String,
    pub status: MerchantStatus,
    pub status_reason: String,
    /// what the platform may do now (from the merchant state machine's table)
    pub actions: Vec<MerchantAction>,
    /// the shop's own commission rate in percent (`4.50`); None = its categories' rates
    pub commission_percent: Option<String>,
    pub created_at: i64,
}

/// A merchant application as the applicant and the reviewers see it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ApplicationView {
    pub id: i64,
    pub shop_name: String,
    pub kind_label: String,
    pub region: String,
    pub intro: String,
    pub contact_name: String,
    /// masked for the applicant's own view and lists; in full on the reviewer's detail
    pub contact_phone: String,
    pub licence_no: String,
    pub licence_image: String,
    pub categories: Vec<String>,
    pub owner_username: String,
    pub status: ApplicationStatus,
    /// what a platform reviewer may do now (from the application state machine's table)
    pub actions: Vec<ApplicationAction>,
    pub reject_reason: String,
    pub created_at: i64,
}

/// A top-level category one may apply to sell in.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CategoryChoice {
    pub id: i64,
    pub name: String,
    pub icon: String,
}

/// The applicant's page: their latest application and the categories to choose from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ApplyPageData {
    pub latest: Option<ApplicationView>,
    /// top-level categories one can apply to sell in
    pub categories: Vec<CategoryChoice>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_numbers_are_normalised() {
        assert_eq!(
            check_licence_no(" 91520100mA6DKXXX1k ").unwrap(),
            "91520100MA6DKXXX1K"
        );
        assert!(check_licence_no("520100600123456").is_ok());
        assert!(check_licence_no("12345").is_err());
        assert!(check_licence_no("91520100MA6DKXXX1-").is_err());
    }

    #[test]
    fn texts_are_bounded() {
        assert!(check_shop_name("茶").is_err());
        assert_eq!(check_shop_name(" 都匀茶庄 ").unwrap(), "都匀茶庄");
        assert!(check_text("reason", "原因", "  ", 2, 200).is_err());
        assert!(check_text("intro", "简介", "", 0, 10).is_ok());
    }
}
