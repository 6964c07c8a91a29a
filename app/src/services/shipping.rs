//! Merchants' shipping templates and self-pickup, and which template prices a product.
//!
//! A product uses its own template if it has one, else its shop's default template; a shop with
//! no template at all ships free (so a new shop can sell before it sets any up).

use crate::domain::audit::AuditTarget;
use crate::domain::merchant::check_text;
use crate::domain::shipping::{ChargeBy, ShippingRule, ShippingSettingsData, ShippingTemplate};
use crate::error::{AppError, AppResult};
use crate::repo::shipping::{self as repo, TemplateFields, TemplateRow};
use crate::services::merchants::MerchantScope;
use crate::state::AppState;

/// The id standing for "free shipping everywhere" when a shop has no template.
pub const FREE_TEMPLATE_ID: i64 = 0;

pub fn free_template() -> ShippingTemplate {
    ShippingTemplate {
        id: FREE_TEMPLATE_ID,
        name: "包邮".into(),
        charge_by: ChargeBy::Piece,
        rules: vec![ShippingRule {
            regions: vec![],
            first: 1,
            first_fee: 0,
            extra: 1,
            extra_fee: 0,
        }],
        free_over: 0,
    }
}

pub fn from_row(r: &TemplateRow) -> AppResult<ShippingTemplate> {
    Ok(ShippingTemplate {
        id: r.id,
        name: r.name.clone(),
        charge_by: ChargeBy::parse(&r.charge_by)
            .ok_or_else(|| AppError::internal("bad shipping charge_by"))?,
        rules: serde_json::from_str(&r.rules)
            .map_err(|e| AppError::internal(format!("bad shipping rules: {e}")))?,
        free_over: r.free_over,
    })
}

/// The template pricing a product of `merchant_id`, among the merchant's templates `rows`.
pub fn template_for(rows: &[TemplateRow], merchant_id: i64, own: Option<i64>) -> i64 {
    let mine = |r: &&TemplateRow| r.merchant_id == merchant_id;
    own.and_then(|id| rows.iter().filter(mine).find(|r| r.id == id))
        .or_else(|| rows.iter().filter(mine).find(|r| r.is_default != 0))
        .map_or(FREE_TEMPLATE_ID, |r| r.id)
}

pub async fn list(st: &AppState, scope: &MerchantScope) -> AppResult<Vec<ShippingTemplate>> {
    repo::of_merchant(&st.db.pool, scope.merchant_id)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// The shop's 运费设置: its templates, the default's id (0 when there is none: the shop ships
/// free) and its pickup address.
pub async fn settings(st: &AppState, scope: &MerchantScope) -> AppResult<ShippingSettingsData> {
    let rows = repo::of_merchant(&st.db.pool, scope.merchant_id).await?;
    Ok(ShippingSettingsData {
        default_id: rows.iter().find(|r| r.is_default != 0).map_or(0, |r| r.id),
        templates: rows.iter().map(from_row).collect::<AppResult<_>>()?,
        pickup_address: repo::pickup_address(&st.db.pool, scope.merchant_id).await?,
    })
}

/// Creates (`template.id` 0) or changes a template; `make_default` makes it the shop's default
/// (the first template always is).
pub async fn save(
    st: &AppState,
    scope: &MerchantScope,
    template: &ShippingTemplate,
    make_default: bool,
    ip: &str,
) -> AppResult<i64> {
    template.check()?;
    let rules = serde_json::to_string(&template.rules)
        .map_err(|e| AppError::internal(format!("shipping rules: {e}")))?;
    let existing = repo::of_merchant(&st.db.pool, scope.merchant_id).await?;
    let fields = TemplateFields {
        name: template.name.trim(),
        charge_by: template.charge_by.as_str(),
        rules: &rules,
        free_over: template.free_over,
        is_default: make_default || existing.is_empty(),
    };
    let mut tx = st.db.begin_write().await?;
    let id = if template.id == FREE_TEMPLATE_ID {
        if existing.len() >= 20 {
            return Err(AppError::bad_request("最多 20 个运费模板"));
        }
        repo::insert(&mut tx, scope.merchant_id, &fields).await?
    } else {
        let was_default = existing
            .iter()
            .any(|r| r.id == template.id && r.is_default != 0);
        let fields = TemplateFields {
            is_default: fields.is_default || was_default,
            ..fields
        };
        if !repo::update(&mut tx, scope.merchant_id, template.id, &fields).await? {
            return Err(AppError::not_found("运费模板不存在"));
        }
        template.id
    };
    if fields.is_default {
        repo::make_default(&mut tx, scope.merchant_id, id).await?;
    }
    tx.commit().await?;
    scope
        .audit(
            st,
            "shipping_template_save",
            (AuditTarget::ShippingTemplate, id),
            &template.name,
            ip,
        )
        .await?;
    Ok(id)
}

pub async fn delete(st: &AppState, scope: &MerchantScope, id: i64, ip: &str) -> AppResult<()> {
    if !repo::delete_unused(&st.db.pool, scope.merchant_id, id).await? {
        return Err(AppError::Conflict(
            "不能删除：模板不存在、是默认模板，或仍有商品在使用".into(),
        ));
    }
    scope
        .audit(
            st,
            "shipping_template_delete",
            (AuditTarget::ShippingTemplate, id),
            "",
            ip,
        )
        .await
}

/// Sets (or with an empty text, withdraws) the shop's self-pickup address.
pub async fn set_pickup(
    st: &AppState,
    scope: &MerchantScope,
    address: &str,
    ip: &str,
) -> AppResult<()> {
    let address = if address.trim().is_empty() {
        String::new()
    } else {
        check_text("pickup_address", "自提地址", address, 5, 100)?
    };
    repo::set_pickup_address(&st.db.pool, scope.merchant_id, &address).await?;
    let shop = (AuditTarget::Merchant, scope.merchant_id);
    scope.audit(st, "pickup_address", shop, &address, ip).await
}
