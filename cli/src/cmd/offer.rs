//! `p2pcloud offer ...` and `p2pcloud offers`: a miner's offers, and the
//! offers with a free machine.
use crate::{context::Context, describe::offer_row, error::CliError, error::NotDone};
use broker::types::{Offer, OfferId};
use clap::{Args, Subcommand};
use p2pcloud_client::{
    domain::{Address, Amount, Hex32},
    sdk::{P2pCloud, TokenInfo},
};
use serde_json::json;

#[derive(Subcommand)]
pub enum OfferCommand {
    /// Offer `machines` VMs of a type at a price per second.
    Add(AddOffer),
    /// Change an offer's price (for new bookings) and machines.
    Update(UpdateOffer),
    /// Remove an offer, or close it to new bookings while it has some.
    Close(CloseOffer),
    /// A miner's offers (default: the signer's).
    List(ListOffers),
}

impl OfferCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        match self {
            Self::Add(command) => command.handle(ctx).await,
            Self::Update(command) => command.handle(ctx).await,
            Self::Close(command) => command.handle(ctx).await,
            Self::List(command) => command.handle(ctx).await,
        }
    }
}

#[derive(Args)]
pub struct AddOffer {
    #[arg(long)]
    vm_type: u32,
    #[arg(long)]
    price: Amount,
    #[arg(long)]
    machines: u32,
    /// The 32-byte hash of the VM's spec document, hex.
    #[arg(long)]
    specs: Option<Hex32>,
}

impl AddOffer {
    async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let (mut session, token) = ctx.market(true).await?;
        let specs = self.specs.map_or([0; 32], |hex| hex.0);
        let price = self.price.in_units(token.decimals)?;
        let sent = session
            .add_offer(self.vm_type, price, self.machines, specs)
            .await
            .not_done("offer not added")?;
        ctx.sent(&sent, json!({ "offer": sent.value }));
        Ok(())
    }
}

#[derive(Args)]
pub struct UpdateOffer {
    offer: OfferId,
    #[arg(long)]
    price: Amount,
    #[arg(long)]
    machines: u32,
}

impl UpdateOffer {
    async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let (mut session, token) = ctx.market(true).await?;
        let offer = self.offer;
        let price = self.price.in_units(token.decimals)?;
        let sent = session
            .update_offer(offer, price, self.machines)
            .await
            .not_done(format!("offer {offer} not updated"))?;
        ctx.sent(&sent, json!({ "offer": offer }));
        Ok(())
    }
}

#[derive(Args)]
pub struct CloseOffer {
    offer: OfferId,
}

impl CloseOffer {
    async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let offer = self.offer;
        let sent = ctx
            .sign(format!("offer {offer} not closed"), async |session| {
                session.remove_offer(offer).await
            })
            .await?;
        ctx.sent(&sent, json!({ "offer": offer }));
        Ok(())
    }
}

#[derive(Args)]
pub struct ListOffers {
    miner: Option<Address>,
}

impl ListOffers {
    async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let (mut session, token) = ctx.market(false).await?;
        let miner = ctx.account_or_own(&session, self.miner)?;
        let offers = session.miner_offers(miner).await?;
        print_offers(ctx, &offers, &token);
        Ok(())
    }
}

#[derive(Args)]
pub struct OffersCommand {
    #[arg(long)]
    vm_type: Option<u32>,
}

impl OffersCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let (mut session, token) = ctx.market(false).await?;
        let offers = session.available_offers(self.vm_type).await?;
        print_offers(ctx, &offers, &token);
        Ok(())
    }
}

fn print_offers(ctx: &Context, offers: &[(OfferId, Offer)], token: &TokenInfo) {
    let rows: Vec<_> = offers
        .iter()
        .map(|(id, offer)| offer_row(*id, offer, token))
        .collect();
    ctx.out.table(&rows);
}
