//! The demo marketplace: a platform team, six regional shops with owners and their products, a two-level category
//! tree and a few shoppers. Seeding is idempotent: a second run changes nothing.

use crate::domain::account::AdminRole;
use crate::error::AppResult;
use crate::infra::crypto::hash_password;
use crate::infra::state::AppState;
use crate::repo::accounts as account_repo;
use crate::repo::catalog::{self, NewCategory};
use crate::services::merchants::{open_shop, NewShop};
use crate::services::{accounts, demo_products};

/// Password of every demo account (printed by the run command).
pub const DEMO_PASSWORD: &str = "jishi2026";

pub struct DemoLogin {
    pub realm: &'static str,
    pub login: String,
    pub who: String,
}

const ADMINS: [(&str, &str, AdminRole); 4] = [
    ("admin", "平台超管", AdminRole::Super),
    ("operator", "运营小李", AdminRole::Operator),
    ("finance", "财务老周", AdminRole::Finance),
    ("reviewer", "审核员小陈", AdminRole::Reviewer),
];

/// (shop, kind, region, intro, owner login, owner name)
const SHOPS: [(&str, &str, &str, &str, &str, &str); 6] = [
    (
        "都匀毛尖茶庄",
        "enterprise",
        "贵州·都匀",
        "高山云雾出好茶，三代人守着一片茶园。",
        "duyun_tea",
        "罗茶农",
    ),
    (
        "遵义辣椒酱坊",
        "individual",
        "贵州·遵义",
        "朝天椒手工舂制，古法发酵九十天。",
        "zunyi_chili",
        "杨师傅",
    ),
    (
        "丹寨苗族蜡染",
        "individual",
        "贵州·丹寨",
        "苗族阿妈手绘蜡染，一针一线皆是非遗。",
        "miao_batik",
        "王阿妈",
    ),
    (
        "昭通高原苹果园",
        "enterprise",
        "云南·昭通",
        "海拔两千米的冰糖心苹果，树上熟透才摘。",
        "zhaotong_apple",
        "李果农",
    ),
    (
        "大方天麻合作社",
        "enterprise",
        "贵州·大方",
        "林下仿野生种植天麻，产地直发。",
        "dafang_tianma",
        "张社长",
    ),
    (
        "普洱古树茶行",
        "enterprise",
        "云南·普洱",
        "百年古树春茶，石磨压饼，越陈越香。",
        "puer_tea",
        "岩温",
    ),
];

/// (parent, commission bps, icon, children)
const CATEGORIES: [(&str, i64, &str, &[&str]); 5] = [
    ("茶叶", 500, "🍵", &["绿茶", "普洱茶", "红茶"]),
    ("调味品", 300, "🌶️", &["辣椒酱", "干货调料"]),
    ("水果生鲜", 200, "🍎", &["苹果", "时令水果"]),
    ("滋补养生", 600, "🌿", &["天麻", "菌菇"]),
    ("民族手工艺", 800, "🎨", &["蜡染", "刺绣"]),
];

/// The top-level category (index into CATEGORIES) each shop sells in.
const SHOP_CATEGORY: [usize; 6] = [0, 1, 4, 2, 3, 0];

const SHOPPERS: [(&str, &str); 3] = [
    ("13800000001", "茶友小王"),
    ("13800000002", "吃辣达人"),
    ("13800000003", "阿苹"),
];

/// Seeds the demo data unless it is already there; returns the logins either way.
pub async fn seed(st: &AppState) -> AppResult<Vec<DemoLogin>> {
    let already = account_repo::admin_by_username(&st.db.pool, ADMINS[0].0)
        .await?
        .is_some();
    if !already {
        for (username, name, role) in ADMINS {
            accounts::create_admin(st, username, name, DEMO_PASSWORD, role).await?;
        }
        let mut tops = Vec::new();
        for (sort, (name, bps, icon, children)) in CATEGORIES.into_iter().enumerate() {
            let parent = catalog::insert_category(
                &st.db.pool,
                &NewCategory {
                    parent_id: None,
                    name,
                    level: 1,
                    sort_order: sort as i64,
                    icon,
                    commission_rate_bps: bps,
                },
            )
            .await?;
            tops.push(parent);
            for (child_sort, child) in children.iter().enumerate() {
                catalog::insert_category(
                    &st.db.pool,
                    &NewCategory {
                        parent_id: Some(parent),
                        name: child,
                        level: 2,
                        sort_order: child_sort as i64,
                        icon: "",
                        commission_rate_bps: bps,
                    },
                )
                .await?;
            }
        }
        let password_hash = hash_password(DEMO_PASSWORD.to_string()).await?;
        let mut tx = st.db.pool.begin().await?;
        let mut shops = Vec::new();
        for (i, (name, kind, region, intro, owner, owner_name)) in SHOPS.into_iter().enumerate() {
            let ids = open_shop(
                &mut tx,
                &NewShop {
                    name,
                    kind,
                    region,
                    intro,
                    owner_username: owner,
                    owner_name,
                    owner_password_hash: &password_hash,
                    category_ids: &[tops[SHOP_CATEGORY[i]]],
                },
            )
            .await?;
            shops.push(ids);
        }
        tx.commit().await?;
        demo_products::seed(st, &shops).await?;
        for (phone, nickname) in SHOPPERS {
            accounts::register_shopper(st, phone, DEMO_PASSWORD, nickname).await?;
        }
    }
    Ok(logins())
}

fn logins() -> Vec<DemoLogin> {
    let admins = ADMINS.iter().map(|(u, n, r)| DemoLogin {
        realm: "平台管理后台 /admin/login",
        login: u.to_string(),
        who: format!("{n}（{}）", r.label()),
    });
    let shops = SHOPS.iter().map(|s| DemoLogin {
        realm: "商家后台 /merchant/login",
        login: s.4.to_string(),
        who: format!("{}（{}）", s.0, s.5),
    });
    let shoppers = SHOPPERS.iter().map(|(p, n)| DemoLogin {
        realm: "H5 商城 /login",
        login: p.to_string(),
        who: n.to_string(),
    });
    admins.chain(shops).chain(shoppers).collect()
}
