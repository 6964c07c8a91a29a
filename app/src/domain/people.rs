//! The people of the mall as the platform console manages them: shoppers, merchant staff and
//! admins, each active or disabled with a reason. The rules of who may change whom live in
//! `services::people`; the rule that a disabled account's sessions end at once lives in
//! `services::accounts::require_live`.

use serde::{Deserialize, Serialize};

use crate::domain::account::{AdminRole, StaffRole};

crate::named_enum! {
    /// Whether an account may sign in and act. Stored in `status` of shoppers, merchant_staff
    /// and admins.
    pub enum AccountStatus {
        Active = "active" "正常",
        Disabled = "disabled" "已停用",
    }
}

impl AccountStatus {
    /// The status an enable or disable moves away from.
    pub fn other(self) -> Self {
        match self {
            AccountStatus::Active => AccountStatus::Disabled,
            AccountStatus::Disabled => AccountStatus::Active,
        }
    }
}

/// Shopper rows per page of the console's list.
pub const SHOPPERS_PAGE_SIZE: i64 = 20;

/// How the console's shopper search reads its words: a whole mainland mobile number (looked up
/// by its blind index, never by decrypting), the last four digits of one, a shopper id
/// (`#12` or `12` of fewer than four digits), or part of a nickname.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShopperSearch {
    All,
    Phone(String),
    PhoneTail(String),
    Id(i64),
    Nickname(String),
}

impl ShopperSearch {
    pub fn parse(q: &str) -> Self {
        let q = q.trim();
        if q.is_empty() {
            return ShopperSearch::All;
        }
        if let Ok(phone) = crate::domain::account::normalize_phone(q) {
            return ShopperSearch::Phone(phone);
        }
        let digits = q.chars().all(|c| c.is_ascii_digit());
        if digits && q.len() == 4 {
            return ShopperSearch::PhoneTail(q.to_string());
        }
        let id = q.strip_prefix('#').unwrap_or(q);
        if (q.starts_with('#') || (digits && q.len() < 4)) && !id.is_empty() {
            if let Ok(id) = id.parse() {
                return ShopperSearch::Id(id);
            }
        }
        ShopperSearch::Nickname(q.chars().take(20).collect())
    }
}

/// A shopper in the platform's list: the phone only masked (revealing it is its own audited
/// action), how they signed up, what they bought.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopperRow {
    pub id: i64,
    pub nickname: String,
    /// `138****0001`, or None for a mini-program shopper without a bound phone
    pub phone_masked: Option<String>,
    /// signed up in the mini-program (WeChat) rather than the H5 shop
    pub via_wechat: bool,
    pub status: AccountStatus,
    pub status_reason: String,
    /// paid orders, all time
    pub paid_orders: i64,
    /// what they paid, fen, all time (refunds not deducted)
    pub paid_fen: i64,
    /// sign-up, epoch ms
    pub created_at: i64,
}

/// One page of the shopper list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopperList {
    pub items: Vec<ShopperRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// A whole phone number shown to the admin who asked for it, with whose it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevealedPhone {
    pub shopper_id: i64,
    pub phone: String,
}

/// A merchant staff account in the platform's list of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffAccountRow {
    pub id: i64,
    pub merchant_id: i64,
    pub shop: String,
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    pub status: AccountStatus,
    pub status_reason: String,
    pub created_at: i64,
}

/// A platform admin account; `is_me` marks the viewer's own (which they cannot disable or
/// demote).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminAccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: AdminRole,
    pub status: AccountStatus,
    pub status_reason: String,
    pub created_at: i64,
    pub is_me: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_read_as_phone_tail_id_or_nickname() {
        assert_eq!(ShopperSearch::parse("  "), ShopperSearch::All);
        assert_eq!(
            ShopperSearch::parse("138 0000 0001"),
            ShopperSearch::Phone("13800000001".into())
        );
        assert_eq!(
            ShopperSearch::parse("0001"),
            ShopperSearch::PhoneTail("0001".into())
        );
        assert_eq!(ShopperSearch::parse("#1234"), ShopperSearch::Id(1234));
        assert_eq!(ShopperSearch::parse("12"), ShopperSearch::Id(12));
        assert_eq!(
            ShopperSearch::parse("12345"),
            ShopperSearch::Nickname("12345".into())
        );
        assert_eq!(
            ShopperSearch::parse("茶友"),
            ShopperSearch::Nickname("茶友".into())
        );
    }
}
