//! The loop of `miner run`, `user run` and `watch`: one round now and then
//! every `--every`, until stopped; a round that fails (a node that went
//! away) is tried again at the next one.
use crate::error::CliError;
use p2pcloud_client::domain::Duration;

/// `--every` below this would hammer the node.
const LEAST_EVERY_MS: u64 = 1_000;

/// Runs `round` every `every` until stopped; with `once`, one round, whose
/// answer or error is the loop's.
pub async fn every<T>(
    every: Duration,
    once: bool,
    mut round: impl AsyncFnMut() -> Result<T, CliError>,
) -> Result<T, CliError> {
    if every.ms() < LEAST_EVERY_MS {
        return Err("--every is at least 1s".into());
    }
    loop {
        match round().await {
            Ok(answer) if once => return Ok(answer),
            Ok(_) => {}
            Err(why) if once => return Err(why),
            Err(why) => eprintln!("p2pcloud: this round failed, trying again later: {why}"),
        }
        tokio::time::sleep(std::time::Duration::from_millis(every.ms())).await;
    }
}
