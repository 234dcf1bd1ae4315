//! `p2pcloud community ...`: governance from the shell.
use super::propose::ProposedAction;
use crate::{
    context::Context, describe::describe_action, error::CliError, error::NotDone, values::Vote,
};
use clap::Subcommand;
use community::types::ProposalId;
use p2pcloud_client::{domain::TokenAmount, node::NodeChain, sdk::P2pCloud, sdk::Session};
use serde_json::json;

#[derive(Subcommand)]
pub enum CommunityCommand {
    /// Propose an action; members then vote on it.
    Propose {
        /// Why, for the members (at most 512 bytes).
        #[arg(long, default_value = "")]
        description: String,
        #[command(subcommand)]
        action: ProposedAction,
    },
    /// Vote yes or no on a proposal.
    Vote {
        proposal: ProposalId,
        #[arg(value_enum)]
        vote: Vote,
    },
    /// Execute a passed proposal.
    Execute { proposal: ProposalId },
    /// A proposal and its state.
    Proposal { proposal: ProposalId },
    /// Move the fees waiting in the broker into the community.
    Collect,
    /// Claim the signer's share of collected fees: of the current fee book, or
    /// with --book of a book closed by a stablecoin change (paid in its token).
    Claim {
        #[arg(long)]
        book: Option<u32>,
    },
}

impl CommunityCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let signs = !matches!(self, Self::Proposal { .. });
        let (mut session, token) = ctx.market(signs).await?;
        match self {
            Self::Propose {
                description,
                action,
            } => {
                let sent = session
                    .propose(action.action(), description.clone())
                    .await
                    .not_done("nothing proposed")?;
                ctx.sent(&sent, json!({ "proposal": sent.value }));
            }
            Self::Vote { proposal, vote } => {
                let yes = *vote == Vote::Yes;
                let sent = session
                    .vote(*proposal, yes)
                    .await
                    .not_done(format!("no vote cast on proposal {proposal}"))?;
                ctx.sent(&sent, json!({ "proposal": proposal, "yes": yes }));
            }
            Self::Execute { proposal } => {
                let sent = session
                    .execute(*proposal)
                    .await
                    .not_done(format!("proposal {proposal} not executed"))?;
                ctx.sent(&sent, json!({ "proposal": proposal }));
            }
            Self::Proposal { proposal } => show_proposal(ctx, &mut session, *proposal).await?,
            Self::Collect => {
                let sent = session.collect_fees().await.not_done("no fees collected")?;
                ctx.sent(&sent, json!({}));
            }
            Self::Claim { book: Some(book) } => {
                let own = session.account();
                let claimable = session.closed_claimable(*book, own).await?;
                let sent = session
                    .claim_closed_share(*book)
                    .await
                    .not_done(format!("no share of book {book} claimed"))?;
                // A closed book's token may not be today's: its smallest units.
                ctx.sent(
                    &sent,
                    json!({ "book": book, "claimed_units": claimable.to_string() }),
                );
            }
            Self::Claim { book: None } => {
                let sent = session.claim_share().await.not_done("no share claimed")?;
                let claimed = TokenAmount::new(sent.value, token.decimals).to_string();
                ctx.sent(&sent, json!({ "claimed": claimed, "symbol": token.symbol }));
            }
        }
        Ok(())
    }
}

async fn show_proposal(
    ctx: &Context,
    session: &mut Session<NodeChain>,
    id: ProposalId,
) -> Result<(), CliError> {
    let (proposal, state) = session
        .proposal(id)
        .await?
        .ok_or_else(|| format!("there is no proposal {id}"))?;
    ctx.out.record(&json!({
        "proposal": id,
        "state": format!("{state:?}").to_lowercase(),
        "action": describe_action(&proposal.action),
        "description": proposal.description,
        "yes": proposal.yes,
        "no": proposal.no,
        "total_weight": proposal.total_weight,
    }));
    Ok(())
}
