//! 商家后台 › 商品管理 and 发布商品: the product list with bulk shelf actions, and the editor
//! with spec dimensions, one SKU row per combination, pictures and stock adjustments.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::ConsoleShell;
use crate::api::merchant_products::{
    merchant_products, product_editor, stock_log, AdjustStock, SaveProduct, SetShelf,
};
use crate::domain::account::Realm;
use crate::domain::money::price_range_text;
use crate::domain::product::{combinations, spec_label, ProductStatus, SpecDim};
use crate::domain::product_editor::{ProductEditorData, ProductForm, SkuForm};
use crate::domain::storefront::image_url;
use crate::ui::common::{datetime_text, raw_text_element, ErrorBanner};
use crate::ui::kit::{
    form_error, Col, DataTable, FieldError, FormError, Loaded, Pager, StatusBadge, Tabs,
};
use crate::ui::upload::ImageUpload;

const TABS: [(&str, &str); 7] = [
    ("", "全部"),
    ("on_sale", "在售"),
    ("pending_review", "待审核"),
    ("rejected", "审核驳回"),
    ("draft", "草稿"),
    ("off_shelf", "已下架"),
    ("taken_down", "平台下架"),
];

#[component]
pub fn MerchantProductsPage() -> impl IntoView {
    let query = use_query_map();
    let shelf = ServerAction::<SetShelf>::new();
    let key = move || {
        let q = query.read();
        (
            q.get("status").unwrap_or_default(),
            q.get("page").and_then(|p| p.parse::<i64>().ok()),
            shelf.version().get(),
        )
    };
    let list = Resource::new(key, |(status, page, _)| {
        merchant_products(Some(status), page)
    });
    let error = form_error(move || shelf.value().get());
    let status = move || query.read().get("status").unwrap_or_default();
    view! {
        <Title text="商品管理" />
        <ConsoleShell realm=Realm::Merchant>
            <div class="flex items-center justify-between">
                <h1 class="text-xl font-bold">"商品管理"</h1>
                <a href="/merchant/products/new" class="btn-primary h-9 px-5 text-sm">"发布商品"</a>
            </div>
            <Tabs
                base="/merchant/products"
                param="status"
                items=TABS.map(|(v, l)| (v.to_string(), l.to_string())).to_vec()
                current=Signal::derive(status)
                label="商品状态"
            />
            <div class="mt-3"><ErrorBanner message=error /></div>
            {move || shelf.value().get().and_then(Result::ok).map(|n| view! {
                <p role="status" class="mt-3 rounded-md bg-green-50 px-3 py-2 text-sm text-green-700">{format!("已处理 {n} 个商品")}</p>
            })}
            <Loaded resource=list let:list>
                {{
                    let pages = (list.total + list.page_size - 1) / list.page_size;
                    let page = list.page;
                    view! {
                        <ActionForm action=shelf>
                            <div class="mt-3 flex items-center gap-3 text-sm">
                                <button type="submit" name="on" value="1" class="rounded border border-gray-300 bg-white px-3 py-1.5 hover:border-promo hover:text-promo">"批量上架"</button>
                                <button type="submit" name="on" value="0" class="rounded border border-gray-300 bg-white px-3 py-1.5 hover:border-promo hover:text-promo">"批量下架"</button>
                                <span class="text-gray-400">{format!("共 {} 个商品", list.total)}</span>
                            </div>
                            <DataTable columns=vec![Col::unseen("选择"), Col::text("商品"), Col::num("价格"), Col::num("库存"), Col::num("销量"), Col::text("状态"), Col::text("操作")] rows=list.items test="product-table" class="mt-3" let:p>
                                <tr>
                                    <td><input type="checkbox" name="ids[]" value=p.id.to_string() aria-label=format!("选择 {}", p.title) /></td>
                                    <td>
                                        <div class="flex items-center gap-3">
                                            <img src=image_url(&p.image, 240) alt="" class="h-12 w-12 rounded object-cover" />
                                            <span class="line-clamp-2">{p.title.clone()}</span>
                                        </div>
                                    </td>
                                    <td class="num">{price_range_text(p.min_price, p.max_price)}</td>
                                    <td class="num" class:text-promo={p.total_stock == 0}>{p.total_stock}</td>
                                    <td class="num">{p.sales}</td>
                                    <td>
                                        <StatusBadge status=p.status />
                                        {(!p.status_reason.is_empty()).then(|| view! { <p class="mt-1 text-xs text-promo">{p.status_reason.clone()}</p> })}
                                    </td>
                                    <td><a href=format!("/merchant/products/{}", p.id) class="text-promo">"编辑"</a></td>
                                </tr>
                            </DataTable>
                        </ActionForm>
                        <Pager
                            base="/merchant/products"
                            params=vec![("status", status())]
                            page=u32::try_from(page).unwrap_or(1)
                            has_more=page < pages
                            caption=format!("第 {page} / {} 页", pages.max(1))
                        />
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

/// `/merchant/products/new` and `/merchant/products/:id`.
#[component]
pub fn ProductEditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let data = Resource::new(id, product_editor);
    // a new product's first save lands here (`?saved=1`)
    let query = use_query_map();
    let just_saved = move || query.read().get("saved").is_some();
    view! {
        <Title text=move || if id().is_some() { "编辑商品" } else { "发布商品" } />
        <ConsoleShell realm=Realm::Merchant>
            {move || just_saved().then(|| view! {
                <p role="status" class="mb-3 max-w-5xl rounded-md bg-green-50 px-3 py-2 text-sm text-green-700">"已保存"</p>
            })}
            <Loaded resource=data let:d>
                {{
                    let product_id = d.form.id;
                    view! {
                        <ProductEditor d />
                        {product_id.map(|id| view! { <div class="mt-5 max-w-5xl"><StockPanel product_id=id /></div> })}
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

/// Values typed as `500g 1kg` or `500g，1kg`.
fn split_values(text: &str) -> Vec<String> {
    text.split([' ', ',', '，', '、', '/'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// One SKU row per combination, keeping what was typed for combinations that stay.
fn regenerate(form: &mut ProductForm) {
    let old = std::mem::take(&mut form.skus);
    form.skus = combinations(&form.spec_dims)
        .into_iter()
        .map(|values| {
            old.iter()
                .find(|s| s.spec_values == values)
                .cloned()
                .unwrap_or_else(|| SkuForm {
                    spec_values: values,
                    ..SkuForm::default()
                })
        })
        .collect();
}

/// The editor is an island: spec dimensions reshape the SKU table as they are typed, and the
/// product is saved as one structured form, so it needs the browser.
#[island]
fn ProductEditor(d: ProductEditorData) -> impl IntoView {
    let mut initial = d.form;
    if initial.skus.is_empty() {
        regenerate(&mut initial);
    }
    let product_id = initial.id;
    let form = RwSignal::new(initial.clone());
    let main_image = RwSignal::new(
        Some(initial.main_image.clone())
            .filter(|k| !k.is_empty())
            .into_iter()
            .collect::<Vec<_>>(),
    );
    let gallery = RwSignal::new(initial.gallery.clone());
    // bumped when the combinations change: only then is the SKU table rebuilt
    let shape = RwSignal::new(0u32);
    let save = ServerAction::<SaveProduct>::new();
    let refusal = FormError::live(move || save.value().get());
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            if product_id.is_none() {
                // a new product continues as itself (its URL, its stock panel)
                let _ = window()
                    .location()
                    .set_href(&format!("/merchant/products/{id}?saved=1"));
            }
        }
    });
    let submit = move |publish: bool| {
        let mut f = form.get_untracked();
        f.main_image = main_image
            .get_untracked()
            .first()
            .cloned()
            .unwrap_or_default();
        f.gallery = gallery.get_untracked();
        save.dispatch(SaveProduct { form: f, publish });
    };
    let set = move |apply: fn(&mut ProductForm, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            form.update(|f| apply(f, v));
        }
    };
    let status = initial.status;
    let categories = d.categories;
    let needs_review = d.needs_review;
    view! {
        <div class="flex items-center gap-3">
            <h1 class="text-xl font-bold">{if product_id.is_some() { "编辑商品" } else { "发布商品" }}</h1>
            {status.map(|s| view! { <StatusBadge status=s /> })}
        </div>
        {(!initial.status_reason.is_empty()).then(|| {
            let why = if status == Some(ProductStatus::Rejected) { "审核驳回原因" } else { "平台下架原因" };
            view! {
                <p class="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-promo" data-test="status-reason">{format!("{why}：{}", initial.status_reason)}</p>
            }
        })}
        {(status == Some(ProductStatus::PendingReview)).then(|| view! {
            <p class="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">"商品正在平台审核中，通过后自动上架；审核期间仍可修改。"</p>
        })}
        <div class="mt-5 grid max-w-5xl gap-5">
            <section class="rounded-lg bg-white p-6">
                <h2 class="mb-4 font-bold">"基本信息"</h2>
                <div class="grid grid-cols-2 gap-4">
                    <label class="field col-span-2">
                        <span>"商品标题"</span>
                        <input name="title" class="input" maxlength="60" value=initial.title.clone() on:input=set(|f, v| f.title = v) />
                        <FieldError form=refusal field="title" />
                    </label>
                    <label class="field col-span-2">
                        <span>"副标题（卖点）"</span>
                        <input name="subtitle" class="input" maxlength="80" value=initial.subtitle.clone() on:input=set(|f, v| f.subtitle = v) />
                        <FieldError form=refusal field="subtitle" />
                    </label>
                    <label class="field">
                        <span>"商品分类"</span>
                        <select name="category_id" class="input" on:change=set(|f, v| f.category_id = v.parse().unwrap_or_default())>
                            <option value="0">"请选择分类"</option>
                            {categories.into_iter().map(|c| view! {
                                <option value=c.id.to_string() selected=c.id == initial.category_id>{c.path}</option>
                            }).collect_view()}
                        </select>
                        <FieldError form=refusal field="category_id" />
                    </label>
                    <label class="field">
                        <span>"品牌（选填）"</span>
                        <input name="brand" class="input" maxlength="30" value=initial.brand.clone() on:input=set(|f, v| f.brand = v) />
                        <FieldError form=refusal field="brand" />
                    </label>
                    <label class="field">
                        <span>"产区"</span>
                        <input name="origin" class="input" maxlength="30" placeholder="如：贵州·都匀" value=initial.origin.clone() on:input=set(|f, v| f.origin = v) />
                        <FieldError form=refusal field="origin" />
                    </label>
                    <label class="flex items-center gap-2 self-end pb-3 text-sm text-gray-600">
                        <input type="checkbox" checked=initial.featured on:change=move |ev| { let on = event_target_checked(&ev); form.update(|f| f.featured = on); } />
                        "在店铺首页推荐"
                    </label>
                </div>
            </section>
            <section class="rounded-lg bg-white p-6">
                <h2 class="mb-4 font-bold">"商品图片"</h2>
                <div class="flex gap-10">
                    <div class="field"><span>"主图"</span><ImageUpload name="main_image" keys=main_image label="上传主图" /><FieldError form=refusal field="main_image" /></div>
                    <div class="field"><span>"更多图片（最多9张）"</span><ImageUpload name="gallery" keys=gallery max=9 label="添加图片" /><FieldError form=refusal field="gallery" /></div>
                </div>
            </section>
            <section class="rounded-lg bg-white p-6">
                <h2 class="mb-1 font-bold">"规格与价格"</h2>
                <p class="mb-4 text-sm text-gray-500">"最多三种规格，每种规格的值用空格或逗号分隔；每个组合一个SKU。不填规格即为单一规格商品。"</p>
                <SpecEditor form shape />
                <p class="-mt-2 mb-3"><FieldError form=refusal field="specs" /></p>
                <SkuTable form shape />
                <p class="mt-2"><FieldError form=refusal field="skus" /></p>
            </section>
            <section class="rounded-lg bg-white p-6">
                <h2 class="mb-1 font-bold">"商品详情"</h2>
                <p class="mb-3 text-sm text-gray-500">"支持段落、标题、加粗、列表和本站图片的HTML；脚本和外链会被自动去除。"</p>
                <textarea name="description" rows="8" class="input h-auto py-2 font-mono text-sm" on:input=set(|f, v| f.description = v)>{raw_text_element(initial.description.clone())}</textarea>
                <FieldError form=refusal field="description" />
            </section>
            <div class="sticky bottom-0 flex items-center gap-3 border-t border-gray-200 bg-page py-4">
                <button type="button" class="btn-outline h-10 px-6" disabled=move || save.pending().get() on:click=move |_| submit(false)>"保存"</button>
                {(!matches!(status, Some(ProductStatus::TakenDown | ProductStatus::PendingReview))).then(|| view! {
                    <button type="button" class="btn-primary h-10 px-6" disabled=move || save.pending().get() on:click=move |_| submit(true)>
                        {if needs_review { "保存并提交审核" } else { "保存并上架" }}
                    </button>
                })}
                <span role="status" class="text-sm">
                    {move || match (save.value().get(), (refusal.banner())()) {
                        (Some(Ok(_)), _) => view! { <span class="text-green-700">"已保存"</span> }.into_any(),
                        (Some(Err(_)), Some(m)) => view! { <span class="text-promo" role="alert">{m}</span> }.into_any(),
                        // the message sits beside its field, perhaps far up the page
                        (Some(Err(_)), None) => view! { <span class="text-promo">"未保存：请按红字提示修改"</span> }.into_any(),
                        (None, _) => ().into_any(),
                    }}
                </span>
            </div>
        </div>
    }
}

/// An edit of the spec dimensions (the SKU rows follow it).
type SpecChange = Box<dyn FnOnce(&mut Vec<SpecDim>)>;

#[component]
fn SpecEditor(form: RwSignal<ProductForm>, shape: RwSignal<u32>) -> impl IntoView {
    let change = move |apply: SpecChange| {
        form.update(|f| {
            apply(&mut f.spec_dims);
            regenerate(f);
        });
        shape.update(|n| *n += 1);
    };
    view! {
        <div class="mb-4 flex flex-col gap-3" data-test="spec-editor">
            {move || {
                shape.track();
                form.with_untracked(|f| f.spec_dims.clone())
                    .into_iter()
                    .enumerate()
                    .map(|(i, dim)| view! {
                        <div class="flex items-center gap-3">
                            <input class="input w-32" placeholder="规格名" aria-label=format!("规格{}名称", i + 1) value=dim.name.clone()
                                on:change=move |ev| { let v = event_target_value(&ev); change(Box::new(move |d| d[i].name = v)); } />
                            <input class="input flex-1" placeholder="规格值，如 500g 1kg" aria-label=format!("规格{}的值", i + 1) value=dim.values.join(" ")
                                on:change=move |ev| { let v = split_values(&event_target_value(&ev)); change(Box::new(move |d| d[i].values = v)); } />
                            <button type="button" class="text-sm text-gray-500 hover:text-promo" on:click=move |_| change(Box::new(move |d| { d.remove(i); }))>"删除"</button>
                        </div>
                    })
                    .collect_view()
            }}
            <Show when=move || { shape.track(); form.with_untracked(|f| f.spec_dims.len() < 3) }>
                <button type="button" class="self-start rounded border border-dashed border-gray-300 px-4 py-1.5 text-sm text-gray-600 hover:border-promo hover:text-promo"
                    on:click=move |_| change(Box::new(|d| d.push(SpecDim { name: String::new(), values: Vec::new() })))>
                    "+ 添加规格"
                </button>
            </Show>
        </div>
    }
}

#[component]
fn SkuTable(form: RwSignal<ProductForm>, shape: RwSignal<u32>) -> impl IntoView {
    let edit = move |i: usize, apply: fn(&mut SkuForm, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            form.update(|f| {
                if let Some(s) = f.skus.get_mut(i) {
                    apply(s, v)
                }
            });
        }
    };
    view! {
        <table class="w-full text-left text-sm" data-test="sku-table">
            <thead class="bg-gray-50 text-gray-500">
                <tr>
                    <th class="px-3 py-2">"规格"</th>
                    <th class="px-3 py-2">"售价（元）"</th>
                    <th class="px-3 py-2">"划线价（元）"</th>
                    <th class="px-3 py-2">"库存"</th>
                    <th class="px-3 py-2">"重量（克）"</th>
                    <th class="px-3 py-2">"SKU编码"</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    shape.track();
                    form.with_untracked(|f| f.skus.clone())
                        .into_iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let label = spec_label(&s.spec_values);
                            view! {
                                <tr class="border-t border-gray-100">
                                    <td class="px-3 py-2">{label.clone()}</td>
                                    <td class="px-3 py-2"><input class="input h-9 w-28" inputmode="decimal" aria-label=format!("{label} 售价") value=s.price.clone() on:input=edit(i, |s, v| s.price = v) /></td>
                                    <td class="px-3 py-2"><input class="input h-9 w-28" inputmode="decimal" aria-label=format!("{label} 划线价") value=s.original_price.clone() on:input=edit(i, |s, v| s.original_price = v) /></td>
                                    <td class="px-3 py-2">
                                        {if s.id.is_some() {
                                            view! { <span title="在下方库存调整中修改">{s.stock}</span> }.into_any()
                                        } else {
                                            view! { <input class="input h-9 w-24" inputmode="numeric" aria-label=format!("{label} 库存") value=s.stock.to_string() on:input=edit(i, |s, v| s.stock = v.trim().parse().unwrap_or(-1)) /> }.into_any()
                                        }}
                                    </td>
                                    <td class="px-3 py-2"><input class="input h-9 w-24" inputmode="numeric" aria-label=format!("{label} 重量") value=s.weight_g.to_string() on:input=edit(i, |s, v| s.weight_g = v.trim().parse().unwrap_or(-1)) /></td>
                                    <td class="px-3 py-2"><input class="input h-9 w-32" aria-label=format!("{label} 编码") value=s.code.clone() on:input=edit(i, |s, v| s.code = v) /></td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}

#[component]
fn StockPanel(product_id: i64) -> impl IntoView {
    let adjust = ServerAction::<AdjustStock>::new();
    let log = Resource::new(
        move || adjust.version().get(),
        move |_| stock_log(product_id),
    );
    let skus = Resource::new(
        move || adjust.version().get(),
        move |_| product_editor(Some(product_id)),
    );
    let error = form_error(move || adjust.value().get());
    view! {
        <section class="rounded-lg bg-white p-6" data-test="stock-panel">
            <h2 class="mb-1 font-bold">"库存调整"</h2>
            <p class="mb-4 text-sm text-gray-500">"入库填正数，出库或盘亏填负数；每次调整都会记录操作人和原因。"</p>
            <ActionForm action=adjust>
                <div class="flex items-end gap-3">
                    <label class="field">
                        <span>"SKU"</span>
                        <select name="sku_id" class="input w-56">
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    skus.await.map(|d| d.form.skus.into_iter().filter_map(|s| s.id.map(|id| view! {
                                        <option value=id.to_string()>{format!("{}（库存 {}）", spec_label(&s.spec_values), s.stock)}</option>
                                    })).collect_view()).ok()
                                })}
                            </Suspense>
                        </select>
                    </label>
                    <label class="field"><span>"数量"</span><input name="delta" class="input w-28" inputmode="numeric" placeholder="如 20 或 -3" required /></label>
                    <label class="field flex-1"><span>"原因"</span><input name="reason" class="input" placeholder="如：新货入库、盘点差异" required /></label>
                    <button type="submit" class="btn-primary h-11 px-6">"调整"</button>
                </div>
            </ActionForm>
            <div class="mt-2"><ErrorBanner message=error /></div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    log.await.map(|rows| view! {
                        <DataTable columns=vec![Col::text("时间"), Col::text("SKU"), Col::num("变动"), Col::num("变动后"), Col::text("原因")] rows test="stock-log" dense=true let:r>
                            <tr>
                                <td class="text-gray-500">{datetime_text(r.created_at)}</td>
                                <td>{r.spec}</td>
                                <td class="num" class:text-green-700={r.delta > 0} class:text-promo={r.delta < 0}>{format!("{:+}", r.delta)}</td>
                                <td class="num">{r.stock_after}</td>
                                <td>{r.reason}</td>
                            </tr>
                        </DataTable>
                    }).ok()
                })}
            </Suspense>
        </section>
    }
}
