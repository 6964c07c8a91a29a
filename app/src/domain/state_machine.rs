//! The one shape of every state machine in Jishi (trade, order, after-sale, bill, withdrawal,
//! merchant application, merchant): a closed enum of states, a closed enum of actions, and one
//! table of moves `from --action by actor--> to`. Everything else is derived from the table:
//! which actions a party is offered in a state ([`StateMachine::actions_for`]), whether a move
//! is allowed ([`StateMachine::check`], a refusal is 409), and the states an action may start
//! from ([`StateMachine::sources`], the `WHERE status IN (...)` of the conditional update that
//! makes a move, so two parties acting at once cannot both win). See docs/architecture.md.
//!
//! An action may have more than one target (an approved after-sale is refunded at once or waits
//! for the goods, by its kind): the service picks the target and the table says whether the move
//! is allowed.

use serde::{Deserialize, Serialize};

use crate::domain::named::Named;
use crate::error::AppError;

/// Who takes an action: the three parties that sign in, and the system (timers, payment and
/// refund notifications).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Shopper,
    Merchant,
    Platform,
    System,
}

impl Actor {
    pub const ALL: [Actor; 4] = [
        Actor::Shopper,
        Actor::Merchant,
        Actor::Platform,
        Actor::System,
    ];

    /// The name written into timelines (`order_events.actor`).
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Shopper => "shopper",
            Actor::Merchant => "merchant",
            Actor::Platform => "platform",
            Actor::System => "system",
        }
    }
}

/// One row of a transition table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move<S: 'static, A: 'static> {
    pub from: S,
    pub action: A,
    pub by: Actor,
    pub to: S,
}

/// Shorthand for writing a table: `mv(from, action, by, to)`.
pub const fn mv<S, A>(from: S, action: A, by: Actor, to: S) -> Move<S, A> {
    Move {
        from,
        action,
        by,
        to,
    }
}

/// A state machine: its states (a [`Named`] enum, in the order lists show them), its actions
/// (another), its table, and what the refusal of a move says.
pub trait StateMachine: Named {
    type Action: Named;
    /// Every allowed move; nothing else ever happens to a row.
    const MOVES: &'static [Move<Self, Self::Action>];
    /// What a refusal calls the thing ("订单", "售后单").
    const NOUN: &'static str;
    /// The state a new row starts in (the first listed).
    const INITIAL: Self = Self::ALL[0];

    /// The states `action` by `by` leads to from here.
    fn targets(self, action: Self::Action, by: Actor) -> impl Iterator<Item = Self> {
        Self::MOVES
            .iter()
            .filter(move |m| m.from == self && m.action == action && m.by == by)
            .map(|m| m.to)
    }

    /// The actions `by` may take in this state, each once, in table order: what the pages and
    /// the mini-program offer.
    fn actions_for(self, by: Actor) -> Vec<Self::Action> {
        let mut out: Vec<Self::Action> = Vec::new();
        for m in Self::MOVES.iter().filter(|m| m.from == self && m.by == by) {
            if !out.contains(&m.action) {
                out.push(m.action);
            }
        }
        out
    }

    /// The states in which `by` has something to do: a to-do list's filter.
    fn awaiting(by: Actor) -> Vec<Self> {
        Self::ALL
            .iter()
            .copied()
            .filter(|s| !s.actions_for(by).is_empty())
            .collect()
    }

    /// Whether `action` by `by` may move this state to `to`.
    fn allows(self, action: Self::Action, by: Actor, to: Self) -> bool {
        self.targets(action, by).any(|t| t == to)
    }

    /// `Ok` when the move is in the table; otherwise 409 naming the state and the action.
    fn check(self, action: Self::Action, by: Actor, to: Self) -> Result<(), AppError> {
        if self.allows(action, by, to) {
            Ok(())
        } else {
            Err(Self::refusal(self, action))
        }
    }

    /// The 409 for `action` attempted in `state`.
    fn refusal(state: Self, action: Self::Action) -> AppError {
        AppError::Conflict(format!(
            "{}状态为「{}」，不能{}",
            Self::NOUN,
            state.label(),
            action.label()
        ))
    }

    /// The states from which `action` by `by` leads to `to`: the guard of the conditional update.
    fn sources(action: Self::Action, by: Actor, to: Self) -> Vec<Self> {
        Self::MOVES
            .iter()
            .filter(|m| m.action == action && m.by == by && m.to == to)
            .map(|m| m.from)
            .collect()
    }
}

/// States as the quoted list of an SQL `IN (...)`: `'pending', 'returned'`. The names are the
/// enums' own constants, never input, so they may be written into the statement.
pub fn sql_list<S: StateMachine>(states: impl IntoIterator<Item = S>) -> String {
    states
        .into_iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::after_sale::AfterSaleStatus;
    use crate::domain::coupon::{CopyStatus, TemplateStatus};
    use crate::domain::full_reduction::PromotionStatus;
    use crate::domain::group_buy::{GroupStatus, MemberStatus};
    use crate::domain::merchant::{ApplicationStatus, MerchantStatus};
    use crate::domain::order::{OrderStatus, TradeStatus};
    use crate::domain::presale_deposit::BalanceStatus;
    use crate::domain::product::ProductStatus;
    use crate::domain::settlement::{BillStatus, WithdrawalStatus};
    use crate::domain::stray_payment::StrayStatus;
    use proptest::prelude::*;

    /// Names, labels and the table of one machine are consistent; every state can be reached
    /// from the first; what is offered is what is allowed.
    fn well_formed<S: StateMachine>() {
        let names: Vec<&str> = S::ALL.iter().map(|s| s.as_str()).collect();
        let labels: Vec<&str> = S::ALL.iter().map(|s| s.label()).collect();
        for (i, s) in S::ALL.iter().enumerate() {
            assert_eq!(S::parse(s.as_str()), Some(*s));
            assert!(!names[..i].contains(&names[i]), "{} named twice", names[i]);
            assert!(
                !labels[..i].contains(&labels[i]),
                "{} shown twice",
                labels[i]
            );
        }
        assert_eq!(S::parse("nonsense"), None);
        assert_eq!(S::parse(""), None);
        for m in S::MOVES {
            assert!(S::ALL.contains(&m.from) && S::ALL.contains(&m.to));
        }
        let mut reached = vec![S::INITIAL];
        let mut i = 0;
        while i < reached.len() {
            let at = reached[i];
            for m in S::MOVES.iter().filter(|m| m.from == at) {
                if !reached.contains(&m.to) {
                    reached.push(m.to);
                }
            }
            i += 1;
        }
        assert_eq!(reached.len(), S::ALL.len(), "every state is reachable");
    }

    #[test]
    fn every_machine_is_well_formed() {
        well_formed::<TradeStatus>();
        well_formed::<OrderStatus>();
        well_formed::<AfterSaleStatus>();
        well_formed::<BillStatus>();
        well_formed::<WithdrawalStatus>();
        well_formed::<ApplicationStatus>();
        well_formed::<MerchantStatus>();
        well_formed::<ProductStatus>();
        well_formed::<StrayStatus>();
        well_formed::<TemplateStatus>();
        well_formed::<CopyStatus>();
        well_formed::<PromotionStatus>();
        well_formed::<GroupStatus>();
        well_formed::<MemberStatus>();
        well_formed::<BalanceStatus>();
    }

    /// For any state, move and party: allowed exactly when the table has it, offered exactly
    /// when some target is allowed, refused with 409, and the update guard (`sources`) holds
    /// exactly the states it may start from.
    fn agrees<S: StateMachine>(state: usize, action: usize, by: usize, to: usize) {
        let actions: Vec<S::Action> = S::MOVES.iter().map(|m| m.action).collect();
        let (s, a, by, to) = (
            S::ALL[state % S::ALL.len()],
            actions[action % actions.len()],
            Actor::ALL[by % Actor::ALL.len()],
            S::ALL[to % S::ALL.len()],
        );
        let in_table = S::MOVES.contains(&Move {
            from: s,
            action: a,
            by,
            to,
        });
        assert_eq!(s.allows(a, by, to), in_table);
        assert_eq!(S::sources(a, by, to).contains(&s), in_table);
        match s.check(a, by, to) {
            Ok(()) => assert!(in_table),
            Err(e) => {
                assert!(!in_table);
                assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
            }
        }
        let offered = s.actions_for(by).contains(&a);
        assert_eq!(offered, s.targets(a, by).next().is_some());
    }

    proptest! {
        #[test]
        fn the_table_decides_everything(state in 0usize..16, action in 0usize..16, by in 0usize..4, to in 0usize..16) {
            agrees::<TradeStatus>(state, action, by, to);
            agrees::<OrderStatus>(state, action, by, to);
            agrees::<AfterSaleStatus>(state, action, by, to);
            agrees::<BillStatus>(state, action, by, to);
            agrees::<WithdrawalStatus>(state, action, by, to);
            agrees::<ApplicationStatus>(state, action, by, to);
            agrees::<MerchantStatus>(state, action, by, to);
            agrees::<ProductStatus>(state, action, by, to);
            agrees::<StrayStatus>(state, action, by, to);
            agrees::<TemplateStatus>(state, action, by, to);
            agrees::<CopyStatus>(state, action, by, to);
            agrees::<PromotionStatus>(state, action, by, to);
            agrees::<GroupStatus>(state, action, by, to);
            agrees::<MemberStatus>(state, action, by, to);
            agrees::<BalanceStatus>(state, action, by, to);
        }
    }
}
