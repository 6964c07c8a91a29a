//! Merchants' products: create and edit with specs and SKUs, on/off shelf, stock adjustments;
//! and the platform's takedown. Each is one write transaction with its audit row; the shop front
//! hears of what changed when it commits (`infra::db::Changes`).

use crate::domain::audit::AuditTarget;
use crate::domain::merchant::check_text;
use crate::domain::money::yuan_text;
use crate::domain::product::{
    check_skus, check_spec_dims, AdminProductList, AdminProductRow, ProductAction, ProductStatus,
    SkuInput, MAX_GALLERY,
};
use crate::domain::product::{listing_step, spec_label};
use crate::domain::product_editor::{
    CategoryOption, MerchantProductList, MerchantProductRow, ProductEditorData, ProductForm,
    ProductInput, SkuForm, StockLogView,
};
use crate::domain::state_machine::{Actor, StateMachine};
use crate::error::{AppError, AppResult};
use crate::infra::db::WriteTx;
use crate::repo::audit::{self, AuditEntry};
use crate::repo::categories as category_repo;
use crate::repo::merchants as merchant_repo;
use crate::repo::products::{self as repo, ProductFields, ProductRow, SkuFields};
use crate::repo::stock::{self as stock_repo, StockEntry};
use crate::services::admins::AdminScope;
use crate::services::merchants::MerchantScope;
use crate::services::uploads::check_image_keys;
use crate::state::AppState;

/// Creates (`id` None) or updates a product of the scope's shop. `publish` lists it: on sale,
/// or to 商品审核 the first time while the platform reviews products (`listing_step`).
pub async fn save(
    st: &AppState,
    scope: &MerchantScope,
    id: Option<i64>,
    input: ProductInput,
    publish: bool,
    ip: &str,
) -> AppResult<i64> {
    let title = check_text("title", "商品标题", &input.title, 2, 60)?;
    let subtitle = check_text("subtitle", "副标题", &input.subtitle, 0, 80)?;
    let brand = check_text("brand", "品牌", &input.brand, 0, 30)?;
    let origin = check_text("origin", "产区", &input.origin, 0, 30)?;
    let description = sanitize_description(&input.description)?;
    let dims = check_spec_dims(input.spec_dims)?;
    let skus = check_skus(&dims, input.skus)?;
    if input.main_image.is_empty() {
        return Err(AppError::invalid("main_image", "请上传商品主图"));
    }
    if input.gallery.len() > MAX_GALLERY {
        return Err(AppError::invalid("gallery", "商品图最多9张"));
    }
    let mut images: Vec<&str> = vec![input.main_image.as_str()];
    images.extend(input.gallery.iter().map(String::as_str));
    check_image_keys(st, &images).await?;
    check_category(st, scope, input.category_id).await?;
    if publish && !scope.shop_active {
        return Err(AppError::Conflict(
            "店铺已被暂停营业，商品暂不能上架".into(),
        ));
    }

    let spec_json = serde_json::to_string(&dims).map_err(AppError::internal)?;
    let gallery = input.gallery.join(" ");
    let fields = ProductFields {
        category_id: input.category_id,
        title: &title,
        subtitle: &subtitle,
        brand: &brand,
        origin: &origin,
        description: &description,
        main_image: &input.main_image,
        gallery: &gallery,
        spec_dims: &spec_json,
        featured: input.featured,
    };
    let mut tx = st.db.begin_write().await?;
    let review = st.config.catalog.review_products;
    // when saving also listed an existing product: the state it was in, and the step taken
    let mut listed = None;
    let product_id = match id {
        None => {
            let status = if publish {
                listing_step(review, false).1
            } else {
                ProductStatus::Draft
            };
            let id = repo::insert_product(&mut tx, scope.merchant_id, &fields, status).await?;
            if status == ProductStatus::OnSale {
                repo::mark_approved(&mut tx, &[id], st.clock.now_ms()).await?;
            }
            id
        }
        Some(id) => {
            let (status, approved) =
                repo::status_of_merchant_product(&mut tx, scope.merchant_id, id)
                    .await?
                    .ok_or_else(|| AppError::not_found("商品不存在"))?;
            // "save and put on sale": a product already on sale (or in review) is only saved;
            // one the platform took down cannot go on sale, and then nothing is saved either
            let step = listing_step(review, approved);
            if publish && status == ProductStatus::TakenDown {
                return Err(AppError::Conflict(
                    "商品已被平台下架，不能上架；请只保存修改".into(),
                ));
            }
            repo::update_product(&mut tx, scope.merchant_id, id, &fields).await?;
            if publish && status.allows(step.0, Actor::Merchant, step.1) {
                repo::set_status_of_merchant(&mut tx, scope.merchant_id, &[id], step).await?;
                if step.1 == ProductStatus::OnSale {
                    repo::mark_approved(&mut tx, &[id], st.clock.now_ms()).await?;
                }
                listed = Some((status, step));
            }
            id
        }
    };
    write_skus(&mut tx, scope, product_id, &skus).await?;
    repo::refresh_summary(&mut tx, product_id).await?;
    let action = if id.is_some() {
        "product_update"
    } else {
        "product_create"
    };
    let entry = scope
        .entry(action, &title, ip)
        .on(AuditTarget::Product, product_id);
    audit::record(&mut *tx, &entry).await?;
    if let Some((before, (action, to))) = listed {
        let entry = scope
            .entry(listing_action(action), &title, ip)
            .on(AuditTarget::Product, product_id)
            .change(before.label(), to.label());
        audit::record(&mut *tx, &entry).await?;
    }
    tx.commit().await?;
    Ok(product_id)
}

/// Matches the submitted combinations with the stored SKUs: a known combination keeps its SKU
/// (orders point at it) with new prices; a new one gets a SKU and its opening stock (logged);
/// a combination no longer offered is retired, not deleted.
async fn write_skus(
    tx: &mut WriteTx,
    scope: &MerchantScope,
    product_id: i64,
    skus: &[SkuInput],
) -> AppResult<()> {
    let existing = repo::all_skus_of(tx, product_id).await?;
    let mut kept = Vec::with_capacity(skus.len());
    for (i, s) in skus.iter().enumerate() {
        let values = serde_json::to_string(&s.spec_values).map_err(AppError::internal)?;
        let fields = SkuFields {
            spec_values: &values,
            price: s.price,
            original_price: s.original_price,
            weight_g: s.weight_g,
            code: &s.code,
            sort_order: i as i64,
        };
        match existing.iter().find(|e| e.spec_values == values) {
            Some(e) => {
                repo::update_sku(tx, (scope.merchant_id, product_id), e.id, &fields).await?;
                kept.push(e.id);
            }
            None => {
                let sku_id = repo::insert_sku(tx, scope.merchant_id, product_id, &fields).await?;
                kept.push(sku_id);
                if s.stock > 0 {
                    let after = stock_repo::adjust_stock(tx, scope.merchant_id, sku_id, s.stock)
                        .await?
                        .ok_or_else(|| AppError::internal("new SKU refused its stock"))?;
                    stock_repo::log_stock(
                        tx,
                        &StockEntry {
                            merchant_id: scope.merchant_id,
                            product_id,
                            sku_id,
                            delta: s.stock,
                            stock_after: after,
                            reason: "初始库存",
                            actor_realm: "merchant",
                            actor_id: Some(scope.staff_id),
                        },
                    )
                    .await?;
                }
            }
        }
    }
    for e in existing
        .iter()
        .filter(|e| e.active != 0 && !kept.contains(&e.id))
    {
        repo::retire_sku(tx, (scope.merchant_id, product_id), e.id).await?;
    }
    Ok(())
}

/// The category must exist, be enabled, have no sub-categories, and lie under one of the
/// top-level categories the shop was approved for.
async fn check_category(st: &AppState, scope: &MerchantScope, category_id: i64) -> AppResult<()> {
    let rows = category_repo::list_categories(&st.db.pool).await?;
    let find = |id: i64| rows.iter().find(|r| r.id == id);
    let Some(cat) = find(category_id) else {
        return Err(AppError::invalid("category_id", "请选择商品分类"));
    };
    if rows.iter().any(|r| r.parent_id == Some(category_id)) {
        return Err(AppError::invalid("category_id", "请选择最末一级分类"));
    }
    let mut top = cat;
    loop {
        if top.enabled == 0 {
            return Err(AppError::invalid("category_id", "该分类已停用"));
        }
        match top.parent_id.and_then(find) {
            Some(parent) => top = parent,
            None => break,
        }
    }
    let granted = merchant_repo::granted_categories(&st.db.pool, scope.merchant_id).await?;
    if !granted.contains(&top.id) {
        return Err(AppError::Forbidden(format!(
            "本店未开通“{}”类目，不能在此分类下发布商品",
            top.name
        )));
    }
    Ok(())
}

/// Rows a page of a shop's product list holds.
pub const PAGE_SIZE: i64 = 20;

/// One page (from 1) of the shop's products, newest first, optionally of one status.
pub async fn merchant_list(
    st: &AppState,
    scope: &MerchantScope,
    status: Option<ProductStatus>,
    page: i64,
) -> AppResult<MerchantProductList> {
    let page = page.max(1);
    let (rows, total) = repo::list_of_merchant(
        &st.db.pool,
        scope.merchant_id,
        status,
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|r| MerchantProductRow {
            id: r.id,
            title: r.title,
            image: r.main_image,
            status: r.status,
            status_reason: r.status_reason,
            min_price: r.min_price,
            max_price: r.max_price,
            total_stock: r.total_stock,
            sales: r.sales,
        })
        .collect();
    Ok(MerchantProductList {
        items,
        total,
        page,
        page_size: PAGE_SIZE,
    })
}

/// The editor's data: the shop's product `id` as a form (prices as yuan text), or a blank form,
/// and the categories this shop may file products under. Errors: 404 for another shop's or a
/// missing product.
pub async fn editor(
    st: &AppState,
    scope: &MerchantScope,
    id: Option<i64>,
) -> AppResult<ProductEditorData> {
    let pool = &st.db.pool;
    let categories = allowed_categories(st, scope)
        .await?
        .into_iter()
        .map(|(id, path)| CategoryOption { id, path })
        .collect();
    let Some(id) = id else {
        return Ok(ProductEditorData {
            form: ProductForm::default(),
            categories,
            needs_review: st.config.catalog.review_products,
        });
    };
    let p = repo::product_of_merchant(pool, scope.merchant_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("商品不存在"))?;
    let skus = repo::active_skus_of(pool, &[id]).await?;
    let needs_review = listing_step(st.config.catalog.review_products, p.approved_at.is_some()).0
        == ProductAction::Submit;
    let form = ProductForm {
        id: Some(p.id),
        category_id: p.category_id,
        title: p.title,
        subtitle: p.subtitle,
        brand: p.brand,
        origin: p.origin,
        description: p.description,
        main_image: p.main_image,
        gallery: crate::services::storefront::keys(&p.gallery),
        spec_dims: serde_json::from_str(&p.spec_dims).unwrap_or_default(),
        skus: skus
            .into_iter()
            .map(|s| SkuForm {
                id: Some(s.id),
                spec_values: serde_json::from_str(&s.spec_values).unwrap_or_default(),
                price: yuan_text(s.price),
                original_price: if s.original_price > 0 {
                    yuan_text(s.original_price)
                } else {
                    String::new()
                },
                stock: s.stock,
                weight_g: s.weight_g,
                code: s.code,
            })
            .collect(),
        featured: p.featured != 0,
        status: Some(p.status),
        status_reason: p.status_reason,
    };
    Ok(ProductEditorData {
        form,
        categories,
        needs_review,
    })
}

/// The leaf categories under the shop's granted top-level categories, with their paths
/// (茶叶 / 绿茶), for the editor's picker.
pub async fn allowed_categories(
    st: &AppState,
    scope: &MerchantScope,
) -> AppResult<Vec<(i64, String)>> {
    let rows = category_repo::list_categories(&st.db.pool).await?;
    let granted = merchant_repo::granted_categories(&st.db.pool, scope.merchant_id).await?;
    let live = crate::domain::category::live_ids(&rows);
    let mut out = Vec::new();
    for r in crate::domain::category::depth_first(&rows) {
        if !live.contains(&r.id) || rows.iter().any(|c| c.parent_id == Some(r.id)) {
            continue;
        }
        let mut path = vec![r.name.clone()];
        let mut cur = r;
        while let Some(parent) = cur.parent_id.and_then(|p| rows.iter().find(|c| c.id == p)) {
            path.push(parent.name.clone());
            cur = parent;
        }
        if granted.contains(&cur.id) {
            path.reverse();
            out.push((r.id, path.join(" / ")));
        }
    }
    Ok(out)
}

/// Lists products (`on`: on sale, or to 商品审核 those the platform has not approved yet, as
/// [`listing_step`] says) or takes them off shelf, in bulk. Returns how many moved.
pub async fn set_on_sale(
    st: &AppState,
    scope: &MerchantScope,
    ids: &[i64],
    on: bool,
    ip: &str,
) -> AppResult<usize> {
    if ids.is_empty() {
        return Err(AppError::bad_request("请先选择商品"));
    }
    if ids.len() > 200 {
        return Err(AppError::bad_request("一次最多操作200个商品"));
    }
    if on && !scope.shop_active {
        return Err(AppError::Conflict(
            "店铺已被暂停营业，商品暂不能上架".into(),
        ));
    }
    // another shop's (or a missing) product is "not found", never "already off shelf"
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let products = repo::products_by_ids(&st.db.pool, &unique).await?;
    let owned = products
        .iter()
        .filter(|p| p.merchant_id == scope.merchant_id)
        .count();
    if owned != unique.len() {
        return Err(AppError::not_found("商品不存在"));
    }
    let review = st.config.catalog.review_products;
    // each product's step: listing differs between approved products and the others
    let step_of = |p: &ProductRow| {
        if on {
            listing_step(review, p.approved_at.is_some())
        } else {
            (ProductAction::Unlist, ProductStatus::OffShelf)
        }
    };
    let mut steps: Vec<(ProductAction, ProductStatus)> = products.iter().map(step_of).collect();
    steps.sort_unstable_by_key(|(a, _)| a.as_str());
    steps.dedup();
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let mut moved = Vec::new();
    for step in steps {
        let of_step: Vec<i64> = products
            .iter()
            .filter(|p| step_of(p) == step)
            .map(|p| p.id)
            .collect();
        let done = repo::set_status_of_merchant(&mut tx, scope.merchant_id, &of_step, step).await?;
        if step.1 == ProductStatus::OnSale {
            repo::mark_approved(&mut tx, &done, now).await?;
        }
        moved.extend(done);
    }
    if moved.is_empty() {
        return Err(AppError::Conflict(if on {
            "所选商品已在售、正在审核或已被平台下架".into()
        } else {
            "所选商品已不在售".into()
        }));
    }
    // one entry per product, so each product's history shows the move
    for p in products.iter().filter(|p| moved.contains(&p.id)) {
        let (action, to) = step_of(p);
        let entry = scope
            .entry(listing_action(action), &p.title, ip)
            .on(AuditTarget::Product, p.id)
            .change(p.status.label(), to.label());
        audit::record(&mut *tx, &entry).await?;
    }
    tx.commit().await?;
    Ok(moved.len())
}

/// The audit action of a merchant's listing step.
fn listing_action(action: ProductAction) -> &'static str {
    match action {
        ProductAction::Submit => "product_submit",
        ProductAction::Unlist => "product_off_shelf",
        _ => "product_on_sale",
    }
}

/// The latest 200 stock movements of one of the shop's products, newest first. Another shop's
/// (or a missing) product is "not found", never an empty log.
pub async fn stock_log(
    st: &AppState,
    scope: &MerchantScope,
    product_id: i64,
) -> AppResult<Vec<StockLogView>> {
    repo::product_of_merchant(&st.db.pool, scope.merchant_id, product_id)
        .await?
        .ok_or_else(|| AppError::not_found("商品不存在"))?;
    let rows = stock_repo::stock_log(&st.db.pool, scope.merchant_id, product_id).await?;
    Ok(rows
        .into_iter()
        .map(|r| StockLogView {
            sku_id: r.sku_id,
            spec: spec_label(
                &serde_json::from_str::<Vec<String>>(&r.spec_values).unwrap_or_default(),
            ),
            delta: r.delta,
            stock_after: r.stock_after,
            reason: r.reason,
            created_at: r.created_at,
        })
        .collect())
}

/// Adds (or with a negative `delta`, removes) stock of one SKU, with a reason; logged with who.
/// Returns the new stock.
pub async fn adjust_stock(
    st: &AppState,
    scope: &MerchantScope,
    sku_id: i64,
    delta: i64,
    reason: &str,
    ip: &str,
) -> AppResult<i64> {
    if delta == 0 || delta.abs() > 10_000_000 {
        return Err(AppError::invalid("delta", "请输入要增加或减少的数量"));
    }
    let reason = check_text("reason", "调整原因", reason, 2, 100)?;
    let sku = repo::sku_of_merchant(&st.db.pool, scope.merchant_id, sku_id)
        .await?
        .ok_or_else(|| AppError::not_found("SKU不存在"))?;
    let mut tx = st.db.begin_write().await?;
    let after = stock_repo::adjust_stock(&mut tx, scope.merchant_id, sku_id, delta)
        .await?
        .ok_or_else(|| AppError::Conflict("库存不足，不能减少这么多".into()))?;
    stock_repo::log_stock(
        &mut tx,
        &StockEntry {
            merchant_id: scope.merchant_id,
            product_id: sku.product_id,
            sku_id,
            delta,
            stock_after: after,
            reason: &reason,
            actor_realm: "merchant",
            actor_id: Some(scope.staff_id),
        },
    )
    .await?;
    repo::refresh_summary(&mut tx, sku.product_id).await?;
    let detail = format!("SKU #{sku_id} {delta:+}：{reason}");
    let (before, after_text) = ((after - delta).to_string(), after.to_string());
    let entry = scope
        .entry("stock_adjust", &detail, ip)
        .on(AuditTarget::Product, sku.product_id)
        .change(&before, &after_text);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(after)
}

/// The platform takes a product down (with a reason the merchant sees) or lifts the takedown
/// (the product returns off shelf; the merchant may then put it on sale again).
pub async fn platform_takedown(
    st: &AppState,
    admin: &AdminScope,
    product_id: i64,
    down: bool,
    reason: &str,
    ip: &str,
) -> AppResult<()> {
    admin.require(crate::domain::permission::Permission::TakeDownProducts)?;
    let current = repo::product_by_id(&st.db.pool, product_id)
        .await?
        .ok_or_else(|| AppError::not_found("商品不存在"))?;
    let (step, reason) = if down {
        let reason = check_text("reason", "下架原因", reason, 2, 200)?;
        ((ProductAction::TakeDown, ProductStatus::TakenDown), reason)
    } else {
        (
            (ProductAction::Restore, ProductStatus::OffShelf),
            String::new(),
        )
    };
    current.status.check(step.0, Actor::Platform, step.1)?;
    let mut tx = st.db.begin_write().await?;
    if !repo::set_status_by_platform(&mut tx, product_id, step, &reason).await? {
        return Err(AppError::Conflict("商品状态已变化，请刷新".into()));
    }
    audit::record(
        &mut *tx,
        &AuditEntry {
            merchant_id: Some(current.merchant_id),
            ..admin.entry(
                if down {
                    "product_takedown"
                } else {
                    "product_restore"
                },
                &reason,
                ip,
            )
        }
        .on(AuditTarget::Product, product_id)
        .change(current.status.label(), step.1.label()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Keeps the formatting a product description needs and nothing that runs: no scripts, no
/// event handlers, no styles, images only from our own media store.
pub fn sanitize_description(html: &str) -> AppResult<String> {
    if html.len() > 100_000 {
        return Err(AppError::invalid("description", "商品详情过长"));
    }
    let clean = ammonia::Builder::empty()
        .add_tags([
            "p",
            "br",
            "strong",
            "b",
            "em",
            "i",
            "u",
            "ul",
            "ol",
            "li",
            "h3",
            "h4",
            "blockquote",
            "img",
        ])
        .add_tag_attributes("img", ["src", "alt"])
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && !value.starts_with("/media/") {
                None
            } else {
                Some(value.into())
            }
        })
        .clean(html)
        .to_string();
    Ok(clean)
}

/// 商品审核: the platform approves a product waiting for review (it goes on sale at once) or
/// rejects it with a reason the merchant sees (they edit it and submit again). Needs 审核商品.
/// Errors: 404 for no such product; 409 when it is not waiting for review; 422 for a missing
/// or long reason.
pub async fn platform_review(
    st: &AppState,
    admin: &AdminScope,
    product_id: i64,
    approve: bool,
    reason: &str,
    ip: &str,
) -> AppResult<()> {
    admin.require(crate::domain::permission::Permission::ReviewProducts)?;
    let (step, reason) = if approve {
        (
            (ProductAction::Approve, ProductStatus::OnSale),
            String::new(),
        )
    } else {
        let reason = check_text("reason", "驳回原因", reason, 2, 200)?;
        ((ProductAction::Reject, ProductStatus::Rejected), reason)
    };
    let current = repo::product_by_id(&st.db.pool, product_id)
        .await?
        .ok_or_else(|| AppError::not_found("商品不存在"))?;
    if current.status != ProductStatus::PendingReview {
        return Err(AppError::Conflict(format!(
            "商品状态为「{}」，不在审核中",
            current.status.label()
        )));
    }
    let mut tx = st.db.begin_write().await?;
    if !repo::set_status_by_platform(&mut tx, product_id, step, &reason).await? {
        return Err(AppError::Conflict("商品状态已变化，请刷新".into()));
    }
    if approve {
        repo::mark_approved(&mut tx, &[product_id], st.clock.now_ms()).await?;
    }
    let detail = if approve {
        current.title.clone()
    } else {
        format!("{}：{reason}", current.title)
    };
    let entry = AuditEntry {
        merchant_id: Some(current.merchant_id),
        ..admin.entry(
            if approve {
                "product_approve"
            } else {
                "product_reject"
            },
            &detail,
            ip,
        )
    }
    .on(AuditTarget::Product, product_id)
    .change(current.status.label(), step.1.label());
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Rows a page of the admin's product table holds.
pub const ADMIN_PAGE_SIZE: i64 = 20;

/// One page (from 1) of every shop's products for the admin, newest first, optionally of one
/// status.
pub async fn admin_list(
    st: &AppState,
    status: Option<ProductStatus>,
    page: i64,
) -> AppResult<AdminProductList> {
    let page = page.max(1);
    let size = ADMIN_PAGE_SIZE;
    let pool = &st.db.pool;
    let (rows, total) = repo::list_all(pool, status, size, (page - 1) * size).await?;
    let shops = merchant_repo::list(pool).await?;
    let items = rows
        .into_iter()
        .map(|r| AdminProductRow {
            id: r.id,
            shop_name: shops
                .iter()
                .find(|s| s.id == r.merchant_id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            title: r.title,
            image: r.main_image,
            status: r.status,
            status_reason: r.status_reason,
            min_price: r.min_price,
            max_price: r.max_price,
            total_stock: r.total_stock,
        })
        .collect();
    Ok(AdminProductList {
        items,
        total,
        page,
        page_size: size,
    })
}

/// Refuses ids that are not products (of shop `shop`, when given): a promotion or coupon
/// naming them. Errors: 422 on `field` naming the first stranger.
pub async fn check_ids(
    st: &AppState,
    shop: Option<i64>,
    ids: &[i64],
    field: &str,
) -> AppResult<()> {
    let found = repo::products_by_ids(&st.db.pool, ids).await?;
    let known = |id: i64| {
        found
            .iter()
            .any(|p| p.id == id && shop.is_none_or(|s| p.merchant_id == s))
    };
    match ids.iter().find(|id| !known(**id)) {
        Some(id) if shop.is_some() => Err(AppError::invalid(
            field,
            format!("商品 #{id} 不是本店的商品"),
        )),
        Some(id) => Err(AppError::invalid(field, format!("商品 #{id} 不存在"))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize_description;

    #[test]
    fn descriptions_keep_formatting_and_lose_scripts() {
        let html = r#"<p onclick="x()">好茶<script>alert(1)</script><strong>明前</strong></p><img src="https://evil/x.png"><img src="/media/ab_750.jpg" alt="茶"><a href="javascript:x">链接</a>"#;
        let clean = sanitize_description(html).unwrap();
        assert_eq!(
            clean,
            r#"<p>好茶<strong>明前</strong></p><img><img src="/media/ab_750.jpg" alt="茶">链接"#
        );
    }
}
