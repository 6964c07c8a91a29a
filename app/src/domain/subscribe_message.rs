//! Subscription messages (订阅消息) of the mini-program: which events tell the shopper, what
//! each tells (the sources a template's keywords are filled from), and WeChat's per-keyword
//! value rules. A keyword's type is the letters of its name (`thing2` is a `thing`); the rules
//! are WeChat's 「订阅消息参数值内容限制说明」: a value that breaks them makes the whole send fail
//! with errcode 47003, so values are fitted (truncated where WeChat allows it) or refused here.

use serde::{Deserialize, Serialize};

use crate::domain::after_sale::AfterSaleStatus;
use crate::domain::money::yuan_text;
use crate::domain::time::ChinaTime;

crate::named_enum! {
    /// What a shopper can subscribe to be told, and the moment the server tells it.
    pub enum SubscribeEvent {
        /// an order is shipped (发货通知)
        Shipped = "shipped" "发货通知",
        /// an after-sale's refund reached the shopper (退款结果)
        Refunded = "refunded" "退款结果",
        /// the shop or the platform decided an after-sale (售后结果)
        AfterSaleDecided = "after_sale_decided" "售后结果",
        /// a 预售 deposit order's balance window opened (尾款支付提醒)
        BalanceDue = "balance_due" "尾款支付提醒",
    }
}

/// Where the client asks the shopper to accept an event's template (WeChat lets a
/// subscription prompt open only from a tap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskedOn {
    /// the pay tap
    Pay,
    /// submitting an after-sale
    AfterSale,
}

impl SubscribeEvent {
    pub fn asked_on(self) -> AskedOn {
        match self {
            SubscribeEvent::Shipped | SubscribeEvent::Refunded | SubscribeEvent::BalanceDue => {
                AskedOn::Pay
            }
            SubscribeEvent::AfterSaleDecided => AskedOn::AfterSale,
        }
    }
}

/// What a move tells the shopper as 售后结果 (five Chinese characters at most): a decision by
/// the shop or the platform on a request waiting for one; `None` for every other move (the
/// refund itself is told as 退款结果).
pub fn after_sale_result(from: AfterSaleStatus, to: AfterSaleStatus) -> Option<&'static str> {
    use AfterSaleStatus::*;
    match (from, to) {
        (Pending | Arbitrating, Refunding) => Some("同意退款"),
        (Pending | Arbitrating, AwaitingReturn) => Some("同意退货"),
        (Pending, Rejected) => Some("商家拒绝"),
        (Arbitrating, Closed) => Some("平台驳回"),
        (Returned, Rejected) => Some("拒绝收货"),
        _ => None,
    }
}

/// What an event can tell: a template's keywords are mapped to these sources in configuration
/// (`wechat.subscribe.<event>.fields`, e.g. `character_string1 = "order_no"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeValues {
    pub order_no: String,
    /// the first line's title, 「等 3 件商品」 when there are more
    pub goods: String,
    /// fen (a refund, a balance due)
    pub amount: Option<i64>,
    pub carrier: String,
    pub tracking_no: String,
    pub after_sale_no: String,
    /// the decision in at most five Chinese characters (`phrase`), e.g. 「已同意」
    pub result: String,
    /// why (a rejection's reason)
    pub reason: String,
    /// epoch ms of the event
    pub at: i64,
    /// the shop's name
    pub shop: String,
    /// epoch ms by which something must be done (a balance window's close); 0 when none
    #[serde(default)]
    pub deadline: i64,
}

impl NoticeValues {
    /// The raw text of `source` (before fitting to a keyword), `None` for an unknown source.
    pub fn source(&self, source: &str) -> Option<String> {
        Some(match source {
            "order_no" => self.order_no.clone(),
            "goods" => self.goods.clone(),
            "amount" => self.amount.map(|f| format!("{}元", yuan_text(f)))?,
            "carrier" => self.carrier.clone(),
            "tracking_no" => self.tracking_no.clone(),
            "after_sale_no" => self.after_sale_no.clone(),
            "result" => self.result.clone(),
            "reason" => self.reason.clone(),
            "time" => time_text(self.at),
            "deadline" => time_text(self.deadline),
            "shop" => self.shop.clone(),
            _ => return None,
        })
    }
}

/// `2026年12月4日 20:00`, China time, as WeChat's `time` keywords show it.
fn time_text(ms: i64) -> String {
    let t = ChinaTime::of_ms(ms);
    format!(
        "{}年{}月{}日 {:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute
    )
}

/// The sources [`NoticeValues::source`] knows, for checking configuration.
pub const SOURCES: [&str; 11] = [
    "order_no",
    "goods",
    "amount",
    "carrier",
    "tracking_no",
    "after_sale_no",
    "result",
    "reason",
    "time",
    "shop",
    "deadline",
];

/// Why a value cannot be sent under a keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadValue {
    pub keyword: String,
    pub why: &'static str,
}

/// `value` fitted to `keyword`'s type: truncated where WeChat allows a shorter text to mean the
/// same (`thing`, `name`), refused where cutting would change its meaning (numbers, codes,
/// amounts, dates) or the characters are not allowed.
pub fn fit(keyword: &str, value: &str) -> Result<String, BadValue> {
    let kind: String = keyword
        .chars()
        .take_while(|c| c.is_ascii_alphabetic() || *c == '_')
        .collect();
    let bad = |why| BadValue {
        keyword: keyword.to_string(),
        why,
    };
    let value = value.trim();
    let chars = value.chars().count();
    match kind.as_str() {
        // 20 characters of anything; a longer text is cut with an ellipsis
        "thing" => Ok(truncate(value, 20)).and_then(|v| non_empty(v, bad)),
        "name" => Ok(truncate(value, 10)).and_then(|v| non_empty(v, bad)),
        "character_string" => {
            if chars > 32 || !value.chars().all(|c| c.is_ascii_graphic()) {
                Err(bad("32 位以内数字、字母或符号"))
            } else {
                non_empty(value.to_string(), bad)
            }
        }
        "number" => {
            let ok = chars <= 32
                && value.split_once('.').map_or(
                    !value.is_empty() && value.chars().all(|c| c.is_ascii_digit()),
                    |(a, b)| {
                        !a.is_empty()
                            && a.chars().all(|c| c.is_ascii_digit())
                            && b.chars().all(|c| c.is_ascii_digit())
                    },
                );
            ok.then(|| value.to_string())
                .ok_or_else(|| bad("32 位以内数字，可带小数"))
        }
        "amount" => {
            // a currency sign, at most 10 digits, optional decimals, optionally ending in 元
            let digits = value
                .trim_start_matches(['¥', '￥', '$'])
                .trim_end_matches('元');
            let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
            let ok = !int.is_empty()
                && int.len() <= 10
                && int.chars().all(|c| c.is_ascii_digit())
                && frac.chars().all(|c| c.is_ascii_digit());
            ok.then(|| value.to_string())
                .ok_or_else(|| bad("金额：10 位以内数字，可带小数和“元”"))
        }
        "phrase" => {
            if chars == 0 || chars > 5 || !value.chars().all(is_han) {
                Err(bad("5 个以内汉字"))
            } else {
                Ok(value.to_string())
            }
        }
        "date" | "time" => {
            if chars == 0 || chars > 40 {
                Err(bad("日期或时间"))
            } else {
                Ok(value.to_string())
            }
        }
        "letter" => {
            if chars == 0 || chars > 32 || !value.chars().all(|c| c.is_ascii_alphabetic()) {
                Err(bad("32 位以内字母"))
            } else {
                Ok(value.to_string())
            }
        }
        "phone_number" => {
            let ok = chars > 0
                && chars <= 17
                && value
                    .chars()
                    .all(|c| c.is_ascii_digit() || "+-() ".contains(c));
            ok.then(|| value.to_string())
                .ok_or_else(|| bad("17 位以内电话号码"))
        }
        _ => Err(bad("不认识的关键词类型")),
    }
}

fn non_empty(v: String, bad: impl Fn(&'static str) -> BadValue) -> Result<String, BadValue> {
    if v.is_empty() {
        Err(bad("不能为空"))
    } else {
        Ok(v)
    }
}

/// At most `max` characters; a cut text ends in 「…」 (which counts).
fn truncate(value: &str, max: usize) -> String {
    if value.chars().count() <= max {
        return value.to_string();
    }
    let mut cut: String = value.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// 「都匀毛尖 特级 250g 等 3 件商品」 of an order's line titles.
pub fn goods_text(titles: &[String]) -> String {
    match titles {
        [] => String::new(),
        [one] => one.clone(),
        [first, ..] => format!("{first}等{}件商品", titles.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn things_and_names_are_cut_with_an_ellipsis_to_wechats_length() {
        let long = "贵州都匀高山云雾毛尖特级明前新茶礼盒装二百五十克";
        let cut = fit("thing2", long).unwrap();
        assert_eq!(cut.chars().count(), 20);
        assert!(cut.ends_with('…') && long.starts_with(cut.trim_end_matches('…')));
        assert_eq!(fit("thing2", "都匀毛尖").unwrap(), "都匀毛尖");
        assert_eq!(
            fit("name1", "一二三四五六七八九十十一")
                .unwrap()
                .chars()
                .count(),
            10
        );
        assert!(
            fit("thing2", "  ").is_err(),
            "an empty thing fails the whole send"
        );
    }

    #[test]
    fn codes_numbers_and_amounts_are_refused_rather_than_cut() {
        assert_eq!(
            fit("character_string1", "O2026120300012345").unwrap(),
            "O2026120300012345"
        );
        assert!(fit("character_string1", &"9".repeat(33)).is_err());
        assert!(fit("character_string1", "订单1").is_err());
        assert!(fit("number3", "12.50").is_ok());
        assert!(fit("number3", "12.").is_ok());
        assert!(fit("number3", "1a").is_err());
        assert_eq!(fit("amount4", "12.30元").unwrap(), "12.30元");
        assert!(fit("amount4", "¥12.30").is_ok());
        assert!(fit("amount4", "12345678901.00元").is_err(), "11 digits");
        assert!(fit("amount4", "十二元").is_err());
    }

    #[test]
    fn phrases_are_five_chinese_characters_at_most() {
        assert_eq!(fit("phrase5", "已同意").unwrap(), "已同意");
        assert!(fit("phrase5", "商家已同意退款").is_err());
        assert!(fit("phrase5", "OK").is_err());
        assert!(fit("unknown9", "x").is_err());
    }

    #[test]
    fn sources_fill_keywords_in_china_time_and_yuan() {
        let v = NoticeValues {
            order_no: "O1".into(),
            amount: Some(12_30),
            // 2026-12-03 01:05 UTC is 09:05 in China
            at: 1_796_259_900_000,
            ..Default::default()
        };
        assert_eq!(v.source("amount").as_deref(), Some("12.30元"));
        assert_eq!(v.source("time").as_deref(), Some("2026年12月3日 09:05"));
        assert_eq!(v.source("nope"), None);
        assert_eq!(NoticeValues::default().source("amount"), None);
        assert!(SOURCES
            .iter()
            .all(|s| v.source(s).is_some() || *s == "amount"));
        assert_eq!(
            goods_text(&["毛尖".into(), "辣椒酱".into()]),
            "毛尖等2件商品"
        );
    }

    #[test]
    fn decisions_are_told_in_a_phrase_and_other_moves_not_at_all() {
        use AfterSaleStatus::*;
        for (from, to) in [
            (Pending, Refunding),
            (Pending, AwaitingReturn),
            (Pending, Rejected),
            (Arbitrating, Refunding),
            (Arbitrating, AwaitingReturn),
            (Arbitrating, Closed),
            (Returned, Rejected),
        ] {
            let said = after_sale_result(from, to).unwrap();
            assert!(fit("phrase2", said).is_ok(), "{said}");
        }
        assert_eq!(
            after_sale_result(Pending, Closed),
            None,
            "the shopper withdrew it"
        );
        assert_eq!(
            after_sale_result(Refunding, Refunded),
            None,
            "told as 退款结果"
        );
        assert_eq!(after_sale_result(AwaitingReturn, Returned), None);
    }
}
