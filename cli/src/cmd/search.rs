//! `p2pcloud search`: offers with a free machine that meet a minimum spec,
//! by price or reputation.
use crate::{context::Context, error::CliError};
use clap::{Args, ValueEnum};
use p2pcloud_client::sdk::P2pCloud;
use p2pcloud_indexer::{
    api::{now_ms, search_offers, SearchQuery},
    search::{Catalogue, Order},
};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct SearchCommand {
    /// The VM type catalogue (JSON; indexer/data/catalogue.sample.json shows the form).
    #[arg(long)]
    catalogue: PathBuf,
    #[arg(long)]
    min_cpu: Option<u32>,
    #[arg(long)]
    min_ram_gb: Option<u32>,
    #[arg(long)]
    min_disk_gb: Option<u32>,
    /// hdd, ssd or nvme, as the catalogue names them.
    #[arg(long)]
    disk_speed: Option<String>,
    #[arg(long)]
    min_network_mbps: Option<u32>,
    #[arg(long)]
    region: Option<String>,
    /// The most per second, in the token's smallest units.
    #[arg(long)]
    max_price: Option<u128>,
    #[arg(long, value_enum, default_value_t = SortBy::Price)]
    sort: SortBy,
}

/// The order of the offers found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SortBy {
    /// Cheapest first.
    Price,
    /// Best reputation first.
    Reputation,
}

impl From<SortBy> for Order {
    fn from(sort: SortBy) -> Self {
        match sort {
            SortBy::Price => Self::Price,
            SortBy::Reputation => Self::Reputation,
        }
    }
}

impl SearchCommand {
    pub async fn handle(&self, ctx: &Context) -> Result<(), CliError> {
        let catalogue = read_catalogue(&self.catalogue)?;
        let store = ctx.store().await?;
        let mut session = ctx.session().await?;
        let offers = session.available_offers(None).await?;
        let found = search_offers(&store, &offers, &catalogue, &self.query(), now_ms()).await?;
        ctx.out.answers(&found.offers);
        Ok(())
    }

    fn query(&self) -> SearchQuery {
        SearchQuery {
            min_cpu: self.min_cpu,
            min_ram_gb: self.min_ram_gb,
            min_disk_gb: self.min_disk_gb,
            disk_speed: self.disk_speed.clone(),
            min_network_mbps: self.min_network_mbps,
            region: self.region.clone(),
            max_price: self.max_price,
            sort: self.sort.into(),
        }
    }
}

/// The VM type catalogue at `path`.
pub fn read_catalogue(path: &Path) -> Result<Catalogue, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the catalogue {}: {e}", path.display()))?;
    Catalogue::parse(&text).map_err(|e| format!("{}: {e}", path.display()).into())
}
