//! Delivery addresses: the provinces shipping rules are written against, and the checks of an
//! address as typed.

use serde::{Deserialize, Serialize};

use crate::domain::account::normalize_phone;
use crate::error::AppError;

/// The provincial-level divisions, by their full names (shipping rules name these).
pub const PROVINCES: [&str; 34] = [
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "台湾省",
    "香港特别行政区",
    "澳门特别行政区",
];

/// An address as the shopper typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AddressInput {
    pub receiver: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub detail: String,
    #[serde(default)]
    pub is_default: bool,
}

/// An address as shown back to its owner (phone and detail decrypted for them only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AddressView {
    pub id: i64,
    pub receiver: String,
    pub phone: String,
    pub phone_masked: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub detail: String,
    pub is_default: bool,
}

impl AddressView {
    /// 贵州省 黔南州 都匀市 文峰路 8 号
    pub fn full_text(&self) -> String {
        format!(
            "{} {} {} {}",
            self.province, self.city, self.district, self.detail
        )
    }
}

fn text(field: &str, label: &str, input: &str, max: usize) -> Result<String, AppError> {
    let t = input.trim();
    let n = t.chars().count();
    if n == 0 {
        return Err(AppError::invalid(field, format!("请填写{label}")));
    }
    if n > max {
        return Err(AppError::invalid(field, format!("{label}最多 {max} 个字")));
    }
    if t.chars().any(char::is_control) {
        return Err(AppError::invalid(field, format!("{label}含有不支持的字符")));
    }
    Ok(t.to_string())
}

impl AddressInput {
    /// Trims and checks every field; the phone is normalised to 11 digits.
    pub fn checked(&self) -> Result<AddressInput, AppError> {
        let province = self.province.trim();
        if !PROVINCES.contains(&province) {
            return Err(AppError::invalid("province", "请选择省份"));
        }
        Ok(AddressInput {
            receiver: text("receiver", "收货人", &self.receiver, 20)?,
            phone: normalize_phone(&self.phone)
                .map_err(|_| AppError::invalid("phone", "请输入正确的 11 位手机号"))?,
            province: province.to_string(),
            city: text("city", "城市", &self.city, 20)?,
            district: text("district", "区县", &self.district, 20)?,
            detail: text("detail", "详细地址", &self.detail, 80)?,
            is_default: self.is_default,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AddressInput {
        AddressInput {
            receiver: " 王小明 ".into(),
            phone: "138 0013 8000".into(),
            province: "贵州省".into(),
            city: "黔南州".into(),
            district: "都匀市".into(),
            detail: "文峰路 8 号".into(),
            is_default: true,
        }
    }

    #[test]
    fn a_typed_address_is_trimmed_and_checked() {
        let a = input().checked().unwrap();
        assert_eq!(a.receiver, "王小明");
        assert_eq!(a.phone, "13800138000");
        let mut bad = input();
        bad.province = "贵州".into();
        assert!(
            matches!(bad.checked(), Err(AppError::Invalid { field, .. }) if field == "province")
        );
        let mut bad = input();
        bad.detail = " ".into();
        assert!(bad.checked().is_err());
        let mut bad = input();
        bad.phone = "12345".into();
        assert!(bad.checked().is_err());
    }
}
