//! What every command works with: the global options, the output, the key,
//! the node connection and a session with the deployed protocol.
use crate::{
    deployment::Deployment,
    error::{CliError, NotDone},
    keys,
    options::Global,
    output::Output,
};
use ink::primitives::AccountId;
use p2pcloud_client::{
    bundles,
    chain::{dev, Keypair, Outcome, GAS_MARGIN_PERCENT},
    domain::{Address, Metadata, TokenAmount},
    node::{NodeChain, Submission},
    protocol::Protocol,
    sdk::{P2pCloud, Session, TokenInfo},
    Error as ClientError,
};
use p2pcloud_indexer::store::Store;
use serde_json::{json, Value};
use std::{cell::OnceCell, io::Write, path::PathBuf};

pub struct Context {
    pub global: Global,
    pub out: Output,
    /// The deployed contracts' metadata, read the first time an event is
    /// printed.
    metadata: OnceCell<Metadata>,
}

impl Context {
    pub fn new(global: Global) -> Self {
        Self {
            out: Output::new(global.json),
            global,
            metadata: OnceCell::new(),
        }
    }

    /// Whether the command line or the environment names a key.
    pub fn key_given(&self) -> bool {
        self.global.suri.is_some()
            || self.global.key_file.is_some()
            || std::env::var_os(keys::SECRET_VARIABLE).is_some()
    }

    /// The key given, for commands that sign.
    pub fn signer(&self) -> Result<Keypair, CliError> {
        Ok(keys::signer(
            self.global.suri.as_deref(),
            self.global.key_file.as_deref(),
        )?)
    }

    pub fn needs_key(&self) -> Result<(), CliError> {
        self.signer().map(|_| ())
    }

    pub fn deployment(&self) -> Result<Deployment, CliError> {
        Deployment::read(&self.global.deployment)
    }

    /// The event store `--db` names.
    pub async fn store(&self) -> Result<Store, CliError> {
        Ok(Store::open(&self.global.db).await?)
    }

    /// The node, with the progress and confirmation the options ask for;
    /// `wasm` are the bundles it may upload.
    pub async fn connect(&self, wasm: Vec<PathBuf>) -> Result<NodeChain, CliError> {
        let chain = NodeChain::connect(&self.global.url, wasm).await?;
        let quiet = self.global.json;
        let chain = chain
            .wait_for_finality(self.global.finalized)
            .with_progress(Box::new(move |status| {
                if !quiet {
                    eprintln!("  .. {status}");
                }
            }));
        Ok(if self.global.yes {
            chain
        } else {
            chain.confirm_with(Box::new(confirm))
        })
    }

    /// A session with the deployed protocol, signing as the given key.
    pub async fn session(&self) -> Result<Session<NodeChain>, CliError> {
        let deployment = self.deployment()?;
        let protocol = Protocol::at(deployment.community()?.0, deployment.broker()?.0);
        // Queries need no key: without one they are dry runs from a well-known
        // account. A key that was given but cannot be used is an error.
        let signer = if self.key_given() {
            self.signer()?
        } else {
            dev::alice()
        };
        let chain = self.connect(Vec::new()).await?;
        let mut session = Session::new(chain, protocol, signer).simulate(self.global.dry_run);
        // The broker must answer at that address, or nothing else will make sense.
        session
            .community_contract()
            .await
            .map_err(|e| format!("no p2pcloud broker answers at {}: {e}", deployment.broker))?;
        Ok(session)
    }

    /// A session and its stablecoin, for a command that signs (`signs`) or
    /// only reads.
    pub async fn market(&self, signs: bool) -> Result<(Session<NodeChain>, TokenInfo), CliError> {
        let mut session = self.session().await?;
        let token = session.token().await?;
        if signs {
            self.needs_key()?;
        }
        Ok((session, token))
    }

    /// Signs the one message `call` sends; `what` says what did not happen
    /// if it is refused.
    pub async fn sign<T>(
        &self,
        what: impl std::fmt::Display,
        call: impl AsyncFnOnce(&mut Session<NodeChain>) -> Result<Outcome<T>, ClientError>,
    ) -> Result<Outcome<T>, CliError> {
        let (mut session, _) = self.market(true).await?;
        call(&mut session).await.not_done(what)
    }

    /// The account given, or the signer's own.
    pub fn account_or_own(
        &self,
        session: &Session<NodeChain>,
        given: Option<Address>,
    ) -> Result<AccountId, CliError> {
        match given {
            Some(address) => Ok(address.0),
            None if self.key_given() => Ok(session.account()),
            None => Err(format!(
                "name the account, or give your key ({}, --key-file or --suri)",
                keys::SECRET_VARIABLE
            )
            .into()),
        }
    }

    fn metadata(&self) -> &Metadata {
        self.metadata.get_or_init(|| {
            let folder = self.deployment().map_or_else(
                |_| bundles::build_sh_folder(),
                |deployment| deployment.bundles_folder(),
            );
            bundles::metadata(&folder)
        })
    }

    /// A submitted (or simulated) message: `result`, its decoded events and
    /// what it cost.
    pub fn sent<T>(&self, sent: &Outcome<T>, mut result: Value) {
        if let Some(fields) = result.as_object_mut() {
            fields.insert("submitted".into(), json!(!self.global.dry_run));
            fields.insert("ref_time".into(), json!(sent.cost.ref_time));
            fields.insert("proof_size".into(), json!(sent.cost.proof_size));
            fields.insert(
                "storage_deposit".into(),
                json!(sent.cost.storage_deposit.to_string()),
            );
            let metadata = self.metadata();
            let events: Vec<String> = sent
                .events
                .iter()
                .map(|event| metadata.describe(event))
                .collect();
            fields.insert("events".into(), json!(events));
        }
        self.out.record(&result);
    }
}

/// Shows the limits and the fee and asks; anything but "y" or "yes" declines.
fn confirm(submission: &Submission) -> bool {
    let native = |units| TokenAmount::new(units, submission.native_decimals);
    let limits = submission
        .limits
        .map_or_else(String::new, |(gas, deposit)| {
            format!(
                ", gas limit {} ref_time / {} proof bytes, storage deposit limit {}",
                gas.ref_time(),
                gas.proof_size(),
                native(deposit)
            )
        });
    eprintln!(
        "{}: fee about {} {}{limits} (dry run plus {GAS_MARGIN_PERCENT}%; unused gas is refunded)",
        submission.call,
        native(submission.fee),
        submission.native_symbol,
    );
    eprint!("submit? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok()
        && matches!(answer.trim().to_lowercase().as_str(), "y" | "yes")
}
