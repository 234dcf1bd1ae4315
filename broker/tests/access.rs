//! Access-control matrix: every state-changing broker message, called by each
//! kind of caller, against exactly who may call it.
use broker::{
    memory::{account, community_account, World},
    types::*,
};
use ink::primitives::{AccountId, Hash};
use p2pcloud_common::{
    testing::{assert_access_matrix, Access::*, AccessRow},
    BrokerError,
};

use p2pcloud_common::testing::START;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    User,
    Miner,
    Community,
    Stranger,
}
use Caller::*;

const CALLERS: [Caller; 4] = [User, Miner, Community, Stranger];

fn id(caller: Caller) -> AccountId {
    match caller {
        User => account(1),
        Miner => account(2),
        Community => community_account(),
        Stranger => account(3),
    }
}

/// Every caller holds tokens and a deposit; the miner has offer 0 and the
/// user has booking 0 on it, 10 seconds old.
fn world() -> World {
    let mut world = World::new(START);
    for caller in CALLERS {
        world.ledger_mut().mint(id(caller), 10_000_000_000);
        world.fund(id(caller), 1_000_000_000);
    }
    world
        .broker
        .add_offer(id(Miner), 1, 100, 2, [0; 32])
        .unwrap();
    world.broker.book_vm(id(User), 0, 100, START).unwrap();
    world.now += 10_000;
    world
}

type Row = AccessRow<'static, World, Caller, BrokerError>;

#[test]
fn every_message_answers_exactly_the_callers_allowed_to_use_it() {
    let matrix: Vec<Row> = vec![
        (
            "add_offer",
            |w, c| w.broker.add_offer(c, 1, 5, 1, [0; 32]).map(drop),
            Anyone,
        ),
        (
            "update_offer",
            |w, c| w.broker.update_offer(c, 0, 7, 3).map(drop),
            Only(&[Miner], BrokerError::NotOfferOwner),
        ),
        (
            "remove_offer",
            |w, c| {
                w.broker
                    .stop_booking(account(1), 0, StopReason::Ok, w.now)
                    .unwrap();
                w.broker.remove_offer(c, 0).map(drop)
            },
            Only(&[Miner], BrokerError::NotOfferOwner),
        ),
        (
            "set_miner_url",
            |w, c| w.broker.set_miner_url(c, "u".into()),
            Anyone,
        ),
        ("deposit_coin", |w, c| w.deposit(c, 10).map(drop), Anyone),
        (
            "deposit_for",
            |w, c| w.deposit_for(c, account(1), 10).map(drop),
            Anyone,
        ),
        ("withdraw_coin", |w, c| w.withdraw(c, 10).map(drop), Anyone),
        (
            "book_vm",
            |w, c| w.broker.book_vm(c, 0, 100, w.now).map(drop),
            Only(&[User, Community, Stranger], BrokerError::OwnOffer),
        ),
        (
            "claim_payment",
            |w, c| w.broker.claim_payment(c, 0, w.now).map(drop),
            Only(&[Miner], BrokerError::NotBookingMiner),
        ),
        (
            "stop_booking(Ok)",
            |w, c| w.broker.stop_booking(c, 0, StopReason::Ok, w.now).map(drop),
            Only(&[User], BrokerError::NotBookingUser),
        ),
        (
            "stop_booking(MinerMisbehaviour)",
            |w, c| {
                w.broker
                    .stop_booking(c, 0, StopReason::MinerMisbehaviour, w.now)
                    .map(drop)
            },
            Only(&[User], BrokerError::NotBookingUser),
        ),
        (
            "stop_booking(MinerTerminated)",
            |w, c| {
                w.broker
                    .stop_booking(c, 0, StopReason::MinerTerminated, w.now)
                    .map(drop)
            },
            Only(&[Miner], BrokerError::NotBookingMiner),
        ),
        (
            "stop_booking(NonPayment)",
            |w, c| {
                w.broker
                    .stop_booking(c, 0, StopReason::NonPayment, w.now)
                    .map(drop)
            },
            Only(&[], BrokerError::ReasonReserved),
        ),
        (
            "stop_booking(CommunityTerminated)",
            |w, c| {
                w.broker
                    .stop_booking(c, 0, StopReason::CommunityTerminated, w.now)
                    .map(drop)
            },
            Only(&[Community], BrokerError::NotCommunity),
        ),
        (
            "set_stablecoin_address",
            |w, c| w.broker.set_stablecoin(c, account(9)).map(drop),
            Only(&[Community], BrokerError::NotCommunity),
        ),
        (
            "set_token_call_limits",
            |w, c| {
                let limits = TokenCallLimits {
                    ref_time: 1,
                    ..Default::default()
                };
                w.broker.set_token_call_limits(c, limits).map(drop)
            },
            Only(&[Community], BrokerError::NotCommunity),
        ),
        (
            "set_community_contract",
            |w, c| w.broker.set_community(c, account(8)).map(drop),
            Only(&[Community], BrokerError::NotCommunity),
        ),
        (
            "accept_community",
            |w, c| {
                w.broker
                    .set_community(community_account(), id(Stranger))
                    .unwrap();
                w.broker.accept_community(c).map(drop)
            },
            Only(&[Stranger], BrokerError::NotProposedCommunity),
        ),
        (
            "set_community_fee",
            |w, c| w.broker.set_community_fee(c, 100).map(drop),
            Only(&[Community], BrokerError::NotCommunity),
        ),
        (
            "set_code",
            |w, c| w.broker.upgrade_code(c, Hash::from([1; 32])).map(drop),
            Only(&[Community], BrokerError::NotCommunity),
        ),
    ];
    assert_access_matrix(&CALLERS, id, world, &matrix);
}
