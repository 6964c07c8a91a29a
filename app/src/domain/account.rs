//! Who can sign in, and the input rules for accounts.

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The three kinds of people that sign in. Each console admits exactly one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Realm {
    /// H5 shop and mini-program.
    Shopper,
    /// Merchant console.
    Merchant,
    /// Platform admin console.
    Admin,
}

impl Realm {
    pub fn as_str(self) -> &'static str {
        match self {
            Realm::Shopper => "shopper",
            Realm::Merchant => "merchant",
            Realm::Admin => "admin",
        }
    }

    /// Where this realm signs in.
    pub fn login_path(self) -> &'static str {
        match self {
            Realm::Shopper => "/login",
            Realm::Merchant => "/merchant/login",
            Realm::Admin => "/admin/login",
        }
    }

    /// Where a fresh sign-in lands.
    pub fn home_path(self) -> &'static str {
        match self {
            Realm::Shopper => "/me",
            Realm::Merchant => "/merchant",
            Realm::Admin => "/admin",
        }
    }
}

crate::named_enum! {
    /// A staff member's place in their merchant.
    pub enum StaffRole {
        Owner = "owner" "店主",
        Staff = "staff" "店员",
    }
}

crate::named_enum! {
    /// Platform admin roles. `Super` may do everything; the others only their own area.
    pub enum AdminRole {
        Super = "super" "超级管理员",
        Operator = "operator" "运营",
        Finance = "finance" "财务",
        Reviewer = "reviewer" "审核员",
    }
}

/// The H5 "我的" page: who is signed in and their masked phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopperHome {
    pub identity: Identity,
    pub phone_masked: Option<String>,
}

/// The signed-in identity, as the UI sees it. Never carries secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub realm: Realm,
    pub account_id: i64,
    /// What to greet the user with (nickname, staff name or admin username).
    pub display_name: String,
    /// Merchant staff only: the one merchant they belong to.
    pub merchant_id: Option<i64>,
    pub merchant_name: Option<String>,
    pub staff_role: Option<StaffRole>,
    /// Admins only.
    pub admin_role: Option<AdminRole>,
}

/// Mainland mobile numbers: 11 digits starting with 1[3-9]. Spaces and dashes are tolerated.
pub fn normalize_phone(input: &str) -> Result<String, AppError> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let digits = digits.strip_prefix("+86").unwrap_or(&digits).to_string();
    let valid = digits.len() == 11
        && digits.chars().all(|c| c.is_ascii_digit())
        && digits.starts_with('1')
        && matches!(digits.as_bytes()[1], b'3'..=b'9');
    if valid {
        Ok(digits)
    } else {
        Err(AppError::invalid("phone", "请输入正确的11位手机号"))
    }
}

/// `13800001234` → `138****1234`, for display and logs.
pub fn mask_phone(phone: &str) -> String {
    if phone.len() == 11 && phone.is_ascii() {
        format!("{}****{}", &phone[..3], &phone[7..])
    } else {
        "***".to_string()
    }
}

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 64;

/// A new password: 8–64 characters with at least one letter and one digit.
pub fn check_new_password(password: &str) -> Result<(), AppError> {
    let n = password.chars().count();
    if !(PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&n) {
        return Err(AppError::invalid("password", "密码长度需为8到64位"));
    }
    let has_letter = password.chars().any(|c| c.is_ascii_alphabetic());
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if !(has_letter && has_digit) {
        return Err(AppError::invalid("password", "密码需同时包含字母和数字"));
    }
    Ok(())
}

/// A nickname: trimmed, 1–20 characters; defaults to "用户" + last four digits of the phone.
pub fn nickname_or_default(input: &str, phone: &str) -> Result<String, AppError> {
    let name = input.trim();
    if name.is_empty() {
        return Ok(format!("用户{}", &phone[phone.len().saturating_sub(4)..]));
    }
    if name.chars().count() > 20 || name.chars().any(char::is_control) {
        return Err(AppError::invalid("nickname", "昵称需为1到20个字符"));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_normalised_or_refused() {
        assert_eq!(normalize_phone("138 0000-1234").unwrap(), "13800001234");
        assert_eq!(normalize_phone("+8613800001234").unwrap(), "13800001234");
        for bad in [
            "",
            "1380000123",
            "23800001234",
            "12800001234",
            "1380000123a",
        ] {
            assert!(normalize_phone(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn masking_keeps_only_both_ends() {
        assert_eq!(mask_phone("13800001234"), "138****1234");
        assert_eq!(mask_phone("x"), "***");
    }

    #[test]
    fn passwords_need_length_letters_and_digits() {
        assert!(check_new_password("abc12345").is_ok());
        assert!(check_new_password("abc1234").is_err());
        assert!(check_new_password("abcdefgh").is_err());
        assert!(check_new_password("12345678").is_err());
        assert!(check_new_password(&"a1".repeat(33)).is_err());
    }

    #[test]
    fn admin_roles_round_trip() {
        for r in AdminRole::ALL {
            assert_eq!(AdminRole::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn nickname_defaults_to_phone_tail() {
        assert_eq!(nickname_or_default(" ", "13800001234").unwrap(), "用户1234");
        assert_eq!(
            nickname_or_default(" 茶友 ", "13800001234").unwrap(),
            "茶友"
        );
        assert!(nickname_or_default(&"长".repeat(21), "13800001234").is_err());
    }
}
