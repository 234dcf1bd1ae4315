//! `p2pcloud community ...`: governance from the shell.
use crate::{
    args::{CommunityCommand, Global},
    describe::{describe_action, sent_record},
    output::Output,
    say,
};
use p2pcloud_client::units::format_amount;
use p2pcloud_client::{
    node::NodeChain,
    sdk::{P2pCloud, Session, TokenInfo},
};
use serde_json::json;

pub async fn community(
    session: &mut Session<NodeChain>,
    token: &TokenInfo,
    command: CommunityCommand,
    global: &Global,
    out: &Output,
) -> Result<(), String> {
    match command {
        CommunityCommand::Propose {
            description,
            action,
        } => {
            let sent = session
                .propose(action.action()?, description)
                .await
                .map_err(|e| format!("nothing proposed: {e}"))?;
            sent_record(out, global, &sent, json!({ "proposal": sent.value }));
        }
        CommunityCommand::Vote { proposal, vote } => {
            let yes = match vote.as_str() {
                "yes" | "y" => true,
                "no" | "n" => false,
                other => return Err(format!("{other:?} is not a vote: yes or no")),
            };
            let sent = session
                .vote(proposal, yes)
                .await
                .map_err(|e| format!("no vote cast on proposal {proposal}: {e}"))?;
            sent_record(
                out,
                global,
                &sent,
                json!({ "proposal": proposal, "yes": yes }),
            );
        }
        CommunityCommand::Execute { proposal } => {
            let sent = session
                .execute(proposal)
                .await
                .map_err(|e| format!("proposal {proposal} not executed: {e}"))?;
            sent_record(out, global, &sent, json!({ "proposal": proposal }));
        }
        CommunityCommand::Proposal { proposal: id } => {
            let (proposal, state) = session
                .proposal(id)
                .await
                .map_err(say)?
                .ok_or_else(|| format!("there is no proposal {id}"))?;
            out.record(&json!({
                "proposal": id,
                "state": format!("{state:?}").to_lowercase(),
                "action": describe_action(&proposal.action),
                "description": proposal.description,
                "yes": proposal.yes,
                "no": proposal.no,
                "total_weight": proposal.total_weight,
            }));
        }
        CommunityCommand::Collect => {
            let sent = session
                .collect_fees()
                .await
                .map_err(|e| format!("no fees collected: {e}"))?;
            sent_record(out, global, &sent, json!({}));
        }
        CommunityCommand::Claim { book: Some(book) } => {
            let own = session.account();
            let claimable = session.closed_claimable(book, own).await.map_err(say)?;
            let sent = session
                .claim_closed_share(book)
                .await
                .map_err(|e| format!("no share of book {book} claimed: {e}"))?;
            // A closed book's token may not be today's: its smallest units.
            sent_record(
                out,
                global,
                &sent,
                json!({ "book": book, "claimed_units": claimable.to_string() }),
            );
        }
        CommunityCommand::Claim { book: None } => {
            let own = session.account();
            let claimable = session.claimable(own).await.map_err(say)?;
            let sent = session
                .claim_share()
                .await
                .map_err(|e| format!("no share claimed: {e}"))?;
            sent_record(
                out,
                global,
                &sent,
                json!({ "claimed": format_amount(claimable, token.decimals), "symbol": token.symbol }),
            );
        }
    }
    Ok(())
}
