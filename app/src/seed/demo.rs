//! The demo marketplace: a platform team, six regional shops with owners and their products, a two-level category
//! tree and a few shoppers. Seeding is idempotent: a second run changes nothing.

use sqlx::AnyConnection;

use crate::domain::account::AdminRole;
use crate::domain::address::AddressInput;
use crate::domain::shipping::{ChargeBy, ShippingRule};
use crate::error::{AppError, AppResult};
use crate::infra::crypto::hash_password;
use crate::repo::accounts as account_repo;
use crate::repo::categories::{self, NewCategory};
use crate::repo::shipping::{self as shipping_repo, TemplateFields};
use crate::seed::{demo_products, demo_promotions, demo_reviews};
use crate::services::merchants::{open_shop, NewShop};
use crate::services::{accounts, addresses};
use crate::state::AppState;

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
        let mut tx = st.db.begin_write().await?;
        for (sort, (name, bps, icon, children)) in CATEGORIES.into_iter().enumerate() {
            let parent = categories::insert_category(
                &mut tx,
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
                categories::insert_category(
                    &mut tx,
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
        tx.commit().await?;
        let password_hash = hash_password(DEMO_PASSWORD.to_string()).await?;
        let mut tx = st.db.begin_write().await?;
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
        for (i, (merchant_id, _)) in shops.iter().enumerate() {
            seed_shipping(&mut tx, *merchant_id, i).await?;
        }
        tx.commit().await?;
        demo_products::seed(st, &shops).await?;
        let fruit = CATEGORIES
            .iter()
            .position(|c| c.0 == "水果生鲜")
            .map(|i| tops[i])
            .ok_or_else(|| AppError::internal("demo fruit category missing"))?;
        demo_promotions::seed(st, &shops, fruit).await?;
        for (i, (phone, nickname)) in SHOPPERS.into_iter().enumerate() {
            let id = accounts::register_shopper(st, phone, DEMO_PASSWORD, nickname)
                .await?
                .account_id;
            addresses::save(st, id, None, &demo_address(i, phone, nickname)).await?;
        }
    }
    Ok(logins())
}

/// The demo shoppers' first orders, received and mostly reviewed (`seed::demo_reviews`), once:
/// nothing when they have bought already. Run after [`seed`] by `jishi seed-demo --orders` (the
/// run command's demo; tests seed the marketplace without them, so their figures start from
/// nothing).
pub async fn seed_orders(st: &AppState) -> AppResult<()> {
    let mut shoppers = Vec::new();
    for (phone, _) in SHOPPERS {
        let row = account_repo::shopper_by_phone_hash(&st.db.pool, &st.cipher.blind_index(phone))
            .await?
            .ok_or_else(|| AppError::internal("demo shopper missing: seed the demo first"))?;
        shoppers.push(row.id);
    }
    if crate::repo::orders::count_of_shopper(&st.db.pool, shoppers[0]).await? > 0 {
        return Ok(());
    }
    let mut shops = Vec::new();
    for (.., owner, _) in SHOPS {
        let staff = account_repo::staff_by_username(&st.db.pool, owner)
            .await?
            .ok_or_else(|| AppError::internal("demo shop missing"))?;
        shops.push((staff.merchant_id, staff.id));
    }
    demo_reviews::seed(st, &shoppers, &shops).await
}

/// Each shop ships ¥8 for the first piece and ¥2 for each further one (¥15 / ¥5 to the far
/// west), free from ¥99; the fruit orchard charges by weight and, for fresh fruit, delivers only
/// to the south-west (仅配送指定地区: a Beijing address sees it at checkout); two shops also offer
/// pickup.
async fn seed_shipping(conn: &mut AnyConnection, merchant_id: i64, i: usize) -> AppResult<()> {
    let far = vec!["新疆维吾尔自治区".to_string(), "西藏自治区".to_string()];
    let (name, charge_by, rules) = if SHOPS[i].0.contains("苹果") {
        let south_west = ["云南省", "贵州省", "四川省", "重庆市"];
        (
            "鲜果仅发西南",
            ChargeBy::Weight,
            vec![ShippingRule {
                regions: south_west.iter().map(|p| p.to_string()).collect(),
                first: 1000,
                first_fee: 1000,
                extra: 1000,
                extra_fee: 300,
            }],
        )
    } else {
        (
            "默认运费",
            ChargeBy::Piece,
            vec![
                ShippingRule {
                    regions: far,
                    first: 1,
                    first_fee: 1500,
                    extra: 1,
                    extra_fee: 500,
                },
                ShippingRule {
                    regions: vec![],
                    first: 1,
                    first_fee: 800,
                    extra: 1,
                    extra_fee: 200,
                },
            ],
        )
    };
    let rules = serde_json::to_string(&rules).map_err(AppError::internal)?;
    shipping_repo::insert(
        conn,
        merchant_id,
        &TemplateFields {
            name,
            charge_by: charge_by.as_str(),
            rules: &rules,
            free_over: 9900,
            is_default: true,
        },
    )
    .await?;
    if i < 2 {
        let (_, _, region, ..) = SHOPS[i];
        sqlx::query("UPDATE merchants SET pickup_address = $1 WHERE id = $2")
            .bind(format!("{region} 门店（营业时间 9:00-18:00）"))
            .bind(merchant_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn demo_address(i: usize, phone: &str, nickname: &str) -> AddressInput {
    let (province, city, district, detail) = [
        ("贵州省", "贵阳市", "观山湖区", "林城西路 18 号 2 栋 301"),
        ("四川省", "成都市", "武侯区", "人民南路四段 9 号"),
        ("北京市", "北京市", "朝阳区", "建国路 88 号 1 单元 1203"),
    ][i % 3];
    AddressInput {
        receiver: nickname.to_string(),
        phone: phone.to_string(),
        province: province.into(),
        city: city.into(),
        district: district.into(),
        detail: detail.into(),
        is_default: true,
    }
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
