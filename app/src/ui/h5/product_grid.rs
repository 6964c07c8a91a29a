//! Product cards in the two-column grid of the home, search and shop pages.

use leptos::prelude::*;

use crate::domain::money::price_text;
use crate::domain::storefront::{image_url, ProductCard};

#[component]
pub fn ProductGrid(products: Vec<ProductCard>) -> impl IntoView {
    view! {
        <ul class="grid grid-cols-2 gap-2" data-test="product-grid">
            {products.into_iter().map(|p| view! { <li><ProductTile p /></li> }).collect_view()}
        </ul>
    }
}

#[component]
fn ProductTile(p: ProductCard) -> impl IntoView {
    let sold_out = p.skus.iter().all(|s| s.stock <= 0);
    view! {
        <a href=format!("/product/{}", p.id) class="block overflow-hidden rounded-lg bg-white" data-test="product-card">
            <div class="relative aspect-square bg-gray-100">
                <img src=image_url(&p.image, 240) srcset=format!("{} 240w, {} 750w", image_url(&p.image, 240), image_url(&p.image, 750)) sizes="50vw" alt=p.title.clone() width="240" height="240" loading="lazy" decoding="async" class="h-full w-full object-cover" />
                {sold_out.then(|| view! { <span class="absolute inset-0 flex items-center justify-center bg-black/40 text-sm text-white">"已售罄"</span> })}
            </div>
            <div class="p-2">
                <h3 class="line-clamp-2 h-10 text-sm leading-5">{p.title}</h3>
                <div class="mt-1 flex items-baseline justify-between gap-1">
                    <span class="text-base font-bold text-promo">
                        {price_text(p.min_price)}
                        {(p.max_price > p.min_price).then(|| view! { <span class="text-xs font-normal">"起"</span> })}
                    </span>
                    <span class="text-xs text-gray-400">{format!("已售{}", p.sales)}</span>
                </div>
                <p class="mt-0.5 truncate text-xs text-gray-400">{p.shop_name} " · " {p.origin}</p>
            </div>
        </a>
    }
}
