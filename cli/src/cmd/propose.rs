//! What `p2pcloud community propose` can propose: every action the
//! community executes once a proposal passes.
use crate::values::ReleaseKindArg;
use broker::types::{BookingId, TokenCallLimits};
use clap::Subcommand;
use community::types::{Action, BrokerCall, Release, Weight};
use p2pcloud_client::domain::{Address, Hex32};

#[derive(Subcommand)]
pub enum ProposedAction {
    /// Set the community fee, in basis points (at most 2500).
    Fee {
        fee_bps: u16,
    },
    /// Move the broker to another PSP22 stablecoin.
    Stablecoin {
        address: Address,
    },
    /// Offer the broker to a successor community contract.
    CommunityContract {
        address: Address,
    },
    /// Take over the broker this community was offered.
    AcceptCommunity,
    /// Replace the broker's code (then its storage is migrated).
    UpgradeBroker {
        code_hash: Hex32,
    },
    /// Replace this community's own code.
    UpgradeCommunity {
        code_hash: Hex32,
    },
    /// End a booking with reason CommunityTerminated.
    TerminateBooking {
        booking: BookingId,
    },
    /// What each broker call into the stablecoin may spend.
    TokenCallLimits {
        ref_time: u64,
        proof_size: u64,
        storage_deposit: u128,
    },
    AddMember {
        address: Address,
        weight: Weight,
    },
    RemoveMember {
        address: Address,
    },
    ChangeWeight {
        address: Address,
        weight: Weight,
    },
    /// Approve a protocol or SDK release by its content hash.
    ApproveRelease {
        #[arg(value_enum)]
        kind: ReleaseKindArg,
        name: String,
        version: String,
        content_hash: Hex32,
    },
}

impl ProposedAction {
    pub fn action(&self) -> Action {
        let broker = Action::Broker;
        match self {
            Self::Fee { fee_bps } => broker(BrokerCall::SetCommunityFee(*fee_bps)),
            Self::Stablecoin { address } => broker(BrokerCall::SetStablecoin(address.0)),
            Self::CommunityContract { address } => {
                broker(BrokerCall::SetCommunityContract(address.0))
            }
            Self::AcceptCommunity => broker(BrokerCall::AcceptCommunity),
            Self::UpgradeBroker { code_hash } => {
                broker(BrokerCall::UpgradeCode((*code_hash).into()))
            }
            Self::UpgradeCommunity { code_hash } => Action::UpgradeCommunity((*code_hash).into()),
            Self::TerminateBooking { booking } => broker(BrokerCall::TerminateBooking(*booking)),
            Self::TokenCallLimits {
                ref_time,
                proof_size,
                storage_deposit,
            } => broker(BrokerCall::SetTokenCallLimits(TokenCallLimits {
                ref_time: *ref_time,
                proof_size: *proof_size,
                storage_deposit: *storage_deposit,
            })),
            Self::AddMember { address, weight } => Action::AddMember {
                account: address.0,
                weight: *weight,
            },
            Self::RemoveMember { address } => Action::RemoveMember { account: address.0 },
            Self::ChangeWeight { address, weight } => Action::ChangeWeight {
                account: address.0,
                weight: *weight,
            },
            Self::ApproveRelease {
                kind,
                name,
                version,
                content_hash,
            } => Action::ApproveRelease(Release {
                kind: (*kind).into(),
                name: name.clone(),
                version: version.clone(),
                content_hash: (*content_hash).into(),
            }),
        }
    }
}
