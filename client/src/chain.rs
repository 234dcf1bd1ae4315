//! One interface over the two chains the scenarios run on: the embedded runtime
//! (`EmbeddedChain`) and a `substrate-contracts-node` reached over RPC
//! (`NodeChain`). Scenarios are written once against `Chain`, so a test means
//! the same on both backends.
use crate::domain::{Balance, Block, Emitted};
use ink::{
    codegen::ContractCallBuilder,
    env::{
        call::{
            state::Salt,
            utils::{ReturnType, Set, Unset},
            Call, CallBuilder, CreateBuilder, ExecutionInput, FromAccountId, LimitParamsV2,
        },
        DefaultEnvironment,
    },
    primitives::{AccountId, Hash, LangError},
};
use pallet_contracts::StorageDeposit;
use scale::{Decode, Encode};
use sp_weights::Weight;
pub use subxt_signer::sr25519::{dev, Keypair};

pub type Env = DefaultEnvironment;

/// A constructor call as `ContractRef::new(..)` returns it.
pub type Constructor<Ref, Args, R> = CreateBuilder<
    Env,
    Ref,
    Unset<Hash>,
    Set<LimitParamsV2<Env>>,
    Unset<Balance>,
    Set<ExecutionInput<Args>>,
    Unset<Salt>,
    Set<ReturnType<R>>,
>;

/// A message call as a contract's call builder returns it.
pub type Message<Args, R> =
    CallBuilder<Env, Set<Call<Env>>, Set<ExecutionInput<Args>>, Set<ReturnType<R>>>;

/// The typed message builder of contract `C` (for example `Broker`) at `id`:
/// calls are encoded by the contract's own Rust types, never by hand.
pub fn contract_calls<C: ContractCallBuilder>(id: AccountId) -> C::Type
where
    C::Type: FromAccountId<Env>,
{
    <C::Type as FromAccountId<Env>>::from_account_id(id)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainError {
    /// The contract trapped or the runtime refused the call.
    Failed(String),
    /// The answer did not decode as the message's return type.
    Undecodable(String),
    /// The node or the connection to it failed.
    Client(String),
    /// The submission was not confirmed: nothing was submitted.
    Declined,
    /// The chain would refuse the code (`compat`): nothing was uploaded.
    Refused(String),
}

impl std::fmt::Display for ChainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Failed(why) => write!(f, "call failed: {why}"),
            Self::Undecodable(why) => write!(f, "answer did not decode: {why}"),
            Self::Client(why) => write!(f, "node client: {why}"),
            Self::Declined => f.write_str("not confirmed: nothing was submitted"),
            Self::Refused(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for ChainError {}

/// What a submitted message returned and emitted. A message that reverted (an
/// ink! message returning `Err`) changed nothing and emitted nothing. On a
/// node `value` is what the message's dry run returned just before it was
/// submitted: an id the message allocates must be read from its events, as
/// another transaction may land first.
#[derive(Debug)]
pub struct Outcome<R> {
    pub value: R,
    pub events: Vec<Emitted>,
    /// What the call cost (on a node, as its dry run measured).
    pub cost: Cost,
}

/// Gas for a submitted call or instantiation: what its dry run needed plus
/// this percentage, never a fixed large limit. The margin covers a call that
/// takes a costlier path on chain than in its dry run: on a node the dry run
/// sees the latest block, and a claim or stop dry-run on the block of the last
/// payment takes the zero-seconds path, then pays one block later. Measured on
/// the embedded chain: a paying claim costs 1.47x the ref_time and 1.22x the
/// proof size of the zero-seconds one, a stop 1.24x and 1.15x; the exact
/// estimate runs out of gas (see docs/DEPLOY.md). Unused gas is refunded, so
/// the margin costs the caller nothing.
pub const GAS_MARGIN_PERCENT: u64 = 50;

/// `weight` plus `GAS_MARGIN_PERCENT`.
pub fn with_gas_margin(weight: Weight) -> Weight {
    let grow = |value: u64| u64::try_from(with_margin(u128::from(value))).unwrap_or(u64::MAX);
    Weight::from_parts(grow(weight.ref_time()), grow(weight.proof_size()))
}

/// `value` plus `GAS_MARGIN_PERCENT`, saturating at `u128::MAX`.
pub fn with_margin(value: u128) -> u128 {
    let percent = u128::from(GAS_MARGIN_PERCENT);
    let extra = (value / 100)
        .saturating_mul(percent)
        .saturating_add(value % 100 * percent / 100);
    value.saturating_add(extra)
}

/// What one call cost: its weight and the storage deposit it charged
/// (negative: refunded).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cost {
    pub ref_time: u64,
    pub proof_size: u64,
    pub storage_deposit: i128,
}

impl Cost {
    /// The cost pallet-contracts reports for a call or an instantiation.
    pub fn of(gas_consumed: Weight, deposit: &StorageDeposit<Balance>) -> Self {
        let storage_deposit = match deposit {
            StorageDeposit::Charge(amount) => i128::try_from(*amount).unwrap_or(i128::MAX),
            StorageDeposit::Refund(amount) => -i128::try_from(*amount).unwrap_or(i128::MAX),
        };
        Self {
            ref_time: gas_consumed.ref_time(),
            proof_size: gas_consumed.proof_size(),
            storage_deposit,
        }
    }
}

#[allow(async_fn_in_trait)] // used with concrete chains only, never as `dyn`
pub trait Chain {
    /// Which backend this is, for reports.
    fn backend(&self) -> &'static str;

    /// Refuses, before anything is paid, code of `contracts` (Wasm file
    /// stems) that this chain would not accept (`compat::verdict_for`);
    /// returns the notes worth saying when it accepts it all.
    async fn check_code(&mut self, contracts: &[&str]) -> Result<Vec<String>, ChainError>;

    /// Uploads the code of `contract` (its Wasm file stem) and returns its hash.
    async fn upload(&mut self, contract: &str, caller: &Keypair) -> Result<Hash, ChainError>;

    /// Uploads and instantiates `contract`.
    async fn instantiate<Ref, Args, R>(
        &mut self,
        contract: &str,
        caller: &Keypair,
        constructor: &mut Constructor<Ref, Args, R>,
    ) -> Result<Outcome<AccountId>, ChainError>
    where
        Ref: Clone,
        Args: Encode + Clone + Send + Sync;

    /// Submits `message`. A reverted message is not submitted on a node: its
    /// dry run already says what it returns, and it would change nothing.
    async fn call<Args, R>(
        &mut self,
        caller: &Keypair,
        message: &Message<Args, R>,
    ) -> Result<Outcome<R>, ChainError>
    where
        Args: Encode + Clone + Sync,
        R: Decode + Send;

    /// Dry-runs `message` on the current state: its answer and what
    /// submitting it would cost (gas consumed and storage deposit).
    async fn estimate<Args, R>(
        &mut self,
        caller: &Keypair,
        message: &Message<Args, R>,
    ) -> Result<(R, Cost), ChainError>
    where
        Args: Encode + Clone + Sync,
        R: Decode + Send;

    /// Dry-runs `message` on the current state and returns its answer.
    async fn query<Args, R>(
        &mut self,
        caller: &Keypair,
        message: &Message<Args, R>,
    ) -> Result<R, ChainError>
    where
        Args: Encode + Clone + Sync,
        R: Decode + Send,
    {
        Ok(self.estimate(caller, message).await?.0)
    }

    /// Lets at least `ms` milliseconds of block time pass.
    async fn pass_time(&mut self, ms: u64) -> Result<(), ChainError>;

    /// The time of the latest block, in milliseconds: what the last submitted
    /// message saw as `block_timestamp`.
    async fn now(&mut self) -> Result<u64, ChainError>;

    /// The hash of the code `contract` runs now (`ContractInfoOf`), or none
    /// where no contract lives at that address.
    async fn code_hash(&mut self, contract: AccountId) -> Result<Option<Hash>, ChainError>;

    /// The storage deposit pallet-contracts charges per item and per byte.
    async fn storage_price(&mut self) -> Result<(Balance, Balance), ChainError>;

    /// The number of the newest finalized block.
    async fn finalized_block(&mut self) -> Result<u64, ChainError>;

    /// Block `number`'s contract events, and its time if it has any (a
    /// block without contract events may report time 0).
    async fn block(&mut self, number: u64) -> Result<Block, ChainError>;
}

/// Alice to Ferdie, the accounts a dev node funds (and the embedded chain too).
pub fn dev_accounts() -> [Keypair; 6] {
    [
        dev::alice(),
        dev::bob(),
        dev::charlie(),
        dev::dave(),
        dev::eve(),
        dev::ferdie(),
    ]
}

/// The Wasm files a chain uploads, by contract name (`psp22-mock` and
/// `psp22_mock` name the same file).
#[derive(Debug, Clone, Default)]
pub struct WasmFiles(std::collections::BTreeMap<String, std::path::PathBuf>);

impl WasmFiles {
    pub fn new(files: impl IntoIterator<Item = std::path::PathBuf>) -> Self {
        Self(
            files
                .into_iter()
                .map(|path| (file_stem(&path), path))
                .collect(),
        )
    }

    /// The code of each of `contracts`, named.
    pub fn code_of<'a>(
        &self,
        contracts: &[&'a str],
    ) -> Result<Vec<(&'a str, Vec<u8>)>, ChainError> {
        contracts
            .iter()
            .map(|contract| Ok((*contract, self.code(contract)?)))
            .collect()
    }

    /// The code of `contract`, or why there is none.
    pub fn code(&self, contract: &str) -> Result<Vec<u8>, ChainError> {
        let path = self
            .0
            .get(&contract.replace('-', "_"))
            .ok_or_else(|| ChainError::Client(format!("no Wasm file for {contract}")))?;
        std::fs::read(path).map_err(|e| ChainError::Client(format!("{}: {e}", path.display())))
    }
}

/// A Wasm file's stem as contracts are named in calls (`psp22_mock`).
fn file_stem(path: &std::path::Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().replace('-', "_"))
        .unwrap_or_default()
}

pub fn account_of(keypair: &Keypair) -> AccountId {
    AccountId::from(keypair.public_key().0)
}

/// Decodes an ink! message answer: the message's value inside `MessageResult`.
pub fn decode_answer<R: Decode>(mut data: &[u8]) -> Result<R, ChainError> {
    match Result::<R, LangError>::decode(&mut data) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(LangError::CouldNotReadInput)) => Err(ChainError::Failed(
            "the contract has no such message: is the address the right contract?".into(),
        )),
        Ok(Err(_)) => Err(ChainError::Failed(
            "the contract could not run the message".into(),
        )),
        Err(error) => Err(ChainError::Undecodable(error.to_string())),
    }
}

/// The SCALE input of a constructor call.
pub fn constructor_input<Ref, Args: Encode, R>(constructor: Constructor<Ref, Args, R>) -> Vec<u8> {
    constructor
        .endowment(0)
        .code_hash(Hash::default())
        .salt_bytes(Vec::new())
        .params()
        .exec_input()
        .encode()
}

/// The callee and SCALE input of a message call.
pub fn message_input<Args: Encode + Clone, R>(message: &Message<Args, R>) -> (AccountId, Vec<u8>) {
    let params = message.clone().params();
    (*params.callee(), params.exec_input().encode())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_margin_grows_every_limit_and_saturates_at_the_top() {
        assert_eq!(GAS_MARGIN_PERCENT, 50);
        assert_eq!(with_margin(100), 150);
        assert_eq!(with_margin(1), 1);
        assert_eq!(with_margin(0), 0);
        for value in [
            u128::MAX / 100,
            u128::MAX / 3,
            u128::MAX / 2 + 1,
            u128::MAX - 1,
        ] {
            assert!(with_margin(value) >= value, "{value} shrank");
        }
        assert_eq!(with_margin(u128::MAX), u128::MAX);
        let weight = with_gas_margin(Weight::from_parts(u64::MAX - 1, 1_000));
        assert_eq!(weight.ref_time(), u64::MAX);
        assert_eq!(weight.proof_size(), 1_500);
    }

    /// A message is encoded by the contract's own call builder: its selector
    /// (BLAKE2 of the message name, as ink! derives it) and its arguments.
    #[test]
    fn a_message_is_its_selector_and_its_encoded_arguments() {
        let broker = AccountId::from([7; 32]);
        let mut calls = contract_calls::<broker::Broker>(broker);
        let (callee, input) = message_input(&calls.book_vm(3, 1_000));
        assert_eq!(callee, broker);
        let mut expected = ink::selector_bytes!("book_vm").to_vec();
        expected.extend(3u64.encode());
        expected.extend(1_000u128.encode());
        assert_eq!(input, expected);
        let (_, input) = message_input(&calls.get_community_fee());
        assert_eq!(input, ink::selector_bytes!("get_community_fee").to_vec());
    }

    #[test]
    fn an_answer_decodes_to_the_value_or_the_contracts_typed_error() {
        use broker::BrokerError;
        type Answer = Result<u64, BrokerError>;
        let booked = Ok::<Answer, LangError>(Ok(4)).encode();
        assert_eq!(decode_answer::<Answer>(&booked), Ok(Ok(4)));
        let refused = Ok::<Answer, LangError>(Err(BrokerError::NoFreeMachine)).encode();
        assert_eq!(
            decode_answer::<Answer>(&refused),
            Ok(Err(BrokerError::NoFreeMachine))
        );
        let wrong_contract = Err::<Answer, LangError>(LangError::CouldNotReadInput).encode();
        assert!(matches!(
            decode_answer::<Answer>(&wrong_contract),
            Err(ChainError::Failed(why)) if why.contains("right contract")
        ));
        assert!(matches!(
            decode_answer::<Answer>(&[0, 0, 9]),
            Err(ChainError::Undecodable(_))
        ));
    }

    #[test]
    fn errors_read_as_sentences() {
        use crate::Error;
        let cases = [
            (
                Error::Broker(broker::BrokerError::NoFreeMachine),
                "the broker refused: every machine of the offer is booked",
            ),
            (
                Error::Community(community::CommunityError::NotMember),
                "the community refused: only members may do this",
            ),
            (
                Error::Token(psp22::PSP22Error::InsufficientAllowance),
                "the stablecoin refused: the allowance is too low",
            ),
            (
                Error::Chain(ChainError::Declined),
                "not confirmed: nothing was submitted",
            ),
        ];
        for (error, sentence) in cases {
            assert_eq!(error.to_string(), sentence);
        }
    }
}
