//! 平台管理 › 会员管理 (shoppers: search, masked phones revealed with a reason, disable),
//! 商家账号 (merchant staff accounts: disable) and 管理员 (admin accounts and roles).

use leptos::prelude::*;
use leptos_meta::Title;

use super::finance::{latest_result, text_param};
use super::ConsoleShell;
use crate::api::people::{
    admin_accounts, admin_shoppers, admin_staff_accounts, CreateAdminAccount, RevealShopperPhone,
    SetAdminAccountRole, SetAdminAccountStatus, SetShopperStatus, SetStaffAccountStatus,
};
use crate::domain::account::{AdminRole, Realm};
use crate::domain::money::yuan_text;
use crate::domain::people::{AccountStatus, ShopperList};
use crate::ui::common::{datetime_text, ErrorBanner, PasswordInput};
use crate::ui::kit::{form_error, Col, DataTable, Loaded, Pager, StatusBadge};

/// The status cell: the badge, and why an account was disabled.
fn status_cell(status: AccountStatus, reason: String) -> impl IntoView {
    view! {
        <td>
            <StatusBadge status test="account-status" />
            {(!reason.is_empty()).then(|| view! { <p class="mt-1 text-xs text-gray-500">{reason}</p> })}
        </td>
    }
}

/// The 停用 / 恢复 cell of an account row, for any of the three status actions (they share
/// the fields `id`, `enable`, `reason`; a macro because `ActionForm`'s bounds on a generic
/// action would be longer than the form): disabling asks for a reason inside a disclosure,
/// which works before the wasm too; enabling is one button.
macro_rules! toggle_cell {
    ($action:expr, $id:expr, $status:expr, $who:expr) => {{
        let action = $action;
        let id = $id.to_string();
        if $status == AccountStatus::Active {
            let label = format!("{} 停用原因", $who);
            view! {
                <details class="text-sm">
                    <summary class="cursor-pointer text-promo">"停用"</summary>
                    <ActionForm action>
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="enable" value="0" />
                        <div class="mt-2 flex items-center gap-2">
                            <input name="reason" required minlength="2" maxlength="100" placeholder="停用原因" aria-label=label class="input h-8 w-36 text-sm" />
                            <button type="submit" class="text-promo" data-test="disable">"确认停用"</button>
                        </div>
                    </ActionForm>
                </details>
            }
            .into_any()
        } else {
            view! {
                <ActionForm action>
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="enable" value="1" />
                    <button type="submit" class="text-sm text-green-700" data-test="enable">"恢复"</button>
                </ActionForm>
            }
            .into_any()
        }
    }};
}

#[component]
pub fn ShoppersPage() -> impl IntoView {
    let (q, status, page) = (text_param("q"), text_param("status"), text_param("page"));
    let set_status = ServerAction::<SetShopperStatus>::new();
    let list = Resource::new(
        move || {
            (
                q(),
                status(),
                page().parse::<i64>().ok(),
                set_status.version().get(),
            )
        },
        |(q, status, page, _)| admin_shoppers(Some(q), Some(status), page),
    );
    let error = form_error(move || set_status.value().get());
    view! {
        <Title text="会员管理" />
        <ConsoleShell realm=Realm::Admin>
            <h1 class="text-xl font-bold">"会员管理"</h1>
            <p class="mt-1 text-sm text-gray-500">"手机号脱敏显示，查看完整号码须填写原因并记入操作日志。停用后该会员的网页与小程序登录立即失效，恢复后可重新登录。"</p>
            <form method="get" action="/admin/shoppers" class="mt-4 flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 text-sm" data-test="shopper-search">
                <label class="field"><span>"搜索"</span>
                    <input name="q" value=q maxlength="30" placeholder="手机号、后四位、#ID 或昵称" class="input h-9 w-64 text-sm" />
                </label>
                <label class="field"><span>"状态"</span>
                    <select name="status" class="input h-9 w-28 text-sm">
                        <option value="">"全部"</option>
                        {AccountStatus::ALL.iter().map(|s| view! {
                            <option value=s.as_str() selected=move || status() == s.as_str()>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="btn-primary h-9 px-6 text-sm">"查询"</button>
            </form>
            <div class="mt-3"><ErrorBanner message=error /></div>
            <Loaded resource=list let:list>
                {shopper_table(list, set_status, move || vec![("q", q()), ("status", status())])}
            </Loaded>
        </ConsoleShell>
    }
}

fn shopper_table(
    list: ShopperList,
    set_status: ServerAction<SetShopperStatus>,
    params: impl Fn() -> Vec<(&'static str, String)>,
) -> AnyView {
    let pages = (list.total + list.page_size - 1) / list.page_size;
    let page = list.page;
    let caption = format!("第 {page} / {} 页 · 共 {} 人", pages.max(1), list.total);
    view! {
        <DataTable columns=vec![Col::text("ID"), Col::text("昵称"), Col::text("手机号"), Col::text("来源"), Col::num("支付订单"), Col::num("消费金额"), Col::text("注册时间"), Col::text("状态"), Col::text("操作")]
            rows=list.items test="shopper-table" empty="没有符合条件的会员" let:s>
            <tr>
                <td>{s.id}</td>
                <td>{s.nickname.clone()}</td>
                <td class="whitespace-nowrap"><PhoneCell shopper_id=s.id masked=s.phone_masked.clone() who=s.nickname.clone() /></td>
                <td>{if s.via_wechat { "小程序" } else { "H5" }}</td>
                <td class="num">{s.paid_orders}</td>
                <td class="num">{yuan_text(s.paid_fen)}</td>
                <td class="whitespace-nowrap text-gray-500">{datetime_text(s.created_at)}</td>
                {status_cell(s.status, s.status_reason.clone())}
                <td>{toggle_cell!(set_status, s.id, s.status, s.nickname.clone())}</td>
            </tr>
        </DataTable>
        <Pager base="/admin/shoppers" params=params() page=u32::try_from(page).unwrap_or(1) has_more=page < pages caption />
    }
    .into_any()
}

/// The phone cell: masked, and the whole number once the admin gives a reason. An island, so
/// the number appears in place (a plain form post would reload the page and lose it) and
/// never travels in a URL.
#[island]
fn PhoneCell(shopper_id: i64, masked: Option<String>, who: String) -> impl IntoView {
    let reveal = ServerAction::<RevealShopperPhone>::new();
    let shown = {
        let masked = masked.clone();
        move || match reveal.value().get() {
            Some(Ok(r)) => r.phone,
            _ => masked.clone().unwrap_or_else(|| "未绑定".into()),
        }
    };
    let refusal = move || match reveal.value().get() {
        Some(Err(e)) => Some(view! { <p class="mt-1 text-promo" role="alert">{e.to_string()}</p> }),
        _ => None,
    };
    let label = format!("{who} 查看原因");
    view! {
        <span data-test="phone">{shown}</span>
        {masked.is_some().then(|| view! {
            <details class="text-xs">
                <summary class="cursor-pointer text-gray-500">"查看完整号码"</summary>
                <ActionForm action=reveal>
                    <input type="hidden" name="id" value=shopper_id.to_string() />
                    <div class="mt-1 flex items-center gap-1">
                        <input name="reason" required minlength="2" maxlength="100" placeholder="查看原因" aria-label=label class="input h-7 w-32 text-xs" />
                        <button type="submit" class="text-promo" data-test="reveal">"查看"</button>
                    </div>
                    {refusal}
                </ActionForm>
            </details>
        })}
    }
}

#[component]
pub fn StaffAccountsPage() -> impl IntoView {
    let q = text_param("q");
    let set_status = ServerAction::<SetStaffAccountStatus>::new();
    let rows = Resource::new(
        move || (q(), set_status.version().get()),
        |(q, _)| admin_staff_accounts(Some(q)),
    );
    let error = form_error(move || set_status.value().get());
    view! {
        <Title text="商家账号" />
        <ConsoleShell realm=Realm::Admin>
            <h1 class="text-xl font-bold">"商家账号"</h1>
            <p class="mt-1 text-sm text-gray-500">"各店铺的店主与店员账号。停用后该账号的登录立即失效（店铺本身照常营业；暂停店铺请到商家管理）。"</p>
            <form method="get" action="/admin/staff" class="mt-4 flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 text-sm">
                <label class="field"><span>"搜索"</span>
                    <input name="q" value=q maxlength="30" placeholder="店铺名、用户名或姓名" class="input h-9 w-64 text-sm" />
                </label>
                <button type="submit" class="btn-primary h-9 px-6 text-sm">"查询"</button>
            </form>
            <div class="mt-3"><ErrorBanner message=error /></div>
            <Loaded resource=rows let:rows>
                {view! {
                    <DataTable columns=vec![Col::text("店铺"), Col::text("用户名"), Col::text("姓名"), Col::text("角色"), Col::text("创建时间"), Col::text("状态"), Col::text("操作")]
                        rows test="staff-table" empty="没有符合条件的账号" let:a>
                        <tr>
                            <td><a href=format!("/shop/{}", a.merchant_id) target="_blank" class="hover:text-promo">{a.shop.clone()}</a></td>
                            <td>{a.username.clone()}</td>
                            <td>{a.display_name.clone()}</td>
                            <td>{a.role.label()}</td>
                            <td class="whitespace-nowrap text-gray-500">{datetime_text(a.created_at)}</td>
                            {status_cell(a.status, a.status_reason.clone())}
                            <td>{toggle_cell!(set_status, a.id, a.status, a.username.clone())}</td>
                        </tr>
                    </DataTable>
                }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
pub fn AdminAccountsPage() -> impl IntoView {
    let create = ServerAction::<CreateAdminAccount>::new();
    let set_role = ServerAction::<SetAdminAccountRole>::new();
    let set_status = ServerAction::<SetAdminAccountStatus>::new();
    let rows = Resource::new(
        move || {
            (
                create.version().get(),
                set_role.version().get(),
                set_status.version().get(),
            )
        },
        |_| admin_accounts(),
    );
    let created = Signal::derive(move || create.value().get().map(|r| r.map(|_| ())));
    let result = latest_result(vec![
        created,
        Signal::derive(move || set_role.value().get()),
        Signal::derive(move || set_status.value().get()),
    ]);
    let error = form_error(move || result.get());
    view! {
        <Title text="管理员" />
        <ConsoleShell realm=Realm::Admin>
            <h1 class="text-xl font-bold">"管理员"</h1>
            <p class="mt-1 text-sm text-gray-500">"平台管理员账号与角色，仅超级管理员可管理。角色和停用立即生效；不能修改自己的账号。"</p>
            <div class="mt-3"><ErrorBanner message=error /></div>
            <section class="mt-4 rounded-lg bg-white p-4">
                <h2 class="font-medium">"新建管理员"</h2>
                <ActionForm action=create>
                    <div class="mt-3 flex flex-wrap items-end gap-3 text-sm" data-test="admin-create">
                        <label class="field"><span>"用户名"</span><input name="username" required maxlength="32" autocomplete="off" placeholder="小写字母、数字" class="input h-9 w-40 text-sm" /></label>
                        <label class="field"><span>"姓名"</span><input name="display_name" required maxlength="20" class="input h-9 w-32 text-sm" /></label>
                        <label class="field"><span>"角色"</span>
                            <select name="role" class="input h-9 w-32 text-sm">
                                {AdminRole::ALL.iter().map(|r| view! { <option value=r.as_str() selected=*r == AdminRole::Operator>{r.label()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label class="field"><span>"初始密码"</span><PasswordInput name="password" placeholder="至少8位" /></label>
                        <button type="submit" class="btn-primary h-9 px-6 text-sm">"创建"</button>
                    </div>
                </ActionForm>
            </section>
            <Loaded resource=rows let:rows>
                {view! {
                    <DataTable columns=vec![Col::text("ID"), Col::text("用户名"), Col::text("姓名"), Col::text("角色"), Col::text("创建时间"), Col::text("状态"), Col::text("操作")]
                        rows test="admin-table" class="mt-4" let:a>
                        {
                            let role_cell = if a.is_me {
                                view! { <td>{a.role.label()}" （当前账号）"</td> }.into_any()
                            } else {
                                let current = a.role;
                                let label = format!("{} 角色", a.username);
                                view! {
                                    <td>
                                        <ActionForm action=set_role>
                                            <input type="hidden" name="id" value=a.id.to_string() />
                                            <div class="flex items-center gap-2">
                                                <select name="role" aria-label=label class="input h-8 w-32 text-sm">
                                                    {AdminRole::ALL.iter().map(|r| view! { <option value=r.as_str() selected=*r == current>{r.label()}</option> }).collect_view()}
                                                </select>
                                                <button type="submit" class="text-promo">"保存"</button>
                                            </div>
                                        </ActionForm>
                                    </td>
                                }.into_any()
                            };
                            let actions = if a.is_me {
                                view! { <td class="text-gray-400">"—"</td> }.into_any()
                            } else {
                                view! { <td>{toggle_cell!(set_status, a.id, a.status, a.username.clone())}</td> }.into_any()
                            };
                            view! {
                                <tr>
                                    <td>{a.id}</td>
                                    <td>{a.username.clone()}</td>
                                    <td>{a.display_name.clone()}</td>
                                    {role_cell}
                                    <td class="whitespace-nowrap text-gray-500">{datetime_text(a.created_at)}</td>
                                    {status_cell(a.status, a.status_reason.clone())}
                                    {actions}
                                </tr>
                            }
                        }
                    </DataTable>
                }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}
