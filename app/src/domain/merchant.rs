//! Merchants and their applications: kinds, the application state machine and the input rules
//! of the application form.

use serde::{Deserialize, Serialize};

use crate::domain::state_machine::{mv, Action, Actor, Move, StateMachine};
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MerchantKind {
    Individual,
    Enterprise,
}

impl MerchantKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MerchantKind::Individual => "individual",
            MerchantKind::Enterprise => "enterprise",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "individual" => Some(MerchantKind::Individual),
            "enterprise" => Some(MerchantKind::Enterprise),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MerchantKind::Individual => "个体工商户",
            MerchantKind::Enterprise => "企业",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Pending,
    Approved,
    Rejected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationAction {
    /// the shop, its owner and its category grants are created with the approval
    Approve,
    Reject,
}

impl Action for ApplicationAction {
    fn as_str(self) -> &'static str {
        match self {
            ApplicationAction::Approve => "approve",
            ApplicationAction::Reject => "reject",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ApplicationAction::Approve => "通过",
            ApplicationAction::Reject => "驳回",
        }
    }
}

/// pending ─ reviewer approves ─▶ approved;  pending ─ reviewer rejects ─▶ rejected (the
/// shopper may apply again)
impl StateMachine for ApplicationStatus {
    type Action = ApplicationAction;
    const STATES: &'static [Self] = &[
        ApplicationStatus::Pending,
        ApplicationStatus::Approved,
        ApplicationStatus::Rejected,
    ];
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

    fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Pending => "pending",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Rejected => "rejected",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ApplicationStatus::Pending => "审核中",
            ApplicationStatus::Approved => "已通过",
            ApplicationStatus::Rejected => "未通过",
        }
    }
}

crate::stored_as_text!(ApplicationStatus);

/// A shop's standing on the platform.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MerchantStatus {
    /// 营业中: its products are on the shop front
    Active,
    /// 已暂停营业: its products leave the shop front, nothing is deleted
    Suspended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MerchantAction {
    Suspend,
    Reopen,
}

impl Action for MerchantAction {
    fn as_str(self) -> &'static str {
        match self {
            MerchantAction::Suspend => "suspend",
            MerchantAction::Reopen => "reopen",
        }
    }

    fn label(self) -> &'static str {
        match self {
            MerchantAction::Suspend => "暂停营业",
            MerchantAction::Reopen => "恢复营业",
        }
    }
}

/// active ─ platform suspends ─▶ suspended ─ platform reopens ─▶ active
impl StateMachine for MerchantStatus {
    type Action = MerchantAction;
    const STATES: &'static [Self] = &[MerchantStatus::Active, MerchantStatus::Suspended];
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

    fn as_str(self) -> &'static str {
        match self {
            MerchantStatus::Active => "active",
            MerchantStatus::Suspended => "suspended",
        }
    }

    fn label(self) -> &'static str {
        match self {
            MerchantStatus::Active => "营业中",
            MerchantStatus::Suspended => "已暂停营业",
        }
    }
}

crate::stored_as_text!(MerchantStatus);

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
