//! 商家后台 › 营销中心 › 拼团活动: the shop's activities (and the product to start a new one
//! with), the new-activity form for one product (group price and activity stock per SKU), and
//! one activity's page with its groups and members, where the shop ends it early. The tables
//! of activities and groups are shared with the platform's pages (`admin_group_buys`); the
//! product picker, the form's common fields, the SKU rows and the phase badge with the shop's
//! other activity, 预售 (`merchant_presales`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::ConsoleShell;
use crate::api::group_buys::{
    group_buy_form, merchant_group_buy, merchant_group_buys, CreateGroupBuy, EndGroupBuy,
};
use crate::domain::account::Realm;
use crate::domain::activity_form::ActivityPhase;
use crate::domain::group_buy::{
    ActivityFormData, ActivitySkuView, ActivityView, GroupDetail, GroupStatus, MemberRow,
    MemberStatus, MAX_LIFETIME_HOURS, MAX_SIZE, MAX_TITLE_CHARS, MIN_SIZE,
};
use crate::domain::money::price_text;
use crate::domain::time::minute_text;
use crate::ui::common::{datetime_text, ErrorBanner};
use crate::ui::kit::{
    form_error, Col, DataTable, FieldError, FormBanner, FormError, Loaded, StatusBadge,
};

const DAY_MS: i64 = 86_400_000;

#[component]
pub fn MerchantGroupBuysPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| merchant_group_buys());
    let form = Resource::new(|| (), |_| group_buy_form(0));
    view! {
        <Title text="拼团活动" />
        <ConsoleShell realm=Realm::Merchant>
            <a href="/merchant/marketing" class="text-sm text-gray-500">"‹ 营销中心"</a>
            <h1 class="mt-2 text-xl font-bold">"拼团活动"</h1>
            <p class="mt-1 text-sm text-gray-500">"为一件商品设置拼团价和活动库存：买家付款开团，好友通过分享链接参团，满员后所有订单一起进入待发货；到期未成团的全额退款。拼团商品不参加店铺满减和优惠券。"</p>
            <Loaded resource=form let:f>
                {view! { <ProductPicker products=f.products chosen=0 label="发起新活动" path=NEW_PATH test="group-buy" /> }.into_any()}
            </Loaded>
            <Loaded resource=list let:rows>
                {view! { <ActivityTable rows base="/merchant/marketing/group-buys" shop=false /> }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}

/// Where a new activity's form is (`?product=` picks its product).
const NEW_PATH: &str = "/merchant/marketing/group-buys/new";

/// A GET form choosing the product of a new activity (`{path}?product=`); `test` prefixes its
/// `data-test` names (`group-buy`, `presale`).
#[component]
pub fn ProductPicker(
    products: Vec<(i64, String)>,
    chosen: i64,
    label: &'static str,
    path: &'static str,
    test: &'static str,
) -> impl IntoView {
    view! {
        <form method="get" action=path class="mt-4 flex max-w-3xl items-end gap-3 rounded-lg bg-white p-4" data-test=format!("{test}-product-form")>
            <label class="field flex-1">
                <span>{label}</span>
                <select name="product" class="input" required data-test=format!("{test}-product")>
                    <option value="" selected=chosen == 0>"选择在售商品"</option>
                    {products.into_iter().map(|(id, title)| view! {
                        <option value=id selected=id == chosen>{title}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="btn-outline h-11 px-6" data-test=format!("{test}-pick")>{if chosen == 0 { "下一步" } else { "换商品" }}</button>
        </form>
    }
}

/// Activities with their window, size, SKUs, groups and phase; `base` is where a row's page
/// is (`base/{id}`), `shop` adds the shop's column (the platform's list).
#[component]
pub fn ActivityTable(rows: Vec<ActivityView>, base: &'static str, shop: bool) -> impl IntoView {
    let columns = vec![
        Col::text("活动"),
        Col::text("店铺").only_if(shop),
        Col::text("时间"),
        Col::num("成团人数"),
        Col::text("拼团价 · 已售 / 活动库存"),
        Col::num("拼团中 / 已成团"),
        Col::text("状态"),
        Col::text("操作"),
    ];
    view! {
        <DataTable columns rows test="group-buy-table" empty="还没有拼团活动" let:a>
            <tr data-test="group-buy-row" data-id=a.id>
                <td>
                    <p class="font-medium">{a.title.clone()}</p>
                    <p class="text-xs text-gray-500">{a.product_title.clone()}</p>
                </td>
                {shop.then(|| view! { <td>{a.shop_name.clone()}</td> })}
                <td class="whitespace-nowrap text-gray-600">{a.window.clone()}</td>
                <td class="num">{format!("{}人团", a.group_size)}</td>
                <td class="text-xs"><SkuSummary skus=a.skus.clone() /></td>
                <td class="num">{format!("{} / {}", a.open_groups, a.succeeded_groups)}</td>
                <td><Phase a=a.clone() /></td>
                <td><a href=format!("{base}/{}", a.id) class="text-promo" data-test="group-buy-open">"查看"</a></td>
            </tr>
        </DataTable>
    }
}

/// Each SKU's activity price, sold and activity stock, one line each.
#[component]
pub fn SkuSummary(skus: Vec<ActivitySkuView>) -> impl IntoView {
    skus.into_iter()
        .map(|s| {
            let spec = if s.spec_label.is_empty() {
                String::new()
            } else {
                format!("{} ", s.spec_label)
            };
            view! {
                <p class="whitespace-nowrap">
                    {spec} <b class="text-promo">{price_text(s.price)}</b>
                    <span class="text-gray-500">{format!(" · {} / {}", s.sold, s.quantity)}</span>
                </p>
            }
        })
        .collect_view()
}

/// 未开始 / 进行中 / 已结束, coloured like a status badge.
#[component]
fn Phase(a: ActivityView) -> impl IntoView {
    view! { <PhaseBadge phase=a.phase test="group-buy" /> }
}

/// An activity's phase (未开始 / 进行中 / 已结束) as a coloured badge; `data-test` is
/// `{test}-phase`.
#[component]
pub fn PhaseBadge(phase: ActivityPhase, test: &'static str) -> impl IntoView {
    let class = match phase {
        ActivityPhase::Selling => "bg-green-50 text-green-700",
        ActivityPhase::Upcoming => "bg-amber-50 text-amber-700",
        ActivityPhase::Over => "bg-gray-100 text-gray-600",
    };
    view! { <span class=format!("whitespace-nowrap rounded px-2 py-0.5 text-xs {class}") data-test=format!("{test}-phase")>{phase.label()}</span> }
}

#[component]
pub fn MerchantGroupBuyNewPage() -> impl IntoView {
    let query = use_query_map();
    let product = move || {
        query
            .read()
            .get("product")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let data = Resource::new(product, group_buy_form);
    let create = ServerAction::<CreateGroupBuy>::new();
    let form = FormError::new(move || create.value().get());
    view! {
        <Title text="新建拼团活动" />
        <ConsoleShell realm=Realm::Merchant>
            <a href="/merchant/marketing/group-buys" class="text-sm text-gray-500">"‹ 拼团活动"</a>
            <h1 class="mt-2 text-xl font-bold">"新建拼团活动"</h1>
            <Loaded resource=data let:d>
                {view! {
                    <ProductPicker products=d.products.clone() chosen=d.product_id label="商品" path=NEW_PATH test="group-buy" />
                    {(d.product_id != 0).then(|| view! { <ActivityFields d=d.clone() create form /> })}
                }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}

/// The new-activity form for the chosen product, named `form[...]` for `ActivityForm`.
#[component]
fn ActivityFields(
    d: ActivityFormData,
    create: ServerAction<CreateGroupBuy>,
    form: FormError,
) -> impl IntoView {
    let settings = view! {
        <section class="grid grid-cols-2 gap-x-6 gap-y-4 rounded-lg bg-white p-5">
            <TitleWindowFields form now=d.now placeholder="例如：高山毛尖两人团" />
            <label class="field">
                <span>{format!("成团人数（{MIN_SIZE}–{MAX_SIZE} 人，含团长）")}</span>
                <input name="form[group_size]" class="input" inputmode="numeric" required value="2" />
                <FieldError form field="group_size" />
            </label>
            <label class="field">
                <span>{format!("成团时限（小时，1–{MAX_LIFETIME_HOURS}）")}</span>
                <input name="form[lifetime_hours]" class="input" inputmode="numeric" required value="24" />
                <FieldError form field="lifetime_hours" />
            </label>
            <LimitFields form per_order="1" per_user="2" />
            <label class="flex items-center gap-2 self-end pb-3 text-sm">
                <input type="checkbox" name="form[virtual_fill]" data-test="group-buy-virtual" />
                "到期未满员时模拟成团（系统补足人数，不显示为真实团员）"
            </label>
            <label class="field if-virtual">
                <span>"最多补足人数（少于成团人数）"</span>
                <input name="form[virtual_max]" class="input" inputmode="numeric" value="1" />
                <FieldError form field="virtual_max" />
            </label>
        </section>
    }
    .into_any();
    let skus = view! {
        <SkuInputs d=d.clone() form price_word="拼团价" test="group-buy"
            hint="拼团价须低于原价；活动库存从商品库存中单独划出，不超过现有库存。不填拼团价的规格不参加。" />
    }
    .into_any();
    view! {
        <ActionForm action=create attr:class="promo-form mt-4 flex max-w-4xl flex-col gap-5">
            <input type="hidden" name="form[product_id]" value=d.product_id />
            <FormBanner form />
            {settings}
            {skus}
            <div class="flex items-center gap-4">
                <button type="submit" class="btn-primary px-8" disabled=move || create.pending().get() data-test="create-group-buy">"创建活动"</button>
                <a href="/merchant/marketing/group-buys" class="text-sm text-gray-500">"取消"</a>
            </div>
        </ActionForm>
    }
}

/// An activity form's title and sale window (`form[title]`, `form[starts_at]`,
/// `form[ends_at]`), the window a week from `now` to begin with; for a two-column grid.
#[component]
pub fn TitleWindowFields(form: FormError, now: i64, placeholder: &'static str) -> impl IntoView {
    view! {
        <label class="field col-span-2">
            <span>{format!("活动名称（不超过 {MAX_TITLE_CHARS} 个字）")}</span>
            <input name="form[title]" class="input" maxlength=MAX_TITLE_CHARS required placeholder=placeholder />
            <FieldError form field="title" />
        </label>
        <label class="field">
            <span>"开始时间"</span>
            <input name="form[starts_at]" type="datetime-local" class="input" required value=minute_text(now) />
            <FieldError form field="starts_at" />
        </label>
        <label class="field">
            <span>"结束时间（最多 60 天）"</span>
            <input name="form[ends_at]" type="datetime-local" class="input" required value=minute_text(now + 7 * DAY_MS) />
            <FieldError form field="ends_at" />
        </label>
    }
}

/// An activity form's 每单限购 and 每人限购 (`form[per_order_limit]`, `form[per_user_limit]`),
/// filled with `per_order` and `per_user` to begin with.
#[component]
pub fn LimitFields(
    form: FormError,
    per_order: &'static str,
    per_user: &'static str,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>"每单限购（件）"</span>
            <input name="form[per_order_limit]" class="input" inputmode="numeric" required value=per_order />
            <FieldError form field="per_order_limit" />
        </label>
        <label class="field">
            <span>"每人限购（件）"</span>
            <input name="form[per_user_limit]" class="input" inputmode="numeric" required value=per_user />
            <FieldError form field="per_user_limit" />
        </label>
    }
}

/// One row per SKU of the form's product with its activity price (`price_word`, yuan) and
/// activity stock (`form[skus][i][...]`); `hint` states the price rule, `test` prefixes the
/// `data-test` names (`{test}-skus`, `{test}-sku`).
#[component]
pub fn SkuInputs(
    d: ActivityFormData,
    form: FormError,
    price_word: &'static str,
    hint: &'static str,
    test: &'static str,
) -> impl IntoView {
    view! {
        <section class="rounded-lg bg-white p-5">
            <h2 class="font-bold">"参加的规格"</h2>
            <p class="mt-1 text-xs text-gray-500">{hint}</p>
            <table class="mt-3 w-full text-sm" data-test=format!("{test}-skus")>
                <thead class="text-left text-gray-500">
                    <tr>
                        <th class="py-1 font-normal">"规格"</th>
                        <th class="font-normal">"原价"</th>
                        <th class="font-normal">"库存"</th>
                        <th class="font-normal">{format!("{price_word}（元）")}</th>
                        <th class="font-normal">"活动库存（件）"</th>
                    </tr>
                </thead>
                <tbody>
                    {d.skus.iter().enumerate().map(|(i, (sku_id, spec, price, stock))| {
                        let name = if spec.is_empty() { d.product_title.clone() } else { spec.clone() };
                        view! {
                            <tr data-test=format!("{test}-sku")>
                                <td class="py-1.5">
                                    <input type="hidden" name=format!("form[skus][{i}][sku_id]") value=*sku_id />
                                    {name.clone()}
                                </td>
                                <td class="text-gray-600">{price_text(*price)}</td>
                                <td class="text-gray-600">{*stock}</td>
                                <td class="pr-4"><input name=format!("form[skus][{i}][price]") class="input h-9" inputmode="decimal" aria-label=format!("{name} {price_word}") /></td>
                                <td class="pr-4"><input name=format!("form[skus][{i}][quantity]") class="input h-9" inputmode="numeric" aria-label=format!("{name} 活动库存") /></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <FieldError form field="skus" />
        </section>
    }
}

#[component]
pub fn MerchantGroupBuyPage() -> impl IntoView {
    let params = use_params_map();
    let end = ServerAction::<EndGroupBuy>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let page = Resource::new(id, merchant_group_buy);
    let error = Signal::derive(form_error(move || end.value().get()));
    view! {
        <Title text="拼团活动" />
        <ConsoleShell realm=Realm::Merchant>
            <a href="/merchant/marketing/group-buys" class="text-sm text-gray-500">"‹ 拼团活动"</a>
            <Loaded resource=page not_found=true let:p>
                {{
                    // ended early, or over by its time: nothing left to end
                    let active = p.activity.phase != ActivityPhase::Over;
                    let activity_id = p.activity.id;
                    view! {
                        <ActivityHead a=p.activity.clone()>
                            {active.then(|| view! {
                                <ActionForm action=end>
                                    <input type="hidden" name="id" value=activity_id />
                                    <button type="submit" class="btn-outline px-5" data-test="end-group-buy">"结束活动"</button>
                                </ActionForm>
                            })}
                        </ActivityHead>
                        <div class="mt-3"><ErrorBanner message=move || error.get() /></div>
                        <GroupList groups=p.groups.clone() orders="/merchant/orders" />
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

/// An activity's title, state and rules, its SKUs, and `children` (its end button) beside.
#[component]
pub fn ActivityHead(a: ActivityView, children: Children) -> impl IntoView {
    let rules = format!(
        "{}人团 · 成团时限 {} 小时 · 每单限购 {} 件 · 每人限购 {} 件{}",
        a.group_size,
        a.lifetime_hours,
        a.per_order_limit,
        a.per_user_limit,
        if a.virtual_fill {
            format!(" · 到期最多模拟补足 {} 人", a.virtual_max)
        } else {
            String::new()
        }
    );
    view! {
        <div class="mt-3 flex items-center justify-between">
            <div>
                <div class="flex items-center gap-3">
                    <h1 class="text-xl font-bold">{a.title.clone()}</h1>
                    <Phase a=a.clone() />
                </div>
                <p class="mt-1 text-sm text-gray-500">{format!("{} · {} · {}", a.shop_name, a.product_title, a.window)}</p>
                <p class="mt-1 text-sm text-gray-500">{rules}</p>
                <p class="mt-1 text-sm text-gray-500">{format!("拼团中 {} 个 · 已成团 {} 个", a.open_groups, a.succeeded_groups)}</p>
            </div>
            {children()}
        </div>
        <SkuPriceTable skus=a.skus.clone() product_title=a.product_title.clone() price_col="拼团价 / 原价" test="group-buy-sku-table" />
    }
}

/// An activity's SKUs: activity price against the normal one (the column `price_col`), sold
/// and activity stock; a product of one SKU is named by `product_title`.
#[component]
pub fn SkuPriceTable(
    skus: Vec<ActivitySkuView>,
    product_title: String,
    price_col: &'static str,
    test: &'static str,
) -> impl IntoView {
    let columns = vec![
        Col::text("规格"),
        Col::num(price_col),
        Col::num("已售 / 活动库存"),
    ];
    view! {
        <DataTable columns rows=skus test let:s>
            <tr>
                <td>{if s.spec_label.is_empty() { product_title.clone() } else { s.spec_label.clone() }}</td>
                <td class="num"><b class="text-promo">{price_text(s.price)}</b> " / " <s class="text-gray-400">{price_text(s.normal_price)}</s></td>
                <td class="num">{format!("{} / {}", s.sold, s.quantity)}</td>
            </tr>
        </DataTable>
    }
}

/// Every group of an activity with its members; a member's order links to `orders/{id}`.
#[component]
pub fn GroupList(groups: Vec<GroupDetail>, orders: &'static str) -> impl IntoView {
    if groups.is_empty() {
        return view! {
            <p class="mt-4 rounded-lg bg-white p-8 text-center text-gray-400" data-test="empty">"还没有人开团"</p>
        }
        .into_any();
    }
    view! {
        <h2 class="mt-6 font-bold">"团列表"</h2>
        <div class="mt-2 flex flex-col gap-4" data-test="group-list">
            {groups.into_iter().map(|d| view! { <GroupCard d orders /> }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn GroupCard(d: GroupDetail, orders: &'static str) -> impl IntoView {
    let g = d.group;
    let expires = if g.expires_at > 0 {
        format!("截止 {}", datetime_text(g.expires_at))
    } else {
        "团长未付款".to_string()
    };
    let columns = vec![
        Col::text("团员"),
        Col::text("角色"),
        Col::text("订单"),
        Col::text("参团时间"),
        Col::text("状态"),
    ];
    view! {
        <section class="rounded-lg bg-white p-4" data-test="group-card" data-id=g.id>
            <div class="flex flex-wrap items-center gap-3 text-sm">
                <b>{format!("团 #{}", g.id)}</b>
                {GroupStatus::parse(&g.status).map(|s| view! { <StatusBadge status=s /> })}
                <span class="text-gray-600">{format!("已付款 {} / {} 人", g.paid, g.size)}</span>
                <span class="text-gray-500">{expires}</span>
                {(g.virtual_count > 0).then(|| view! {
                    <span class="text-gray-500" data-test="group-virtual">{format!("系统补位 {} 人", g.virtual_count)}</span>
                })}
            </div>
            <DataTable columns rows=d.members class="mt-3" dense=true test="group-member-table" let:m>
                <MemberLine m orders />
            </DataTable>
        </section>
    }
}

#[component]
fn MemberLine(m: MemberRow, orders: &'static str) -> impl IntoView {
    view! {
        <tr data-test="group-member-row">
            <td>{m.name.clone()}</td>
            <td>{if m.leader { "团长" } else { "团员" }}</td>
            <td><a href=format!("{orders}/{}", m.order_id) class="text-promo">{m.order_no.clone()}</a></td>
            <td class="whitespace-nowrap text-gray-500">{datetime_text(m.joined_at)}</td>
            <td>
                {match MemberStatus::parse(&m.status) {
                    Some(s) => view! { <StatusBadge status=s /> }.into_any(),
                    None => view! { <span>{m.status_label.clone()}</span> }.into_any(),
                }}
            </td>
        </tr>
    }
}
