//! 收货地址: the address book, picking one for a checkout (`?pick=1&back=<checkout link>`), and
//! the form to add or change one.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::TopBar;
use crate::api::cart::{fetch_addresses, DeleteAddress, SaveAddress};
use crate::domain::address::{AddressView, PROVINCES};
use crate::ui::common::encode_component;
use crate::ui::kit::{FieldError, FormBanner, FormError, Loaded, Place};

fn back_with_address(back: &str, id: i64) -> String {
    crate::api::with_param(back, "address", &id.to_string())
}

fn local(back: Option<String>) -> Option<String> {
    back.filter(|b| b.starts_with('/') && !b.starts_with("//"))
}

#[component]
pub fn AddressesPage() -> impl IntoView {
    let query = use_query_map();
    let back = move || local(query.read().get("back"));
    let picking = move || query.read().get("pick").is_some() && back().is_some();
    let delete = ServerAction::<DeleteAddress>::new();
    let list = Resource::new(move || delete.version().get(), |_| fetch_addresses());
    view! {
        <Title text="收货地址" />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-20">
            <TopBar title=if picking() { "选择收货地址" } else { "收货地址" } />
            <Loaded resource=list place=Place::Shop sign_in_to="管理收货地址" let:list>
                {match list {
                    list if list.is_empty() => view! { <p class="py-16 text-center text-gray-400">"还没有收货地址"</p> }.into_any(),
                    list => view! {
                        <div class="flex flex-col gap-3 p-3">
                            {list.into_iter().map(|a| view! { <AddressCard a picking=picking() back=back() delete /> }).collect_view()}
                        </div>
                    }.into_any(),
                }}
            </Loaded>
            <div class="fixed inset-x-0 bottom-0 z-10 mx-auto max-w-[480px] bg-white p-3">
                <a href=move || match back() {
                    Some(b) => format!("/addresses/new?back={}", encode_component(&b)),
                    None => "/addresses/new".to_string(),
                } class="btn-primary w-full" data-test="new-address">"＋ 新增收货地址"</a>
            </div>
        </div>
    }
}

#[component]
fn AddressCard(
    a: AddressView,
    picking: bool,
    back: Option<String>,
    delete: ServerAction<DeleteAddress>,
) -> impl IntoView {
    let edit = match &back {
        Some(b) => format!("/addresses/{}?back={}", a.id, encode_component(b)),
        None => format!("/addresses/{}", a.id),
    };
    let body = view! {
        <p class="font-bold">{a.receiver.clone()} <span class="ml-2 font-normal text-gray-500">{a.phone_masked.clone()}</span>
            {a.is_default.then(|| view! { <span class="ml-2 rounded bg-red-50 px-1.5 text-xs font-normal text-promo">"默认"</span> })}
        </p>
        <p class="mt-1 text-sm text-gray-600">{a.full_text()}</p>
    };
    view! {
        <article class="rounded-xl bg-white p-4" data-test="address-card">
            {match (picking, back) {
                (true, Some(b)) => view! { <a href=back_with_address(&b, a.id) class="block">{body}</a> }.into_any(),
                _ => view! { <div>{body}</div> }.into_any(),
            }}
            <div class="mt-3 flex justify-end gap-4 border-t border-gray-100 pt-2 text-sm text-gray-500">
                <a href=edit>"编辑"</a>
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=a.id.to_string() />
                    <button type="submit">"删除"</button>
                </ActionForm>
            </div>
        </article>
    }
}

#[component]
pub fn AddressEditPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let back = move || local(query.read().get("back"));
    let save = ServerAction::<SaveAddress>::new();
    let form = FormError::new(move || save.value().get());
    let list = Resource::new(|| (), |_| fetch_addresses());
    view! {
        <Title text="编辑收货地址" />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-6">
            <TopBar title=if id().is_some() { "编辑收货地址" } else { "新增收货地址" } />
            <Loaded resource=list place=Place::Shop sign_in_to="管理收货地址" let:list>
                {{
                    let existing = list.into_iter().find(|a| Some(a.id) == id());
                    let a = existing.clone();
                    let value = move |f: fn(&AddressView) -> String| a.as_ref().map(f).unwrap_or_default();
                    // after saving, the server goes back to the checkout with this address chosen
                    let back_to = back();
                    view! {
                        <ActionForm action=save>
                            {id().map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
                            {back_to.map(|b| view! { <input type="hidden" name="back" value=b /> })}
                            <div class="m-3 flex flex-col gap-4 rounded-xl bg-white p-4">
                                <FormBanner form />
                                <label class="field"><span>"收货人"</span><input name="receiver" required maxlength="20" class="input" value=value(|a| a.receiver.clone()) /><FieldError form field="receiver" /></label>
                                <label class="field"><span>"手机号"</span><input name="phone" required inputmode="numeric" maxlength="13" class="input" value=value(|a| a.phone.clone()) /><FieldError form field="phone" /></label>
                                <label class="field"><span>"省份"</span>
                                    <select name="province" required class="input">
                                        <option value="">"请选择"</option>
                                        {PROVINCES.map(|p| {
                                            let selected = existing.as_ref().is_some_and(|a| a.province == p);
                                            view! { <option value=p selected=selected>{p}</option> }
                                        }).collect_view()}
                                    </select>
                                    <FieldError form field="province" />
                                </label>
                                <div class="grid grid-cols-2 gap-3">
                                    <label class="field"><span>"城市"</span><input name="city" required maxlength="20" class="input" value=value(|a| a.city.clone()) /><FieldError form field="city" /></label>
                                    <label class="field"><span>"区县"</span><input name="district" required maxlength="20" class="input" value=value(|a| a.district.clone()) /><FieldError form field="district" /></label>
                                </div>
                                <label class="field"><span>"详细地址"</span><input name="detail" required maxlength="80" placeholder="街道、门牌号" class="input" value=value(|a| a.detail.clone()) /><FieldError form field="detail" /></label>
                                <label class="flex items-center gap-2 text-sm"><input type="checkbox" name="is_default" value="1" checked=existing.as_ref().is_some_and(|a| a.is_default) class="accent-promo" />"设为默认地址"</label>
                                <button type="submit" class="btn-primary" data-test="save-address">"保存"</button>
                            </div>
                        </ActionForm>
                    }.into_any()
                }}
            </Loaded>
        </div>
    }
}
