//! 平台管理 › 预售活动: every shop's presales, where the platform force-ends one that breaks
//! the rules (需 管理平台营销). The table is the shop's (`merchant_presales`), with the shop's
//! column and the 强制结束 button in place of the link to the shop's page.

use leptos::prelude::*;
use leptos_meta::Title;

use super::merchant_presales::PresaleTable;
use super::ConsoleShell;
use crate::api::presales::{admin_presales, ForceEndPresale};
use crate::domain::account::Realm;
use crate::ui::common::ErrorBanner;
use crate::ui::kit::{form_error, Loaded};

#[component]
pub fn AdminPresalesPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| admin_presales());
    let end = ServerAction::<ForceEndPresale>::new();
    let error = Signal::derive(form_error(move || end.value().get()));
    view! {
        <Title text="预售活动" />
        <ConsoleShell realm=Realm::Admin>
            <h1 class="text-xl font-bold">"预售活动"</h1>
            <p class="mt-1 text-sm text-gray-500">"商家自行创建的全款预售：预售价、活动库存和发货约定由商家设置；违规活动可强制结束（已下的订单照常履约，逾期未发货买家可直接全额退款）。"</p>
            <div class="mt-3"><ErrorBanner message=move || error.get() /></div>
            <Loaded resource=list let:rows>
                {view! { <PresaleTable rows force_end=end /> }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}
