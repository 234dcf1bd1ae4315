//! The booking workflow on a real chain: `substrate-contracts-node`, started by
//! ink_e2e for each test (from `CONTRACTS_NODE` or the binary on `PATH`).
//! Deploys psp22-mock, then the community, which instantiates the broker, and
//! drives them with distinct accounts through real extrinsics.
use broker::{
    events::{BookingReported, MinerPayout},
    Broker, BrokerError,
};
use community::{
    types::{Action, BrokerCall, ProposalState, VotingRules},
    Community, CommunityRef,
};
use ink::primitives::AccountId;
use ink_e2e::{account_id, AccountKeyring, ContractsBackend};
use p2pcloud_common::StopReason;
use psp22::{PSP22Mintable, PSP22};
use psp22_mock::{Psp22Mock, Psp22MockRef};
use scale::{Decode, Encode};

type E2EResult<T> = Result<T, Box<dyn std::error::Error>>;

const VOTING_PERIOD_MS: u64 = 4_000;
const PRICE: u128 = 1_000;
const WEEK: u128 = 604_800;

fn id(keyring: AccountKeyring) -> AccountId {
    account_id(keyring)
}

/// Waits so block timestamps move on by at least `ms`.
async fn let_time_pass(ms: u64) {
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
}

fn topic<T: Encode>(value: &T) -> [u8; 32] {
    let mut topic = [0u8; 32];
    let encoded = value.encode();
    topic[..encoded.len()].copy_from_slice(&encoded);
    topic
}

#[ink_e2e::test]
async fn the_booking_workflow_on_a_node<Client: E2EBackend>(mut client: Client) -> E2EResult<()> {
    let (alice, bob, charlie, dave) = (
        ink_e2e::alice(),
        ink_e2e::bob(),
        ink_e2e::charlie(),
        ink_e2e::dave(),
    );
    // Alice runs the community (weight 1), Bob is a miner, Charlie and Dave are users.
    let mut token_ctor = Psp22MockRef::new(0, Some("Mock USD".into()), Some("mUSD".into()), 6);
    let token = client
        .instantiate("psp22-mock", &alice, &mut token_ctor)
        .submit()
        .await
        .expect("psp22-mock instantiates");
    let broker_code = client
        .upload("broker", &alice)
        .submit()
        .await
        .expect("broker uploads");
    let rules = VotingRules {
        quorum_bps: 5_000,
        voting_period: VOTING_PERIOD_MS,
        execution_period: 600_000,
    };
    let mut community_ctor = CommunityRef::new(
        vec![(id(AccountKeyring::Alice), 1)],
        rules,
        broker_code.code_hash,
        token.account_id,
    );
    let community = client
        .instantiate("community", &alice, &mut community_ctor)
        .submit()
        .await
        .expect("community instantiates the broker");
    let mut community_calls = community.call_builder::<Community>();
    let broker_id = client
        .call(&alice, &community_calls.get_broker())
        .dry_run()
        .await?
        .return_value();
    let mut broker = ink_e2e::create_call_builder::<Broker>(broker_id);
    assert_eq!(
        client
            .call(&alice, &broker.get_community_contract())
            .dry_run()
            .await?
            .return_value(),
        community.account_id
    );
    let mut psp22 = token.call_builder::<Psp22Mock>();

    // Users mint, approve and deposit a week and a bit of one booking.
    let deposit = PRICE * WEEK + 1_000_000;
    for user in [&charlie, &dave] {
        client.call(user, &psp22.mint(deposit * 2)).submit().await?;
        client
            .call(user, &psp22.approve(broker_id, deposit))
            .submit()
            .await?;
        client
            .call(user, &broker.deposit_coin(deposit))
            .submit()
            .await?;
    }
    let charlie_tokens = client
        .call(&charlie, &psp22.balance_of(id(AccountKeyring::Charlie)))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(charlie_tokens, deposit);
    assert_eq!(
        client
            .call(&alice, &psp22.balance_of(broker_id))
            .dry_run()
            .await?
            .return_value(),
        deposit * 2
    );

    // Bob offers two machines, raises the price for new bookings, lists them.
    let offer_id = client
        .call(&bob, &broker.add_offer(1, PRICE, 2, [7; 32]))
        .submit()
        .await?
        .return_value()
        .expect("offer");
    client
        .call(&bob, &broker.update_offer(offer_id, PRICE, 2))
        .submit()
        .await?;
    let page = client
        .call(&charlie, &broker.get_available_offers(Some(1), None, 10))
        .dry_run()
        .await?
        .return_value()
        .expect("message succeeds");
    assert_eq!(page.items.len(), 1);

    // Unauthorized and underfunded calls answer with typed errors.
    let refused = client
        .call(&charlie, &broker.update_offer(offer_id, 1, 2))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(refused, Err(BrokerError::NotOfferOwner));
    let refused = client
        .call(&charlie, &broker.set_community_fee(0))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(refused, Err(BrokerError::NotCommunity));
    let refused = client
        .call(&bob, &broker.book_vm(offer_id))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(refused, Err(BrokerError::InsufficientBalance));
    // More than is free is refused before any token moves.
    let refused = client
        .call(&charlie, &broker.withdraw_coin(deposit + 1))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(refused, Err(BrokerError::InsufficientFreeBalance));
    // A deposit without allowance fails in the token and the broker reports it.
    let refused = client
        .call(&bob, &broker.deposit_coin(5))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(refused, Err(BrokerError::TokenTransferRejected));

    // Both users book; time passes; Bob claims.
    let charlie_booking = client
        .call(&charlie, &broker.book_vm(offer_id))
        .submit()
        .await?
        .return_value()
        .expect("message succeeds");
    let dave_booking = client
        .call(&dave, &broker.book_vm(offer_id))
        .submit()
        .await?
        .return_value()
        .expect("message succeeds");
    let_time_pass(3_000).await;
    let claim = client
        .call(&bob, &broker.claim_payment(charlie_booking))
        .submit()
        .await?;
    let emitted = claim.contract_emitted_events()?;
    let payout_event = emitted.iter().find_map(|e| {
        MinerPayout::decode(&mut &e.event.data[..])
            .ok()
            .map(|p| (p, e.topics.clone()))
    });
    let (payout, topics) = payout_event.expect("MinerPayout");
    assert!(payout.seconds >= 1);
    assert_eq!(
        payout.amount + payout.fee,
        PRICE * u128::from(payout.seconds)
    );
    assert_eq!(payout.fee, (payout.amount + payout.fee) * 500 / 10_000);
    assert_eq!(topics[1].0, topic(&charlie_booking));
    assert_eq!(topics[2].0, topic(&id(AccountKeyring::Bob)));
    assert_eq!(topics[3].0, topic(&id(AccountKeyring::Charlie)));

    // Charlie stops normally; Dave reports the miner.
    client
        .call(
            &charlie,
            &broker.stop_booking(charlie_booking, StopReason::Ok),
        )
        .submit()
        .await?;
    let report = client
        .call(
            &dave,
            &broker.stop_booking(dave_booking, StopReason::MinerMisbehaviour),
        )
        .submit()
        .await?;
    let reported = report
        .contract_emitted_events()?
        .iter()
        .find_map(|e| {
            BookingReported::decode(&mut &e.event.data[..])
                .ok()
                .map(|r| (r, e.topics.clone()))
        })
        .expect("BookingReported");
    assert_eq!(
        (reported.0.booking_id, reported.0.price_per_second),
        (dave_booking, PRICE)
    );
    assert_eq!(reported.1[2].0, topic(&id(AccountKeyring::Dave)));
    assert_eq!(reported.1[3].0, topic(&id(AccountKeyring::Bob)));

    // Everyone withdraws what is free; the token balances agree.
    let (bob_free, _) = client
        .call(&bob, &broker.check_balance(id(AccountKeyring::Bob)))
        .dry_run()
        .await?
        .return_value();
    assert!(bob_free > 0);
    client
        .call(&bob, &broker.withdraw_coin(bob_free))
        .submit()
        .await?;
    assert_eq!(
        client
            .call(&bob, &psp22.balance_of(id(AccountKeyring::Bob)))
            .dry_run()
            .await?
            .return_value(),
        bob_free
    );
    let (charlie_free, locked) = client
        .call(&charlie, &broker.check_balance(id(AccountKeyring::Charlie)))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(locked, 0);
    client
        .call(&charlie, &broker.withdraw_coin(charlie_free))
        .submit()
        .await?;
    assert_eq!(
        client
            .call(&charlie, &psp22.balance_of(id(AccountKeyring::Charlie)))
            .dry_run()
            .await?
            .return_value(),
        deposit + charlie_free
    );

    // The community collects its fees and Alice, its only member, claims them.
    let (fees, _) = client
        .call(&alice, &broker.check_balance(community.account_id))
        .dry_run()
        .await?
        .return_value();
    assert!(fees > 0);
    client
        .call(&alice, &community_calls.collect_fees())
        .submit()
        .await?;
    assert_eq!(
        client
            .call(&alice, &psp22.balance_of(community.account_id))
            .dry_run()
            .await?
            .return_value(),
        fees
    );
    client
        .call(&alice, &community_calls.claim_share())
        .submit()
        .await?;
    assert_eq!(
        client
            .call(&alice, &psp22.balance_of(id(AccountKeyring::Alice)))
            .dry_run()
            .await?
            .return_value(),
        fees
    );

    // Governance: a proposal lowers the fee, passes, executes on the broker.
    let proposal = client
        .call(
            &alice,
            &community_calls.propose(
                Action::Broker(BrokerCall::SetCommunityFee(100)),
                "1%".into(),
            ),
        )
        .submit()
        .await?
        .return_value()
        .expect("message succeeds");
    client
        .call(&alice, &community_calls.vote(proposal, true))
        .submit()
        .await?;
    let early = client
        .call(&alice, &community_calls.execute(proposal))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(early, Err(community::CommunityError::VotingOpen));
    let_time_pass(VOTING_PERIOD_MS + 1_000).await;
    assert_eq!(
        client
            .call(&alice, &community_calls.get_proposal_state(proposal))
            .dry_run()
            .await?
            .return_value(),
        Some(ProposalState::Passed)
    );
    client
        .call(&charlie, &community_calls.execute(proposal))
        .submit()
        .await?;
    assert_eq!(
        client
            .call(&alice, &broker.get_community_fee())
            .dry_run()
            .await?
            .return_value(),
        100
    );
    Ok(())
}
