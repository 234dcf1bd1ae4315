//! The broker planned at instantiation (`data.rs`): created once from the
//! plan, and until then whatever needs it is refused.
use super::*;

/// Before `create_broker`, proposals that do not touch the broker pass;
/// those that do are refused with `NoBroker` and change nothing.
#[test]
fn proposals_pass_before_the_broker_exists_unless_they_call_it() {
    let plan = BrokerLink::Planned {
        code_hash: Hash::from([7; 32]),
        stablecoin: account(0xE0),
    };
    let mut community =
        MemoryCommunity::new(this(), &[(alice(), 1)], RULES, plan, account(0xE0)).unwrap();
    let actions = [
        Action::AddMember {
            account: bob(),
            weight: 1,
        },
        Action::Broker(BrokerCall::SetCommunityFee(100)),
    ];
    for (id, action) in actions.into_iter().enumerate() {
        community
            .propose(alice(), action, String::new(), START)
            .unwrap();
        community.vote(alice(), id as u64, true, START).unwrap();
    }
    let now = START + PERIOD;
    community.execute(0, now, &mut NoBrokerYet).unwrap();
    assert!(community.is_member(bob()));
    let before = community.clone();
    assert_eq!(
        community.execute(1, now, &mut NoBrokerYet),
        Err(CommunityError::NoBroker)
    );
    assert_eq!(community, before);
}

/// Before `create_broker` the port refuses every call that would move or
/// read money with `NoBroker`: a fee rule that reached it by mistake fails
/// instead of acting on a broker or a token that is not there.
#[test]
fn the_broker_before_it_exists_refuses_every_call_that_moves_or_reads_money() {
    use crate::data::{BrokerPort, FeeTokens};
    let token = AccountId::from([0x5D; 32]);
    assert_eq!(NoBrokerYet.withdraw_fees(1), Err(CommunityError::NoBroker));
    assert_eq!(NoBrokerYet.stablecoin(), Err(CommunityError::NoBroker));
    assert_eq!(NoBrokerYet.balance(token), Err(CommunityError::NoBroker));
    assert_eq!(
        NoBrokerYet.send(token, alice(), 1),
        Err(CommunityError::NoBroker)
    );
    assert_eq!(
        NoBrokerYet.send_owed(token, alice(), 1, 1),
        Err(CommunityError::NoBroker)
    );
}

#[test]
fn the_broker_is_created_once_from_the_plan_given_at_instantiation() {
    let plan = BrokerLink::Planned {
        code_hash: Hash::from([7; 32]),
        stablecoin: account(0xE0),
    };
    let mut community =
        MemoryCommunity::new(this(), &[(alice(), 1)], RULES, plan, account(0xE0)).unwrap();
    assert_eq!(community.broker(), Err(CommunityError::NoBroker));
    assert_eq!(
        community.broker_plan(),
        Ok((Hash::from([7; 32]), account(0xE0)))
    );
    assert_eq!(
        community.broker_created(account(0xB0)),
        Ok(vec![CommunityEvent::BrokerCreated(BrokerCreated {
            broker: account(0xB0)
        })])
    );
    assert_eq!(community.broker(), Ok(account(0xB0)));
    let before = community.clone();
    assert_eq!(community.broker_plan(), Err(CommunityError::BrokerExists));
    assert_eq!(
        community.broker_created(account(0xB1)),
        Err(CommunityError::BrokerExists)
    );
    assert_eq!(community, before);
}
