//! 商品详情: gallery, price, the spec picker, shop card and description.
//!
//! The chosen values live in the URL (`?s0=500g&s1=礼盒`): every value is a link, so the picker
//! works before the wasm loads and each choice can be shared; sold-out combinations are shown
//! but cannot be chosen.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::cart::AddToCart;
use crate::api::storefront::fetch_product;
use crate::domain::money::{price_range_text, price_text};
use crate::domain::product::{selectable_values, spec_label};
use crate::domain::storefront::{image_url, ProductDetail};
use crate::ui::common::{href_with, ErrorBanner};
use crate::ui::kit::{form_error, Loaded, Place};

const SPEC_KEYS: [&str; 3] = ["s0", "s1", "s2"];

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let product = Resource::new(id, |id| async move {
        match id {
            Some(id) => fetch_product(id).await,
            None => Err(crate::error::AppError::not_found("商品不存在或已下架")),
        }
    });
    view! {
        <Loaded resource=product place=Place::Shop not_found=true let:p>
            {view! { <ProductView p /> }.into_any()}
        </Loaded>
    }
}

#[component]
fn ProductView(p: ProductDetail) -> impl IntoView {
    let query = use_query_map();
    let p = StoredValue::new(p);
    let chosen = move || {
        let q = query.read();
        p.with_value(|p| {
            p.spec_dims
                .iter()
                .enumerate()
                .map(|(d, dim)| q.get(SPEC_KEYS[d]).filter(|v| dim.values.contains(v)))
                .collect::<Vec<Option<String>>>()
        })
    };
    // the SKU of a complete choice (a product without specs has exactly one)
    let sku = move || {
        let chosen = chosen();
        p.with_value(|p| {
            if chosen.iter().any(Option::is_none) {
                return None;
            }
            let values: Vec<String> = chosen.into_iter().flatten().collect();
            p.skus.iter().find(|s| s.spec_values == values).cloned()
        })
    };
    let selectable = move || {
        p.with_value(|p| {
            let stocked: Vec<&[String]> = p
                .skus
                .iter()
                .filter(|s| s.stock > 0)
                .map(|s| s.spec_values.as_slice())
                .collect();
            selectable_values(&p.spec_dims, &stocked, &chosen())
        })
    };
    let link_for = move |dim: usize, value: Option<String>| {
        let mut values = chosen();
        values[dim] = value;
        let pairs: Vec<(&str, String)> = values
            .into_iter()
            .enumerate()
            .map(|(d, v)| (SPEC_KEYS[d], v.unwrap_or_default()))
            .collect();
        href_with(&format!("/product/{}", p.with_value(|p| p.id)), &pairs)
    };
    let add = ServerAction::<AddToCart>::new();
    let add_error = form_error(move || add.value().get());
    let (title, images, shop, description) = p.with_value(|p| {
        (
            p.title.clone(),
            p.images.clone(),
            p.shop.clone(),
            p.description.clone(),
        )
    });
    view! {
        <Title text=title.clone() />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-24">
            <div class="relative">
                <a href="/" aria-label="返回首页" class="absolute left-3 top-3 z-10 flex h-8 w-8 items-center justify-center rounded-full bg-black/40 text-lg text-white">"‹"</a>
                <div class="flex aspect-square snap-x snap-mandatory overflow-x-auto bg-white" data-test="gallery">
                    {images
                        .iter()
                        .enumerate()
                        .map(|(i, k)| {
                            view! {
                                <img
                                    src=image_url(k, 750)
                                    srcset=format!("{} 750w, {} 1500w", image_url(k, 750), image_url(k, 1500))
                                    sizes="100vw"
                                    alt=format!("{title} 图{}", i + 1)
                                    class="h-full w-full shrink-0 snap-center object-cover"
                                    width="750"
                                    height="750"
                                    loading=if i == 0 { "eager" } else { "lazy" }
                                    fetchpriority=if i == 0 { "high" } else { "auto" }
                                />
                            }
                        })
                        .collect_view()}
                </div>
                <span class="absolute bottom-3 right-3 rounded-full bg-black/40 px-2 text-xs text-white">{format!("共{}张", images.len())}</span>
            </div>
            <section class="bg-white px-4 pb-4 pt-3">
                <p class="text-2xl font-bold text-promo" data-test="price">
                    {move || match sku() {
                        Some(s) => price_text(s.price),
                        None => p.with_value(|p| price_range_text(p.min_price, p.max_price)),
                    }}
                    {move || sku().filter(|s| s.original_price > s.price).map(|s| view! {
                        <del class="ml-2 text-sm font-normal text-gray-400">{price_text(s.original_price)}</del>
                    })}
                </p>
                <h1 class="mt-1 text-base font-bold leading-6">{title.clone()}</h1>
                <p class="mt-1 text-sm text-gray-500">{p.with_value(|p| p.subtitle.clone())}</p>
                <p class="mt-2 flex justify-between text-xs text-gray-400">
                    <span>{p.with_value(|p| format!("产地：{}", p.origin))}</span>
                    <span>{p.with_value(|p| format!("已售 {}", p.sales))}</span>
                </p>
            </section>
            <crate::ui::h5::flash_sale::FlashSaleStrip product_id=p.with_value(|p| p.id) />
            <crate::ui::h5::group_buy::GroupBuyStrip product_id=p.with_value(|p| p.id) />
            <crate::ui::h5::presale::PresaleStrip product_id=p.with_value(|p| p.id) />
            <crate::ui::h5::coupons::ShopOffersStrip shop_id=shop.id product=p.with_value(|p| p.id) />
            <section class="mt-2 bg-white px-4 py-3" aria-label="选择规格" data-test="spec-picker">
                {p.with_value(|p| p.spec_dims.clone())
                    .into_iter()
                    .enumerate()
                    .map(|(d, dim)| {
                        view! {
                            <div class="mb-3">
                                <h2 class="mb-2 text-sm text-gray-500">{dim.name.clone()}</h2>
                                <div class="flex flex-wrap gap-2">
                                    {dim.values
                                        .iter()
                                        .enumerate()
                                        .map(|(i, v)| {
                                            let value = v.clone();
                                            let label = v.clone();
                                            let is_chosen = {
                                                let value = value.clone();
                                                move || chosen()[d].as_deref() == Some(value.as_str())
                                            };
                                            let open = move || selectable()[d][i];
                                            view! {
                                                {move || {
                                                    if is_chosen() {
                                                        view! {
                                                            <a href=link_for(d, None) aria-pressed="true" class="rounded-full border border-promo bg-red-50 px-4 py-1.5 text-sm text-promo">{label.clone()}</a>
                                                        }.into_any()
                                                    } else if open() {
                                                        view! {
                                                            <a href=link_for(d, Some(value.clone())) aria-pressed="false" class="rounded-full border border-transparent bg-page px-4 py-1.5 text-sm">{label.clone()}</a>
                                                        }.into_any()
                                                    } else {
                                                        view! {
                                                            <span aria-disabled="true" title="已售罄" class="rounded-full border border-dashed border-gray-200 px-4 py-1.5 text-sm text-gray-300 line-through">{label.clone()}</span>
                                                        }.into_any()
                                                    }
                                                }}
                                            }
                                        })
                                        .collect_view()}
                                </div>
                            </div>
                        }
                    })
                    .collect_view()}
                <p class="text-sm" data-test="chosen-sku">
                    {move || match sku() {
                        Some(s) if s.stock > 0 => view! {
                            <span>"已选：" {spec_label(&s.spec_values)} <span class="ml-2 text-gray-400">{format!("库存 {} 件", s.stock)}</span></span>
                        }.into_any(),
                        Some(s) => view! { <span class="text-gray-400">{spec_label(&s.spec_values)} " 已售罄"</span> }.into_any(),
                        None => {
                            let missing: Vec<String> = p.with_value(|p| {
                                p.spec_dims.iter().zip(chosen()).filter(|(_, c)| c.is_none()).map(|(d, _)| d.name.clone()).collect()
                            });
                            view! { <span class="text-gray-500">{format!("请选择 {}", missing.join("、"))}</span> }.into_any()
                        }
                    }}
                </p>
            </section>
            <crate::ui::h5::review::ProductReviewsStrip product_id=p.with_value(|p| p.id) />
            <a href=format!("/shop/{}", shop.id) class="mt-2 flex items-center gap-3 bg-white px-4 py-3" data-test="shop-card">
                <img src=image_url(&shop.logo, 240) alt="" width="44" height="44" loading="lazy" class="h-11 w-11 rounded-lg bg-page object-cover" />
                <div class="min-w-0 flex-1">
                    <p class="truncate text-sm font-medium">{shop.name.clone()}</p>
                    <p class="text-xs text-gray-400">{shop.region.clone()}</p>
                </div>
                <span class="rounded-full border border-promo px-3 py-1 text-xs text-promo">"进店逛逛"</span>
            </a>
            <section class="mt-2 bg-white px-4 py-3">
                <h2 class="mb-2 text-sm font-bold">"商品详情"</h2>
                <div class="prose-sm text-sm leading-6 text-gray-700 [&_h3]:mb-1 [&_h3]:font-bold [&_img]:my-2 [&_img]:w-full [&_li]:ml-5 [&_li]:list-disc" inner_html=description></div>
            </section>
            <div class="fixed inset-x-0 bottom-16 z-20 mx-auto max-w-[480px] px-4"><ErrorBanner message=add_error /></div>
            <nav class="fixed inset-x-0 bottom-0 z-20 mx-auto flex h-14 max-w-[480px] items-center gap-3 border-t border-gray-100 bg-white px-4 pb-[env(safe-area-inset-bottom)]">
                <a href=format!("/shop/{}", shop.id) class="flex flex-col items-center text-xs text-gray-500">
                    <svg viewBox="0 0 24 24" class="h-5 w-5" fill="none" stroke="currentColor" stroke-width="1.8" aria-hidden="true"><path d="M4 10v10h16V10M3 4h18l-1 6H4zM9 20v-6h6v6" /></svg>
                    "店铺"
                </a>
                <a href="/" class="flex flex-col items-center text-xs text-gray-500">
                    <svg viewBox="0 0 24 24" class="h-5 w-5" fill="none" stroke="currentColor" stroke-width="1.8" aria-hidden="true"><path d="M3 10.5 12 3l9 7.5V21h-6v-6H9v6H3z" /></svg>
                    "首页"
                </a>
                <a href="/cart" class="flex flex-col items-center text-xs text-gray-500">
                    <svg viewBox="0 0 24 24" class="h-5 w-5" fill="none" stroke="currentColor" stroke-width="1.8" aria-hidden="true"><path d="M3 4h2l2.4 11h11l2-8H6.2M9 20a1 1 0 1 0 0-2 1 1 0 0 0 0 2m9 0a1 1 0 1 0 0-2 1 1 0 0 0 0 2" /></svg>
                    "购物车"
                </a>
                <div class="ml-1 flex flex-1 items-center">{move || match sku() {
                    Some(s) if s.stock > 0 => view! {
                        <ActionForm action=add attr:class="flex-1">
                            <input type="hidden" name="sku_id" value=s.id.to_string() />
                            <button type="submit" class="h-10 w-full rounded-l-full bg-amber-400 text-sm font-medium text-white" data-test="add-to-cart">"加入购物车"</button>
                        </ActionForm>
                        <a href=format!("/checkout?items={}x1", s.id) class="flex h-10 flex-1 items-center justify-center rounded-r-full bg-promo text-sm font-medium text-white" data-test="buy-now">"立即购买"</a>
                    }.into_any(),
                    Some(_) => view! { <p class="flex-1 text-right text-sm text-gray-500">"该规格已售罄"</p> }.into_any(),
                    None => view! { <p class="flex-1 text-right text-sm text-gray-500" data-test="choose-spec">"请先选择规格"</p> }.into_any(),
                }}</div>
            </nav>
        </div>
    }
}
