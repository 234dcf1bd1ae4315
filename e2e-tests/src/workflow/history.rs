//! The broker's complaints and payments, read back from the chain's blocks
//! as the SDK's `complaints` and `payments` do.
use super::Stage;
use crate::protocol::{check, check_eq, Failure};
use broker::events::{BookingReported, MinerPayout};
use p2pcloud_client::{
    chain::Chain,
    domain::{decode, Emitted, EventKind},
    history::Filter,
    sdk::read_records,
};

impl<C: Chain> Stage<'_, C> {
    /// Reads back the one report, and the payouts among Charlie's booking's
    /// events, each once.
    pub(super) async fn read_back_history(
        &mut self,
        report: &BookingReported,
        charlies_events: &[Emitted],
        say: &mut impl FnMut(String),
    ) -> Result<(), Failure> {
        let report_block = self.read_back_complaint(report).await?;
        let payments = self.read_back_payments(charlies_events).await?;
        say(format!(
            "history: the complaint is in block {report_block}; {payments} payments for Charlie's booking"
        ));
        Ok(())
    }

    /// Finds the report among the complaints about its miner, and only in its
    /// own block; returns that block. A node finalizes a second after each
    /// block, so this waits up to ten seconds of block time for it.
    async fn read_back_complaint(&mut self, report: &BookingReported) -> Result<u64, Failure> {
        let (chain, broker_id) = (&mut *self.chain, self.protocol.broker_id);
        let complaints_about_bob = Filter {
            kind: Some(EventKind::Complaint),
            miner: Some(report.miner),
            ..Filter::default()
        };
        let mut complaints = Vec::new();
        for _ in 0..20 {
            complaints = read_records(chain, broker_id, &complaints_about_bob).await?;
            if !complaints.is_empty() {
                break;
            }
            chain.pass_time(500).await?;
        }
        check_eq(
            complaints
                .iter()
                .map(|c| (c.booking_id, c.user, c.seconds, c.amount))
                .collect::<Vec<_>>(),
            vec![(
                report.booking_id,
                report.user,
                report.seconds_used,
                report.amount_paid,
            )],
            "the complaints about Bob, read from the chain",
        )?;
        let report_block = complaints[0].position.block_number;
        let before_the_report = Filter {
            to_block: Some(report_block - 1),
            ..complaints_about_bob.clone()
        };
        check(
            read_records(chain, broker_id, &before_the_report)
                .await?
                .is_empty(),
            "no complaint in the blocks before the report",
        )?;
        let the_reports_block = Filter {
            from_block: Some(report_block),
            to_block: Some(report_block),
            ..complaints_about_bob
        };
        check_eq(
            read_records(chain, broker_id, &the_reports_block).await?,
            complaints,
            "the complaint, in its own block",
        )?;
        Ok(report_block)
    }

    /// Reads back the payments of the payouts among `charlies_events`;
    /// returns how many there are.
    async fn read_back_payments(&mut self, charlies_events: &[Emitted]) -> Result<usize, Failure> {
        let payouts: Vec<MinerPayout> = charlies_events.iter().filter_map(decode).collect();
        let charlies_payments = Filter {
            kind: Some(EventKind::Payment),
            user: payouts.first().map(|payout| payout.user),
            ..Filter::default()
        };
        let read = read_records(self.chain, self.protocol.broker_id, &charlies_payments).await?;
        check_eq(
            read.iter()
                .map(|p| (p.booking_id, p.seconds, p.amount))
                .collect::<Vec<_>>(),
            payouts
                .iter()
                .map(|p| (p.booking_id, p.seconds, p.amount))
                .collect::<Vec<_>>(),
            "Charlie's payments, read from the chain",
        )?;
        Ok(read.len())
    }
}
