//! The broker's history read from the chain block by block (an indexer
//! keeps the same records in a database).
use crate::{
    chain::Chain,
    history::{scanned_blocks, Filter, Record},
    Error,
};
use ink::primitives::AccountId;

/// `broker`'s records that `filter` wants, oldest first, read from
/// `chain`'s finalized blocks in the range `scanned_blocks` gives.
pub async fn read_records<C: Chain>(
    chain: &mut C,
    broker: AccountId,
    filter: &Filter,
) -> Result<Vec<Record>, Error> {
    filter.check().map_err(Error::Filter)?;
    let head = chain.finalized_block().await?;
    let Some(blocks) = scanned_blocks(filter, head).map_err(Error::Filter)? else {
        return Ok(Vec::new());
    };
    let mut records = Vec::new();
    for number in blocks {
        let block = chain.block(number).await?;
        records.extend(
            block
                .records(broker)
                .into_iter()
                .filter(|record| filter.wants(record)),
        );
    }
    Ok(records)
}
