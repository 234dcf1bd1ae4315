//! Reads the complaints about a miner (`BookingReported`) from the chain's
//! recent finalized blocks: the last `MAX_SCANNED_BLOCKS`, block by block.
//! An indexer answers the same question over the whole chain.
//!
//! ```sh
//! cargo run -p p2pcloud-client --example read_complaints -- [NODE_URL] [DEPLOYMENT] [MINER]
//! ```
//!
//! MINER is an SS58 address or 0x-prefixed hex (default: Bob, a dev account).
mod common;

use common::{connect, Failure};
use p2pcloud_client::{
    chain::{account_of, dev},
    domain::{Address, TokenAmount},
    history::Filter,
    sdk::P2pCloud,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Failure> {
    let miner = match std::env::args().nth(3) {
        Some(text) => text.parse()?,
        None => Address(account_of(&dev::bob())),
    };
    // Reading signs nothing: Alice's key is only the dry runs' caller.
    let mut session = connect(dev::alice()).await?;
    let token = session.token().await?;

    let about_the_miner = Filter {
        miner: Some(miner.into()),
        ..Filter::default()
    };
    let complaints = session.complaints(&about_the_miner).await?;
    println!("complaints about {miner}: {}", complaints.len());
    for complaint in complaints {
        // What the booking ran and paid lets a reputation weigh the report.
        println!(
            "block #{}: booking {} of {}, {} s run, {} {} paid",
            complaint.position.block_number,
            complaint.booking_id,
            Address(complaint.user),
            complaint.seconds,
            TokenAmount::new(complaint.amount, token.decimals),
            token.symbol
        );
    }
    Ok(())
}
