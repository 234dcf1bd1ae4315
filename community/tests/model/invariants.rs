//! The invariants checked after every step, against the oracle's world.
use super::{oracle::World, this, Check};
use community::{memory::MemoryCommunity, types::*};
use ink::primitives::AccountId;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Every invariant, after a step.
pub(super) fn check(world: &World, executions: &BTreeMap<ProposalId, u32>) -> Check {
    let community = &world.community;
    let held: BTreeMap<AccountId, Balance> = community.held().map(|(t, h)| (*t, *h)).collect();
    check_conservation(world, &held)?;
    check_current_book(community, &held)?;
    check_members(community)?;
    check_proposals(world, executions)?;
    check_entitlements(world)
}

/// Conservation, per token: the community holds what its books owe plus
/// what a migration paid it that no book took yet.
fn check_conservation(world: &World, held: &BTreeMap<AccountId, Balance>) -> Check {
    for (token, ledger) in &world.broker.tokens {
        let owed = held.get(token).copied().unwrap_or(0);
        let unswept = world.unswept.get(token).copied().unwrap_or(0);
        prop_assert_eq!(
            ledger.api().balance(this()),
            owed + unswept,
            "token {:?}",
            token
        );
    }
    Ok(())
}

/// What the current book owes is every member's share plus rounding.
fn check_current_book(community: &MemoryCommunity, held: &BTreeMap<AccountId, Balance>) -> Check {
    let book = &community.config.book;
    let owed_scaled: u128 = community
        .member_records()
        .map(|(account, _)| {
            let scaled = current_share_scaled(community, *account);
            assert_eq!(community.claimable(*account), scaled / SHARE_PRECISION);
            scaled
        })
        .sum();
    let owed_in_token = held.get(&book.token).copied().unwrap_or(0);
    prop_assert!(owed_scaled / SHARE_PRECISION <= owed_in_token);
    Ok(())
}

/// Weights and counts agree with the member records.
fn check_members(community: &MemoryCommunity) -> Check {
    let config = &community.config;
    let weights: u64 = community.member_records().map(|(_, m)| m.weight).sum();
    let members = community
        .member_records()
        .filter(|(_, m)| m.weight > 0)
        .count();
    prop_assert_eq!(config.total_weight, weights);
    prop_assert_eq!(config.member_count as usize, members);
    prop_assert!(members >= 1);
    Ok(())
}

/// Every proposal is in the state its tally says, and executed at most once.
fn check_proposals(world: &World, executions: &BTreeMap<ProposalId, u32>) -> Check {
    let community = &world.community;
    let config = &community.config;
    prop_assert_eq!(world.tallies.len() as u64, config.next_proposal_id);
    for (id, tally) in &world.tallies {
        prop_assert_eq!(
            community.proposal_state(*id, world.now),
            Some(tally.state(&config.rules, world.now)),
            "state of proposal {}",
            id
        );
    }
    for id in 0..config.next_proposal_id {
        let proposal = community.get_proposal(id).unwrap();
        prop_assert!(proposal.yes + proposal.no <= proposal.total_weight);
        prop_assert_eq!(proposal.executed, executions.get(&id) == Some(&1));
    }
    prop_assert!(executions.values().all(|n| *n <= 1));
    Ok(())
}

/// Nobody receives fees that arrived before they held the weight: what an
/// account claimed and can claim in a token is within what it was entitled
/// to there, give or take a unit and the rounding rest carried between
/// collections, per book.
fn check_entitlements(world: &World) -> Check {
    let community = &world.community;
    let config = &community.config;
    let books = u128::from(config.book.id) + 1;
    for (account, _) in community.member_records() {
        for token in world.broker.tokens.keys() {
            let received = world.claimed.get(&(*token, *account)).copied().unwrap_or(0)
                + claimable_in(community, *token, *account);
            let entitled = world
                .entitled
                .get(&(*token, *account))
                .copied()
                .unwrap_or(0);
            let tolerance = (SHARE_PRECISION + world.largest_weight) * books;
            prop_assert!(
                received.saturating_mul(SHARE_PRECISION) <= entitled.saturating_add(tolerance),
                "{:?} received {} of an entitlement of {} units",
                account,
                received,
                entitled / SHARE_PRECISION
            );
        }
    }
    Ok(())
}

/// The member's share of the current book, scaled, as the oracle settles it.
fn current_share_scaled(community: &MemoryCommunity, account: AccountId) -> u128 {
    let config = &community.config;
    let member = community
        .member_records()
        .find(|(a, _)| **a == account)
        .unwrap()
        .1;
    let in_current_book = community.member_book(account) == config.book.id;
    let settled = if in_current_book {
        member.settled_per_weight
    } else {
        0
    };
    let owed = if in_current_book {
        member.owed_scaled
    } else {
        0
    };
    owed + (config.book.fees_per_weight - settled) * u128::from(member.weight)
}

/// What `account` can claim now in `token`, over the current and closed books.
fn claimable_in(community: &MemoryCommunity, token: AccountId, account: AccountId) -> Balance {
    let current = if community.config.book.token == token {
        community.claimable(account)
    } else {
        0
    };
    let closed: Balance = (0..community.config.book.id)
        .filter(|book| {
            community
                .closed_book(*book)
                .is_some_and(|b| b.token == token)
        })
        .map(|book| community.closed_claimable(book, account))
        .sum();
    current + closed
}
