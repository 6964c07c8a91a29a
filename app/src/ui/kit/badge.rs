//! A state's badge: its label from `named_enum!`, its colour from [`Toned`], the one place that
//! says which states look waiting, good or bad.

use leptos::prelude::*;

use crate::domain::coupon::TemplateStatus;
use crate::domain::full_reduction::PromotionStatus;
use crate::domain::named::Named;
use crate::domain::people::AccountStatus;
use crate::domain::product::ProductStatus;
use crate::domain::settlement::{BillStatus, WithdrawalStatus};

/// How a state reads at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// someone still has to act
    Waiting,
    /// done, as hoped
    Good,
    /// refused, disputed, taken down
    Bad,
    /// set aside, not yet started
    Neutral,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Waiting => "bg-amber-50 text-amber-700",
            Tone::Good => "bg-green-50 text-green-700",
            Tone::Bad => "bg-red-50 text-promo",
            Tone::Neutral => "bg-gray-100 text-gray-600",
        }
    }
}

/// A state with a tone: the one place that says which states look waiting, good or bad.
pub trait Toned: Named + Send + Sync {
    fn tone(self) -> Tone;
}

impl Toned for BillStatus {
    fn tone(self) -> Tone {
        match self {
            BillStatus::Pending => Tone::Waiting,
            BillStatus::Confirmed => Tone::Good,
            BillStatus::Disputed => Tone::Bad,
        }
    }
}

impl Toned for WithdrawalStatus {
    fn tone(self) -> Tone {
        match self {
            WithdrawalStatus::Pending => Tone::Waiting,
            WithdrawalStatus::Paid => Tone::Good,
            WithdrawalStatus::Rejected => Tone::Neutral,
        }
    }
}

impl Toned for ProductStatus {
    fn tone(self) -> Tone {
        match self {
            ProductStatus::OnSale => Tone::Good,
            ProductStatus::Draft => Tone::Neutral,
            ProductStatus::OffShelf => Tone::Waiting,
            ProductStatus::PendingReview => Tone::Waiting,
            ProductStatus::Rejected => Tone::Bad,
            ProductStatus::TakenDown => Tone::Bad,
        }
    }
}

impl Toned for TemplateStatus {
    fn tone(self) -> Tone {
        match self {
            TemplateStatus::Active => Tone::Good,
            TemplateStatus::Paused => Tone::Waiting,
            TemplateStatus::Ended => Tone::Neutral,
            TemplateStatus::Voided => Tone::Bad,
        }
    }
}

impl Toned for PromotionStatus {
    fn tone(self) -> Tone {
        match self {
            PromotionStatus::Active => Tone::Good,
            PromotionStatus::Paused => Tone::Waiting,
            PromotionStatus::Ended => Tone::Neutral,
        }
    }
}

impl Toned for AccountStatus {
    fn tone(self) -> Tone {
        match self {
            AccountStatus::Active => Tone::Good,
            AccountStatus::Disabled => Tone::Bad,
        }
    }
}

/// A state's label in its tone's colours; `test` names it for the browser tests.
#[component]
pub fn StatusBadge<S: Toned>(
    status: S,
    #[prop(optional)] test: Option<&'static str>,
) -> impl IntoView {
    view! {
        <span class=format!("rounded px-2 py-0.5 text-xs {}", status.tone().class()) data-test=test>
            {status.label()}
        </span>
    }
}

impl Toned for crate::domain::flash_sale::ItemStatus {
    fn tone(self) -> Tone {
        use crate::domain::flash_sale::ItemStatus::*;
        match self {
            Pending => Tone::Waiting,
            Approved => Tone::Good,
            Rejected => Tone::Bad,
            Withdrawn => Tone::Neutral,
        }
    }
}

impl Toned for crate::domain::flash_sale::EventStatus {
    fn tone(self) -> Tone {
        match self {
            crate::domain::flash_sale::EventStatus::Active => Tone::Good,
            crate::domain::flash_sale::EventStatus::Ended => Tone::Neutral,
        }
    }
}

impl Toned for crate::domain::group_buy::ActivityStatus {
    fn tone(self) -> Tone {
        match self {
            crate::domain::group_buy::ActivityStatus::Active => Tone::Good,
            crate::domain::group_buy::ActivityStatus::Ended => Tone::Neutral,
        }
    }
}

impl Toned for crate::domain::group_buy::GroupStatus {
    fn tone(self) -> Tone {
        use crate::domain::group_buy::GroupStatus::*;
        match self {
            Pending | Open => Tone::Waiting,
            Succeeded => Tone::Good,
            Failed => Tone::Bad,
            Cancelled => Tone::Neutral,
        }
    }
}

impl Toned for crate::domain::group_buy::MemberStatus {
    fn tone(self) -> Tone {
        use crate::domain::group_buy::MemberStatus::*;
        match self {
            Unpaid => Tone::Waiting,
            Joined => Tone::Good,
            Refunded => Tone::Bad,
            Closed | Left => Tone::Neutral,
        }
    }
}
