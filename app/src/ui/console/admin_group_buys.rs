//! 平台管理 › 拼团活动: every shop's group-buy activities, and one activity's page with its
//! groups and members, where the platform force-ends it (需 管理平台营销). The tables are the
//! shop's (`merchant_group_buys`), with the shop's column and links to the platform's orders.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::merchant_group_buys::{ActivityHead, ActivityTable, GroupList};
use super::ConsoleShell;
use crate::api::group_buys::{admin_group_buy, admin_group_buys, ForceEndGroupBuy};
use crate::domain::account::Realm;
use crate::domain::activity_form::ActivityPhase;
use crate::ui::common::ErrorBanner;
use crate::ui::kit::{form_error, Loaded};

#[component]
pub fn AdminGroupBuysPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| admin_group_buys());
    view! {
        <Title text="拼团活动" />
        <ConsoleShell realm=Realm::Admin>
            <h1 class="text-xl font-bold">"拼团活动"</h1>
            <p class="mt-1 text-sm text-gray-500">"商家自行创建的拼团活动：拼团价、活动库存和成团人数由商家设置；违规活动可强制结束（已开的团照常到期）。"</p>
            <Loaded resource=list let:rows>
                {view! { <ActivityTable rows base="/admin/group-buys" shop=true /> }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
pub fn AdminGroupBuyPage() -> impl IntoView {
    let params = use_params_map();
    let end = ServerAction::<ForceEndGroupBuy>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let page = Resource::new(id, admin_group_buy);
    let error = Signal::derive(form_error(move || end.value().get()));
    view! {
        <Title text="拼团活动" />
        <ConsoleShell realm=Realm::Admin>
            <a href="/admin/group-buys" class="text-sm text-gray-500">"‹ 返回列表"</a>
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
                                    <button type="submit" class="btn-outline px-5" data-test="force-end-group-buy">"强制结束"</button>
                                </ActionForm>
                            })}
                        </ActivityHead>
                        <div class="mt-3"><ErrorBanner message=move || error.get() /></div>
                        <GroupList groups=p.groups.clone() orders="/admin/orders" />
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}
