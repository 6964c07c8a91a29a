//! 购物车: lines grouped by shop, selection per line and per shop, quantity within stock,
//! removal, and the lines that cannot be bought now set apart. Every control is a small form,
//! so the cart works before the wasm loads.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{H5Layout, TopBar};
use crate::api::cart::{fetch_cart, RemoveCartLines, SelectCartLines, SetCartQty};
use crate::domain::cart::{items_text, CartLine, LineRequest};
use crate::domain::money::price_text;
use crate::domain::order::MAX_QTY;
use crate::domain::storefront::image_url;
use crate::ui::common::ErrorBanner;
use crate::ui::kit::{form_error, Loaded, Place};

#[component]
pub fn CartPage() -> impl IntoView {
    let select = ServerAction::<SelectCartLines>::new();
    let qty = ServerAction::<SetCartQty>::new();
    let remove = ServerAction::<RemoveCartLines>::new();
    let cart = Resource::new(
        move || {
            (
                select.version().get(),
                qty.version().get(),
                remove.version().get(),
            )
        },
        |_| fetch_cart(),
    );
    let qty_error = form_error(move || qty.value().get());
    view! {
        <Title text="购物车" />
        <H5Layout>
            <TopBar title="购物车" />
            <ErrorBanner message=qty_error />
            <Loaded resource=cart place=Place::Shop sign_in_to="查看购物车" let:c>
                {match c {
                    c if c.shops.is_empty() && c.invalid.is_empty() => view! {
                        <div class="flex flex-col items-center gap-3 py-20 text-gray-400" data-test="cart-empty">
                            <p>"购物车还是空的"</p>
                            <a href="/" class="btn-outline px-6">"去逛逛"</a>
                        </div>
                    }.into_any(),
                    c => {
                        let chosen: Vec<LineRequest> = c.shops.iter().flat_map(|s| &s.lines)
                            .filter(|l| l.selected)
                            .map(|l| LineRequest { sku_id: l.sku_id, qty: l.qty })
                            .collect();
                        let checkout = format!("/checkout?from=cart&items={}", items_text(&chosen));
                        let invalid_ids = ids(&c.invalid);
                        view! {
                            <div class="flex flex-col gap-3 p-3 pb-20" data-test="cart">
                                {c.shops.into_iter().map(|shop| {
                                    let all_selected = shop.lines.iter().all(|l| l.selected);
                                    let shop_ids = ids(&shop.lines);
                                    view! {
                                        <section class="rounded-xl bg-white p-3" data-test="cart-shop">
                                            <div class="mb-2 flex items-center gap-2">
                                                <ActionForm action=select>
                                                    <input type="hidden" name="ids" value=shop_ids />
                                                    <input type="hidden" name="selected" value=(!all_selected).to_string() />
                                                    <Check on=all_selected label="选择整个店铺" />
                                                </ActionForm>
                                                <a href=format!("/shop/{}", shop.merchant_id) class="text-sm font-bold">{shop.shop_name.clone()} " ›"</a>
                                            </div>
                                            {shop.promotion_hints.iter().map(|h| view! {
                                                <p class="mb-1 flex items-center gap-2 text-xs" data-test="promotion-hint">
                                                    <span class="rounded bg-promo px-1 text-white">"满减"</span>
                                                    <a href=format!("/shop/{}", shop.merchant_id) class="text-gray-600">{h.clone()} " ›"</a>
                                                </p>
                                            }).collect_view()}
                                            {shop.lines.into_iter().map(|l| view! { <Line l select qty remove /> }).collect_view()}
                                        </section>
                                    }
                                }).collect_view()}
                                {(!c.invalid.is_empty()).then(|| view! {
                                    <section class="rounded-xl bg-white p-3" data-test="cart-invalid">
                                        <div class="mb-2 flex items-center justify-between text-sm">
                                            <span class="font-bold">{format!("失效商品 {} 件", c.invalid.len())}</span>
                                            <ActionForm action=remove>
                                                <input type="hidden" name="ids" value=invalid_ids />
                                                <button type="submit" class="text-promo">"清空失效商品"</button>
                                            </ActionForm>
                                        </div>
                                        {c.invalid.into_iter().map(|l| view! {
                                            <div class="flex gap-3 py-2 opacity-60">
                                                <img src=image_url(&l.image, 240) alt="" width="64" height="64" loading="lazy" class="h-16 w-16 rounded-lg bg-page object-cover" />
                                                <div class="min-w-0 flex-1">
                                                    <p class="truncate text-sm">{l.title.clone()}</p>
                                                    <p class="mt-1 text-xs text-gray-400">{l.spec_label.clone()}</p>
                                                    <span class="mt-1 inline-block rounded bg-gray-100 px-1.5 text-xs text-gray-500">{l.invalid.clone().unwrap_or_default()}</span>
                                                </div>
                                            </div>
                                        }).collect_view()}
                                    </section>
                                })}
                            </div>
                            <div class="fixed inset-x-0 bottom-14 z-10 mx-auto flex h-14 max-w-[480px] items-center justify-end gap-3 border-t border-gray-100 bg-white px-4">
                                <span class="text-sm">"合计：" <b class="text-lg text-promo" data-test="cart-total">{price_text(c.selected_goods)}</b></span>
                                {if c.selected_qty > 0 {
                                    view! { <a href=checkout class="btn-primary h-10 px-6" data-test="to-checkout">{format!("去结算({})", c.selected_qty)}</a> }.into_any()
                                } else {
                                    view! { <span class="btn-primary h-10 px-6 opacity-50">"去结算"</span> }.into_any()
                                }}
                            </div>
                        }.into_any()
                    },
                }}
            </Loaded>
        </H5Layout>
    }
}

fn ids(lines: &[CartLine]) -> String {
    lines
        .iter()
        .map(|l| l.id.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// A round check mark that submits its form.
#[component]
fn Check(on: bool, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <button type="submit" aria-label=label aria-pressed=on.to_string()
            class="flex h-5 w-5 shrink-0 items-center justify-center rounded-full border text-xs text-white"
            class:border-promo=on class:bg-promo=on class:border-gray-300=!on>
            {on.then_some("✓")}
        </button>
    }
}

#[component]
fn Line(
    l: CartLine,
    select: ServerAction<SelectCartLines>,
    qty: ServerAction<SetCartQty>,
    remove: ServerAction<RemoveCartLines>,
) -> impl IntoView {
    let max = l.stock.min(MAX_QTY);
    view! {
        <div class="flex items-center gap-2 py-2" data-test="cart-line">
            <ActionForm action=select>
                <input type="hidden" name="ids" value=l.id.to_string() />
                <input type="hidden" name="selected" value=(!l.selected).to_string() />
                <Check on=l.selected label="选择" />
            </ActionForm>
            <a href=format!("/product/{}", l.product_id) class="shrink-0">
                <img src=image_url(&l.image, 240) alt="" width="80" height="80" loading="lazy" class="h-20 w-20 rounded-lg bg-page object-cover" />
            </a>
            <div class="flex min-w-0 flex-1 flex-col gap-1">
                <p class="line-clamp-2 text-sm leading-5">{l.title.clone()}</p>
                <p class="w-fit rounded bg-page px-1.5 text-xs text-gray-500">{l.spec_label.clone()}</p>
                <div class="flex items-center justify-between">
                    <span class="font-bold text-promo">{price_text(l.price)}</span>
                    <div class="flex items-center text-sm">
                        <ActionForm action=qty>
                            <input type="hidden" name="id" value=l.id.to_string() />
                            <input type="hidden" name="qty" value=(l.qty - 1).to_string() />
                            <button type="submit" aria-label="减少" disabled={l.qty <= 1} class="h-7 w-7 rounded-l border border-gray-200 disabled:text-gray-300">"−"</button>
                        </ActionForm>
                        <span class="flex h-7 w-9 items-center justify-center border-y border-gray-200" data-test="line-qty">{l.qty}</span>
                        <ActionForm action=qty>
                            <input type="hidden" name="id" value=l.id.to_string() />
                            <input type="hidden" name="qty" value=(l.qty + 1).to_string() />
                            <button type="submit" aria-label="增加" disabled={l.qty >= max} class="h-7 w-7 rounded-r border border-gray-200 disabled:text-gray-300">"+"</button>
                        </ActionForm>
                    </div>
                </div>
            </div>
            <ActionForm action=remove>
                <input type="hidden" name="ids" value=l.id.to_string() />
                <button type="submit" aria-label="删除" class="px-1 text-gray-400">"✕"</button>
            </ActionForm>
        </div>
    }
}
